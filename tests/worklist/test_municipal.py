"""A municipal worker's queue: their municipality's requests with whom each waits for,
and their children's emergency clocks; never another municipality's items."""

from django.utils import timezone

from placements import services
from placements.models import PlacementRequest, PlacementType
from tests.placements.factories import ChildFactory, PlacementFactory, PlacementRequestFactory
from tests.worklist.conftest import days_ago

S = PlacementRequest.Status


def _request(org, worker, status, **fields):
    return PlacementRequestFactory(
        municipality=org, created_by=worker, status=status, submitted_at=timezone.now(), **fields
    )


def test_own_requests_say_whom_they_wait_for(kemi_org, kemi_worker, items):
    draft = _request(kemi_org, kemi_worker, S.DRAFT)
    submitted = _request(kemi_org, kemi_worker, S.SUBMITTED)
    proposed = _request(kemi_org, kemi_worker, S.PROPOSED)
    placed = _request(kemi_org, kemi_worker, S.PLACED)

    shown = items(kemi_worker)

    assert "waits for your municipality" in shown[f"placements.request:{draft.pk}"].detail
    assert "waits for the unit" in shown[f"placements.request:{submitted.pk}"].detail
    assert "waits for your municipality" in shown[f"placements.request:{proposed.pk}"].detail
    assert f"placements.request:{placed.pk}" not in shown
    # reminded only when it is the municipality's turn
    assert shown[f"placements.request:{submitted.pk}"].threshold == ""
    assert shown[f"placements.request:{proposed.pk}"].threshold != ""


def test_municipal_worker_never_sees_another_municipalitys_items(
    kemi_org, tornio_org, kemi_worker, tornio_worker, unit_worker, keys
):
    tornio_request = _request(
        tornio_org,
        tornio_worker,
        S.SUBMITTED,
        placement_type=PlacementType.EMERGENCY,
        urgency="immediate",
    )
    # shared with Kemi's worker: visible on its page, but not Kemi's item
    services.placement_request_share(request=tornio_request, with_user=kemi_worker, by=unit_worker)
    tornio_clock = PlacementFactory(
        child=ChildFactory(municipality=tornio_org),
        placement_type=PlacementType.EMERGENCY,
        started_on=days_ago(25),
    )
    kemi_request = _request(kemi_org, kemi_worker, S.SUBMITTED)
    kemi_clock = PlacementFactory(
        child=ChildFactory(municipality=kemi_org),
        placement_type=PlacementType.EMERGENCY,
        started_on=days_ago(25),
    )

    shown = keys(kemi_worker)

    assert shown == {
        f"placements.request:{kemi_request.pk}",
        f"placements.emergency:{kemi_clock.pk}",
    }
    assert f"placements.request:{tornio_request.pk}" in keys(tornio_worker)
    assert f"placements.emergency:{tornio_clock.pk}" in keys(tornio_worker)
    assert f"placements.emergency:{kemi_clock.pk}" not in keys(tornio_worker)


def test_register_training_and_finance_items_are_not_for_municipal_workers(
    kemi_worker, unit_worker, finance_user, keys
):
    from tests.families.factories import SupervisionVisitFactory

    SupervisionVisitFactory(visited_on=days_ago(30), follow_up_due_on=days_ago(1))

    assert keys(kemi_worker) == set()
    assert keys(finance_user) == set()
    assert keys(unit_worker) != set()


def test_shared_request_is_visible_to_the_other_worker_but_not_on_their_queue(
    tornio_org, tornio_worker, kemi_worker, unit_worker, client_for, keys
):
    from django.urls import reverse

    request = _request(tornio_org, tornio_worker, S.SUBMITTED)
    services.placement_request_share(request=request, with_user=kemi_worker, by=unit_worker)
    url = reverse("placements:request-detail", args=[request.pk])

    assert client_for(kemi_worker).get(url).status_code == 200
    assert keys(kemi_worker) == set()
