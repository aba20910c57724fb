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

The version row is the first lock of every write transaction. Raising it locks the row until
commit, so writers already queued on it; when a writer took it last, after locking other rows
(an officer, a posting, a cell), two writers could each hold what the other waited for: a deadlock
(issue 15). So the number goes up *before* the write, in the same transaction:

- services enter through `writing()`: a transaction whose first statement raises the version;
- signals raise it on pre_save, pre_delete and the m2m pre_* actions when the write is inside a
  transaction (the admin's, a service's, `atomic()`), so even a write outside the services locks
  the version row before the row it writes; outside a transaction (autocommit) each statement
  commits on its own and holds no lock for long, so the number goes up after the write (post_*),
  as it always did: raised before, a reader could file the old data under the new number;
- bulk paths call bump() (or enter through writing()) before their first insert.

Writers of these apps therefore queue on one row and never wait for each other in a cycle. The
guarantee above is unchanged: the number still goes up in the writer's own transaction (or, in
autocommit, after its write), so it is never behind the last commit. The cost is that writes of
the watched apps run one at a time from their first statement (they already did from their
first save); at the load run's 70 writes a second this is not what users wait for.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TypeVar

from django.apps import apps as registry
from django.core.cache import caches
from django.db import connection, transaction
from django.db.models import F
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save

T = TypeVar("T")

WATCHED_APPS = frozenset({"communes", "personnel", "facilities"})  # not kontum_posts: the version row itself
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
        # The row is missing (a flushed test database): create it, then raise it, which takes its lock
        # even when another writer created it a moment before.
        DataVersion.objects.get_or_create(pk=1, defaults={"value": 0})
        DataVersion.objects.filter(pk=1).update(value=F("value") + 1)


@contextmanager
def writing() -> Iterator[None]:
    """The one way into a write transaction of the watched apps: atomic, the version row locked first.

    Services enter here; nested uses raise the version again inside the same transaction (its row is
    already this transaction's, so they wait for nobody).
    """
    with transaction.atomic():
        bump()
        yield


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


def _before_write(sender, **kwargs) -> None:
    # Inside a transaction: the version row before the row written (see the module's docstring).
    if connection.in_atomic_block and _watched(sender):
        bump()


def _after_write(sender, **kwargs) -> None:
    # Autocommit: the write has committed; the number goes up after it.
    if not connection.in_atomic_block and _watched(sender):
        bump()


def _on_m2m(sender, action, **kwargs) -> None:
    if not (_watched(kwargs["model"]) and _watched(kwargs["instance"].__class__)):
        return
    before = action in ("pre_add", "pre_remove", "pre_clear")
    after = action in ("post_add", "post_remove", "post_clear")
    if (before and connection.in_atomic_block) or (after and not connection.in_atomic_block):
        bump()


def connect() -> None:
    pre_save.connect(_before_write, dispatch_uid="kp-datacache-pre-save")
    pre_delete.connect(_before_write, dispatch_uid="kp-datacache-pre-delete")
    post_save.connect(_after_write, dispatch_uid="kp-datacache-save")
    post_delete.connect(_after_write, dispatch_uid="kp-datacache-delete")
    m2m_changed.connect(_on_m2m, dispatch_uid="kp-datacache-m2m")

