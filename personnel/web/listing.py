"""One way to serve a list page: selector queryset → FilterSet → Table, paginated, sortable, and
exported (CSV/XLSX) with exactly the filtered rows when `?export=csv|xlsx` is given.

An export is named with what it lists, the place and the day (export.export_filename) and carries, in
words, the day, the place, the rows ("on the day" or "all time") and the filters it was made with.

A page's body (its count, filters and rows: everything below the breadcrumbs) is cached under the data versions
of the user's area (datacache), keyed by all it depends on: the template, the user's scope and role, the language,
the day and the query string. The frame around it (the user's name, the sign-out form's CSRF token, messages) is
rendered for each request. So a list a user opens again, or another user of the same scope opens, costs no query
of its rows until something is written in that area (issue 16: lists as served)."""

from __future__ import annotations

import datetime
import hashlib

from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import formats
from django.utils.encoding import force_str
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django_tables2 import RequestConfig

import datacache
from communes.models import District, Province
from kontum_posts.lib.asof import request_as_of
from kontum_posts.lib.export import FORMATS, table_export
from personnel import access_log
from personnel.access import scope_for
from personnel.models import AccessEvent

PER_PAGE = 50
PLACE_FILTERS = ("commune", "district", "province")  # the narrowest chosen names the file's place


def table_page(request, *, queryset, filterset_class, table_class, template: str, what: str, title,
               context: dict | None = None, filterset_kwargs: dict | None = None, table_kwargs: dict | None = None,
               export_queryset=None):
    """`what`: the file name's first word, in Vietnamese ASCII ("can-bo"); `title`: the page's and the
    sheet's title. `export_queryset`: the rows for an export when they are better read another way than a
    page's (joined rather than prefetched: an export reads every row at once).

    `queryset`, `export_queryset` and `filterset_kwargs` may be given as functions of no argument that make them:
    they are called only when the body is computed or a file exported, so a body served from the cache costs
    nothing of them (building an annotated queryset alone took 10-15 ms of a served list's ~25, issue 16)."""
    def filtered(rows):
        kwargs = _made(filterset_kwargs) or {}
        filterset = filterset_class(request.GET or None, queryset=_made(rows), request=request, **kwargs)
        return filterset, table_class(filterset.qs, **(table_kwargs or {}))

    fmt = request.GET.get("export")
    if fmt in FORMATS:
        filterset, table = filtered(export_queryset if export_queryset is not None else queryset)
        day = request_as_of(request).day
        RequestConfig(request, paginate=False).configure(table)
        access_log.record(request, AccessEvent.Kind.EXPORT)
        place = place_name(request, filterset)
        return table_export(table, fmt, what=what, place=place, day=day, sheet_title=force_str(title),
                            notes=export_notes(filterset, title=title, place=place, day=day))

    def body() -> str:
        filterset, table = filtered(queryset)
        day = request_as_of(request).day
        RequestConfig(request, paginate={"per_page": PER_PAGE}).configure(table)
        query = request.GET.copy()
        query.pop("page", None)
        query.pop("export", None)
        export_query = query.urlencode()
        return render_to_string(template, {
            "list_frame": "dashboard/_list_body_only.html",
            "filter": filterset,
            "table": table,
            "title": title,
            "export_csv": f"?{export_query}&export=csv" if export_query else "?export=csv",
            "export_xlsx": f"?{export_query}&export=xlsx" if export_query else "?export=xlsx",
            "filtered": any(v for k, v in request.GET.items() if k not in ("page", "sort", "as_of", "period")),
            "periods": period_links(request, filterset, day),
            "period_note": filterset.period_note(day) if getattr(filterset, "PERIODS", None) else "",
            **(context or {}),
        }, request)

    scope = scope_for(request.user)
    area, national_parts = {} if scope.national else {"provinces": scope.provinces}, ()
    narrowed = getattr(filterset_class, "narrowed_to", None) if scope.national else None
    if narrowed is not None and (found := narrowed(request)) is not None:
        # A national user's list of a place: its rows are that place's provinces' data, filed under their numbers, so
        # a write elsewhere keeps it; what it shows of the whole country (the choices offered) goes into its key.
        provinces, codes, national_parts = found
        area = {"provinces": provinces, "codes": codes}
    return render(request, "dashboard/_list_page.html", {
        "title": title, **(context or {}),
        "list_body": datacache.cached(_body_key(request, template, scope, national_parts), body, **area),
    })


