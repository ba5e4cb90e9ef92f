"""A user's model-wide permissions and role names, kept in the shared cache between requests.

Django computes them once per request (two queries, and a third for the roles); every
page needs them, so a logged-in page paid them on every request. Any change to who holds
what (a user's groups or permissions, a group's permissions, a group or permission
deleted) forgets them all (``fostercare.caching``; the signals are in ``fostercare.apps``).
"""

from django.contrib.auth.backends import ModelBackend

from fostercare.caching import new_version, versioned

TTL = 300


def cached_for_user(user, kind: str, compute):
    """``compute()`` for ``user`` (``kind``: "perms" or "roles"), cached until grants change."""
    return versioned("authz", f"{kind}:{user.pk}", compute, TTL)


def grants_changed(**kwargs) -> None:
    new_version("authz")


class CachedModelBackend(ModelBackend):
    """Django's model backend with its per-request permission set kept between requests."""

    def get_all_permissions(self, user_obj, obj=None):
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if not hasattr(user_obj, "_perm_cache"):
            compute = super().get_all_permissions
            user_obj._perm_cache = cached_for_user(user_obj, "perms", lambda: compute(user_obj))
        return user_obj._perm_cache
