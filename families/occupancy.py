"""Places taken in a family home or a provider's unit, counted by the apps that place children.

Imports point one way (families ← training ← placements), so the register cannot count
placements itself. Placements registers, in its AppConfig.ready(), one count per kind of
taken place (children placed, children reserved by an accepted proposal) for each kind of
place (``of``: a family, a provider's unit), grouped by the place; ``with_room()`` adds
them up, a subquery per place (``for_each``), or ``Family.objects.with_room_joined()``
joins each count to the families once. Like ``families.panels``, but for a figure.

For the occupancy history of days before it was recorded, placements also registers how
many children were placed on each past day (``register_placed_by_day``).
"""

from collections.abc import Callable
from datetime import date

from django.db.models import Count, Expression, IntegerField, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

# Each factory takes the keyword context given to with_room() (e.g. the request whose own
# reservation should not count) and returns the places taken counted per place
# (``counted_per``): one row per place that has any, the place under ``of``, the count ``n``.
TakenFactory = Callable[..., QuerySet]

FAMILY = "family"
PROVIDER_UNIT = "provider_unit"

_taken: dict[str, dict[str, TakenFactory]] = {FAMILY: {}, PROVIDER_UNIT: {}}

# Takes places (a queryset of families or provider units), a lookup of the place to group
# by (e.g. "kind") and two days; returns {(group, day): children placed on the day}.
PlacedByDay = Callable[..., dict[tuple[str, date], int]]
_placed_by_day: dict[str, PlacedByDay] = {}


def register_taken(name: str, factory: TakenFactory, *, of: str = FAMILY) -> None:
    _taken[of][name] = factory


def counted_per(of: str, rows: QuerySet, count: str = "*") -> QuerySet:
    """``rows`` counted per place: ``of`` (the place) and ``n`` (how many rows it has, or
    how many ``count`` values). Rows count as ``*``, so an index on the place's column
    answers alone (an index-only scan, no table rows read)."""
    return rows.order_by().values(of).annotate(n=Count(count))


def for_each(of: str, counts: QuerySet) -> Expression:
    """A place's count from ``counts`` (``counted_per``) as a subquery over the place's
    row; 0 when it has none."""
    one = counts.filter(**{of: OuterRef("pk")}).values("n")
    return Coalesce(Subquery(one, output_field=IntegerField()), Value(0))


def taken_counts(*, of: str = FAMILY, **context) -> dict[str, QuerySet]:
    """``{name: counts}`` for each registered kind of taken place (``counted_per``)."""
    return {f"{name}_count": factory(**context) for name, factory in _taken[of].items()}


def taken_expressions(*, of: str = FAMILY, **context) -> dict[str, Expression]:
    """``{name: expression}`` for each registered kind of taken place, over the place's row."""
    return {name: for_each(of, counts) for name, counts in taken_counts(of=of, **context).items()}


def taken_total(expressions: dict[str, Expression]) -> Expression:
    """The sum of the taken places (0 when nothing is registered)."""
    values = list(expressions.values())
    return sum(values[1:], values[0]) if values else no_taken()


def no_taken() -> Expression:
    return Value(0, output_field=IntegerField())


def register_placed_by_day(factory: PlacedByDay, *, of: str = FAMILY) -> None:
    _placed_by_day[of] = factory


def placed_by_day(places, group: str, first_day: date, last_day: date, *, of: str = FAMILY):
    """``{(group value, day): children placed}`` in ``places`` on each day between the two
    (both included); empty when nothing places children."""
    factory = _placed_by_day.get(of)
    return factory(places, group, first_day, last_day) if factory else {}