def _made(given):
    """What table_page() was given, or what the function it was given makes (a QuerySet is not callable)."""
    return given() if callable(given) else given


def _body_key(request, template: str, scope, national_parts=()) -> str:
    """Everything a list's body depends on besides the data: the page, whose list it is, in what language, on what
    day, every parameter of the query string (sorted, hashed: a hostile one can be long), and for a national user's
    list of a place, the choices it offers of the whole country."""
    given = request_as_of(request)
    query = sorted((name, tuple(values)) for name, values in request.GET.lists())
    digest = hashlib.blake2b(repr((viewer_key(request.user, scope), query, given.given, given.error,
                                   national_parts)).encode(), digest_size=16).hexdigest()
    return f"list:{template}:{get_language()}:{given.day.isoformat()}:{digest}"


def viewer_key(user, scope=None) -> str:
    """What a cached page depends on of who reads it: their scope and role (personnel.access), and whether they are
    a superuser or staff; users who share it see the same page."""
    scope = scope or scope_for(user)
    return hashlib.blake2b(repr((repr(scope), user.is_superuser, user.is_staff)).encode(), digest_size=12).hexdigest()


def _chosen(filterset) -> dict:
    if not filterset.is_bound or not filterset.form.is_valid():
        return {}
    return filterset.form.cleaned_data


def _in_words(field, value) -> str:
    if isinstance(value, datetime.date):
        return formats.date_format(value, "SHORT_DATE_FORMAT")
    choices = getattr(field, "choices", None)
    if choices is not None and not hasattr(value, "pk"):
        return force_str(dict((str(k), v) for k, v in choices).get(str(value), value))
    return force_str(value)


def filters_in_words(filterset) -> list[tuple[str, str]]:
    """The filters a list was narrowed with, each as (label, chosen value in words)."""
    fields = filterset.form.fields
    return [(force_str(fields[name].label), _in_words(fields[name], value))
            for name, value in _chosen(filterset).items() if value not in (None, "", [])]


def place_name(request, filterset) -> str:
    """The place a list covers: the commune, district or province chosen, else the user's area."""
    chosen = _chosen(filterset)
    for name in PLACE_FILTERS:
        if chosen.get(name) and name in filterset.form.fields:
            return _in_words(filterset.form.fields[name], chosen[name])
    scope = scope_for(request.user)
    if scope.national:
        return "Toàn quốc"  # the file's name is Vietnamese, whatever the interface language
    if scope.district_ids:
        return ", ".join(District.objects.filter(pk__in=scope.district_ids).order_by("sort_key").values_list("name", flat=True))
    return Province.objects.filter(pk=scope.province_id).values_list("name", flat=True).first() or ""


def export_notes(filterset, *, title, place: str, day: datetime.date) -> list[tuple]:
    notes = [(_("List"), force_str(title)), (_("Place"), place), (_("As of"), day)]
    if getattr(filterset, "PERIODS", None):
        notes.append((_("Rows"), force_str(filterset.period_note(day))))
    notes += filters_in_words(filterset) or [(_("Filters"), _("none"))]
    return notes


def period_links(request, filterset, day: datetime.date) -> list[dict]:
    """The list's visible choice between the rows of the day and all rows (FilterSets with PERIODS)."""
    periods = getattr(filterset, "PERIODS", None)
    if not periods:
        return []
    links = []
    for value, label in periods:
        query = request.GET.copy()
        query.pop("page", None)
        query.pop("export", None)
        query["period"] = value
        links.append({
            "label": force_str(label) % {"day": formats.date_format(day, "SHORT_DATE_FORMAT")},
            "href": f"?{query.urlencode()}", "current": filterset.period == value,
        })
    return links
