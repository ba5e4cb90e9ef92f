"""Places taken in a family home, counted by the apps that place children.

Imports point one way (families ← training ← placements), so the register cannot count
placements itself. Placements registers, in its AppConfig.ready(), one expression per kind
of taken place (children placed, children reserved by an accepted proposal);
``Family.objects.with_room()`` adds them up. Like ``families.panels``, but for a figure.
"""

from collections.abc import Callable

from django.db.models import Expression, IntegerField, Value

# Each factory takes the keyword context given to with_room() (e.g. the request whose own
# reservation should not count) and returns an integer expression over the family row.
TakenFactory = Callable[..., Expression]

_taken: dict[str, TakenFactory] = {}


def register_taken(name: str, factory: TakenFactory) -> None:
    _taken[name] = factory


def taken_expressions(**context) -> dict[str, Expression]:
    """``{name: expression}`` for each registered kind of taken place."""
    return {f"{name}_count": factory(**context) for name, factory in _taken.items()}


def no_taken() -> Expression:
    return Value(0, output_field=IntegerField())
