"""Accepting and placing run the hard rules again, so a family is never booked over its
room: not twice, not after it was paused, and not for more siblings than it can take."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from families.models import Family
from placements import services
from placements.models import Placement, PlacementRequest, Proposal
from tests.placements.factories import ChildFactory, PlacementFactory, PlacementRequestFactory

S = PlacementRequest.Status


def _proposed(org, worker, unit_worker, family, children=2, **fields):
    request = PlacementRequestFactory(
        municipality=org,
        created_by=worker,
        children=ChildFactory.create_batch(children, municipality=org),
        status=S.SUBMITTED,
        **fields,
    )
    services.placement_request_take(request=request, by=unit_worker)
    [proposal] = services.placement_request_propose(
        request=request, by=unit_worker, family_ids=[family.pk]
    )
    return request, proposal


def _decide(request, by):
    services.placement_request_decide(
        request=request,
        by=by,
        decision_on=date.today(),
        decision_maker="Liisa Lappalainen",
        decision_reference="LAPHA/1",
    )


def _status(request):
    request.refresh_from_db()
    return request.status


def test_a_family_with_two_places_is_not_booked_by_two_requests_of_two_children(
    kemi_org, kemi_worker, unit_worker, available_family
):
    family = available_family(places=2)
    first, first_proposal = _proposed(kemi_org, kemi_worker, unit_worker, family)
    second, second_proposal = _proposed(kemi_org, kemi_worker, unit_worker, family)
    services.proposal_accept(proposal=first_proposal, by=kemi_worker)
    with pytest.raises(ValidationError, match="0 free place"):
        services.proposal_accept(proposal=second_proposal, by=kemi_worker)
    assert _status(second) == S.PROPOSED
    assert not Proposal.objects.get(pk=second_proposal.pk).accepted
    # the first request keeps its reservation through the decision to the placement
    _decide(first, kemi_worker)
    services.placement_request_place(request=first, by=kemi_worker, started_on=date.today())
    assert Placement.objects.active().filter(family=family).count() == 2


def test_a_withdrawn_acceptance_frees_the_places_again(
    kemi_org, kemi_worker, unit_worker, available_family
):
    family = available_family(places=2)
    first, first_proposal = _proposed(kemi_org, kemi_worker, unit_worker, family)
    second, second_proposal = _proposed(kemi_org, kemi_worker, unit_worker, family)
    services.proposal_accept(proposal=first_proposal, by=kemi_worker)
    services.placement_request_withdraw(request=first, by=kemi_worker, reason="Kotiutui")
    services.proposal_accept(proposal=second_proposal, by=kemi_worker)
    assert _status(second) == S.ACCEPTED


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"status": Family.Status.PAUSED}, "Paused"),
        ({"pre_service_training_completed_on": None}, "not completed"),
        ({"places": 1}, "1 free place(s) for 2 child(ren)"),
    ],
)
def test_accepting_runs_the_hard_rules_again(
    change, reason, kemi_org, kemi_worker, unit_worker, available_family
):
    family = available_family()
    request, proposal = _proposed(kemi_org, kemi_worker, unit_worker, family)
    Family.objects.filter(pk=family.pk).update(**change)  # changed after the proposal
    with pytest.raises(ValidationError, match="cannot take the children") as error:
        services.proposal_accept(proposal=proposal, by=kemi_worker)
    assert reason in " ".join(error.value.messages)
    assert _status(request) == S.PROPOSED
    assert not Proposal.objects.get(pk=proposal.pk).accepted


def test_placing_runs_the_hard_rules_again(kemi_org, kemi_worker, unit_worker, available_family):
    family = available_family(places=2)
    request, proposal = _proposed(kemi_org, kemi_worker, unit_worker, family)
    services.proposal_accept(proposal=proposal, by=kemi_worker)
    _decide(request, kemi_worker)
    PlacementFactory(family=family)  # a place taken elsewhere meanwhile
    with pytest.raises(ValidationError, match="1 free place"):
        services.placement_request_place(request=request, by=kemi_worker, started_on=date.today())
    assert _status(request) == S.DECIDED
    assert Placement.objects.filter(request=request).count() == 0


def test_a_sibling_group_that_may_be_split_is_not_placed_over_capacity(
    kemi_org, kemi_worker, unit_worker, available_family
):
    one_place = available_family(places=1)
    request, proposal = _proposed(
        kemi_org, kemi_worker, unit_worker, one_place, children=3, keep_siblings_together=False
    )
    # the matching lets the unit propose it (the siblings may be split)...
    with pytest.raises(ValidationError, match="separate request") as error:
        services.proposal_accept(proposal=proposal, by=kemi_worker)
    # ...but every child of the request would go to the accepted family: refused, clearly
    assert "1 free place(s) for 3 child(ren)." in error.value.messages[0]
    assert _status(request) == S.PROPOSED
    # nor can the placement step put three children in one place, however it got there
    Proposal.objects.filter(pk=proposal.pk).update(accepted=True)
    PlacementRequest.objects.filter(pk=request.pk).update(status=S.DECIDED)
    request.refresh_from_db()
    with pytest.raises(ValidationError, match="1 free place"):
        services.placement_request_place(request=request, by=unit_worker, started_on=date.today())
    assert not Placement.objects.filter(family=one_place).exists()


def test_placing_without_an_accepted_family_is_a_clear_error(kemi_request, unit_worker):
    PlacementRequest.objects.filter(pk=kemi_request.pk).update(status=S.DECIDED)
    kemi_request.refresh_from_db()
    with pytest.raises(ValidationError, match="No family has been accepted"):
        services.placement_request_place(
            request=kemi_request, by=unit_worker, started_on=date.today()
        )
    assert not Placement.objects.exists()


def test_the_matching_counts_places_reserved_by_another_request_as_taken(
    kemi_org, kemi_worker, unit_worker, available_family
):
    from placements.matching import match_families

    family = available_family(places=3)
    first, first_proposal = _proposed(kemi_org, kemi_worker, unit_worker, family)
    services.proposal_accept(proposal=first_proposal, by=kemi_worker)
    other = PlacementRequestFactory(
        municipality=kemi_org,
        created_by=kemi_worker,
        children=ChildFactory.create_batch(2, municipality=kemi_org),
        status=S.IN_SEARCH,
    )
    result = match_families(other)
    assert [m.exclusion_reasons for m in result.excluded] == [["1 free place(s) for 2 child(ren)."]]
    # the request that holds the reservation does not count its own children twice
    assert [m.family for m in match_families(first).ranked] == [family]
