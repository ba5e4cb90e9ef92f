"""Placements with providers: a unit's room derived from placements, the providers'
hard rules beside the families', proposing, accepting and placing in a unit."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from families.models import Provider, ProviderUnit
from placements import services
from placements.models import Placement, PlacementRequest, PlacementType
from placements.provider_matching import match_provider_units
from tests.families.factories import ProviderFactory, ProviderUnitFactory, SupervisionVisitFactory
from tests.placements.factories import ChildFactory, PlacementFactory, PlacementRequestFactory

S = PlacementRequest.Status


@pytest.fixture
def in_search(kemi_org, kemi_worker, unit_worker):
    """Kemi's substitute-care request for one child aged 7, in search by the unit."""
    return PlacementRequestFactory(
        municipality=kemi_org,
        created_by=kemi_worker,
        unit_worker=unit_worker,
        status=S.IN_SEARCH,
        children=[ChildFactory(municipality=kemi_org)],
    )


def _fresh(request):
    return PlacementRequest.objects.select_related("municipality").get(pk=request.pk)


def test_a_units_room_is_its_places_less_children_placed(kemi_org):
    unit = ProviderUnitFactory(places=3)
    PlacementFactory(
        child=ChildFactory(municipality=kemi_org),
        family=None,
        provider=unit.provider,
        provider_unit=unit,
    )
    PlacementFactory(
        child=ChildFactory(municipality=kemi_org),
        family=None,
        provider=unit.provider,
        provider_unit=unit,
        ended_on=date.today(),
        end_reason="other",
    )
    assert ProviderUnit.objects.with_room().get(pk=unit.pk).room == 2
    provider = Provider.objects.with_room().get(pk=unit.provider_id)
    assert (provider.unit_places, provider.taken, provider.free_places) == (3, 1, 2)


def test_units_places_stay_within_the_licence(unit_worker):
    provider = ProviderFactory(places=5)
    ProviderUnitFactory(provider=provider, places=3)
    with pytest.raises(ValidationError, match="licensed for 5"):
        services_unit = ProviderUnit(provider=provider, name="B", places=3)
        from families.services import provider_unit_save

        provider_unit_save(unit=services_unit, by=unit_worker)


def test_hard_rules_exclude_units_with_reasons_and_count_them(in_search):
    today = date.today()
    fits = ProviderUnitFactory(name="Sopii")
    ProviderUnitFactory(provider=ProviderFactory(licence_valid_from=None), name="Ei lupaa")
    ProviderUnitFactory(
        provider=ProviderFactory(licence_valid_until=today - timedelta(days=1)), name="Vanhentunut"
    )
    ProviderUnitFactory(age_min=13, name="Nuoret")
    ProviderUnitFactory(places=0, name="Täynnä")
    ProviderUnitFactory(active=False, name="Suljettu")
    result = match_provider_units(_fresh(in_search))
    assert [m.unit for m in result.ranked] == [fits]
    counts = {rule: count for rule, _label, count in result.exclusions_per_rule}
    assert counts == {"active": 1, "type": 0, "licence": 2, "room": 1, "age": 1}
    assert result.excluded_count == 5
    reasons = {m.unit.name: " ".join(m.exclusion_reasons) for m in result.excluded}
    assert "No licence validity recorded." in reasons["Ei lupaa"]
    assert "not on" in reasons["Vanhentunut"]
    assert "Accepts ages 13–17" in reasons["Nuoret"]


def test_an_institution_takes_no_short_term_request_and_no_provider_a_support_family(in_search):
    ProviderUnitFactory(provider=ProviderFactory(kind=Provider.Kind.INSTITUTION))
    in_search.placement_type = PlacementType.SHORT_TERM
    in_search.save()
    result = match_provider_units(_fresh(in_search))
    assert not result.ranked
    assert {r: c for r, _l, c in result.exclusions_per_rule}["type"] == 1


def test_a_unit_is_proposed_accepted_decided_and_placed(in_search, kemi_worker, unit_worker):
    unit = ProviderUnitFactory(places=2)
    (proposal,) = services.placement_request_propose_providers(
        request=in_search, by=unit_worker, unit_ids=[unit.pk]
    )
    assert proposal.provider_unit == unit and proposal.family is None
    services.proposal_accept(proposal=proposal, by=kemi_worker)
    # accepting reserves the place: the unit's room drops before the child moves in
    assert ProviderUnit.objects.with_room().get(pk=unit.pk).room == 1
    services.placement_request_decide(
        request=in_search,
        by=kemi_worker,
        decision_on=date.today(),
        decision_maker="Viranhaltija",
        decision_reference="1/2026",
    )
    (placement,) = services.placement_request_place(
        request=in_search, by=unit_worker, started_on=date.today()
    )
    assert (placement.provider, placement.provider_unit, placement.family) == (
        unit.provider,
        unit,
        None,
    )
    assert ProviderUnit.objects.with_room().get(pk=unit.pk).room == 1
    in_search.refresh_from_db()
    assert in_search.status == S.PLACED


