"""The demo in a test's database: written by the real loader the first time in a test process, then copied.

Loading the demo costs 4–10 s (thousands of rows through the services, with their history), and some thirty test
classes need it; each TestCase rolls it back afterwards. The first class of a process that asks for it runs the
loader itself; the rows it wrote, table by table, are kept, and a later class whose database is in the same state
before (the same rows in every table) gets exactly those rows again, inserted in one statement per table, with the
sequences moved past them. Any other starting state runs the loader again. So every test reads what the loader
writes; the tests of the loader itself (tests/sampledata/test_pilot_demo.py, the idempotence tests) call it directly.

The xdist workers of one run share what they kept, through files of the run's own (SHARED_DIR, removed by the
controller at the end): the first worker to need a starting state runs the loader while the others wait for its
rows, instead of each running it (each load costs 15-50 s of a two-core machine's time under the whole suite).
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
import pickle
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from io import StringIO
from pathlib import Path

from django.apps import apps
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connection, transaction

Rows = dict[str, tuple[list[str], list[tuple]]]  # table -> (columns, rows)
# Written again under new keys after every flush of a TransactionTestCase (the browser tests' live server): left
# out of the starting state when nothing the loader wrote refers to them.
_REMADE = frozenset({"django_content_type", "auth_permission"})
# The data versions (datacache): any numbers will do, as long as later writes raise them; left out of the starting
# state (a flush empties them, a TestCase's rollback keeps the migration's row), copied with the rest.
_LOOSE = frozenset({"datacache_areaversion"})


@dataclass(frozen=True)
class _Kept:
    rows: Rows                 # each table the loader changed, after it
    remade: tuple | None       # the _REMADE tables as they were, when what it wrote refers to them


_kept: dict[tuple[str, tuple], _Kept] = {}  # (kind, the rows of every other table before) -> what the loader wrote

_RUN = os.environ.get("PYTEST_XDIST_TESTRUNUID", "")  # set in xdist's workers, the same for all of one run


def shared_dir(run: str = _RUN) -> Path | None:
    """Where the workers of the run `run` share what the loader wrote (None outside xdist)."""
    return Path(tempfile.gettempdir()) / f"kp-demo-{run}" if run else None


def load_pilot() -> None:
    """sampledata.pilot.load_pilot_demo(): the pilot carried on to today, with the demo accounts."""
    from sampledata.pilot import load_pilot_demo

    _load("pilot", load_pilot_demo)


def load_demo() -> None:
    """The `load_pilot_demo` command: the pilot and everything the demo adds (roadmaps, facilities, pipeline, follow-up)."""
    _load("command", lambda: call_command("load_pilot_demo", stdout=StringIO()))


def _load(kind: str, loader: Callable[[], object]) -> None:
    tables = sorted(connection.introspection.django_table_names(only_existing=True, include_views=False))
    before = _read(tables)
    remade = _fingerprint({t: rows for t, rows in before.items() if t in _REMADE})
    key = (kind, _fingerprint({t: rows for t, rows in before.items() if t not in _REMADE | _LOOSE}))
    kept = _kept.get(key)
    if kept is not None and kept.remade in (None, remade):
        _write(kept.rows)
        return
    with _shared(key) as shared:  # another worker's, or this one's for the others
        kept = shared.read()
        if kept is not None and kept.remade in (None, remade):
            _kept[key] = kept
            _write(kept.rows)
            return
        loader()
        after = _read(tables)
        rows = {t: after[t] for t in tables if _rows_key(after[t]) != _rows_key(before[t])}
        _kept[key] = kept = _Kept(rows, remade if _refers_to_remade(rows) else None)
        shared.write(kept)


@dataclass(frozen=True)
class _SharedFile:
    path: Path | None

    def read(self) -> _Kept | None:
        if self.path is None or not self.path.exists():
            return None
        return pickle.loads(self.path.read_bytes())  # noqa: S301 — written by this run's workers, in its own directory

    def write(self, kept: _Kept) -> None:
        if self.path is not None:
            partial = self.path.with_suffix(".partial")
            partial.write_bytes(pickle.dumps(kept, protocol=pickle.HIGHEST_PROTOCOL))
            partial.replace(self.path)


@contextlib.contextmanager
def _shared(key: tuple) -> Iterator[_SharedFile]:
    """The file of the run for a starting state on this database, under a lock the run's workers take in turn."""
    directory = shared_dir()
    if directory is None:
        yield _SharedFile(None)
        return
    directory.mkdir(exist_ok=True)
    digest = hashlib.sha256(repr((connection.vendor, key)).encode()).hexdigest()[:32]
    with open(directory / f"{digest}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
        yield _SharedFile(directory / f"{digest}.pickle")


def _refers_to_remade(rows: Rows) -> bool:
    if _REMADE & rows.keys():
        return True
    # Columns that refer to another table (a many-to-many is its own table, checked as one).
    return any(field.related_model._meta.db_table in _REMADE
               for model in apps.get_models(include_auto_created=True) if model._meta.db_table in rows
               for field in model._meta.get_fields()
               if field.concrete and field.is_relation and field.related_model and not field.many_to_many)


def _read(tables: list[str]) -> Rows:
    qn = connection.ops.quote_name
    state = {}
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"SELECT * FROM {qn(table)}")
            state[table] = ([col[0] for col in cursor.description], cursor.fetchall())
    return state


def _rows_key(table_state: tuple[list[str], list[tuple]]) -> tuple:
    return tuple(sorted(map(repr, table_state[1])))


def _fingerprint(state: dict) -> tuple:
    return tuple((table, _rows_key(rows)) for table, rows in sorted(state.items()))


def _write(tables: Rows) -> None:
    """The kept rows of each table the loader changed, in place of what is there (foreign keys are checked at
    commit on both databases, so the order of the tables does not matter), then the sequences past them."""
    qn = connection.ops.quote_name
    with transaction.atomic(), connection.cursor() as cursor:
        for table, (columns, rows) in tables.items():
            cursor.execute(f"DELETE FROM {qn(table)}")
            if rows:
                marks = ", ".join(["%s"] * len(columns))
                cursor.executemany(f"INSERT INTO {qn(table)} ({', '.join(map(qn, columns))}) VALUES ({marks})", rows)
        models = [m for m in apps.get_models(include_auto_created=True) if m._meta.db_table in tables]
        for sql in connection.ops.sequence_reset_sql(no_style(), models):
            cursor.execute(sql)
