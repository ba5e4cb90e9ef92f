"""Celery tasks of the reports: each fetches by id and calls the rendering module, and is
safe to run twice."""

from celery import shared_task
from django.db import transaction
from django.utils import timezone

from contracts.models import Contract
from contracts.quarters import previous_quarter
from reports import rendering
from reports.models import Report


@shared_task
def report_render(report_id: int) -> str:
    """Make one requested report; returns its PDF's checksum."""
    return rendering.report_render(report_id=report_id).pdf_sha256


@shared_task
def reports_previous_quarter() -> int:
    """The beat schedule's entry after each quarter: the steering group's report of the
    quarter that ended for every active contract, in its administering member's language,
    and after the year's last quarter each member's annual report in the member's.
    Returns how many reports it made; run again, it makes new versions, no duplicates."""
    year, quarter = previous_quarter(timezone.localdate())
    wanted = []
    for contract in Contract.objects.filter(active=True).select_related("issuer"):
        language = contract.issuer.invoicing_language or "fi"
        wanted.append(
            {
                "kind": Report.Kind.STEERING,
                "contract": contract,
                "member": None,
                "quarter": quarter,
                "language": language,
            }
        )
        if quarter == 4:
            wanted += [
                {
                    "kind": Report.Kind.MEMBER_ANNUAL,
                    "contract": contract,
                    "member": member,
                    "quarter": None,
                    "language": member.invoicing_language or "fi",
                }
                for member in contract.members.all()
            ]
    made = 0
    for key in wanted:
        with transaction.atomic():
            report, make = rendering.report_claim(year=year, by=None, **key)
        if make:
            rendering.report_render(report_id=report.pk)
            made += 1
    return made
