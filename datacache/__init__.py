"""Cached reads for the dashboards, filed under the data versions so that no write can leave them stale.

There is one version number per province (AreaVersion, `area` = the province's pk), one for data that
belongs to no single province (AREA_ALL: provinces themselves, lineage between them, rows of a kind with no
way to a province) and one for officers in no province yet, which only national results read (AREA_NONE;
datacache/areas.py decides). Every save or delete of a row of the watched apps (signals),
and every bulk write (which sends none: the import, the demo, the generator, the divisions import call
bump()), raises the numbers of the provinces the row belongs to, inside the writer's transaction. A result
is filed under the numbers it depends on:

- a province's page: its own number, its lineage's (a merged province shows its predecessors' history, and
  they show the communes that came from them: Kon Tum and Quảng Ngãi read each other) and AREA_ALL's;
- a national result: the sum of all the numbers, which any write anywhere raises;
- a national result made of provinces' parts (the national dashboard's rows, cached_each()): each part under its
  own province's numbers, so a write in one province computes its part alone and serves the others as cached.

Readers read the numbers first (one query) and look for their result under them, so:

- a result is never older than the versions read: once a write commits, the next read sees the new number
  and finds nothing under it, in every process and on every server;
- it may be newer (a write committed between reading the numbers and computing), which is harmless;
- a write in one province leaves the other provinces' results where they are (issue 16).

Each number is kept per topic too (datacache/topics.py: units, staffing, plans, facilities, pipeline, follow-up): a
write raises its province's number of the topic of the row written (the signals) or of what the service names
(writing(topics=...)); a result that reads only some topics is filed under theirs (cached(topics=...)), everything
else under all of them. So a posting written in a province recomputes the dashboard's figures and leaves its plan,
milestones and facilities gaps cached. A national number is still the sum of all.

Results are stored only outside transactions: inside one, the data read may include this transaction's own
writes, which a rollback would take back while their version number is reused. (Tests that run in a
rolled-back transaction, TestCase, therefore compute every time.) With a read replica, the numbers are read
from the database the page reads (kontum_posts/dbrouting.py): a lagging replica files its results under
the older numbers it holds, never under newer ones.

Locks (issue 15, then 16). Raising a number locks its row until commit. Services enter through
`writing(*objects)`: a transaction whose first statement raises the numbers of the provinces of the objects
it is about to write, in the order of their keys, so writers in one province queue on its row before they
lock anything else and can never wait for each other in a cycle, and writers in two provinces never wait
for each other at all. Signals raise the numbers on pre_save, pre_delete and the m2m pre_* actions when the
write is inside a transaction (rows the service already holds: nobody waits); outside a transaction
(autocommit) each statement commits on its own, so the number goes up after the write (post_*): raised
before, a reader could file the old data under the new number. A write that reaches a province its service
did not name (an officer posted in two provinces) locks that row then, the one way left to a wait.
"""

from __future__ import annotations

import contextvars
import logging
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import TypeVar

from django.apps import apps as registry
from django.core.cache import caches
from django.db import connection, connections, router, transaction
from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save, pre_delete, pre_save

from datacache import topics as topics_
from datacache.areas import AREA_ALL, fallback_area, instance_provinces, rows_provinces
from datacache.topics import topic_of

T = TypeVar("T")
logger = logging.getLogger(__name__)

# not kontum_posts: the version rows themselves
WATCHED_APPS = frozenset({"communes", "personnel", "followup", "pipeline", "facilities", "roadmap"})
# Not data any page computes from: who may see what is read per request, never cached; logs and uploads.
UNWATCHED_MODELS = frozenset({"personnel.userprofile", "personnel.accessevent", "personnel.importpreview"})
TIMEOUT = 3600  # seconds; results of old versions are simply never asked for again and age out
WAIT_FOR_OTHER = 2.0  # seconds a request waits for another computing the same result before computing it itself
CACHE_ALIAS = "default"
TABLE = "datacache_areaversion"


def _read_alias() -> str:
    from datacache.models import AreaVersion

    return router.db_for_read(AreaVersion)


_request_versions: contextvars.ContextVar[dict | None] = contextvars.ContextVar("kp_request_versions", default=None)


@contextmanager
def one_reading_per_request() -> Iterator[None]:
    """Within: the version numbers are read once (per database) and every cached read uses them, until a write
    raises any (bump() forgets them). A page made of several cached parts reads the numbers once, not once a part
    (~1 ms each at national scale: some 500 rows); it is as if the request read them all at its start, which the
    module's rule allows (a result may be newer than its numbers, never older). DataVersionsMiddleware, per request."""
    token = _request_versions.set({})
    try:
        yield
    finally:
        _request_versions.reset(token)


