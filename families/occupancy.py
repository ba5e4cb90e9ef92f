"""Places taken in a family home or a provider's unit, counted by the apps that place children.

Imports point one way (families ← training ← placements), so the register cannot count
placements itself. Placements registers, in its AppConfig.ready(), one expression per kind
of taken place (children placed, children reserved by an accepted proposal) for each kind
of place (``of``: a family, a provider's unit); ``Family.objects.with_room()`` and
``ProviderUnit.objects.with_room()`` add them up. Like ``families.panels``, but for a figure.
"""

from collections.abc import Callable

from django.db.models import Expression, IntegerField, Value

# Each factory takes the keyword context given to with_room() (e.g. the request whose own
# reservation should not count) and returns an integer expression over the place's row.
TakenFactory = Callable[..., Expression]

FAMILY = "family"
PROVIDER_UNIT = "provider_unit"

_taken: dict[str, dict[str, TakenFactory]] = {FAMILY: {}, PROVIDER_UNIT: {}}


def register_taken(name: str, factory: TakenFactory, *, of: str = FAMILY) -> None:
    _taken[of][name] = factory


def taken_expressions(*, of: str = FAMILY, **context) -> dict[str, Expression]:
    """``{name: expression}`` for each registered kind of taken place."""
    return {f"{name}_count": factory(**context) for name, factory in _taken[of].items()}


def taken_total(expressions: dict[str, Expression]) -> Expression:
    """The sum of the taken places (0 when nothing is registered)."""
    values = list(expressions.values())
    return sum(values[1:], values[0]) if values else no_taken()


def no_taken() -> Expression:
    return Value(0, output_field=IntegerField())