def test_a_unit_whose_licence_lapsed_after_acceptance_is_not_placed_in(
    in_search, kemi_worker, unit_worker
):
    unit = ProviderUnitFactory()
    (proposal,) = services.placement_request_propose_providers(
        request=in_search, by=unit_worker, unit_ids=[unit.pk]
    )
    services.proposal_accept(proposal=proposal, by=kemi_worker)
    in_search.refresh_from_db()
    in_search.status = S.DECIDED
    in_search.wished_start_on = date.today() + timedelta(days=10)
    in_search.save()
    Provider.objects.filter(pk=unit.provider_id).update(
        licence_valid_until=date.today() + timedelta(days=5)
    )
    with pytest.raises(ValidationError, match="licence"):
        services.placement_request_place(request=in_search, by=unit_worker, started_on=date.today())
    assert not Placement.objects.exists()


def test_proposing_a_unit_that_breaks_a_rule_is_refused(in_search, unit_worker):
    unit = ProviderUnitFactory(age_min=15)
    with pytest.raises(ValidationError, match="cannot be proposed"):
        services.placement_request_propose_providers(
            request=in_search, by=unit_worker, unit_ids=[unit.pk]
        )
    assert not in_search.proposals.exists()


def test_the_matching_page_lists_units_beside_families(in_search, unit_worker, client_for):
    unit = ProviderUnitFactory(name="Vastaanotto-osasto")
    page = client_for(unit_worker).get(reverse("placements:request-matching", args=[in_search.pk]))
    assert page.status_code == 200
    assert "Vastaanotto-osasto" in page.content.decode()
    response = client_for(unit_worker).post(
        reverse("placements:request-propose-providers", args=[in_search.pk]),
        {"unit": [unit.pk]},
    )
    assert response.status_code == 302
    assert in_search.proposals.get().provider_unit == unit


def test_proposing_no_unit_is_a_clear_400(in_search, unit_worker, client_for):
    response = client_for(unit_worker).post(
        reverse("placements:request-propose-providers", args=[in_search.pk]), {"unit": ["x"]}
    )
    assert response.status_code == 400
    assert not in_search.proposals.exists()


def test_municipal_worker_reads_the_providers_public_facts_not_the_visit_notes(
    kemi_worker, client_for
):
    provider = ProviderFactory(name="Perhekoti Kataja", notes="Sisäinen huomio")
    ProviderUnitFactory(provider=provider, places=4)
    SupervisionVisitFactory(
        provider=provider, findings="Salainen havainto", follow_up_due_on=date(2099, 1, 1)
    )
    client = client_for(kemi_worker)
    listing = client.get(reverse("families:provider-list")).content.decode()
    assert "Perhekoti Kataja" in listing
    page = client.get(reverse("families:provider-detail", args=[provider.pk])).content.decode()
    assert 'id="provider-free-places">4<' in page
    assert "Salainen havainto" not in page and "Sisäinen huomio" not in page
    assert "Ulla Unitinen" not in page  # who visited
    assert "1.1.2099" in page or "01/01/2099" in page  # the follow-up's due date


def test_the_vacancy_board_shows_providers_by_municipality_kind_and_age_band(
    kemi_org, unit_worker, client_for
):
    provider = ProviderFactory(municipality=kemi_org, places=7)
    ProviderUnitFactory(provider=provider, places=3, age_min=0, age_max=6)
    ProviderUnitFactory(provider=provider, places=2, age_min=13, age_max=17)
    ProviderUnitFactory(provider=ProviderFactory(licence_valid_from=None), places=5)
    board = client_for(unit_worker).get(reverse("placements:vacancy-board"))
    (row,) = board.context["providers"]["rows"]
    assert row["total"] == 5
    assert row["bands"] == [("0-6", 3), ("7-12", 0), ("13-17", 2)]
    link = (
        f"{reverse('families:provider-list')}?kind=professional_family_home&amp;"
        f"municipality={kemi_org.pk}&amp;age_band=13-17&amp;free=true"
    )
    assert link in board.content.decode()
    listing = client_for(unit_worker).get(link.replace("&amp;", "&"))
    assert list(listing.context["page"].object_list) == [provider]


def test_accepting_a_unit_on_the_page_names_it(in_search, kemi_worker, unit_worker, client_for):
    unit = ProviderUnitFactory(name="Osasto Kuusi")
    (proposal,) = services.placement_request_propose_providers(
        request=in_search, by=unit_worker, unit_ids=[unit.pk]
    )
    response = client_for(kemi_worker).post(
        reverse("placements:proposal-accept", args=[in_search.pk, proposal.pk]),
        {"confirmed": "1"},
        follow=True,
    )
    assert [str(m) for m in response.context["messages"]] == [f"You accepted {unit}."]
