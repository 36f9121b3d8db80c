"""Server-side SVG charts: horizontal bars, stacked bars (Likert) and histograms.

Every chart is accessible: the SVG has `role="img"`, a `<title>` and `<desc>`, and comes with a table
of the same numbers (`Chart.table`), so screen-reader users and people who print get the data too.
The SVG uses no script and no external resources, so it renders on pages (CSP-safe) and in WeasyPrint
PDFs alike. Usage:

    chart = bar_chart(title="Wer koordiniert?", rows=[("Krisenstab", 12), ("Gesundheitsamt", 5)])
    {{ chart.html }}            # figure with SVG + table alternative
    {{ chart.svg }} / {{ chart.table }}
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from decimal import Decimal

from django.utils.formats import number_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

# Colour-blind-safe palette with ≥ 3:1 contrast against white for the bars (Okabe–Ito, darkened)
PALETTE = ["#0b4f8a", "#b35900", "#1d6b2f", "#8a1c5c", "#5a4a00", "#006680", "#a3200b", "#4b3d8f"]
# Likert: diverging from red-brown to blue, the middle grey
DIVERGING = {
    2: ["#a3200b", "#0b4f8a"],
    3: ["#a3200b", "#6b7280", "#0b4f8a"],
    4: ["#a3200b", "#d9825b", "#5b8fc7", "#0b4f8a"],
    5: ["#a3200b", "#d9825b", "#9ca3af", "#5b8fc7", "#0b4f8a"],
    6: ["#a3200b", "#c4553a", "#e0a487", "#8fb3da", "#5b8fc7", "#0b4f8a"],
    7: ["#a3200b", "#c4553a", "#e0a487", "#9ca3af", "#8fb3da", "#5b8fc7", "#0b4f8a"],
}

_ids = itertools.count(1)


@dataclass
class Chart:
    title: str
    svg: SafeString
    table: SafeString
    summary: str = ""

    @property
    def html(self) -> SafeString:
        return mark_safe(  # noqa: S308 - every text inserted was escaped
            f'<figure class="chart">{self.svg}<details class="chart-table"><summary>'
            f'{escape(_("Show the numbers as a table"))}</summary>{self.table}</details></figure>'
        )

    def __str__(self) -> str:
        return str(self.html)


def _pct(part: int | float, whole: int | float) -> float:
    return (100.0 * part / whole) if whole else 0.0


def _fmt_pct(value: float) -> str:
    return number_format(round(value, 1), decimal_pos=1) + " %"


def _fmt(value) -> str:
    if isinstance(value, (int,)) or (isinstance(value, float) and value.is_integer()):
        return number_format(int(value), force_grouping=True)
    if isinstance(value, Decimal):
        value = float(value)
    return number_format(round(value, 2), decimal_pos=2 if isinstance(value, float) else None)


def _truncate(text: str, n: int = 34) -> str:
    text = str(text)
    return text if len(text) <= n else text[: n - 1] + "…"


def _svg_open(width: int, height: int, title: str, desc: str) -> tuple[str, str]:
    uid = next(_ids)
    tid, did = f"chart-t{uid}", f"chart-d{uid}"
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart-svg" role="img" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" aria-labelledby="{tid} {did}" '
        f'font-family="system-ui, DejaVu Sans, sans-serif" font-size="13">'
        f'<title id="{tid}">{escape(title)}</title><desc id="{did}">{escape(desc)}</desc>'
    )
    return head, "</svg>"


def bar_chart(*, title: str, rows: list[tuple[str, int]], total: int | None = None, caption: str = "") -> Chart:
    """Horizontal bars with count and percentage. `total` is the base for percentages (default: sum)."""
    base = total if total is not None else sum(c for _l, c in rows)
    label_w, bar_w, row_h = 230, 300, 26
    width = label_w + bar_w + 110
    height = max(1, len(rows)) * row_h + 16
    peak = max([c for _l, c in rows] + [1])
    desc = "; ".join(f"{label}: {count} ({_fmt_pct(_pct(count, base))})" for label, count in rows) or _("No answers")
    head, tail = _svg_open(width, height, title, desc)
    parts = [head]
    for i, (label, count) in enumerate(rows):
        y = 8 + i * row_h
        w = 0 if not peak else round(bar_w * count / peak)
        parts.append(
            f'<text x="{label_w - 8}" y="{y + 17}" text-anchor="end" fill="#1b1f24">{escape(_truncate(label, 30))}</text>'
            f'<rect x="{label_w}" y="{y + 4}" width="{w}" height="{row_h - 8}" fill="{PALETTE[0]}"></rect>'
            f'<text x="{label_w + w + 6}" y="{y + 17}" fill="#1b1f24">{escape(_fmt(count))} · {escape(_fmt_pct(_pct(count, base)))}</text>'
        )
    parts.append(tail)
    table = _table(
        caption or title,
        [_("Answer"), _("Count"), _("Percent")],
        [[label, _fmt(count), _fmt_pct(_pct(count, base))] for label, count in rows],
        footer=[_("Base"), _fmt(base), ""],
    )
    return Chart(title=title, svg=mark_safe("".join(parts)), table=table, summary=desc)  # noqa: S308


def stacked_bar_chart(*, title: str, categories: list[str], rows: list[tuple[str, list[int]]], caption: str = "") -> Chart:
    """100 % stacked bars, one per row (Likert items), segments per category (scale points)."""
    colours = DIVERGING.get(len(categories)) or [PALETTE[i % len(PALETTE)] for i in range(len(categories))]
    label_w, bar_w, row_h = 230, 380, 30
    legend_h = 24 * ((len(categories) + 2) // 3)
    width = label_w + bar_w + 20
    height = len(rows) * row_h + legend_h + 20
    desc_rows = []
    for label, counts in rows:
        total = sum(counts)
        desc_rows.append(f"{label}: " + ", ".join(f"{c} {_fmt_pct(_pct(n, total))}" for c, n in zip(categories, counts, strict=False)))
    head, tail = _svg_open(width, height, title, "; ".join(desc_rows) or _("No answers"))
    parts = [head]
    for i, (label, counts) in enumerate(rows):
        y = 8 + i * row_h
        total = sum(counts)
        parts.append(f'<text x="{label_w - 8}" y="{y + 19}" text-anchor="end" fill="#1b1f24">{escape(_truncate(label, 30))}</text>')
        x = float(label_w)
        for j, n in enumerate(counts):
            w = bar_w * n / total if total else 0
            if w <= 0:
                continue
            parts.append(f'<rect x="{x:.1f}" y="{y + 4}" width="{w:.1f}" height="{row_h - 8}" fill="{colours[j]}"></rect>')
            if w > 34:
                text_fill = "#ffffff" if j in (0, len(counts) - 1) or colours[j] in ("#a3200b", "#0b4f8a", "#6b7280") else "#1b1f24"
                parts.append(f'<text x="{x + w / 2:.1f}" y="{y + 19}" text-anchor="middle" fill="{text_fill}" font-size="11">'
                             f'{escape(str(round(_pct(n, total))))} %</text>')
            x += w
    ly = len(rows) * row_h + 16
    for j, cat in enumerate(categories):
        lx = 10 + (j % 3) * ((width - 20) // 3)
        yy = ly + (j // 3) * 24
        parts.append(f'<rect x="{lx}" y="{yy}" width="14" height="14" fill="{colours[j]}"></rect>'
                     f'<text x="{lx + 20}" y="{yy + 12}" fill="#1b1f24" font-size="12">{escape(_truncate(cat, 26))}</text>')
    parts.append(tail)
    table = _table(
        caption or title,
        ["", *categories, _("Base")],
        [[label, *[f"{_fmt(n)} ({_fmt_pct(_pct(n, sum(counts)))})" for n in counts], _fmt(sum(counts))] for label, counts in rows],
    )
    return Chart(title=title, svg=mark_safe("".join(parts)), table=table, summary="; ".join(desc_rows))  # noqa: S308


def histogram(*, title: str, values: list[float], bins: int = 10, unit: str = "", caption: str = "") -> Chart:
    """Distribution of numbers: equal-width bins, with n, mean, median, min and max in the table."""
    values = sorted(float(v) for v in values)
    if not values:
        return bar_chart(title=title, rows=[], caption=caption)
    lo, hi = values[0], values[-1]
    if lo == hi:
        edges = [lo, hi + 1]
        bins = 1
    else:
        bins = max(1, min(bins, len(set(values))))
        step = (hi - lo) / bins
        edges = [lo + i * step for i in range(bins)] + [hi]
    counts = [0] * bins
    for v in values:
        index = min(bins - 1, int((v - lo) / (edges[1] - edges[0]))) if bins > 1 else 0
        counts[index] += 1
    labels = [f"{_fmt(edges[i])}–{_fmt(edges[i + 1])}" for i in range(bins)]
    width, height, pad_l, pad_b = 560, 240, 40, 50
    plot_w, plot_h = width - pad_l - 10, height - pad_b - 20
    peak = max(counts)
    n = len(values)
    mean = sum(values) / n
    median = values[n // 2] if n % 2 else (values[n // 2 - 1] + values[n // 2]) / 2
    desc = _("%(n)s answers, mean %(mean)s, median %(median)s, from %(min)s to %(max)s") % {
        "n": n, "mean": _fmt(mean), "median": _fmt(median), "min": _fmt(lo), "max": _fmt(hi)}
    head, tail = _svg_open(width, height, title, desc)
    parts = [head, f'<line x1="{pad_l}" y1="{20 + plot_h}" x2="{width - 10}" y2="{20 + plot_h}" stroke="#505a66"></line>']
    bw = plot_w / bins
    for i, c in enumerate(counts):
        h = plot_h * c / peak if peak else 0
        x = pad_l + i * bw
        parts.append(f'<rect x="{x + 1:.1f}" y="{20 + plot_h - h:.1f}" width="{bw - 2:.1f}" height="{h:.1f}" fill="{PALETTE[0]}"></rect>')
        if c:
            parts.append(f'<text x="{x + bw / 2:.1f}" y="{16 + plot_h - h:.1f}" text-anchor="middle" font-size="11" fill="#1b1f24">{c}</text>')
        if bins <= 6 or i % 2 == 0:
            parts.append(f'<text x="{x + bw / 2:.1f}" y="{36 + plot_h}" text-anchor="middle" font-size="10" fill="#1b1f24">{escape(labels[i])}</text>')
    if unit:
        parts.append(f'<text x="{width - 10}" y="{height - 4}" text-anchor="end" font-size="11" fill="#505a66">{escape(unit)}</text>')
    parts.append(tail)
    rows = [[labels[i] + (f" {unit}" if unit else ""), _fmt(c), _fmt_pct(_pct(c, n))] for i, c in enumerate(counts)]
    table = _table(caption or title, [_("Range"), _("Count"), _("Percent")], rows,
                   footer=[_("Mean / median"), _fmt(mean), _fmt(median)])
    return Chart(title=title, svg=mark_safe("".join(parts)), table=table, summary=desc)  # noqa: S308


def _table(caption: str, headers: list[str], rows: list[list], footer: list | None = None) -> SafeString:
    out = [f'<table class="table chart-data"><caption>{escape(caption)}</caption><thead><tr>']
    out += [f'<th scope="col">{escape(h)}</th>' for h in headers]
    out.append("</tr></thead><tbody>")
    for row in rows:
        out.append(f'<tr><th scope="row">{escape(row[0])}</th>' + "".join(f'<td class="num">{escape(v)}</td>' for v in row[1:]) + "</tr>")
    out.append("</tbody>")
    if footer:
        out.append(f'<tfoot><tr><th scope="row">{escape(footer[0])}</th>' + "".join(f'<td class="num">{escape(v)}</td>' for v in footer[1:]) + "</tr></tfoot>")
    out.append("</table>")
    return mark_safe("".join(out))  # noqa: S308


def stacked_column_chart(*, title: str, categories: list[str], columns: list[tuple[str, list[int]]],
                         caption: str = "", first_header: str = "", total_header: str = "") -> Chart:
    """Vertical columns of counts over time (e.g. per week), each stacked by category, with the total on
    top and a legend; the table lists the same counts (one row per column)."""
    col_w, gap, plot_h, left, top = 44, 14, 180, 36, 20
    width = max(left + len(columns) * (col_w + gap) + 20, 620)  # room for three legend columns
    legend_rows = (len(categories) + 2) // 3
    height = top + plot_h + 30 + legend_rows * 20 + 8
    peak = max([sum(counts) for _l, counts in columns] + [1])
    desc = "; ".join(f"{label}: " + ", ".join(f"{c} {n}" for c, n in zip(categories, counts, strict=False))
                     for label, counts in columns)
    head, tail = _svg_open(width, height, title, desc)
    parts = [head, f'<line x1="{left}" y1="{top + plot_h}" x2="{width - 10}" y2="{top + plot_h}" stroke="#6b7280"></line>']
    for i, (label, counts) in enumerate(columns):
        x = left + i * (col_w + gap)
        y = top + plot_h
        for j, count in enumerate(counts):
            h = round(plot_h * count / peak)
            if h:
                y -= h
                parts.append(f'<rect x="{x}" y="{y}" width="{col_w}" height="{h}" fill="{PALETTE[j % len(PALETTE)]}" '
                             f'stroke="#fff"></rect>')
        parts.append(f'<text x="{x + col_w / 2}" y="{y - 4}" text-anchor="middle" fill="#1b1f24">{escape(_fmt(sum(counts)))}</text>'
                     f'<text x="{x + col_w / 2}" y="{top + plot_h + 16}" text-anchor="middle" fill="#1b1f24">'
                     f'{escape(_truncate(label, 8))}</text>')
    for j, name in enumerate(categories):
        lx, ly = 10 + (j % 3) * 200, top + plot_h + 32 + (j // 3) * 20
        parts.append(f'<rect x="{lx}" y="{ly}" width="12" height="12" fill="{PALETTE[j % len(PALETTE)]}"></rect>'
                     f'<text x="{lx + 18}" y="{ly + 11}" fill="#1b1f24">{escape(_truncate(name, 26))}</text>')
    parts.append(tail)
    table = _table(caption or title, [first_header or _("Period"), *categories, total_header or _("Total")],
                   [[label, *[_fmt(c) for c in counts], _fmt(sum(counts))] for label, counts in columns])
    return Chart(title=title, svg=mark_safe("".join(parts)), table=table, summary=desc)  # noqa: S308
