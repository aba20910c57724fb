"""A queryset compiled to SQL once per process and run again with other values.

The dashboard's per-commune query has a dozen correlated subqueries; building and compiling it
through the ORM cost more than PostgreSQL takes to run it (Kon Tum on national data: area_staffing
16 ms through the ORM, 8 ms prepared).
PreparedQuery builds the queryset twice with two sets of stand-in values, through the public
`query.sql_with_params()`, and keeps the SQL only if the two compilations differ in exactly the
stand-ins' parameters; each later call swaps the real values into those places and runs the SQL
through `Model.objects.raw()`. If Django ever inlines, transforms or derives a value (so that some
other parameter, or the SQL text, differs between the two compilations), the shape is not kept and
every call goes through the ORM as before: slower, never wrong. A test checks the fast path is taken.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable

from django.db import connection
from django.db.models import Model, QuerySet

# Two stand-ins per kind of value; far from any real key or date, and different from each other.
_STAND_INS = {
    int: ((-7_100_001, -7_200_001), 1000),  # (first values, step between names)
    datetime.date: ((datetime.date(1901, 1, 1), datetime.date(1902, 1, 1)), datetime.timedelta(days=1)),
}


def _stand_in(kind: type, index: int, which: int):
    (first, second), step = _STAND_INS[kind]
    return (first, second)[which] + step * index


class PreparedQuery:
    def __init__(self, model: type[Model], build: Callable[..., QuerySet], kinds: dict[str, type]):
        """`build(**values)` returns the queryset; `kinds` names each value and its type (int or date)."""
        self.model = model
        self.build = build
        self.kinds = kinds
        self._shapes: dict[tuple, tuple[str, list, list[tuple[int, str, Callable]]] | None] = {}

    def run(self, shape: tuple = (), **values) -> list[Model]:
        """The rows of build(**values). `shape` names what changes the SQL's structure besides the values,
        including which values are None; each shape is compiled once per process and database."""
        key = (connection.vendor, connection.settings_dict["NAME"], shape)
        if key not in self._shapes:
            self._shapes[key] = self._compile(values)
        compiled = self._shapes[key]
        if compiled is None:
            return list(self.build(**values))
        sql, params, slots = compiled
        params = list(params)
        for position, name, adapt in slots:
            params[position] = adapt(values[name])
        return list(self.model.objects.raw(sql, params))

    def is_prepared(self, shape: tuple = ()) -> bool:
        return self._shapes.get((connection.vendor, connection.settings_dict["NAME"], shape)) is not None

    def _compile(self, values: dict) -> tuple[str, list, list[tuple[int, str, Callable]]] | None:
        names = sorted(name for name in self.kinds if values.get(name) is not None)  # None: part of the shape
        if any(not isinstance(values[name], self.kinds[name]) for name in names):
            return None
        stand_ins = [{name: _stand_in(self.kinds[name], i, which) for i, name in enumerate(names)} for which in (0, 1)]
        (sql_a, params_a), (sql_b, params_b) = (
            self.build(**{**values, **s}).query.sql_with_params() for s in stand_ins
        )
        if sql_a != sql_b or len(params_a) != len(params_b):
            return None
        # A value may reach the parameters as is, or as the backend stores it (SQLite: dates as text).
        by_pair = {}
        for name in names:
            for adapt in (_as_is, _adapter(self.kinds[name])):
                by_pair[(adapt(stand_ins[0][name]), adapt(stand_ins[1][name]))] = (name, adapt)
        slots = []
        for position, (a, b) in enumerate(zip(params_a, params_b)):
            if a == b:
                continue  # a constant of the query
            found = by_pair.get((a, b))
            if found is None:
                return None  # a value Django derived from a stand-in: not safe to swap
            slots.append((position, *found))
        return sql_a, list(params_a), slots


def _as_is(value):
    return value


def _adapter(kind: type) -> Callable:
    return connection.ops.adapt_datefield_value if kind is datetime.date else _as_is
