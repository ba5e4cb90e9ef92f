"""Writes of the reports: request a report (from the page or the schedule) and set a
reference daily cost."""

from decimal import Decimal

from django.db import transaction

from contracts.models import Contract
from fostercare.models import MemberOrganisation, User
from reports import rendering, tasks
from reports.models import ReferenceDailyCost, Report


def report_request(
    *,
    kind: str,
    contract: Contract,
    year: int,
    quarter: int | None = None,
    member: MemberOrganisation | None = None,
    language: str = "fi",
    by: User | None,
) -> Report:
    """The report of this kind, contract, member, period and language, queued to be made
    (``rendering.report_claim``: one row per report, a new version when asked again,
    nothing more queued while it is being made)."""
    with transaction.atomic():
        report, queue = rendering.report_claim(
            kind=kind,
            contract=contract,
            member=member,
            year=year,
            quarter=quarter,
            language=language,
            by=by,
        )
        if queue:
            transaction.on_commit(lambda: tasks.report_render.delay(report.pk))
    return report


def reference_cost_set(
    *, year: int, care_type: str, daily_cost: Decimal, source: str, by: User | None
) -> ReferenceDailyCost:
    """Set one year's reference daily cost of a care type (a new one, or a change)."""
    with transaction.atomic():
        cost = (
            ReferenceDailyCost.objects.select_for_update()
            .filter(year=year, care_type=care_type)
            .first()
        ) or ReferenceDailyCost(year=year, care_type=care_type)
        cost.daily_cost, cost.source = daily_cost, source
        cost.full_clean()
        cost.save()
    return cost
