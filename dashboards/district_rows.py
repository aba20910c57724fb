"""The dashboard's per-district table rows, written in Python: the HTML of templates/dashboard/_district_rows.html
(whitespace between the tags aside), which tests/web/test_gap_rows.py renders beside it on the demo's 2019 and today.

A row is seven cells with five links; the template engine spent ~15 nodes on each, and a province has up to some
twenty districts (today's, grouped by former district): the dashboard computed after a write renders this table.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe

from kontum_posts.lib.fasttable import escaped, url_maker


def district_rows_html(breakdown, *, asq: str, former_districts: bool) -> SafeString:
    """The rows of `breakdown` (DistrictFigures), on the day `asq` (YYYY-MM-DD); `former_districts`: since 01/07/2025,
    the districts the communes came from, whose lists have no rows of the day (no links but the district's page)."""
    e = escaped
    day = f"?as_of={e(asq)}"
    district_url = url_maker("district_detail")
    officers, communes, roles = (reverse(name) for name in ("officer_list", "commune_list", "partyrole_list"))
    out = []
    for row in breakdown:
        f, code = row.figures, row.district.code
        head = f'<th scope="row"><a href="{district_url(code)}{day}">{e(row.district.name)}</a></th>'
        covered = f"{e(f.communes_covered)}/{e(f.communes_in_plan)}"
        secretaries = f'<td class="num">{e(f.cells_with_police_secretary)}/{e(f.party_cells)}</td>'
        if former_districts:
            cells = (f'<td class="num">{e(f.officers_in_post)}</td><td class="num">{covered}</td>'
                     f'<td class="num">{e(f.party_cells)}</td>{secretaries}'
                     f'<td class="num">{e(f.executive_committee_members)}</td>'
                     f'<td class="num">{e(f.standing_committee_members)}</td>')
        else:
            area = f"{day}&amp;district={e(code)}"
            cells = (f'<td class="num"><a href="{officers}{area}&amp;in_post=yes">{e(f.officers_in_post)}</a></td>'
                     f'<td class="num"><a href="{communes}{area}&amp;in_plan=yes&amp;covered=yes">{covered}</a></td>'
                     f'<td class="num"><a href="{communes}{area}&amp;has_cell=yes">{e(f.party_cells)}</a></td>'
                     f"{secretaries}"
                     f'<td class="num"><a href="{roles}{area}&amp;role=bch&amp;holder=police&amp;status=open">'
                     f"{e(f.executive_committee_members)}</a></td>"
                     f'<td class="num"><a href="{roles}{area}&amp;role=btv&amp;holder=police&amp;status=open">'
                     f"{e(f.standing_committee_members)}</a></td>")
        out.append(f"\n      <tr>\n        {head}{cells}\n      </tr>")
    return mark_safe("".join(out))  # noqa: S308 — every value escaped above
