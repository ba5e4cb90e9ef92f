"""The kinds of person whose access log can be reported (Client Data Act 703/2023).

fostercare is the lowest layer and imports no app, so each app registers its person
models in its ``AppConfig.ready()``, like the header links (fostercare/navigation.py)::

    from fostercare.people import register_person

    register_person(
        Child,
        search_fields=["first_name", "last_name"],
        identity_field="personal_identity_code",
    )
    # Entries about a carer are also filed under the carer's family (the family page
    # shows every carer), so the carer's report includes the family's rows.
    register_person(
        Carer,
        search_fields=["first_name", "last_name", "family__name"],
        filed_under=lambda carer: [carer.family],
    )

``search_fields`` are matched with ``icontains`` (related lookups allowed); the
``identity_field`` is matched exactly with a Finnish personal identity code (hetu),
compacted and upper-cased as ``stdnum.fi.hetu`` stores it.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.db import models
from stdnum.fi import hetu


def _nothing(obj) -> list:
    return []


@dataclass(frozen=True)
class PersonKind:
    model: type[models.Model]
    search_fields: tuple[str, ...]
    identity_field: str | None = None
    # Other records whose log rows are about this person too (e.g. the carer's family).
    filed_under: Callable[[models.Model], Iterable[models.Model]] = field(default=_nothing)

    @property
    def key(self) -> str:
        return self.model._meta.label_lower

    @property
    def label(self):
        return self.model._meta.verbose_name

    def search(self, term: str) -> models.QuerySet:
        term = term.strip()
        if not term:
            return self.model.objects.none()
        if self.identity_field and hetu.is_valid(term):
            return self.model.objects.filter(**{self.identity_field: hetu.compact(term)})
        # every word must match some name field: "Aino Virtanen" finds Aino Virtanen
        found = self.model.objects.all()
        for word in term.split():
            matches = [self._matching(name, word) for name in self.search_fields]
            found = found.filter(pk__in=matches[0].union(*matches[1:]))
        return found

    def _matching(self, name: str, word: str) -> models.QuerySet:
        """The keys of the rows whose ``name`` contains ``word``, each field searched on
        its own (a trigram index each): an OR across a join reads every row."""
        if "__" in name:
            # a field of a related row, e.g. the carer's family's name: those rows first
            path, related_field = name.rsplit("__", 1)
            related = self.model
            for part in path.split("__"):
                related = related._meta.get_field(part).related_model
            rows = related.objects.filter(**{f"{related_field}__icontains": word})
            lookup = {f"{path}__in": rows.order_by().values("pk")}
        else:
            lookup = {f"{name}__icontains": word}
        return self.model.objects.filter(**lookup).order_by().values("pk")


_kinds: dict[str, PersonKind] = {}


def register_person(
    model: type[models.Model],
    *,
    search_fields: Iterable[str],
    identity_field: str | None = None,
    filed_under: Callable[[models.Model], Iterable[models.Model]] | None = None,
) -> None:
    kind = PersonKind(model, tuple(search_fields), identity_field, filed_under or _nothing)
    _kinds[kind.key] = kind


def unregister_person(model: type[models.Model]) -> None:
    _kinds.pop(model._meta.label_lower, None)


def person_kinds() -> list[PersonKind]:
    return list(_kinds.values())


def person_kind(key: str) -> PersonKind | None:
    return _kinds.get(key)


def people_search(term: str, *, limit: int = 50) -> list[tuple[PersonKind, models.Model]]:
    """Persons of every registered kind matching a name or an identity code."""
    found = []
    for kind in person_kinds():
        found += [(kind, person) for person in kind.search(term)[:limit]]
    return found
