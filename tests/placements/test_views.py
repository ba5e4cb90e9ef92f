"""The status flow through the pages, as the two social workers use it."""

from datetime import date

from django.urls import reverse

from families.models import Family
from placements.models import Placement, PlacementRequest
from tests.placements.factories import ChildFactory

S = PlacementRequest.Status


def test_flow_through_the_pages(kemi_org, kemi_worker, unit_worker, client_for, available_family):
    children = ChildFactory.create_batch(2, municipality=kemi_org)
    family = available_family(kind=Family.Kind.RECEPTION, places=2)
    kemi = client_for(kemi_worker)
    response = kemi.post(
        reverse("placements:request-create"),
        {
            "children": [c.pk for c in children],
            "placement_type": "emergency",
            "urgency": "immediate",
            "wished_start_on": date.today().isoformat(),
            "keep_siblings_together": "on",
        },
    )
    request = PlacementRequest.objects.get()
    assert response.status_code == 302
    assert request.municipality == kemi_org and request.status == S.DRAFT
    kemi.post(reverse("placements:request-submit", args=[request.pk]))

    unit = client_for(unit_worker)
    unit.post(reverse("placements:request-take", args=[request.pk]))
    matching = unit.get(reverse("placements:request-matching", args=[request.pk]))
    assert [m.family for m in matching.context["result"].ranked] == [family]
    unit.post(reverse("placements:request-propose", args=[request.pk]), {"family": [family.pk]})

    kemi = client_for(kemi_worker)
    proposal = request.proposals.get()
    accept = reverse("placements:proposal-accept", args=[request.pk, proposal.pk])
    kemi.post(accept, {"confirmed": "1"})
    kemi.post(
        reverse("placements:request-decide", args=[request.pk]),
        {
            "decision_on": date.today().isoformat(),
            "decision_maker": "Liisa Lappalainen",
            "decision_reference": "LAPHA/1",
            "confirmed": "1",
        },
    )
    response = kemi.post(
        reverse("placements:request-place", args=[request.pk]),
        {"started_on": date.today().isoformat(), "confirmed": "1"},
    )
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.status == S.PLACED
    assert Placement.objects.filter(family=family).count() == 2
    page = kemi.get(reverse("placements:request-detail", args=[request.pk])).content.decode()
    assert "30 days left of 30" in page


def test_wrong_role_gets_a_clear_message_and_nothing_changes(kemi_request, client_for, kemi_worker):
    response = client_for(kemi_worker).post(
        reverse("placements:request-take", args=[kemi_request.pk])
    )
    assert response.status_code == 400
    assert "Only the foster-care unit may do this." in response.content.decode()
    kemi_request.refresh_from_db()
    assert kemi_request.status == S.SUBMITTED and kemi_request.unit_worker is None


def test_illegal_step_gets_a_clear_message(kemi_request, client_for, kemi_worker):
    response = client_for(kemi_worker).post(
        reverse("placements:request-submit", args=[kemi_request.pk])
    )
    assert response.status_code == 400
    assert "cannot be moved to" in response.content.decode()


def test_empty_decision_form_explains_itself(kemi_request, client_for, kemi_worker):
    PlacementRequest.objects.filter(pk=kemi_request.pk).update(status=S.ACCEPTED)
    response = client_for(kemi_worker).post(
        reverse("placements:request-decide", args=[kemi_request.pk]), {}
    )
    assert response.status_code == 400
    assert "This field is required." in response.content.decode()
    kemi_request.refresh_from_db()
    assert kemi_request.status == S.ACCEPTED


def test_request_list_puts_urgent_open_requests_first(kemi_org, kemi_worker, client_for):
    from tests.placements.factories import PlacementRequestFactory

    normal = PlacementRequestFactory(municipality=kemi_org, status="submitted")
    placed = PlacementRequestFactory(municipality=kemi_org, status="placed", urgency="immediate")
    immediate = PlacementRequestFactory(
        municipality=kemi_org, status="submitted", urgency="immediate"
    )
    urgent = PlacementRequestFactory(municipality=kemi_org, status="in_search", urgency="urgent")
    page = client_for(kemi_worker).get(reverse("placements:request-list")).context["page"]
    assert list(page.object_list) == [immediate, urgent, normal, placed]