def _versions(alias: str) -> dict[tuple[int, int], int]:
    """The numbers a cached read files under: the outer result's (a result cached while computing another), the
    request's (one_reading_per_request), or read now."""
    if (outer := _versions_read.get()) is not None:
        return outer
    memo = _request_versions.get()
    if memo is None:
        return topic_versions()
    if alias not in memo:
        memo[alias] = topic_versions()
    return memo[alias]


def topic_versions() -> dict[tuple[int, int], int]:
    """Every version number, by (area, topic) (areas: AREA_ALL and the provinces' pks): one query."""
    from datacache.models import AreaVersion

    return {(area, topic): value for area, topic, value
            in AreaVersion.objects.using(_read_alias()).values_list("area", "topic", "value")}


def current_versions() -> dict[int, int]:
    """Each area's number: the sum of its topics' (any write there raises it)."""
    by_area: dict[int, int] = {}
    for (area, _topic), value in topic_versions().items():
        by_area[area] = by_area.get(area, 0) + value
    return by_area


def current_version() -> int:
    """The national number: the sum of all, which any write raises (rows are never deleted, numbers never fall)."""
    return sum(topic_versions().values())


def bump(areas: Iterable[int] = (AREA_ALL,), topics: Iterable[int] = topics_.ALL) -> None:
    """Raise the numbers of `areas` (province pks; AREA_ALL by default) by one, for `topics` (all by default),
    inside the caller's transaction.

    One statement, in the order of the keys: the rows a writer locks are always locked in the same order.
    A row that does not exist yet (a new province, a flushed test database) is created at 1.
    """
    keys = sorted({(int(a), int(t)) for a in areas if a is not None for t in topics})
    if not keys:
        return
    if (memo := _request_versions.get()) is not None:
        memo.clear()  # this request's next cached read reads the numbers again, this write's among them
    values = ", ".join(["(%s, %s, 1)"] * len(keys))
    # Only placeholders and the constant table name are formatted in; the keys are parameters.
    sql = (f"INSERT INTO {TABLE} (area, topic, value) VALUES {values} "  # noqa: S608
           f"ON CONFLICT (area, topic) DO UPDATE SET value = {TABLE}.value + 1")
    with connection.cursor() as cursor:
        cursor.execute(sql, [k for key in keys for k in key])


def provinces_of(*objects) -> set[int]:
    """The version rows a write of these objects raises (a Province, or an int, stands for that province)."""
    found: set[int] = set()
    for obj in objects:
        if obj is None:
            continue
        if isinstance(obj, int):
            found.add(obj)
        elif obj._meta.label_lower == "communes.province":
            found.add(obj.pk)
        else:
            found |= instance_provinces(obj)
    return found


@contextmanager
def writing(*objects, topics: Iterable[int] = topics_.ALL) -> Iterator[None]:
    """The one way into a write transaction of the watched apps: atomic, the rows of the provinces of
    `objects` (what the service is about to write, or the province it writes in) locked first, for `topics`
    (what it writes: all by default; a row of another topic it saves raises that one through the signals).

    Nested uses raise the numbers again inside the same transaction (rows it already holds: nobody waits).
    """
    with transaction.atomic():
        bump(provinces_of(*objects), topics) if objects else None
        yield


# ---- areas: which provinces read each other ------------------------------------------------------

_versions_read: contextvars.ContextVar[dict | None] = contextvars.ContextVar("kp_versions_read", default=None)
_areas_lock = threading.Lock()
_areas: dict = {"version": None, "linked": {}, "codes": {}}


def _area_map(everywhere_version: int | None, alias: str) -> dict:
    """Provinces linked by lineage (each one's whole group) and the pks bearing each code, for a version of
    AREA_ALL's units (lineage and provinces change only with it); two queries per process per change."""
    with _areas_lock:
        if _areas["version"] == everywhere_version and _areas.get("alias") == alias:
            return _areas
    province = registry.get_model("communes.province")
    lineage = registry.get_model("communes.provincelineage")
    pairs = list(province.objects.using(alias).values_list("pk", "code"))
    parent = {pk: pk for pk, _code in pairs}

    def root(pk):
        while parent.setdefault(pk, pk) != pk:
            parent[pk] = parent[parent[pk]]
            pk = parent[pk]
        return pk

    for a, b in lineage.objects.using(alias).values_list("predecessor_id", "successor_id"):
        parent[root(a)] = root(b)
    groups: dict[int, set[int]] = {}
    for pk in parent:
        groups.setdefault(root(pk), set()).add(pk)
    codes: dict[int, set[int]] = {}
    for pk, code in pairs:
        codes.setdefault(code, set()).add(pk)
    fresh = {"version": everywhere_version, "alias": alias,
             "linked": {pk: frozenset(groups[root(pk)]) for pk in parent}, "codes": codes}
    # Kept only when read outside a transaction, as results are (cached()): inside one, it may hold the
    # transaction's own lineage, which a rollback takes back while the number it was read under is used again.
    if not connections[alias].in_atomic_block:
        with _areas_lock:
            _areas.update(fresh)
    return fresh


