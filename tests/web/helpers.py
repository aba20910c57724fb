"""Helpers for the web tests: read the figures a page shows, count queries of a request."""

from __future__ import annotations

import re

from django.db import connection
from django.test.utils import CaptureQueriesContext


def tile(html: str, tile_id: str) -> str:
    """The value shown in the dashboard tile with that id ("349", "86/86")."""
    match = re.search(rf'id="{tile_id}".*?<span class="tile-value">(.*?)</span>', html, re.S)
    assert match, f"no tile {tile_id}"
    return match.group(1).strip()


def district_rows(html: str) -> list[list[str]]:
    """The cells of the per-district table's body rows, text only."""
    body = re.search(r'id="district-table".*?<tbody>(.*?)</tbody>', html, re.S).group(1)
    rows = []
    for row in re.findall(r"<tr>(.*?)</tr>", body, re.S):
        cells = re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
        rows.append([re.sub(r"<[^>]+>", "", c).strip() for c in cells])
    return rows


def totals_row(html: str) -> list[str]:
    foot = re.search(r'id="district-table".*?<tfoot>(.*?)</tfoot>', html, re.S).group(1)
    return [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", foot, re.S)]


_BOOKKEEPING = ("BEGIN", "COMMIT", "SAVEPOINT", "RELEASE SAVEPOINT", 'UPDATE "DJANGO_SESSION"')


def count_queries(client, url: str) -> int:
    """Queries one request runs, not counting the session save every request makes
    (SESSION_SAVE_EVERY_REQUEST) and transaction statements."""
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        if getattr(response, "streaming", False):
            b"".join(response.streaming_content)
    counted = [q["sql"] for q in ctx.captured_queries if not q["sql"].lstrip().upper().startswith(_BOOKKEEPING)]
    return len(counted)


def with_version(record, data: dict) -> dict:
    """An edit form's submission as the browser sends it: with the version of the record the form was read at."""
    from personnel.versions import version_of

    return {**data, "version": str(version_of(record))}
