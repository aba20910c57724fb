"""A read replica (DATABASE_REPLICA_URL): the read-only pages read it, everything else the primary (issue 16).

- Which pages: GET and HEAD requests outside the editing pages (/manage/, /admin/, the account pages), so a form
  that is about to be submitted is always read at the primary's version. Writes always go to the primary, and
  so does every read inside a transaction.
- Read your writes: after a request that may have written (any other method), the response carries the primary's
  WAL position in a cookie; the next pages read the replica only once it has replayed that far, then the cookie
  goes. Someone who just saved a posting sees it, on whichever server their next request lands.
- A replica that stops: the check before a page (at most once a second per process, or on each page while the
  cookie waits) fails quickly (a short connect timeout), the replica is left alone for a few seconds and the
  pages read the primary; a page whose replica query fails midway is computed again on the primary.
- The data versions (datacache) are read from the same database as the page, so a lagging replica files its
  results under the older numbers it holds, never under newer ones.
"""

from __future__ import annotations

import contextvars
import logging
import re
import threading
import time

from django.conf import settings
from django.db import DatabaseError, OperationalError, connections

logger = logging.getLogger(__name__)

REPLICA = "replica"
PRIMARY = "default"
COOKIE = "kp_wal"
RETRY_AFTER = 5.0  # seconds a replica that failed is left alone
CHECK_EVERY = 1.0  # seconds between health checks of a replica that answered
PRIMARY_ONLY = ("/manage/", "/admin/", "/accounts/", "/healthz")
LSN = re.compile(r"^[0-9A-F]{1,8}/[0-9A-F]{1,8}$")

_reading = contextvars.ContextVar("kp_read_replica", default=False)
_health = {"down_until": 0.0, "checked": 0.0}
_health_lock = threading.Lock()


def replica_configured() -> bool:
    return REPLICA in settings.DATABASES


class ReplicaRouter:
    """Reads of a read-only page go to the replica; writes, and reads inside a transaction, to the primary."""

    def db_for_read(self, model, **hints):
        if _reading.get() and not connections[PRIMARY].in_atomic_block:
            return REPLICA
        return PRIMARY

    def db_for_write(self, model, **hints):
        return PRIMARY

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the same data

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == PRIMARY


def _mark_down() -> None:
    with _health_lock:
        _health["down_until"] = time.monotonic() + RETRY_AFTER
    try:
        connections[REPLICA].close()
    except DatabaseError:
        pass


def replica_position(alias: str = REPLICA) -> str | None:
    """The WAL position the replica has replayed (None when it does not answer)."""
    try:
        with connections[alias].cursor() as cursor:
            cursor.execute("SELECT pg_last_wal_replay_lsn()::text")
            return cursor.fetchone()[0]
    except DatabaseError:
        logger.warning("the read replica did not answer; reading the primary", exc_info=True)
        _mark_down()
        return None


def _replica_has(position: str) -> bool:
    """Whether the replica has replayed the primary's WAL up to `position` (False when it does not answer)."""
    try:
        with connections[REPLICA].cursor() as cursor:
            cursor.execute("SELECT pg_wal_lsn_diff(pg_last_wal_replay_lsn(), %s::pg_lsn) >= 0", [position])
            return bool(cursor.fetchone()[0])
    except DatabaseError:
        logger.warning("the read replica did not answer; reading the primary", exc_info=True)
        _mark_down()
        return False


def _replica_usable(request) -> bool:
    now = time.monotonic()
    if now < _health["down_until"]:
        return False
    waiting = request.COOKIES.get(COOKIE, "")
    if LSN.match(waiting):
        request._kp_replica_caught_up = _replica_has(waiting)
        return request._kp_replica_caught_up
    if now - _health["checked"] >= CHECK_EVERY:
        if replica_position() is None:
            return False
        _health["checked"] = now
    return True


def primary_position(*, inserted: bool = False) -> str | None:
    """The primary's WAL position: written (what a replica can have received), or `inserted`, which includes
    every record this session has committed even while it waits in the WAL buffers (synchronous_commit off):
    read-your-writes waits for that one, the written one could lie before the user's own commit."""
    function = "pg_current_wal_insert_lsn" if inserted else "pg_current_wal_lsn"
    try:
        with connections[PRIMARY].cursor() as cursor:
            cursor.execute(f"SELECT {function}()::text")
            return cursor.fetchone()[0]
    except DatabaseError:
        return None


class ReplicaMiddleware:
    """Routes a read-only page to the replica when it is up and has the user's writes; see the module's docstring.

    Last in MIDDLEWARE: its process_view runs the view itself (after the login and CSRF checks of the others), to
    run it again on the primary if the replica fails halfway."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.enabled = replica_configured()

    def __call__(self, request):
        response = self.get_response(request)
        if not self.enabled:
            return response
        if request.method not in ("GET", "HEAD"):
            position = primary_position(inserted=True)
            if position:
                response.set_cookie(COOKIE, position, max_age=300, httponly=True, samesite="Lax",
                                    secure=settings.SESSION_COOKIE_SECURE)
        elif getattr(request, "_kp_replica_caught_up", False):
            response.delete_cookie(COOKIE, samesite="Lax")
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not self.enabled or request.method not in ("GET", "HEAD") or request.path.startswith(PRIMARY_ONLY):
            return None
        if not _replica_usable(request):
            return None
        token = _reading.set(True)
        try:
            response = view_func(request, *view_args, **view_kwargs)
            if hasattr(response, "render") and callable(response.render) and not response.is_rendered:
                response = response.render()
            return response
        except OperationalError:
            logger.warning("the read replica failed during %s; computed again on the primary", request.path,
                           exc_info=True)
            _mark_down()
        finally:
            _reading.reset(token)
        return view_func(request, *view_args, **view_kwargs)


def replica_health() -> dict:
    """For /healthz: the replica's state and how far it lags behind the primary (bytes of WAL, seconds)."""
    replayed = replica_position()
    if replayed is None:
        return {"state": "unavailable"}
    current = primary_position()
    lag_bytes = 0
    with connections[PRIMARY].cursor() as cursor:
        cursor.execute("SELECT GREATEST(pg_wal_lsn_diff(%s::pg_lsn, %s::pg_lsn), 0)::bigint", [current, replayed])
        lag_bytes = int(cursor.fetchone()[0])
    lag_seconds = 0.0
    if lag_bytes:
        with connections[REPLICA].cursor() as cursor:
            cursor.execute("SELECT COALESCE(EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()), 0)")
            lag_seconds = round(max(float(cursor.fetchone()[0]), 0.0), 3)
    return {"state": "ok", "lag_bytes": lag_bytes, "lag_seconds": lag_seconds}