def forget_areas(**_kwargs) -> None:
    """Read the lineage again at the next use: after a migrate or a flush (tests), whose numbers start again."""
    with _areas_lock:
        _areas.update({"version": None, "alias": None, "linked": {}, "codes": {}})


def lineage_of(*province_pks: int) -> set[int]:
    """The provinces linked to these by lineage (themselves included): what a reorganisation writes in."""
    linked = _area_map(topic_versions().get((AREA_ALL, topics_.UNITS)), "default")["linked"]
    return set().union(*(linked.get(pk, {pk}) for pk in province_pks)) if province_pks else set()


def _tag(versions: dict[tuple[int, int], int], provinces: Iterable[int] | None, codes: Iterable[int] | None,
         alias: str, topics: tuple[int, ...]) -> str:
    def numbers(area: int) -> str:
        return ".".join(str(versions.get((area, t), 0)) for t in topics)

    if provinces is None and codes is None:
        return f"n{sum(v for (_a, t), v in versions.items() if t in topics)}"
    # Provinces and lineage between them are units of what belongs to no province.
    areas = _area_map(versions.get((AREA_ALL, topics_.UNITS)), alias)
    pks = set(provinces or ())
    for code in codes or ():
        pks |= areas["codes"].get(code, set())
    linked = set()
    for pk in pks:
        linked |= areas["linked"].get(pk, {pk})
    return f"a{numbers(AREA_ALL)}:" + ",".join(f"{pk}={numbers(pk)}" for pk in sorted(linked))


def cached(key: str, compute: Callable[[], T], *, provinces: Iterable[int] | None = None,
           codes: Iterable[int] | None = None, topics: Iterable[int] | None = None) -> T:
    """compute(), or its result for the same key under the current versions of what it reads.

    `provinces` (pks) or `codes` (province codes, every province that bore them): a province's result, filed
    under those provinces' numbers, their lineage's and AREA_ALL's. Neither: a national result, under all.
    `topics` (datacache.topics): only those topics' numbers, for a result that reads nothing else; all by default.
    """
    alias = _read_alias()
    if connections[alias].in_atomic_block or connection.in_atomic_block:
        return compute()
    store = caches[CACHE_ALIAS]
    versions = _versions(alias)
    read = tuple(sorted(set(topics))) if topics is not None else topics_.ALL
    full_key = f"kp:{_tag(versions, provinces, codes, alias, read)}:{key}"
    try:
        found = store.get(full_key)
    except Exception:
        logger.warning("the cache did not answer; computing", exc_info=True)
        return compute()
    if found is not None:
        return found[0]
    # One request computes a missing result; the others asking for it meanwhile (every server's, after a write)
    # wait for it, up to WAIT_FOR_OTHER, instead of computing it each: under load they would only queue for the CPU.
    computing = f"{full_key}:computing"
    try:
        mine = store.add(computing, 1, WAIT_FOR_OTHER * 2)
    except Exception:
        logger.warning("the cache did not answer; computing", exc_info=True)
        mine = True
    if not mine and (found := _wait_for(store, full_key)) is not None:
        return found[0]
    token = _versions_read.set(versions)
    try:
        value = compute()
        try:
            store.set(full_key, (value,), TIMEOUT)
        except Exception:
            logger.warning("the cache did not take a result", exc_info=True)
    finally:
        _versions_read.reset(token)
        if mine:  # done, or failed (a 404 raised inside): nobody waits for a result that is not coming
            _release(store, computing)
    return value


