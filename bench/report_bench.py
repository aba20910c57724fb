"""How long the Kon Tum pilot review PDF takes to render, and how much of that is WeasyPrint.

Runs against a throwaway test database (created, migrated, loaded with the 2019 pilot demo, then
dropped), so it never touches your data:

    .venv/bin/python -m bench.report_bench [--repeat N] [--as-of 2019-04-23]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/kp_pdf .venv/bin/python -m bench.report_bench

Each run is timed in three parts: the report's queries and HTML (Django), WeasyPrint's layout
(HTML(...).render(): parsing, CSS cascade, fonts, pagination) and writing the PDF (font subsetting,
compression). The medians of N runs are printed.
"""

from __future__ import annotations

import argparse
import datetime
import os
import statistics
import sys
import time
from io import StringIO


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="runs to take the median of (default 5)")
    parser.add_argument("--as-of", default="2019-04-23", type=datetime.date.fromisoformat)
    args = parser.parse_args(sys.argv[1:] if argv is None else argv)

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kontum_posts.settings")
    import django

    django.setup()
    from django.db import connection
    from django.test.utils import setup_test_environment, teardown_test_environment

    setup_test_environment()
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    try:
        _run(args.repeat, args.as_of)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        teardown_test_environment()


def _run(repeat: int, as_of: datetime.date) -> None:
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection
    from django.test import RequestFactory
    from django.test.utils import CaptureQueriesContext
    from weasyprint import HTML

    from communes.models import Province
    from reports.fetcher import StaticFilesFetcher
    from reports.pdf import base_url
    from reports.views import pilot_review_html
    from sampledata.pilot import KON_TUM

    call_command("load_pilot_demo", stdout=StringIO())
    province = Province.objects.get(code=KON_TUM)
    request = RequestFactory().get("/reports/pilot-review.pdf")
    request.user = get_user_model().objects.get(username="lanhdao")

    html_s, layout_s, write_s, pages, size, queries = [], [], [], 0, 0, 0
    for _ in range(repeat + 1):  # the first run warms caches (templates, fonts) and is not counted
        t0 = time.perf_counter()
        with CaptureQueriesContext(connection) as ctx:
            html = pilot_review_html(request, province, as_of)
        t1 = time.perf_counter()
        document = HTML(string=html, base_url=base_url(), url_fetcher=StaticFilesFetcher()).render()
        t2 = time.perf_counter()
        pdf = document.write_pdf()
        t3 = time.perf_counter()
        html_s.append(t1 - t0)
        layout_s.append(t2 - t1)
        write_s.append(t3 - t2)
        pages, size, queries = len(document.pages), len(pdf), len(ctx)
    html_m, layout_m, write_m = (statistics.median(x[1:]) for x in (html_s, layout_s, write_s))
    total = html_m + layout_m + write_m
    vendor = connection.vendor
    print(f"Pilot review, Kon Tum, as of {as_of:%d/%m/%Y} ({vendor}): {pages} pages, {size / 1024:.0f} KiB, "
          f"{queries} queries; median of {repeat} runs")
    print(f"  total                       {total * 1000:8.0f} ms")
    print(f"  Django (queries + HTML)     {html_m * 1000:8.0f} ms  {100 * html_m / total:5.1f} %")
    print(f"  WeasyPrint layout (render)  {layout_m * 1000:8.0f} ms  {100 * layout_m / total:5.1f} %")
    print(f"  WeasyPrint PDF (write_pdf)  {write_m * 1000:8.0f} ms  {100 * write_m / total:5.1f} %")
    print(f"  WeasyPrint share            {100 * (layout_m + write_m) / total:14.1f} %")


if __name__ == "__main__":
    main()
