"""Care days: the one definition, for invoicing's usage basis and the pages alike.

A day counts when a child is in care on it, the first and the last day included: each
day of a placement, and each day of a support-family stay that is not cancelled.
"""

from datetime import date

from placements.models import Placement, SupportStay


def days_within(started_on: date, ended_on: date | None, first_day: date, last_day: date) -> int:
    """Days of ``started_on``–``ended_on`` (open: until ``last_day``) within the window."""
    first = max(started_on, first_day)
    last = min(ended_on or last_day, last_day)
    return max((last - first).days + 1, 0)


def care_days_by_municipality(
    *, first_day: date, last_day: date, municipality_ids
) -> dict[int, int]:
    """Care days of each municipality's children between the two days (both included)."""
    days = dict.fromkeys(municipality_ids, 0)
    placements = (
        Placement.objects.filter(started_on__lte=last_day, child__municipality__in=days)
        .exclude(ended_on__lt=first_day)
        .values_list("child__municipality", "started_on", "ended_on")
    )
    stays = (
        SupportStay.objects.active()
        .filter(
            starts_on__lte=last_day,
            ends_on__gte=first_day,
            arrangement__child__municipality__in=days,
        )
        .values_list("arrangement__child__municipality", "starts_on", "ends_on")
    )
    for rows in (placements, stays):
        for member_id, started_on, ended_on in rows:
            days[member_id] += days_within(started_on, ended_on, first_day, last_day)
    return days
