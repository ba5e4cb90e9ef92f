"""Care days: the one count of days children spend in care, for contracts' usage
figures and the reports alike. Support-family stays that are not cancelled count as care
days of the child's municipality (invoicing's usage basis); the reports' breakdown by care
type counts placements.

A day counts when a child is in placement on it, the first and last day included,
clipped to the period asked about. Each placement is of one *care type*: family care
(a placement with a family of the register) or the kind of the provider (a professional
family home or an institution).
"""

from collections import defaultdict
from datetime import date

from django.db.models import Case, CharField, F, QuerySet, Value, When
from django.utils.translation import gettext_lazy as _

from families.models import Provider
from placements.models import Placement, SupportStay

FAMILY_CARE = "family_care"
CARE_TYPES = (
    (FAMILY_CARE, _("Family care")),
    (Provider.Kind.PROFESSIONAL_FAMILY_HOME.value, Provider.Kind.PROFESSIONAL_FAMILY_HOME.label),
    (Provider.Kind.INSTITUTION.value, Provider.Kind.INSTITUTION.label),
)


def care_type() -> Case:
    """The placement's care type as an expression: family care or the provider's kind."""
    return Case(
        When(family__isnull=False, then=Value(FAMILY_CARE)),
        default=F("provider__kind"),
        output_field=CharField(),
    )


def overlapping(placements: QuerySet[Placement], first_day: date, last_day: date):
    """The placements that are in care on some day between the two dates."""
    return placements.filter(started_on__lte=last_day).exclude(ended_on__lt=first_day)


def days_in(started_on: date, ended_on: date | None, first_day: date, last_day: date) -> int:
    """Care days of one placement between the two dates (0 if it is not in care then)."""
    first = max(started_on, first_day)
    last = min(ended_on or last_day, last_day)
    return max((last - first).days + 1, 0)


def care_days_by(
    placements: QuerySet[Placement], first_day: date, last_day: date, *fields: str
) -> dict[tuple, int]:
    """Care days between the two dates, summed by the values of ``fields`` (lookups of
    the placement, or ``care_type``). One query."""
    days: dict[tuple, int] = defaultdict(int)
    rows = (
        overlapping(placements, first_day, last_day)
        .annotate(care_type=care_type())
        .order_by()
        .values_list(*fields, "started_on", "ended_on")
    )
    for *key, started_on, ended_on in rows:
        days[tuple(key)] += days_in(started_on, ended_on, first_day, last_day)
    return dict(days)


def care_days_by_municipality(
    *, first_day: date, last_day: date, municipality_ids
) -> dict[int, int]:
    """Care days of each municipality's children between the two days (both included):
    their placements' days and their support-family stays' days."""
    days = dict.fromkeys(municipality_ids, 0)
    placements = Placement.objects.filter(child__municipality__in=days)
    for (member_id,), count in care_days_by(
        placements, first_day, last_day, "child__municipality"
    ).items():
        days[member_id] += count
    stays = (
        SupportStay.objects.active()
        .filter(
            starts_on__lte=last_day,
            ends_on__gte=first_day,
            arrangement__child__municipality__in=days,
        )
        .values_list("arrangement__child__municipality", "starts_on", "ends_on")
    )
    for member_id, starts_on, ends_on in stays:
        days[member_id] += days_in(starts_on, ends_on, first_day, last_day)
    return days
