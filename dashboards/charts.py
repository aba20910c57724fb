"""Server-side SVG charts: the same markup serves the web page and the WeasyPrint reports.

No JavaScript, no external fonts or files; every text is escaped.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe


@dataclass(frozen=True)
class Series:
    label: str
    values: Sequence[int]
    color: str
    dashed: bool = False


def _nice_max(value: int) -> int:
    """A round axis maximum at or above `value` (10, 20, 50, 100, 200, 500, ...)."""
    if value <= 0:
        return 10
    step = 1
    while True:
        for m in (1, 2, 5):
            if value <= m * step * 10:
                return m * step * 10
        step *= 10


def line_chart(
    *,
    days: Sequence[datetime.date],
    left: Series,
    right: Series | None = None,
    marker: datetime.date | None = None,
    marker_label: str = "",
    title: str = "",
    width: int = 720,
    height: int = 280,
) -> SafeString:
    """A line chart over `days`, `left` on the left axis and `right` (optional) on its own right axis."""
    pad_l, pad_r, pad_t, pad_b = 48, 52 if right else 16, 34 if title else 14, 58
    # Legend entries side by side while they fit the width, else on a line of their own (a narrow phone chart).
    legend, lx, row = [], pad_l, 0
    for series in [left] + ([right] if right is not None else []):
        if lx > pad_l and lx + 28 + 7 * len(series.label) > width:
            lx, row = pad_l, row + 1
        legend.append((series, lx, row))
        lx += 40 + 7 * len(series.label)
    pad_b += 16 * row
    plot_w, plot_h = width - pad_l - pad_r, height - pad_t - pad_b
    n = len(days)

    span = (days[-1] - days[0]).days if n > 1 else 0

    def at(day: datetime.date) -> float:
        # Position by date, not by index: the last point (the as-of day) is rarely a month's end.
        return pad_l + (plot_w * (day - days[0]).days / span if span else plot_w / 2)

    def x(i: int) -> float:
        return at(days[i])

    def scale(series: Series):
        top = _nice_max(max(series.values, default=0))
        return top, (lambda v: pad_t + plot_h - plot_h * v / top)

    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" aria-label="{escape(title)}" '
        f'font-family="inherit" font-size="11">'
    ]
    if title:
        out.append(f'<text x="{pad_l}" y="18" font-size="13" font-weight="bold" fill="#1d2733">{escape(title)}</text>')
    left_top, ly = scale(left)
    # Every round maximum (10, 20, 50 × 10^k) splits into five even steps: 0, 2, 4 … 10.
    for k in range(6):
        value = left_top * k // 5
        y = ly(value)
        out.append(f'<line x1="{pad_l}" x2="{pad_l + plot_w}" y1="{y:.1f}" y2="{y:.1f}" stroke="#e3e7ec"/>')
        out.append(f'<text x="{pad_l - 6}" y="{y + 4:.1f}" text-anchor="end" fill="{left.color}">{value}</text>')
    if right is not None:
        right_top, ry = scale(right)
        for k in range(6):
            value = right_top * k // 5
            out.append(
                f'<text x="{pad_l + plot_w + 6}" y="{ry(value) + 4:.1f}" fill="{right.color}">{value}</text>'
            )
    out.append(
        f'<line x1="{pad_l}" x2="{pad_l + plot_w}" y1="{pad_t + plot_h}" y2="{pad_t + plot_h}" stroke="#8a96a3"/>'
    )
    # Month labels: as many as fit (about 56 px each), always the last; none crowding the last.
    every = max(1, -(-n // max(2, plot_w // 56)))
    label_gap = 56
    for i, day in enumerate(days):
        last = i == n - 1
        if (i % every == 0 and (last or at(days[-1]) - x(i) >= label_gap)) or last:
            out.append(
                f'<text x="{x(i):.1f}" y="{pad_t + plot_h + 14}" text-anchor="middle" fill="#5b6775">'
                f"{day:%m/%Y}</text>"
            )
    if marker is not None and n and days[0] <= marker <= days[-1]:
        mx = at(marker)
        out.append(
            f'<line x1="{mx:.1f}" x2="{mx:.1f}" y1="{pad_t}" y2="{pad_t + plot_h}" stroke="#8b1a1a" '
            f'stroke-dasharray="3 3"/>'
        )
        anchor = "end" if mx > pad_l + plot_w * 0.7 else "start"
        dx = -4 if anchor == "end" else 4
        out.append(
            f'<text x="{mx + dx:.1f}" y="{pad_t + 10}" text-anchor="{anchor}" fill="#8b1a1a">{escape(marker_label)}</text>'
        )
    for series, y_of in [(left, ly)] + ([(right, ry)] if right is not None else []):
        points = " ".join(f"{x(i):.1f},{y_of(v):.1f}" for i, v in enumerate(series.values))
        dash = ' stroke-dasharray="6 4"' if series.dashed else ""
        out.append(f'<polyline points="{points}" fill="none" stroke="{series.color}" stroke-width="2"{dash}/>')
        for i, v in enumerate(series.values):
            out.append(f'<circle cx="{x(i):.1f}" cy="{y_of(v):.1f}" r="2.5" fill="{series.color}"/>')
    # Legend under the axis.
    for series, lx, row in legend:
        ly_legend = pad_t + plot_h + 44 + 16 * row
        dash = ' stroke-dasharray="6 4"' if series.dashed else ""
        out.append(
            f'<line x1="{lx}" x2="{lx + 22}" y1="{ly_legend - 4}" y2="{ly_legend - 4}" stroke="{series.color}" '
            f'stroke-width="2"{dash}/>'
        )
        out.append(f'<text x="{lx + 28}" y="{ly_legend}" fill="#1d2733">{escape(series.label)}</text>')
    out.append("</svg>")
    return mark_safe("".join(out))  # noqa: S308 — every text above went through escape()


def rollout_chart(points, *, as_of: datetime.date, communes_label: str, officers_label: str,
                  marker_label: str, title: str = "", width: int = 720, height: int = 280) -> SafeString:
    """The roll-out: communes covered (left axis) and officers in post (right axis), month by month."""
    return line_chart(
        days=[p.day for p in points],
        left=Series(communes_label, [p.communes_covered for p in points], "#1f4e79"),
        right=Series(officers_label, [p.officers_in_post for p in points], "#b35900", dashed=True),
        marker=as_of,
        marker_label=marker_label,
        title=title,
        width=width,
        height=height,
    )
