"""The dashboard's gap table rows, written in Python: the same HTML as templates/dashboard/_gap_rows.html, which
tests/web/test_gap_rows.py renders beside it on the demo's gaps of 2019 and of today.

A province's gap table holds a row for every commune of the plan that misses a norm (Kon Tum on 23/04/2019: 86),
and the template engine spent ~0.35 ms on each (four {% url %} and a dozen lookups): a third of the dashboard's
time after a write. Here each link is one reverse() per view and process (kontum_posts.lib.fasttable.url_for).
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe

from kontum_posts.lib.fasttable import escaped, url_maker


def gap_rows_html(gap_rows, *, asq: str, province) -> SafeString:
    """The rows of `gap_rows` ((CommuneStaffing, [label, ...]) pairs), on the day `asq` (YYYY-MM-DD)."""
    e = escaped
    day = f"?as_of={e(asq)}"
    candidates = reverse("pipeline:candidates")
    in_province = f"&amp;province={e(province.code)}" if province else ""
    district_url, officer_url, commune_url = (url_maker(name) for name in ("district_detail", "officer_detail",
                                                                            "commune_detail"))
    out = []
    for row, labels in gap_rows:
        c = row.commune
        if c.district:
            district = f'<a href="{district_url(c.district.code)}{day}">{e(c.district.name)}</a>'
        else:
            district = e((c.former_district.name if c.former_district else "") or "—")
        chief = (f'<a href="{officer_url(c.chief_id)}">{e(c.chief_name)}</a>' if c.chief_id else "—")
        tags = "".join(f'<span class="tag gap">{e(label)}</span> ' for label in labels)
        if c.ready_waiting:
            in_district = f"&amp;district={e(c.district.code)}" if c.district else ""
            ready = (f'<a href="{candidates}{day}&amp;stage=ready{in_district}{in_province}">'
                     f"{e(c.ready_waiting)}</a>")
        else:
            ready = "0"
        out.append(
            "\n      <tr>\n"
            f'        <td><a href="{commune_url(c.code)}{day}">{e(c.name_on)}</a></td>\n'
            f'        <td class="hide-sm">{district}</td>\n'
            f'        <td class="num">{e(c.officers_on)}</td>\n'
            f'        <td class="hide-sm">{chief}</td>\n'
            f"        <td>{tags}</td>\n"
            f'        <td class="num ready-to-fill">{ready}</td>\n'
            "      </tr>\n    "
        )
    return mark_safe("".join(out))  # noqa: S308 — every value escaped above
