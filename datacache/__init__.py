"""Cached reads for the dashboards, filed under the data version so that no write can leave them stale.

Every save or delete of a row of the communes and personnel apps (signals), and every bulk write
(which sends none: the import, the demo, the generator, the divisions import call bump()), raises
DataVersion.value by one inside the writer's transaction. Readers read the number first and look
for their result under it, so:

- a result is never older than the version read: once a write commits, the next read sees the new
  number and finds nothing under it, in every process (the number lives in the database; the cache
  is each process's own memory);
- it may be newer (a write committed between reading the number and computing), which is harmless.

Results are stored only outside transactions: inside one, the data read may include this
transaction's own writes, which a rollback would take back while their version number is reused.
(Tests that run in a rolled-back transaction, TestCase, therefore compute every time.)
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from django.apps import apps as registry
from django.core.cache import caches
from django.db import connection
from django.db.models import F
from django.db.models.signals import m2m_changed, post_delete, post_save

T = TypeVar("T")

WATCHED_APPS = frozenset({"communes", "personnel"})  # not kontum_posts: the version row itself
# Not data any page computes from: who may see what is read per request, never cached.
UNWATCHED_MODELS = frozenset({"personnel.userprofile"})
TIMEOUT = 3600  # seconds; results of old versions are simply never asked for again and age out
CACHE_ALIAS = "default"


def current_version() -> int:
    from datacache.models import DataVersion

    value = DataVersion.objects.filter(pk=1).values_list("value", flat=True).first()
    return value if value is not None else 0


def bump() -> None:
    """Raise the data version by one, inside the caller's transaction (one UPDATE)."""
    from datacache.models import DataVersion

    if not DataVersion.objects.filter(pk=1).update(value=F("value") + 1):
        DataVersion.objects.get_or_create(pk=1, defaults={"value": 1})


def cached(key: str, compute: Callable[[], T]) -> T:
    """compute(), or its result for the same key under the current data version."""
    if connection.in_atomic_block:
        return compute()
    store = caches[CACHE_ALIAS]
    full_key = f"kp:{current_version()}:{key}"
    found = store.get(full_key)
    if found is not None:
        return found[0]
    value = compute()
    store.set(full_key, (value,), TIMEOUT)
    return value


# ---- invalidation ------------------------------------------------------------------------------

def _watched(sender) -> bool:
    meta = getattr(sender, "_meta", None)
    if meta is None or meta.apps is not registry:  # migrations' historical models: the table may not exist yet
        return False
    if meta.app_label not in WATCHED_APPS or meta.label_lower in UNWATCHED_MODELS:
        return False
    return not meta.model_name.startswith("historical")  # history rows follow a watched row's own save


def _on_write(sender, **kwargs) -> None:
    if _watched(sender):
        bump()


def _on_m2m(sender, action, **kwargs) -> None:
    if action in ("post_add", "post_remove", "post_clear") and _watched(kwargs["model"]) and _watched(kwargs["instance"].__class__):
        bump()


def connect() -> None:
    post_save.connect(_on_write, dispatch_uid="kp-datacache-save")
    post_delete.connect(_on_write, dispatch_uid="kp-datacache-delete")
    m2m_changed.connect(_on_m2m, dispatch_uid="kp-datacache-m2m")

