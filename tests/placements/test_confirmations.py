"""Steps that cannot be undone (accept, decide, place, end) ask for a confirmation on a
page of their own first; nothing changes until it is given."""

from datetime import date

from django.urls import reverse

from placements.models import Placement, PlacementRequest, Proposal
from tests.placements.factories import ChildFactory, PlacementFactory, PlacementRequestFactory

S = PlacementRequest.Status


def _confirm_page_fields(response) -> dict:
    assert response.status_code == 200
    assert response.templates[0].name == "placements/confirm.html"
    return dict(response.context["fields"])


def test_accepting_a_family_asks_for_a_confirmation_first(
    kemi_org, kemi_worker, unit_worker, client_for, available_family
):
    from placements import services

    request = PlacementRequestFactory(
        municipality=kemi_org,
        created_by=kemi_worker,
        children=[ChildFactory(municipality=kemi_org)],
        status=S.IN_SEARCH,
    )
    family = available_family()
    services.placement_request_propose(request=request, by=unit_worker, family_ids=[family.pk])
    proposal = Proposal.objects.get()
    client = client_for(kemi_worker)
    url = reverse("placements:proposal-accept", args=[request.pk, proposal.pk])
    response = client.post(url)
    _confirm_page_fields(response)
    assert family.name in response.content.decode()
    request.refresh_from_db()
    assert request.status == S.PROPOSED  # nothing changed yet
    assert client.post(url, {"confirmed": "1"}).status_code == 302
    request.refresh_from_db()
    assert request.status == S.ACCEPTED


def test_recording_a_decision_carries_its_fields_through_the_confirmation(
    kemi_org, kemi_worker, client_for
):
    request = PlacementRequestFactory(
        municipality=kemi_org, created_by=kemi_worker, status=S.ACCEPTED
    )
    client = client_for(kemi_worker)
    url = reverse("placements:request-decide", args=[request.pk])
    data = {
        "decision_on": date.today().isoformat(),
        "decision_maker": "Liisa Lappalainen",
        "decision_reference": "LAPHA/7",
    }
    fields = _confirm_page_fields(client.post(url, data))
    assert fields == data
    request.refresh_from_db()
    assert request.status == S.ACCEPTED
    assert client.post(url, fields | {"confirmed": "1"}).status_code == 302
    request.refresh_from_db()
    assert (request.status, request.decision_reference) == (S.DECIDED, "LAPHA/7")


def test_an_invalid_step_is_refused_without_a_confirmation_page(kemi_org, kemi_worker, client_for):
    request = PlacementRequestFactory(
        municipality=kemi_org, created_by=kemi_worker, status=S.ACCEPTED
    )
    response = client_for(kemi_worker).post(
        reverse("placements:request-decide", args=[request.pk]), {"decision_maker": "X"}
    )
    assert response.status_code == 400


def test_ending_a_placement_asks_for_a_confirmation_first(unit_worker, client_for):
    placement = PlacementFactory()
    client = client_for(unit_worker)
    url = reverse("placements:placement-end", args=[placement.pk])
    data = {"ended_on": date.today().isoformat(), "end_reason": "returned_home"}
    assert _confirm_page_fields(client.post(url, data)) == data
    assert Placement.objects.active().filter(pk=placement.pk).exists()
    assert client.post(url, data | {"confirmed": "1"}).status_code == 302
    assert not Placement.objects.active().filter(pk=placement.pk).exists()


def test_accepting_a_providers_unit_names_the_unit_not_a_family(
    kemi_org, kemi_worker, unit_worker, client_for
):
    from placements import services
    from tests.families.factories import ProviderUnitFactory

    request = PlacementRequestFactory(
        municipality=kemi_org,
        created_by=kemi_worker,
        children=[ChildFactory(municipality=kemi_org)],
        status=S.IN_SEARCH,
    )
    unit = ProviderUnitFactory(places=3)
    services.placement_request_propose_providers(
        request=request, by=unit_worker, unit_ids=[unit.pk]
    )
    proposal = Proposal.objects.get()
    url = reverse("placements:proposal-accept", args=[request.pk, proposal.pk])
    response = client_for(kemi_worker).post(url)
    _confirm_page_fields(response)
    page = response.content.decode()
    assert "Confirm: accept the unit" in page and unit.name in page
    assert "accept the family" not in page and "None" not in page
