"""Who may see or change which rows: one entry per model.

Every model holding personal or financial data gets its manager from
``RestrictedQuerySet``, and ``Model.objects.visible_to(user, action)`` is the only place
that decides which rows a user may view or change (netbox's ``restrict(user, action)``).
The default is the model-wide permission: all rows with it, none without. An app whose
users see part of a table (placements: a municipal worker sees their own municipality's
children) overrides ``granted_to`` on its model's queryset, in the app's ``access.py``,
beside the app's ``may_*`` predicates.

Views, selectors, template tags, forms' choice querysets, admin querysets and exports
load through ``visible_to``; ``get_visible_or_404`` gives the 404 that hides another
municipality's objects.
"""

from typing import Literal

from django.db import models
from django.http import Http404

Action = Literal["view", "add", "change", "delete"]


def permission_name(model: type[models.Model], action: Action) -> str:
    """The model-wide permission for ``action``, e.g. ``families.view_family``."""
    return f"{model._meta.app_label}.{action}_{model._meta.model_name}"


def may(user, action: Action, model: type[models.Model]) -> bool:
    """Whether ``user`` holds the model-wide permission for ``action`` on ``model``."""
    return user.has_perm(permission_name(model, action))


def is_municipal_worker_of_member(user) -> bool:
    """A municipal social worker with an organisation: they see their own municipality's
    rows through ``granted_to``. Municipal workers hold no model-wide permissions, so the
    permission cache (already loaded by the checks before) rules out everyone else before
    the role costs a query."""
    return bool(
        user.is_authenticated
        and user.organisation_id
        and not user.get_all_permissions()
        and user.is_municipal_worker
    )


class RestrictedQuerySet(models.QuerySet):
    def visible_to(self, user, action: Action = "view") -> "RestrictedQuerySet":
        """The rows ``user`` may ``action``: every row with the model-wide permission,
        otherwise what ``granted_to`` grants (nothing unless the model says otherwise)."""
        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        if may(user, action, self.model):
            return self.all()
        return self.granted_to(user, action)

    def granted_to(self, user, action: Action) -> "RestrictedQuerySet":
        """Rows granted to a user who lacks the model-wide permission; override per model."""
        return self.none()


def get_visible_or_404(queryset: RestrictedQuerySet, user, action: Action = "view", **lookup):
    """The one object matching ``lookup`` that ``user`` may ``action``, else 404.

    A 404 (never 403) for another municipality's object, so ids reveal nothing.
    """
    try:
        return queryset.visible_to(user, action).get(**lookup)
    except queryset.model.DoesNotExist as exc:
        raise Http404 from exc
