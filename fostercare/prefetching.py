"""Reading a related set only where a row has some."""

from django.db.models import Prefetch, QuerySet, prefetch_related_objects


def prefetch_where_some(instance, **sets: tuple[QuerySet, bool]):
    """Prefetch each related set ``name=(queryset, has_some)`` of ``instance``: from its
    queryset where the instance has some (e.g. an ``Exists`` annotated on its row), and
    as empty where it has none, without a query (an empty queryset is answered without
    the database; the model's plain one, as filtering the user's visible rows by the
    instance was most of the time an empty set took). A detail page whose row says it
    has no proposals, say, does not ask for them; ``instance.<name>.all()`` reads the
    same either way."""
    prefetch_related_objects(
        [instance],
        *(
            Prefetch(name, queryset=queryset if some else queryset.model._base_manager.none())
            for name, (queryset, some) in sets.items()
        ),
    )
    return instance
