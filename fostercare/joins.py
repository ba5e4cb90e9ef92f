"""Joining a grouped query to a queryset's rows, which Django's ORM has no words for.

A figure counted per row as a correlated subquery (``Subquery(... OuterRef("pk"))``) runs
once for every row: right for a page of rows, slow for a summary over thousands, where
PostgreSQL would rather count every row's at once and join them by hash. ``join_counts``
gives the same counts that way: ``LEFT OUTER JOIN (<counts>) ON <counts>.<key> = <row>.id``.
"""

from django.db.models import Expression, IntegerField, QuerySet, Value
from django.db.models.functions import Coalesce
from django.db.models.sql.constants import LOUTER


class _CountsJoin:
    """An entry of ``Query.alias_map``: the grouped query, joined by its foreign key's
    column to the row it points at (``django.db.models.sql.datastructures.Join``'s
    interface)."""

    join_type = LOUTER
    nullable = True
    filtered_relation = None

    def __init__(self, counts: QuerySet, key: str, parent_alias: str, table_alias: str, name=None):
        self.counts, self.key = counts, key
        self.parent_alias, self.table_alias = parent_alias, table_alias
        self.table_name = name or table_alias  # the first alias, as Query.table_map knows it

    def as_sql(self, compiler, connection):
        sql, params = self.counts.query.get_compiler(connection=connection).as_sql()
        quote = connection.ops.quote_name
        alias = compiler.quote_name_unless_alias(self.table_alias)
        parent = compiler.quote_name_unless_alias(self.parent_alias)
        # values(key) names the foreign key's column after the key
        target = self.counts.model._meta.get_field(self.key).target_field.column
        on = f"{alias}.{quote(self.key)} = {parent}.{quote(target)}"
        return f"LEFT OUTER JOIN ({sql}) {alias} ON ({on})", params

    def relabeled_clone(self, change_map):
        return _CountsJoin(
            self.counts,
            self.key,
            change_map.get(self.parent_alias, self.parent_alias),
            change_map.get(self.table_alias, self.table_alias),
            self.table_name,
        )

    def demote(self):
        return self

    promote = demote


class _Count(Expression):
    """The ``n`` of a joined row of counts."""

    output_field = IntegerField()

    def __init__(self, alias: str):
        super().__init__()
        self.alias = alias

    def as_sql(self, compiler, connection):
        alias = compiler.quote_name_unless_alias(self.alias)
        return f"{alias}.{connection.ops.quote_name('n')}", []

    def relabeled_clone(self, change_map):
        return _Count(change_map.get(self.alias, self.alias))

    def get_group_by_cols(self):
        return [self]


def join_counts(queryset: QuerySet, name: str, counts: QuerySet, key: str) -> Expression:
    """Join ``counts`` (one row per ``key``, a foreign key to ``queryset``'s model, with its
    count ``n``) to ``queryset`` (changed in place: pass a clone) and return each row's
    count, 0 where it has none."""
    query = queryset.query
    parent = query.get_initial_alias()
    field = counts.model._meta.get_field(key)
    if field.remote_field.model is not queryset.model:
        raise ValueError(f"{key} does not point at {queryset.model.__name__}")
    alias = f"{name}_join"
    query.alias_map[alias] = _CountsJoin(counts, key, parent, alias)
    query.alias_refcount[alias] = 1
    query.table_map[alias] = [alias]
    return Coalesce(_Count(alias), Value(0))
