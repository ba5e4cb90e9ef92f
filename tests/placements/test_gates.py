"""A family with an open lifecycle gate (``families.gates.family_gaps``) is never proposed,
accepted or placed with, and matching says which gates are open."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError

from families.models import Carer, Family
from placements import services
from placements.matching import match_families
from placements.models import Placement, PlacementRequest

S = PlacementRequest.Status
NO_HOME_STUDY = "The home study is not approved."  # families.gates' own words


def _taken(request, unit_worker):
    services.placement_request_take(request=request, by=unit_worker)
    return request


def _excluded(result, family):
    return next(m for m in result.excluded if m.family.pk == family.pk)


def test_proposing_a_family_with_open_gates_is_refused_naming_them(
    kemi_request, unit_worker, available_family
):
    family = available_family(home_study_approved_on=None)
    Carer.objects.filter(family=family).update(
        criminal_record_seen_on=None, criminal_record_seen_by=None
    )
    carer = family.carers.first()
    with pytest.raises(ValidationError, match="cannot be proposed") as error:
        services.placement_request_propose(
            request=_taken(kemi_request, unit_worker), by=unit_worker, family_ids=[family.pk]
        )
    message = " ".join(error.value.messages)
    assert NO_HOME_STUDY in message
    assert f"No criminal-record extract has been seen for {carer}." in message
    assert not kemi_request.proposals.exists()


def test_accepting_is_refused_when_a_gate_opened_after_the_proposal(
    kemi_request, kemi_worker, unit_worker, available_family
):
    family = available_family()
    [proposal] = services.placement_request_propose(
        request=_taken(kemi_request, unit_worker), by=unit_worker, family_ids=[family.pk]
    )
    Family.objects.filter(pk=family.pk).update(home_study_approved_on=None)
    with pytest.raises(ValidationError, match=NO_HOME_STUDY):
        services.proposal_accept(proposal=proposal, by=kemi_worker)
    kemi_request.refresh_from_db()
    assert kemi_request.status == S.PROPOSED


def test_placing_is_refused_when_a_gate_opened_after_the_acceptance(
    kemi_request, kemi_worker, unit_worker, available_family
):
    family = available_family()
    [proposal] = services.placement_request_propose(
        request=_taken(kemi_request, unit_worker), by=unit_worker, family_ids=[family.pk]
    )
    services.proposal_accept(proposal=proposal, by=kemi_worker)
    services.placement_request_decide(
        request=kemi_request,
        by=kemi_worker,
        decision_on=date.today(),
        decision_maker="L. Lappalainen",
        decision_reference="1",
    )
    Carer.objects.filter(family=family).update(lives_in_home=False)  # both moved out
    with pytest.raises(ValidationError, match="No carer living in the home is recorded"):
        services.placement_request_place(
            request=kemi_request, by=kemi_worker, started_on=date.today()
        )
    assert not Placement.objects.exists()


def test_matching_excludes_a_family_with_open_gates_and_lists_them(
    kemi_request, unit_worker, available_family
):
    ready = available_family(name="Valmis")
    not_ready = available_family(name="Kesken", home_study_approved_on=None)
    result = match_families(kemi_request)
    assert [m.family for m in result.ranked] == [ready]
    match = _excluded(result, not_ready)
    assert match.excluded_by == ["gates"]
    assert match.exclusion_reasons == [NO_HOME_STUDY]
    assert {rule: n for rule, _label, n in result.exclusions_per_rule}["gates"] == 1


def test_a_recorded_training_exception_counts_as_trained_for_matching(
    kemi_request, unit_worker, available_family
):
    exception = {
        "pre_service_training_completed_on": None,
        "training_exception_reason": "Sukulaissijoitus; valmennus alkaa syksyllä.",
    }
    in_time = available_family(
        name="Ajoissa", training_due_on=date.today() + timedelta(90), **exception
    )
    overdue = available_family(
        name="Myöhässä", training_due_on=date.today() - timedelta(1), **exception
    )
    result = match_families(kemi_request)
    assert [m.family for m in result.ranked] == [in_time]
    assert set(Family.objects.available()) == {in_time}  # the same rule as the register's
    assert "has passed" in " ".join(_excluded(result, overdue).exclusion_reasons)
