"""Reads of the reports. Which reports a user sees: ``Report.objects.visible_to`` —
finance, the unit and administrators all; a municipal worker their own municipality's
annual reports."""

from django.db.models import QuerySet

from fostercare.access import get_visible_or_404
from fostercare.models import User
from reports.models import ReferenceDailyCost, Report


def report_list(user: User) -> QuerySet[Report]:
    return (
        Report.objects.visible_to(user)
        .select_related("contract", "member", "requested_by")
        .defer("tables")
    )


def report_detail(user: User, pk: int) -> Report:
    return get_visible_or_404(
        Report.objects.select_related("contract", "member", "requested_by"), user, pk=pk
    )


def reference_costs(user: User) -> QuerySet[ReferenceDailyCost]:
    return ReferenceDailyCost.objects.visible_to(user)
