"""django-tables2 tables whose body is rendered in one Python loop (issue 16).

django-tables2 keeps the columns, their headers and ordering links, pagination and the exports. What it
costs is the body: per cell it inspects the signature of the render method, resolves the accessor through
its general path, and (DateColumn, a TemplateColumn) compiles a template; 500 cells a page spent ~30 ms
on a 2-core machine, most of a list's time. `FastBodyTable.body_html()` renders the same cells, with the
same methods and escaping, from a plan made once per column: the render method's arguments are read once,
the accessor is a chain of getattr, dates are formatted directly. Its output is the same HTML as the
library's template (tests/web/test_fast_tables.py compares them on every table).
"""

from __future__ import annotations

import datetime
import functools
import html
import inspect
from collections.abc import Callable
from urllib.parse import quote

import django_tables2 as tables
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.urls import reverse
from django.utils import dateformat, formats
from django.utils.functional import Promise
from django.utils.html import conditional_escape, format_html
from django.utils.http import RFC3986_SUBDELIMS
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django_tables2.utils import Accessor

ARGUMENTS = ("value", "record", "column", "bound_column", "bound_row", "table")


def escaped(value) -> str:
    """conditional_escape(value) without the lazy-string wrapper around it (~4 µs a call; a page's rows make
    thousands): a lazy string is made a string, what has __html__ is safe as it says, anything else is escaped as
    django.utils.html.escape() does it (html.escape). The caller marks the whole it is part of safe."""
    if isinstance(value, Promise):
        value = str(value)
    if hasattr(value, "__html__"):
        return value.__html__()
    return html.escape(str(value))


class DateColumn(tables.DateColumn):
    """dd/mm/yyyy on the page (the short date format, as the library's template says it, without compiling
    one per cell); the date itself in exports (a date cell in XLSX, dd/mm/yyyy in CSV).

    As the library's template (`{{ value|date:…|default:default }}`; a TemplateColumn has no empty values, so
    an empty date reaches render), anything but a date shows the column's default."""

    def render(self, value, bound_column):
        if isinstance(value, datetime.date):
            return _short_date(value, formats.get_format("SHORT_DATE_FORMAT"), get_language())
        return bound_column.default

    def value(self, value, **kwargs):
        return value if isinstance(value, datetime.date) else ""


@functools.lru_cache(maxsize=8192)
def _short_date(day: datetime.date, fmt: str, language: str) -> str:
    """formats.date_format(day, "SHORT_DATE_FORMAT") in `language` (whose format is `fmt`), once per day and format:
    a list computed again after a write formats the same dates (dateformat parses its format at each call)."""
    return dateformat.format(day, fmt)


def _wanted(fn) -> tuple[tuple[str, ...], bool]:
    """The cell arguments `fn` takes, and whether it takes them all (**kwargs)."""
    parameters = inspect.signature(fn).parameters.values()
    if any(p.kind == p.VAR_KEYWORD for p in parameters):
        return ARGUMENTS, True
    return tuple(p.name for p in parameters if p.kind != p.VAR_POSITIONAL), False


def _getter(path: str) -> Callable:
    """record -> the accessor's value (a__b or a.b; None where a step is None)."""
    steps = path.replace("__", ".").split(".")

    def get(record):
        value = record
        try:
            for step in steps:
                if value is None:
                    return None
                value = getattr(value, step)
                if callable(value) and not isinstance(value, models.Model) and not hasattr(value, "all"):
                    value = value()
        except Exception:  # noqa: BLE001 — as the library: a column that is no field (e.g. computed) gets None
            return None
        return value
    return get


STANDIN = 987654321987