def cached_each(key: str, pks: Iterable[int], compute: Callable[[list[int]], dict[int, T]], *,
                topics: Iterable[int] | None = None) -> dict[int, T]:
    """For each province pk, what cached(f"{key}:{pk}", ..., provinces=[pk]) would give, in one round trip to the
    cache: those missing are computed together, by one call of compute(their pks), which returns each one's result.

    A national result made of provinces' parts (the national dashboard's rows): after a write in one province,
    only its part (and its lineage's) is computed again, and the rest is served as cached.
    """
    pks = list(dict.fromkeys(pks))
    alias = _read_alias()
    if connections[alias].in_atomic_block or connection.in_atomic_block:
        return compute(pks)
    store = caches[CACHE_ALIAS]
    versions = _versions(alias)
    read = tuple(sorted(set(topics))) if topics is not None else topics_.ALL
    keys = {pk: f"kp:{_tag(versions, [pk], None, alias, read)}:{key}:{pk}" for pk in pks}
    try:
        found = store.get_many(list(keys.values()))
    except Exception:
        logger.warning("the cache did not answer; computing", exc_info=True)
        return compute(pks)
    results = {pk: found[full_key][0] for pk, full_key in keys.items() if full_key in found}
    missing = [pk for pk in pks if pk not in results]
    if missing:
        token = _versions_read.set(versions)
        try:
            fresh = compute(missing)
        finally:
            _versions_read.reset(token)
        try:
            store.set_many({keys[pk]: (fresh[pk],) for pk in missing}, TIMEOUT)
        except Exception:
            logger.warning("the cache did not take a result", exc_info=True)
        results.update(fresh)
    return results


def _release(store, computing: str) -> None:
    try:
        store.delete(computing)
    except Exception:
        logger.warning("the cache did not answer", exc_info=True)


def _wait_for(store, full_key: str):
    """The result another request is computing, once stored; None if it takes longer than WAIT_FOR_OTHER."""
    deadline = time.monotonic() + WAIT_FOR_OTHER
    while time.monotonic() < deadline:
        time.sleep(0.01)
        try:
            found = store.get(full_key)
        except Exception:
            logger.warning("the cache did not answer; computing", exc_info=True)
            return None
        if found is not None:
            return found
    return None


# ---- invalidation ------------------------------------------------------------------------------

def _watched(sender) -> bool:
    meta = getattr(sender, "_meta", None)
    if meta is None or meta.apps is not registry:  # migrations' historical models: the table may not exist yet
        return False
    if meta.app_label not in WATCHED_APPS or meta.label_lower in UNWATCHED_MODELS:
        return False
    return not meta.model_name.startswith("historical")  # history rows follow a watched row's own save


def _before_write(sender, instance, **kwargs) -> None:
    # Inside a transaction: the version rows before the row written (see the module's docstring). The
    # provinces are noted on the instance: after a delete or a move, the stored row can no longer say them.
    if _watched(sender):
        # A row that reaches no province: every province's (AREA_ALL), or the national results' only (an officer
        # with no unit and no posting yet: AREA_NONE).
        instance._datacache_areas = (instance_provinces(instance) - {None}) or {fallback_area(sender)}
        if connection.in_atomic_block:
            bump(instance._datacache_areas, (topic_of(sender),))


def _after_write(sender, instance, **kwargs) -> None:
    # Autocommit: the write has committed; the numbers go up after it (the new row's and the old one's).
    if not connection.in_atomic_block and _watched(sender):
        # noted on pre_*: the row as it was about to be written and as it was stored
        areas = getattr(instance, "_datacache_areas", None)
        bump(areas if areas is not None else (instance_provinces(instance) - {None}) or {fallback_area(sender)},
             (topic_of(sender),))


def _on_m2m(sender, action, **kwargs) -> None:
    if not (_watched(kwargs["model"]) and _watched(kwargs["instance"].__class__)):
        return
    before = action in ("pre_add", "pre_remove", "pre_clear")
    after = action in ("post_add", "post_remove", "post_clear")
    if (before and connection.in_atomic_block) or (after and not connection.in_atomic_block):
        instance, model, pks = kwargs["instance"], kwargs["model"], kwargs.get("pk_set") or ()
        areas = instance_provinces(instance)
        if kwargs.get("reverse"):  # instance is the commune side: the rows of `model` it is added to or removed from
            areas |= rows_provinces(model, pks) if pks else {AREA_ALL}
        elif pks:
            areas |= rows_provinces(model, pks)
        elif action.endswith("clear"):
            areas |= {AREA_ALL}  # a clear names no rows: every province
        bump((areas - {None}) or {AREA_ALL}, (topic_of(sender),))


def connect() -> None:
    pre_save.connect(_before_write, dispatch_uid="kp-datacache-pre-save")
    pre_delete.connect(_before_write, dispatch_uid="kp-datacache-pre-delete")
    post_save.connect(_after_write, dispatch_uid="kp-datacache-save")
    post_delete.connect(_after_write, dispatch_uid="kp-datacache-delete")
    m2m_changed.connect(_on_m2m, dispatch_uid="kp-datacache-m2m")
    # A flush sends post_migrate unless told not to (a TransactionTestCase with available_apps or serialized_rollback,
    # which this suite has none of): such a flush would leave the lineage map of the numbers before it.
    post_migrate.connect(forget_areas, dispatch_uid="kp-datacache-forget-areas")

