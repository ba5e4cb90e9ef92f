"""Corrections on the pages: placement dates, ending, the 38 a § extension and the
aftercare plan; each writes history and the access log."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from contracts.models import ContractPeriod
from contracts.selectors import placement_care_days
from fostercare.models import AccessLogEntry
from fostercare.worklist import worklist_for
from placements.models import AftercarePlan, Placement, PlacementChange, RequestEvent
from placements.worklist import SECTION_AFTERCARE_REVIEW
from tests.contracts.factories import seed_contract
from tests.placements.factories import ChildFactory, PlacementFactory, PlacementRequestFactory


def _logged(child, purpose) -> bool:
    return AccessLogEntry.objects.filter(object_id=str(child.pk), purpose=purpose).exists()


def test_a_corrected_end_date_changes_the_care_days_of_a_usage_basis_period(
    unit_worker, client_for
):
    _contract, period, members = seed_contract(basis=ContractPeriod.Basis.USAGE)
    kemi = members["240"]
    child = ChildFactory(municipality=kemi)
    request = PlacementRequestFactory(municipality=kemi, children=[child], status="placed")
    placement = PlacementFactory(
        child=child,
        request=request,
        started_on=date(2025, 3, 1),
        ended_on=date(2025, 3, 31),
        end_reason="returned_home",
    )
    assert placement_care_days(period=period)[kemi.pk] == 31

    response = client_for(unit_worker).post(
        reverse("placements:placement-correct", args=[placement.pk]),
        {
            "started_on": "2025-03-01",
            "ended_on": "2025-03-10",
            "end_reason": "returned_home",
            "reason": "The end date was typed wrong; the decision says 10.3.",
        },
    )
    assert response.status_code == 302
    assert placement_care_days(period=period)[kemi.pk] == 10
    change = PlacementChange.objects.get(placement=placement)
    assert (change.kind, change.before["ended_on"], change.after["ended_on"]) == (
        "dates",
        "2025-03-31",
        "2025-03-10",
    )
    assert change.by == unit_worker
    note = RequestEvent.objects.filter(request=request).last().note
    assert "corrected" in note and "typed wrong" in note
    assert _logged(child, "Dates corrected")
    page = client_for(unit_worker).get(reverse("placements:placement-correct", args=[placement.pk]))
    assert "typed wrong" in page.content.decode()


def test_a_correction_needs_a_reason_and_changes_nothing_without_one(unit_worker, client_for):
    placement = PlacementFactory(started_on=date(2025, 3, 1))
    response = client_for(unit_worker).post(
        reverse("placements:placement-correct", args=[placement.pk]),
        {"started_on": "2025-02-01", "ended_on": "", "end_reason": "", "reason": ""},
    )
    assert response.status_code == 400
    placement.refresh_from_db()
    assert placement.started_on == date(2025, 3, 1)
    assert not PlacementChange.objects.exists()


def test_an_end_date_before_the_start_is_refused(unit_worker, client_for):
    placement = PlacementFactory(started_on=date(2025, 3, 1))
    response = client_for(unit_worker).post(
        reverse("placements:placement-correct", args=[placement.pk]),
        {
            "started_on": "2025-03-01",
            "ended_on": "2025-02-01",
            "end_reason": "moved",
            "reason": "x",
        },
    )
    assert response.status_code == 400
    assert Placement.objects.active().filter(pk=placement.pk).exists()


def test_ending_a_placement_writes_history_and_the_requests_timeline(unit_worker):
    from placements import services

    child = ChildFactory()
    request = PlacementRequestFactory(children=[child], status="placed")
    placement = PlacementFactory(child=child, request=request)
    services.placement_end(
        placement=placement, by=unit_worker, ended_on=date.today(), end_reason="returned_home"
    )
    change = PlacementChange.objects.get(placement=placement)
    assert (change.kind, change.reason) == ("ended", "Returned home")
    assert "ended" in RequestEvent.objects.filter(request=request).last().note
    assert _logged(child, "Placement ended")


def test_a_38a_extension_counts_on_the_clock(unit_worker, client_for):
    started = timezone.localdate() - timedelta(days=25)
    placement = PlacementFactory(placement_type="emergency", started_on=started)
    assert placement.emergency_days_left == 5
    client = client_for(unit_worker)
    response = client.post(
        reverse("placements:placement-extend", args=[placement.pk]),
        {"days": "30", "decided_on": date.today().isoformat(), "reason": "LAPHA/2026/9"},
    )
    assert response.status_code == 302
    placement.refresh_from_db()
    assert (placement.extension_days, placement.emergency_days_left) == (30, 35)
    page = client.get(reverse("placements:placement-correct", args=[placement.pk]))
    assert "35 days left of 60" in page.content.decode()
    assert PlacementChange.objects.get(placement=placement).kind == "extended"
    assert _logged(placement.child, "Emergency placement extended (38 a §)")


@pytest.mark.parametrize("days", ["0", "31"])
def test_an_extension_is_at_most_another_30_days(days, unit_worker, client_for):
    placement = PlacementFactory(placement_type="emergency")
    response = client_for(unit_worker).post(
        reverse("placements:placement-extend", args=[placement.pk]),
        {"days": days, "decided_on": date.today().isoformat()},
    )
    assert response.status_code == 400
    placement.refresh_from_db()
    assert placement.extension_days == 0


def test_only_an_emergency_placement_is_extended(unit_worker, client_for):
    placement = PlacementFactory(placement_type="substitute_care")
    response = client_for(unit_worker).post(
        reverse("placements:placement-extend", args=[placement.pk]),
        {"days": "10", "decided_on": date.today().isoformat()},
    )
    assert response.status_code == 400
    assert "Only an emergency placement" in response.content.decode()


def test_an_aftercare_plan_is_recorded_and_shown_in_the_queue_when_its_review_is_due(
    unit_worker, client_for
):
    child = ChildFactory()
    client = client_for(unit_worker)
    review = timezone.localdate() + timedelta(days=10)
    response = client.post(
        reverse("placements:aftercare-plan-create", args=[child.pk]),
        {
            "agreed_on": date.today().isoformat(),
            "agreed_with": "Sanna Sosiaali",
            "review_on": review.isoformat(),
            "plan": "Oma asunto, opiskelu",
        },
    )
    assert response.status_code == 302
    plan = AftercarePlan.objects.get()
    assert (plan.child, plan.recorded_by) == (child, unit_worker)
    assert _logged(child, "aftercare plan")

    def due():
        sections = {view.section.key: view for view in worklist_for(unit_worker, today=review)}
        return sections.get(SECTION_AFTERCARE_REVIEW)

    assert due() and [i.key for i in due().items] == [f"placements.aftercare_plan:{plan.pk}"]
    sections = {view.section.key for view in worklist_for(unit_worker)}
    assert SECTION_AFTERCARE_REVIEW not in sections  # not yet due today
    # the review moves the date on
    client.post(
        reverse("placements:aftercare-plan-update", args=[child.pk, plan.pk]),
        {
            "agreed_on": date.today().isoformat(),
            "agreed_with": "Sanna Sosiaali",
            "review_on": (review + timedelta(days=180)).isoformat(),
        },
    )
    assert due() is None
