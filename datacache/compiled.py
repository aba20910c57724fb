"""The rows of a values_list() query whose SQL is compiled once per key (issue 16).

A dashboard computed after a write spends more on building and compiling its ORM queries than PostgreSQL spends
running them: the pipeline's count (pipeline/stages.py: five subqueries and two CASEs) took 5 ms of Python to
produce 1.7 ms of SQL. What a query's SQL and parameters depend on (the area, the day, the plan, the communes read
before) changes with the units and plans, not with the staffing it reads; so its text is cached under the numbers of
the topics that decide it, and each call runs it afresh on the database the page reads: the rows are always the
database's, only the compiling is saved. The query is still the one definition (built by the caller's function).

A query whose columns need converting in Python (SQLite's dates and booleans) is compiled and run by the ORM each
time: the cursor's raw values would differ from the ORM's.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.core.exceptions import EmptyResultSet
from django.db import connections, router
from django.db.models import QuerySet

import datacache

_ORM = "orm"  # the query needs the ORM's converters: run it through the ORM


def compiled_rows(key: str, make: Callable[[], QuerySet], *, model, topics: Iterable[int],
                  provinces: Iterable[int] | None = None, codes: Iterable[int] | None = None) -> list[tuple]:
    """list(make()) for a values_list() query of `model`, its SQL compiled once for `key` under the numbers of
    `topics` (and `provinces` or `codes`, as datacache.cached()). What make() reads from the database while building
    the query must be covered by those numbers; what it is given (values read before this call) must be in `key`
    itself, since the numbers are read here and an earlier read could be older than them. Run on the database
    router.db_for_read(model) names for this request (the replica or the primary)."""
    alias = router.db_for_read(model)
    connection = connections[alias]

    def compile_() -> tuple | str | None:
        queryset = make()
        compiler = queryset.query.get_compiler(using=alias)
        try:
            sql, params = compiler.as_sql()
        except EmptyResultSet:
            return None  # the ORM sends nothing: no row
        if compiler.get_converters([column[0] for column in compiler.select[:compiler.col_count]]):
            return _ORM
        return sql, tuple(params)

    compiled = datacache.cached(f"sql:{connection.vendor}:{key}", compile_, topics=topics, provinces=provinces,
                                codes=codes)
    if compiled is None:
        return []
    if compiled == _ORM:
        return list(make())
    sql, params = compiled
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [tuple(row) for row in cursor.fetchall()]
