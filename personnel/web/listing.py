"""One way to serve a list page: selector queryset → FilterSet → Table, paginated, sortable, and
exported (CSV/XLSX) with exactly the filtered rows when `?export=csv|xlsx` is given."""

from __future__ import annotations

from django.shortcuts import render
from django_tables2 import RequestConfig

from kontum_posts.lib.export import FORMATS, table_export
from personnel import access_log
from personnel.models import AccessEvent

PER_PAGE = 50


def table_page(request, *, queryset, filterset_class, table_class, template: str, filename: str,
               context: dict | None = None, filterset_kwargs: dict | None = None, table_kwargs: dict | None = None,
               export_queryset=None):
    """`export_queryset`: the rows for an export when they are better read another way than a page's
    (joined rather than prefetched: an export reads every row at once)."""
    fmt = request.GET.get("export")
    if fmt in FORMATS and export_queryset is not None:
        queryset = export_queryset
    filterset = filterset_class(request.GET or None, queryset=queryset, request=request, **(filterset_kwargs or {}))
    table = table_class(filterset.qs, **(table_kwargs or {}))
    if fmt in FORMATS:
        RequestConfig(request, paginate=False).configure(table)
        access_log.record(request, AccessEvent.Kind.EXPORT)
        return table_export(table, fmt, filename)
    RequestConfig(request, paginate={"per_page": PER_PAGE}).configure(table)
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("export", None)
    export_query = query.urlencode()
    return render(request, template, {
        "filter": filterset,
        "table": table,
        "export_csv": f"?{export_query}&export=csv" if export_query else "?export=csv",
        "export_xlsx": f"?{export_query}&export=xlsx" if export_query else "?export=xlsx",
        "filtered": any(v for k, v in request.GET.items() if k not in ("page", "sort", "as_of")),
        **(context or {}),
    })
