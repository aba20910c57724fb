"""The roadmap's chart: a target line (the milestones) against the actual figures, server-side SVG as
dashboards/charts.py draws the roll-out (no JavaScript, nothing fetched, every text escaped)."""

from __future__ import annotations

import datetime
from collections.abc import Sequence

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

ACTUAL_COLOR, TARGET_COLOR, MARKER_COLOR = "#1f4e79", "#b35900", "#8b1a1a"


def _nice_max(value: int) -> int:
    top = 10
    while top < value:
        top = top * 5 // 2 if str(top).startswith("2") else top * 2
    return top


def target_chart(*, actual: Sequence[tuple[datetime.date, int]], targets: Sequence[tuple[datetime.date, int]],
                 as_of: datetime.date, title: str, actual_label: str, target_label: str, marker_label: str = "",
                 width: int = 360, height: int = 230, font_family: str = "inherit") -> SafeString:
    """`actual` as a line with its points, `targets` as diamonds joined by a dashed line, over the days of both."""
    days = [d for d, _v in actual] + [d for d, _v in targets]
    if not days:
        return mark_safe("")
    first, last = min(days), max(days)
    span = max(1, (last - first).days)
    pad_l, pad_r, pad_t, pad_b = 40, 14, 30, 52
    plot_w, plot_h = width - pad_l - pad_r, height - pad_t - pad_b
    top = _nice_max(max(v for _d, v in [*actual, *targets]))

    def x(day: datetime.date) -> float:
        return pad_l + plot_w * (day - first).days / span

    def y(value: int) -> float:
        return pad_t + plot_h - plot_h * value / top

    out = [f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {width} {height}" width="{width}" '
           f'height="{height}" role="img" aria-label="{escape(title)}" font-family="{escape(font_family)}" font-size="11">',
           f'<text x="{pad_l}" y="16" font-size="12" font-weight="bold" fill="#1d2733">{escape(title)}</text>']
    for k in range(6):
        value = top * k // 5
        out.append(f'<line x1="{pad_l}" x2="{pad_l + plot_w}" y1="{y(value):.1f}" y2="{y(value):.1f}" stroke="#e3e7ec"/>')
        out.append(f'<text x="{pad_l - 5}" y="{y(value) + 4:.1f}" text-anchor="end" fill="#5b6775">{value}</text>')
    out.append(f'<line x1="{pad_l}" x2="{pad_l + plot_w}" y1="{pad_t + plot_h}" y2="{pad_t + plot_h}" stroke="#8a96a3"/>')
    months = _month_starts(first, last)
    every = max(1, -(-len(months) // max(2, plot_w // 52)))
    for day in months[::every]:
        out.append(f'<text x="{x(day):.1f}" y="{pad_t + plot_h + 14}" text-anchor="middle" fill="#5b6775">{day:%m/%Y}</text>')
    if first <= as_of <= last:
        mx = x(as_of)
        out.append(f'<line x1="{mx:.1f}" x2="{mx:.1f}" y1="{pad_t}" y2="{pad_t + plot_h}" stroke="{MARKER_COLOR}" '
                   f'stroke-dasharray="3 3"/>')
        if marker_label:
            anchor, dx = ("end", -4) if mx > pad_l + plot_w * 0.6 else ("start", 4)
            out.append(f'<text x="{mx + dx:.1f}" y="{pad_t + 10}" text-anchor="{anchor}" fill="{MARKER_COLOR}">'
                       f'{escape(marker_label)}</text>')
    if targets:
        points = " ".join(f"{x(d):.1f},{y(v):.1f}" for d, v in targets)
        out.append(f'<polyline points="{points}" fill="none" stroke="{TARGET_COLOR}" stroke-width="2" stroke-dasharray="6 4"/>')
        for d, v in targets:
            cx, cy = x(d), y(v)
            out.append(f'<path d="M{cx:.1f} {cy - 5:.1f} L{cx + 5:.1f} {cy:.1f} L{cx:.1f} {cy + 5:.1f} '
                       f'L{cx - 5:.1f} {cy:.1f} Z" fill="{TARGET_COLOR}"/>')
    if actual:
        points = " ".join(f"{x(d):.1f},{y(v):.1f}" for d, v in actual)
        out.append(f'<polyline points="{points}" fill="none" stroke="{ACTUAL_COLOR}" stroke-width="2"/>')
        for d, v in actual:
            out.append(f'<circle cx="{x(d):.1f}" cy="{y(v):.1f}" r="2.5" fill="{ACTUAL_COLOR}"/>')
    legend_y = pad_t + plot_h + 36
    out.append(f'<line x1="{pad_l}" x2="{pad_l + 20}" y1="{legend_y - 4}" y2="{legend_y - 4}" stroke="{ACTUAL_COLOR}" stroke-width="2"/>'
               f'<text x="{pad_l + 25}" y="{legend_y}" fill="#1d2733">{escape(actual_label)}</text>')
    legend_y += 14
    out.append(f'<line x1="{pad_l}" x2="{pad_l + 20}" y1="{legend_y - 4}" y2="{legend_y - 4}" stroke="{TARGET_COLOR}" '
               f'stroke-width="2" stroke-dasharray="6 4"/><text x="{pad_l + 25}" y="{legend_y}" fill="#1d2733">'
               f'{escape(target_label)}</text>')
    out.append("</svg>")
    return mark_safe("".join(out))  # noqa: S308 — every text above went through escape()


def _month_starts(first: datetime.date, last: datetime.date) -> list[datetime.date]:
    days, year, month = [], first.year, first.month
    day = datetime.date(year, month, 1)
    if day < first:
        month += 1
    while True:
        year, month = year + (month - 1) // 12, (month - 1) % 12 + 1
        day = datetime.date(year, month, 1)
        if day > last:
            return days or [first]
        days.append(day)
        month += 1


def roadmap_charts(roadmap, *, width: int = 360, height: int = 230, font_family: str = "inherit") -> list[SafeString]:
    """Target against actual for the communes covered and for the officers in post (a figure no milestone
    targets has no chart)."""
    from django.utils.translation import gettext as _

    charts = []
    for index, title in ((1, _("Communes covered: target and actual")), (2, _("Officers in post: target and actual"))):
        targets = [(row[0], row[index]) for row in roadmap.targets if row[index]]  # 0: no target for the figure
        if not targets:
            continue
        charts.append(target_chart(
            actual=[(row[0], row[index]) for row in roadmap.actual], targets=targets, as_of=roadmap.as_of,
            title=title, actual_label=_("Actual (the dashboard's figures)"), target_label=_("Target (milestones)"),
            marker_label=f"{roadmap.as_of:%d/%m/%Y}", width=width, height=height, font_family=font_family))
    return charts
