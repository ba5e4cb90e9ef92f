"""Each kind of item appears for a fixture that crosses its threshold, and not for one
just under it."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from families.models import Family, FamilyStatusChange
from families.worklist import add_months, check_due_on
from fostercare.worklist import Level
from placements.models import PlacementRequest, PlacementType, birthday
from tests.contracts.factories import ContractFactory, ContractPeriodFactory
from tests.families.factories import CarerFactory, FamilyFactory, SupervisionVisitFactory
from tests.placements.factories import (
    ChildFactory,
    PlacementFactory,
    PlacementRequestFactory,
    ProposalFactory,
)
from tests.training.factories import CourseFactory, EnrolmentFactory, SessionFactory
from tests.worklist.conftest import AVAILABLE, days_ago, invoice
from training.models import Enrolment, Inquiry

S = PlacementRequest.Status


# --- placements ------------------------------------------------------------------------


def _request(org, worker, status, **fields):
    return PlacementRequestFactory(
        municipality=org, created_by=worker, status=status, submitted_at=timezone.now(), **fields
    )


def test_requests_waiting_for_a_pair_emergency_first_with_their_age(
    kemi_org, kemi_worker, unit_worker, queue, items
):
    normal = _request(kemi_org, kemi_worker, S.SUBMITTED)
    PlacementRequest.objects.filter(pk=normal.pk).update(
        submitted_at=timezone.now() - timedelta(days=3)
    )
    emergency = _request(
        kemi_org,
        kemi_worker,
        S.SUBMITTED,
        placement_type=PlacementType.EMERGENCY,
        urgency="immediate",
    )
    in_search = _request(kemi_org, kemi_worker, S.IN_SEARCH)

    sections = queue(unit_worker)
    shown = items(unit_worker)

    assert sections["placements.waiting_for_pair"] == [
        f"placements.request:{emergency.pk}",
        f"placements.request:{normal.pk}",
    ]
    assert shown[f"placements.request:{emergency.pk}"].level == Level.CRITICAL
    assert shown[f"placements.request:{normal.pk}"].age_days == 3
    assert "3 days old" in shown[f"placements.request:{normal.pk}"].detail
    assert f"placements.request:{in_search.pk}" not in shown
    # the emergency section is the first on the page
    assert next(iter(sections)) == "placements.waiting_for_pair"


def test_proposals_waiting_for_the_municipality(kemi_org, kemi_worker, unit_worker, queue):
    proposed = _request(kemi_org, kemi_worker, S.PROPOSED)
    ProposalFactory(request=proposed, proposed_by=unit_worker)
    accepted = _request(kemi_org, kemi_worker, S.ACCEPTED)

    section = queue(unit_worker)["placements.proposed"]

    assert section == [f"placements.request:{proposed.pk}"]
    assert f"placements.request:{accepted.pk}" not in section


def test_emergency_placements_by_days_left_of_their_30(kemi_org, unit_worker, settings, items):
    settings.WORKLIST_EMERGENCY_WARNING_DAYS = 7

    def emergency(days_running, **fields):
        return PlacementFactory(
            child=ChildFactory(municipality=kemi_org),
            placement_type=PlacementType.EMERGENCY,
            started_on=days_ago(days_running),
            **fields,
        )

    past = emergency(31)
    warning = emergency(23)  # 7 days left
    calm = emergency(22)  # 8 days left
    ended = emergency(40, ended_on=days_ago(5), end_reason="emergency_ended")
    substitute = PlacementFactory(child=ChildFactory(municipality=kemi_org))

    shown = items(unit_worker)

    assert (
        shown[f"placements.emergency:{past.pk}"].level,
        shown[f"placements.emergency:{past.pk}"].threshold,
    ) == (Level.CRITICAL, "past")
    assert (
        shown[f"placements.emergency:{warning.pk}"].level,
        shown[f"placements.emergency:{warning.pk}"].threshold,
    ) == (Level.HIGH, "warning")
    assert "7 days left of 30" in shown[f"placements.emergency:{warning.pk}"].detail
    # 8 days left: on the page, but under the warning threshold, so never e-mailed
    assert (
        shown[f"placements.emergency:{calm.pk}"].level,
        shown[f"placements.emergency:{calm.pk}"].threshold,
    ) == (Level.NORMAL, "")
    assert f"placements.emergency:{ended.pk}" not in shown
    assert f"placements.emergency:{substitute.pk}" not in shown


def _born_flagged_on(today: date, months: int, extra_days: int = 0) -> date:
    """The latest birth date the aftercare flag covers today (Placement's own rule:
    18th birthday less months × 30 days), moved ``extra_days`` later."""
    day = today + timedelta(days=months * 30)
    return birthday(day, -18) + timedelta(days=extra_days)


def test_young_people_approaching_the_aftercare_planning_point(
    kemi_org, unit_worker, settings, today, keys
):
    settings.AFTERCARE_PLANNING_MONTHS = 6
    flagged = PlacementFactory(
        child=ChildFactory(municipality=kemi_org, date_of_birth=_born_flagged_on(today, 6))
    )
    not_yet = PlacementFactory(
        child=ChildFactory(municipality=kemi_org, date_of_birth=_born_flagged_on(today, 6, 1))
    )

    shown = keys(unit_worker)

    assert f"placements.aftercare:{flagged.pk}" in shown
    assert f"placements.aftercare:{not_yet.pk}" not in shown


def _approved_since(days: int, **fields) -> Family:
    family = FamilyFactory(**AVAILABLE, **fields)
    change = FamilyStatusChange.objects.create(
        family=family, from_status="assessment", to_status=Family.Status.APPROVED
    )
    FamilyStatusChange.objects.filter(pk=change.pk).update(
        changed_at=timezone.now() - timedelta(days=days)
    )
    return family


def test_approved_families_idle_for_180_days(kemi_org, unit_worker, settings, keys):
    settings.WORKLIST_IDLE_FAMILY_DAYS = 180
    idle = _approved_since(180)
    recent = _approved_since(179)
    placed_long_ago = _approved_since(900)
    PlacementFactory(
        family=placed_long_ago, started_on=days_ago(500), ended_on=days_ago(180), end_reason="moved"
    )
    placed_lately = _approved_since(900)
    PlacementFactory(
        family=placed_lately, started_on=days_ago(500), ended_on=days_ago(179), end_reason="moved"
    )
    caring = _approved_since(900)
    PlacementFactory(family=caring, started_on=days_ago(300))

    shown = keys(unit_worker)

    assert f"placements.idle_family:{idle.pk}" in shown
    assert f"placements.idle_family:{placed_long_ago.pk}" in shown
    assert f"placements.idle_family:{recent.pk}" not in shown
    assert f"placements.idle_family:{placed_lately.pk}" not in shown
    assert f"placements.idle_family:{caring.pk}" not in shown


# --- the register ----------------------------------------------------------------------


def _done_for_due_in(check: str, days: int) -> date:
    target = timezone.localdate() + timedelta(days=days)
    done = add_months(target, -24 if check == "health_check" else -60)
    assert check_due_on(check, done) == target
    return done


@pytest.mark.parametrize(
    ("check", "field"),
    [("health_check", "health_checked_on"), ("criminal_record", "criminal_record_seen_on")],
)
def test_carer_checks_due_within_60_days_or_overdue(check, field, unit_worker, settings, items):
    settings.WORKLIST_CHECK_WARNING_DAYS = 60
    carers = {}
    for name, days in (("due", 60), ("later", 61), ("overdue", -1)):
        family = FamilyFactory(**{**AVAILABLE, "status": Family.Status.ACTIVE})
        extra = {"criminal_record_seen_by": unit_worker} if check == "criminal_record" else {}
        carers[name] = CarerFactory(
            family=family, **{field: _done_for_due_in(check, days)}, **extra
        )

    shown = items(unit_worker)

    due = shown[f"families.check:{check}:carer:{carers['due'].pk}"]
    assert (due.level, due.threshold.split(":")[0]) == (Level.HIGH, "due_soon")
    overdue = shown[f"families.check:{check}:carer:{carers['overdue'].pk}"]
    assert (overdue.level, overdue.threshold.split(":")[0]) == (Level.CRITICAL, "overdue")
    assert f"families.check:{check}:carer:{carers['later'].pk}" not in shown


def test_health_check_is_for_full_time_carers_only(unit_worker, keys):
    support = FamilyFactory(
        **{**AVAILABLE, "status": Family.Status.ACTIVE, "kind": Family.Kind.SUPPORT}
    )
    in_reserve = FamilyFactory(**AVAILABLE)
    foster = FamilyFactory(**{**AVAILABLE, "status": Family.Status.ACTIVE})
    carers = [CarerFactory(family=f) for f in (support, in_reserve, foster)]

    shown = keys(unit_worker)

    health = {key for key in shown if key.startswith("families.check:health_check:")}
    assert health == {f"families.check:health_check:carer:{carers[2].pk}"}  # never recorded


def test_home_study_due_and_not_for_support_families(unit_worker, settings, keys):
    due = FamilyFactory(**AVAILABLE, home_study_approved_on=_done_for_due_in("home_study", 60))
    later = FamilyFactory(**AVAILABLE, home_study_approved_on=_done_for_due_in("home_study", 61))
    support = FamilyFactory(**AVAILABLE, kind=Family.Kind.SUPPORT)

    shown = keys(unit_worker)

    assert f"families.check:home_study:family:{due.pk}" in shown
    assert f"families.check:home_study:family:{later.pk}" not in shown
    assert f"families.check:home_study:family:{support.pk}" not in shown


def test_provider_licence_review_only_when_the_unit_sets_a_period(unit_worker, keys):
    from families.models import CheckType
    from tests.families.factories import ProviderFactory

    provider = ProviderFactory(licence_granted_on=add_months(timezone.localdate(), -60))
    CheckType.objects.update_or_create(code="provider_licence", defaults={"valid_months": 0})
    assert f"families.check:provider_licence:provider:{provider.pk}" not in keys(unit_worker)

    CheckType.objects.update_or_create(code="provider_licence", defaults={"valid_months": 60})
    assert f"families.check:provider_licence:provider:{provider.pk}" in keys(unit_worker)


def test_a_providers_licence_ending_within_the_warning_or_ended_is_on_the_queue(
    unit_worker, settings, today, items
):
    from tests.families.factories import ProviderFactory

    window = settings.WORKLIST_CHECK_WARNING_DAYS  # the checks' window: 60 days
    ending = ProviderFactory(licence_valid_until=today + timedelta(days=window))
    later = ProviderFactory(licence_valid_until=today + timedelta(days=window + 1))
    ended = ProviderFactory(licence_valid_until=today - timedelta(days=1))
    open_ended = ProviderFactory(licence_valid_until=None)
    closed = ProviderFactory(licence_valid_until=today - timedelta(days=1), active=False)

    shown = items(unit_worker)

    key = "families.licence_end:provider:{}".format
    assert shown[key(ending.pk)].level == Level.HIGH
    assert shown[key(ending.pk)].section == "families.checks"
    assert shown[key(ending.pk)].threshold == f"ending:{ending.licence_valid_until}"
    assert shown[key(ended.pk)].level == Level.CRITICAL
    assert shown[key(ended.pk)].threshold == f"ended:{ended.licence_valid_until}"
    assert key(later.pk) not in shown
    assert key(open_ended.pk) not in shown
    assert key(closed.pk) not in shown  # no longer active


def test_a_producers_invoice_missing_for_an_ended_quarter(
    contract_period, finance_user, today, items
):
    from contracts.models import ProducerInvoice
    from contracts.quarters import previous_quarter

    contract = contract_period.contract
    contract.producer_name = "Tuottaja ry"
    contract.save()
    year, quarter = previous_quarter(today)
    ProducerInvoice.objects.create(
        period=contract_period,
        year=year,
        quarter=quarter,
        number="PL-1",
        invoice_date=today,
        amount=1000,
    )

    shown = items(finance_user)

    key = f"contracts.producer_invoice:{contract.pk}:{{}}".format
    missing = shown[key(f"{today.year - 1}-1")]
    assert missing.url == f"/contracts/{contract.pk}/"
    assert missing.threshold == "producer_invoice_missing"
    assert key(f"{year}-{quarter}") not in shown  # recorded
    next_year = f"contracts.producer_invoice:{contract.pk}:{today.year + 1}"
    assert not [k for k in shown if k.startswith(next_year)]  # not ended


def test_no_producers_invoice_is_expected_without_a_producer(contract_period, finance_user, keys):
    assert not [k for k in keys(finance_user) if k.startswith("contracts.producer_invoice")]


def test_validity_periods_are_data_that_the_unit_edits(unit_worker, settings, keys):
    """A full-time carer's health check every other year by default; a row of CheckType
    (edited in the admin) wins over the setting it was migrated from."""
    from families.models import CheckType

    carer = CarerFactory(
        family=FamilyFactory(**{**AVAILABLE, "status": Family.Status.ACTIVE}),
        health_checked_on=add_months(timezone.localdate(), -13),
    )
    key = f"families.check:health_check:carer:{carer.pk}"
    CheckType.objects.update_or_create(code="health_check", defaults={"valid_months": 24})
    assert key not in keys(unit_worker)
    CheckType.objects.update_or_create(code="health_check", defaults={"valid_months": 12})
    assert key in keys(unit_worker)
    assert check_due_on("health_check", date(2026, 1, 31)) == date(2027, 1, 31)


def test_supervision_follow_ups_overdue(unit_worker, today, keys):
    overdue = SupervisionVisitFactory(visited_on=days_ago(30), follow_up_due_on=days_ago(1))
    due_today = SupervisionVisitFactory(visited_on=days_ago(30), follow_up_due_on=today)
    done = SupervisionVisitFactory(
        visited_on=days_ago(30), follow_up_due_on=days_ago(5), follow_up_done_on=days_ago(2)
    )

    shown = keys(unit_worker)

    assert f"families.supervision:{overdue.pk}" in shown
    assert f"families.supervision:{due_today.pk}" not in shown
    assert f"families.supervision:{done.pk}" not in shown


# --- training --------------------------------------------------------------------------


def _inquiry(days_old: int, stage=Inquiry.Stage.NEW) -> Inquiry:
    received = timezone.now() - timedelta(days=days_old)
    return Inquiry.objects.create(
        family=FamilyFactory(status=Family.Status.INQUIRY),
        stage=stage,
        language="fi",
        consent_given_at=received,
        created_at=received,
    )


def test_inquiries_not_contacted_within_14_days(unit_worker, settings, keys):
    settings.WORKLIST_INQUIRY_CONTACT_DAYS = 14
    late = _inquiry(14)
    fresh = _inquiry(13)
    contacted = _inquiry(30, stage=Inquiry.Stage.CONTACTED)

    shown = keys(unit_worker)

    assert f"training.inquiry:{late.pk}" in shown
    assert f"training.inquiry:{fresh.pk}" not in shown
    assert f"training.inquiry:{contacted.pk}" not in shown


def test_full_courses_with_a_waitlist(unit_worker, today, items):
    def course(capacity, enrolled, waitlisted, last_session=None):
        course = CourseFactory(capacity=capacity)
        SessionFactory(course=course, date=last_session or today + timedelta(days=7))
        for _ in range(enrolled):
            EnrolmentFactory(course=course)
        for _ in range(waitlisted):
            EnrolmentFactory(course=course, status=Enrolment.Status.WAITLISTED)
        return course

    full = course(2, 2, 3)
    seat_left = course(3, 2, 1)
    no_waitlist = course(2, 2, 0)
    over = course(2, 2, 1, last_session=today - timedelta(days=1))

    shown = items(unit_worker)

    assert shown[f"training.course_full:{full.pk}"].count == 3
    for other in (seat_left, no_waitlist, over):
        assert f"training.course_full:{other.pk}" not in shown


# --- contracts -------------------------------------------------------------------------


@pytest.fixture
def contract_period(tornio_org, kemi_org):
    contract = ContractFactory(issuer=tornio_org, members=[tornio_org, kemi_org])
    year = timezone.localdate().year
    return ContractPeriodFactory(
        contract=contract, starts_on=date(year - 1, 1, 1), ends_on=date(year + 1, 12, 31)
    )


def test_past_quarters_without_a_run_or_invoice_are_not_invoiced(
    contract_period, finance_user, kemi_org, today, keys
):
    from contracts.models import InvoicingRun
    from contracts.quarters import previous_quarter, quarter_of

    year = today.year
    InvoicingRun.objects.create(year=year - 1, quarter=1, status="done")
    invoice(contract_period.contract, contract_period, kemi_org, year=year - 1, quarter=2)

    shown = keys(finance_user)

    last_year, last_quarter = previous_quarter(today)
    assert f"contracts.not_invoiced:{last_year}-{last_quarter}" in shown
    assert f"contracts.not_invoiced:{year - 1}-3" in shown
    assert f"contracts.not_invoiced:{year - 1}-1" not in shown  # a run was started
    assert f"contracts.not_invoiced:{year - 1}-2" not in shown  # invoiced
    current_year, current_quarter = quarter_of(today)
    assert f"contracts.not_invoiced:{current_year}-{current_quarter}" not in shown


def test_drafts_to_review_and_invoices_past_due(
    contract_period, finance_user, kemi_org, today, items
):
    contract = contract_period.contract
    draft = invoice(
        contract,
        contract_period,
        kemi_org,
        status="draft",
        year=2025,
        quarter=3,
        invoice_date=today,
        due_date=today,
    )
    late = invoice(
        contract,
        contract_period,
        kemi_org,
        status="sent",
        year=2025,
        quarter=1,
        invoice_date=today - timedelta(days=30),
        due_date=today - timedelta(days=1),
    )
    due_today = invoice(
        contract,
        contract_period,
        kemi_org,
        year=2025,
        quarter=2,
        invoice_date=today - timedelta(days=21),
        due_date=today,
    )
    paid = invoice(
        contract,
        contract_period,
        kemi_org,
        status="paid",
        year=2025,
        quarter=4,
        invoice_date=today - timedelta(days=60),
        due_date=today - timedelta(days=30),
    )

    shown = items(finance_user)

    drafts = shown["contracts.drafts:2025-3"]
    assert drafts.count == 1
    assert drafts.url.endswith("?quarter=2025-3&status=draft")
    assert shown[f"contracts.past_due:{late.pk}"].level == Level.CRITICAL
    assert f"contracts.past_due:{due_today.pk}" not in shown
    assert f"contracts.past_due:{paid.pk}" not in shown
    assert draft.pk  # the draft itself is counted, not listed


def test_unit_workers_read_invoices_but_do_not_get_finance_items(
    contract_period, unit_worker, kemi_org, today, keys
):
    invoice(
        contract_period.contract,
        contract_period,
        kemi_org,
        status="draft",
        invoice_date=today,
        due_date=today,
    )
    assert not {key for key in keys(unit_worker) if key.startswith("contracts.")}
