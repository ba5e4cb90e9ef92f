"""A user's model-wide permissions and role names, kept in the shared cache between requests.

Django computes them once per request (two queries, and a third for the roles); every
page needs them, so a logged-in page paid them on every request. The cache holds them per
user under one version: any change to who holds what (a user's groups or permissions, a
group's permissions, a group or permission deleted) starts a new version once it commits,
so no request sees an entry older than the grants it would read from the database. The
entries also expire, a bound for changes made outside the ORM (``TTL``).
"""

import uuid

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.core.cache import cache
from django.db import transaction

TTL = 300
_VERSION = "authz:version"


def _key(kind: str, user) -> str:
    # two databases on one Redis (the demo's, the benchmark's) share user ids
    return f"authz:{settings.DATABASES['default']['NAME']}:{kind}:{user.pk}"


def cached_for_user(user, kind: str, compute):
    """``compute()`` for ``user``, from the cache when no grant has changed since."""
    key = _key(kind, user)
    found = cache.get_many([_VERSION, key])
    version = found.get(_VERSION)
    if version is None:
        cache.add(_VERSION, uuid.uuid4().hex, timeout=None)
        version = cache.get(_VERSION)
    entry = found.get(key)
    if entry is not None and entry[0] == version:
        return entry[1]
    value = compute()
    cache.set(key, (version, value), timeout=TTL)
    return value


def grants_changed(**kwargs) -> None:
    """Start a new version now and again once the change commits: a request that read
    the grants before the commit may have cached them under the first (``fostercare.apps``)."""

    def new_version():
        cache.set(_VERSION, uuid.uuid4().hex, timeout=None)

    new_version()
    transaction.on_commit(new_version)


class CachedModelBackend(ModelBackend):
    """Django's model backend with its per-request permission set kept between requests."""

    def get_all_permissions(self, user_obj, obj=None):
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if not hasattr(user_obj, "_perm_cache"):
            compute = super().get_all_permissions
            user_obj._perm_cache = cached_for_user(user_obj, "perms", lambda: compute(user_obj))
        return user_obj._perm_cache
