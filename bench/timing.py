"""Timing for `make bench`: medians of alternating runs of a case and its bound, and query counts."""

from __future__ import annotations

import statistics
import time
from dataclasses import dataclass

from django.db import connection


@dataclass
class Timing:
    median_ms: float
    queries: int | None


def count_queries(fn) -> int:
    """Statements sent by `fn` (an execute wrapper, which survives the test client's per-request log resets)."""

    count = 0

    def counting(execute, sql, params, many, context):
        nonlocal count
        count += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(counting):
        fn()
    return count


def measure(fn, rounds: int) -> Timing:
    fn()  # warm: connection, caches, plans
    queries = count_queries(fn)
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return Timing(statistics.median(times) * 1000, queries)


def measure_pair(fn, bound, rounds: int) -> tuple[Timing, Timing]:
    """Time `fn` and its bound alternately, so the load of a shared machine falls on both alike."""
    counts = []
    for f in (fn, bound):
        f()
        counts.append(count_queries(f))
    times: tuple[list, list] = ([], [])
    for _ in range(rounds):
        for f, sink in zip((fn, bound), times, strict=True):
            started = time.perf_counter()
            f()
            sink.append(time.perf_counter() - started)
    return tuple(Timing(statistics.median(t) * 1000, n) for t, n in zip(times, counts, strict=True))


def after_write(fn, province_pk: int):
    """`fn` after a posting written in the province (its staffing number raised and committed, as the posting
    services do): what the first request after the commonest write costs. What belongs to no province (the
    provinces offered) and what reads no staffing (the plan, the milestones, the facilities gaps) stays cached."""
    from django.db import transaction

    import datacache
    from datacache.topics import STAFFING

    def run():
        with transaction.atomic():
            datacache.bump([province_pk], topics=(STAFFING,))
        fn()
    return run