def _href_maker(link):
    """For a link made by reversing a view with accessors as its positional arguments and no attributes of its
    own (linkify=("view", [A("pk")])): record -> its URL, from one reverse() with stand-ins, the record's values
    put in their place (quoted as reverse() would quote them). None for any other link."""
    if not link or link.url or link.attrs or not link.reverse_args.get("viewname"):
        return None
    args = link.reverse_args.get("args") or []
    if set(link.reverse_args) - {"viewname", "args"} or not args or not all(isinstance(a, Accessor) for a in args):
        return None
    stand_ins = [str(STANDIN + i) for i in range(len(args))]
    pattern = reverse(link.reverse_args["viewname"], args=stand_ins)
    if any(pattern.count(s) != 1 for s in stand_ins):
        return None
    getters = [_getter(str(a)) for a in args]

    def href(record):
        url = pattern
        for stand_in, get in zip(stand_ins, getters, strict=True):
            value = get(record)
            if value is None:
                return None
            url = url.replace(stand_in, quote(str(value), safe=RFC3986_SUBDELIMS + "/~:@"))
        return url
    return href


@functools.lru_cache(maxsize=64)
def _pattern(viewname: str, urlconf_key: str, prefix: str) -> str:
    return reverse(viewname, args=[str(STANDIN)])


def url_for(viewname: str, arg) -> str:
    """reverse(viewname, args=[arg]) for a view of one integer argument, from one reverse() per view and
    process (a table's cells link hundreds of rows)."""
    return url_maker(viewname)(arg)


def url_maker(viewname: str) -> Callable[[object], str]:
    """url_for(viewname, ·), its pattern looked up once: for a loop over many rows."""
    from django.urls import get_script_prefix, get_urlconf

    pattern, stand_in = _pattern(viewname, str(get_urlconf()), get_script_prefix()), str(STANDIN)
    return lambda arg: pattern.replace(stand_in, str(int(arg)), 1)


class _Cell:
    """How one column's cells are rendered: made once per column, used for every row."""

    def __init__(self, table, bound_column):
        column = bound_column.column
        self.bound_column, self.column, self.table = bound_column, column, table
        self.td = format_html("<td {}>", bound_column.attrs["td"].as_html())
        self.default = conditional_escape(bound_column.default)
        self.empty_values = column.empty_values
        self.link = bound_column.link
        self.href = _href_maker(self.link)
        self.render = bound_column.render
        self.wanted, _all = _wanted(self.render)
        path = str(bound_column.accessor)
        self.get = _getter(path)
        # A model field with choices is shown by get_FOO_display(), as the library does.
        self.display = None
        model = getattr(getattr(table._meta, "model", None), "_meta", None)
        if model is not None and "__" not in path and "." not in path:
            try:
                field = model.get_field(path)
            except FieldDoesNotExist:
                field = None
            if field is not None and getattr(field, "choices", None):
                self.display = f"get_{path}_display"
        self.plain = type(column) is tables.Column and self.render == column.render

    def html(self, row) -> str:
        record = row.record
        if self.display is not None:
            value = getattr(record, self.display)()
        else:
            value = self.get(record)
        if value in self.empty_values:
            return f"{self.td}{self.default}</td>"
        if self.plain:
            content = value
        else:
            available = {"value": value, "record": record, "column": self.column, "bound_column": self.bound_column,
                         "bound_row": row, "table": self.table}
            content = self.render(**{name: available[name] for name in self.wanted})
        if self.href is not None:  # linkify=(view, [A(...)]): the URL made by one reverse() per column
            href = self.href(record)
            content = mark_safe(f'<a href="{escaped(href)}">{escaped(content)}</a>') if href is not None else content  # noqa: S308
        elif self.link:
            content = self.link(content, value=value, record=record, column=self.column,
                                bound_column=self.bound_column, bound_row=row, table=self.table)
        return f"{self.td}{escaped(content)}</td>"


class FastBodyTable(tables.Table):
    """A Table whose template renders the body with `body_html` (templates/django_tables2/kp_table.html)."""

    fast_body = True

    def body_html(self) -> str:
        rows = self.page.object_list if getattr(self, "page", None) else self.rows
        cells = [_Cell(self, bound_column) for bound_column in self.columns]
        out = []
        for row in rows:
            out.append(format_html("<tr {}>", row.attrs.as_html()))
            out.extend(cell.html(row) for cell in cells)
            out.append("</tr>")
        return mark_safe("".join(out))  # noqa: S308 — every part escaped above
