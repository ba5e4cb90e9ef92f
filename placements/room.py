"""The places that placements take in a family home or a provider's unit, for
``Family.objects.with_room()`` and ``ProviderUnit.objects.with_room()``.

Registered in ``PlacementsConfig.ready()`` (families does not import placements). One
definition for both kinds of place: children placed now, and children of requests that
accepted the place and are not yet placed.
"""

from collections import defaultdict
from datetime import date, timedelta

from django.db.models import QuerySet

from families.occupancy import counted_per
from placements.care_days import overlapping
from placements.models import Placement, PlacementRequest, PlacementType, Proposal

# A place accepted for a request keeps its places for that request's children until they
# are placed (or the request is withdrawn): accepting reserves them.
RESERVING_STATUSES = (PlacementRequest.Status.ACCEPTED, PlacementRequest.Status.DECIDED)


def _placed(field: str) -> QuerySet:
    return counted_per(field, Placement.objects.active())


def _reserved(field: str, excluding_request: PlacementRequest | None) -> QuerySet:
    accepted = Proposal.objects.filter(
        accepted=True, request__status__in=RESERVING_STATUSES
    ).exclude(
        # a support family takes the child on dated stays, checked one by one: accepting
        # it reserves no place (placements.support)
        request__placement_type=PlacementType.SUPPORT_FAMILY
    )
    if excluding_request is not None and excluding_request.pk:
        accepted = accepted.exclude(request=excluding_request)
    return counted_per(field, accepted, "request__children")


def placed_children(**context) -> QuerySet:
    """Children placed in the family now."""
    return _placed("family")


def reserved_children(*, excluding_request: PlacementRequest | None = None, **context):
    """Children of requests that accepted the family and are not yet placed; the places of
    ``excluding_request`` itself (the one being matched or placed) do not count."""
    return _reserved("family", excluding_request)


def placed_in_unit(**context) -> QuerySet:
    """Children placed in the provider's unit now."""
    return _placed("provider_unit")


def reserved_in_unit(*, excluding_request: PlacementRequest | None = None, **context):
    """Children of requests that accepted the unit and are not yet placed."""
    return _reserved("provider_unit", excluding_request)


def _placed_by_day(field: str, places, group: str, first_day: date, last_day: date):
    """Children in placement in ``places`` on each day between the two, by the place's
    ``group`` lookup: a day counts when the child is placed on it, the first and last day
    included (as care days count, ``placements.care_days``). One query; a running sum of
    the starts and ends, so the time does not grow with the days times the placements."""
    rows = (
        overlapping(Placement.objects.filter(**{f"{field}__in": places}), first_day, last_day)
        .order_by()
        .values_list(f"{field}__{group}", "started_on", "ended_on")
    )
    days = (last_day - first_day).days + 1
    change: dict[str, list[int]] = defaultdict(lambda: [0] * (days + 1))
    for key, started_on, ended_on in rows:
        change[key][max((started_on - first_day).days, 0)] += 1
        last = min(ended_on or last_day, last_day)
        change[key][(last - first_day).days + 1] -= 1
    counts = {}
    for key, steps in change.items():
        placed = 0
        for i in range(days):
            placed += steps[i]
            counts[(key, first_day + timedelta(days=i))] = placed
    return counts


def placed_by_day_in_families(places, group, first_day, last_day):
    """Children placed in the families each day (the occupancy history's past days)."""
    return _placed_by_day("family", places, group, first_day, last_day)


def placed_by_day_in_units(places, group, first_day, last_day):
    """Children placed in the provider units each day."""
    return _placed_by_day("provider_unit", places, group, first_day, last_day)
