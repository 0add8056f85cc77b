"""Charts as inline SVG, drawn by the server from a page's own figures: a horizontal bar chart
(:func:`bar_chart`, one or two series) and a donut (:func:`donut`). No script, no font or
library fetched: a page draws offline and in the static export alike.

Every bar carries ``class="bar"`` and every slice ``class="slice"``, each with a ``<title>``
naming its label and its amount as printed (:func:`format_amount`: exact, in 万元), so a
reader hovering and a test counting see the same figures. Only positive amounts are drawn
(a bar of nothing has no length, and a donut no negative slice); the page's table lists every
figure. Geometry is computed in floats; the amounts shown are the exact decimals.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal

from budgetkg.web.text import esc, format_amount

FONT = "'WenQuanYi Zen Hei','Noto Sans CJK SC',sans-serif"
PALETTE = ("#3b6ea5", "#e08a2e", "#5a9e4b", "#c44e52", "#8172b2", "#937860", "#da8bc3", "#8c8c8c",
           "#64b5cd", "#ccb974")
WIDTH = 760                 # the chart's width in SVG units (it scales to the page)
LABEL_WIDTH = 250           # room for the labels left of the bars
AMOUNT_WIDTH = 130          # room for the amounts right of the bars
ROW = 24                    # height of one bar's row
LABEL_CHARS = 15            # characters of a label shown (the whole label is in the bar's title)


@dataclass(frozen=True)
class Bar:
    """One labelled figure of a chart; *href* makes its label a link; *values* are the amounts
    of each series (one, or two: this year and the last)."""
    label: str
    values: tuple[Decimal | None, ...]
    href: str | None = None


def shorten(label: str, chars: int = LABEL_CHARS) -> str:
    return label if len(label) <= chars else label[:chars - 1] + "…"


def _drawn(bars: list[Bar]) -> list[Bar]:
    return [b for b in bars if any(v is not None and v > 0 for v in b.values)]


def bar_chart(bars: list[Bar], title: str, series: tuple[str, ...] = ()) -> str:
    """A horizontal bar chart of *bars* (positive amounts), longest scale at the largest amount;
    with two *series* names, two bars a row and a legend. Empty when nothing is positive."""
    bars = _drawn(bars)
    if not bars:
        return ""
    n_series = max(len(b.values) for b in bars)
    top = max(v for b in bars for v in b.values if v is not None)
    scale = (WIDTH - LABEL_WIDTH - AMOUNT_WIDTH) / float(top)
    legend = 22 if len(series) > 1 else 0
    row = ROW if n_series == 1 else ROW + 10
    height = legend + row * len(bars) + 6
    parts = [f'<svg class="chart bar-chart" role="img" viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" '
             f'height="{height}" style="max-width:100%;height:auto" xmlns="http://www.w3.org/2000/svg" font-family="{esc(FONT)}" '
             f'font-size="13"><title>{esc(title)}</title>']
    if legend:
        for i, name in enumerate(series):
            x = LABEL_WIDTH + i * 160
            parts.append(f'<rect x="{x}" y="4" width="12" height="12" fill="{PALETTE[i]}"/>'
                         f'<text x="{x + 16}" y="15">{esc(name)}</text>')
    for i, bar in enumerate(bars):
        y = legend + i * row
        label = esc(shorten(bar.label))
        text = f'<text x="{LABEL_WIDTH - 8}" y="{y + row / 2 + 4:.1f}" text-anchor="end">{label}</text>'
        if bar.href:
            text = f'<a href="{esc(bar.href)}">{text}</a>'
        parts.append(text)
        thickness = (row - 6) / n_series
        for s, value in enumerate(bar.values):
            if value is None or value <= 0:
                continue
            width = max(1.0, float(value) * scale)
            by = y + 3 + s * thickness
            name = f"{series[s]} " if len(series) > 1 else ""
            parts.append(f'<rect class="bar series-{s}" x="{LABEL_WIDTH}" y="{by:.1f}" width="{width:.1f}" '
                         f'height="{thickness - 1:.1f}" fill="{PALETTE[s if n_series > 1 else 0]}">'
                         f'<title>{esc(bar.label)}：{esc(name)}{esc(format_amount(value))}</title></rect>'
                         f'<text x="{LABEL_WIDTH + width + 4:.1f}" y="{by + thickness / 2 + 3.5:.1f}" '
                         f'font-size="{11 if n_series > 1 else 12}" fill="#333">{esc(format_amount(value))}</text>')
    parts.append("</svg>")
    return "".join(parts)


def donut(parts: list[Bar], title: str, size: int = 200) -> str:
    """A donut of *parts* (each's first value; positive ones), with a legend giving each
    label, amount and share."""
    parts = _drawn(parts)
    if not parts:
        return ""
    whole = sum(p.values[0] for p in parts)
    r_out, r_in = size / 2 - 4, size / 4
    cx = cy = size / 2
    legend_x = size + 16
    width = legend_x + 420
    height = max(size, 22 * len(parts) + 8)
    out = [f'<svg class="chart donut" role="img" viewBox="0 0 {width} {height}" width="{width}" '
           f'height="{height}" style="max-width:100%;height:auto" xmlns="http://www.w3.org/2000/svg" font-family="{esc(FONT)}" '
           f'font-size="13"><title>{esc(title)}</title>']
    angle = -math.pi / 2
    for i, part in enumerate(parts):
        value = part.values[0]
        share = value / whole
        sweep = 2 * math.pi * float(share)
        color = PALETTE[i % len(PALETTE)]
        caption = f"{esc(part.label)}：{esc(format_amount(value))}（{share * 100:.1f}%）"
        out.append(f'<path class="slice" d="{_arc(cx, cy, r_out, r_in, angle, sweep)}" fill="{color}" '
                   f'stroke="#fff" stroke-width="1"><title>{caption}</title></path>')
        angle += sweep
        y = 8 + i * 22
        label = esc(shorten(part.label, 20))
        if part.href:
            label = f'<a href="{esc(part.href)}">{label}</a>'
        out.append(f'<rect x="{legend_x}" y="{y}" width="12" height="12" fill="{color}"/>'
                   f'<text x="{legend_x + 18}" y="{y + 11}">{label}</text>'
                   f'<text x="{width - 4}" y="{y + 11}" text-anchor="end">{esc(format_amount(value))}'
                   f'（{share * 100:.1f}%）</text>')
    out.append("</svg>")
    return "".join(out)


def _arc(cx: float, cy: float, r_out: float, r_in: float, start: float, sweep: float) -> str:
    """The path of a ring segment from angle *start* through *sweep* (radians); a whole ring is
    drawn as two halves, which one arc cannot."""
    if sweep >= 2 * math.pi - 1e-9:
        return (_arc(cx, cy, r_out, r_in, start, math.pi) + " "
                + _arc(cx, cy, r_out, r_in, start + math.pi, math.pi))
    end = start + sweep
    large = 1 if sweep > math.pi else 0

    def point(r, a):
        return f"{cx + r * math.cos(a):.2f} {cy + r * math.sin(a):.2f}"
    return (f"M {point(r_out, start)} A {r_out:.2f} {r_out:.2f} 0 {large} 1 {point(r_out, end)} "
            f"L {point(r_in, end)} A {r_in:.2f} {r_in:.2f} 0 {large} 0 {point(r_in, start)} Z")
