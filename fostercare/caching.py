"""Values derived from rows that change rarely, kept in the shared cache under a version.

A family of values (``name``: a user's permissions and roles, the organisations' choice
lists) shares one version key; a change to their rows starts a new version, now and again
once the change commits, so that a request that read the rows before the commit and
cached them under the first new version is not believed either. Entries also expire
(``timeout``), a bound for changes made outside the ORM's signals.
"""

import uuid

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save


def _version_key(name: str) -> str:
    return f"version:{name}"


def versioned(name: str, key: str, compute, timeout: int):
    """``compute()``, from the cache when no row of ``name`` has changed since."""
    # two databases on one Redis (the demo's, the benchmark's) share primary keys
    entry_key = f"{name}:{settings.DATABASES['default']['NAME']}:{key}"
    found = cache.get_many([_version_key(name), entry_key])
    version = found.get(_version_key(name))
    if version is None:
        cache.add(_version_key(name), uuid.uuid4().hex, timeout=None)
        version = cache.get(_version_key(name))
    entry = found.get(entry_key)
    if entry is not None and entry[0] == version:
        return entry[1]
    value = compute()
    cache.set(entry_key, (version, value), timeout=timeout)
    return value


def new_version(name: str) -> None:
    """Forget every value of ``name``: now, and again when the transaction commits."""

    def start():
        cache.set(_version_key(name), uuid.uuid4().hex, timeout=None)

    start()
    transaction.on_commit(start)


def forget_on_change(name: str, *models) -> None:
    """Forget every value of ``name`` when a row of one of ``models`` is saved or deleted
    (called from the apps' ``ready()``)."""

    def changed(sender, **kwargs):
        new_version(name)

    for model in models:
        for signal, what in ((post_save, "saved"), (post_delete, "deleted")):
            signal.connect(
                changed,
                sender=model,
                weak=False,  # the receiver lives in this call only
                dispatch_uid=f"{name}.{model._meta.label}.{what}",
            )
