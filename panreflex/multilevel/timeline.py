"""The chronology drawn as server-side SVG: one swimlane per level on a shared time axis, and beneath it
the series (7-day incidence, ICU occupancy, stringency index) on the same axis; plus the computed lead
times (announced → in force) and local reaction times (higher rule → local measure).

The SVG is built as a string (not in a template loop): 5,000 events render in a few milliseconds.
Series are reduced to at most one point per pixel column, keeping the maximum of the column so that
peaks stay visible at every zoom level.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from html import escape

from django.utils.formats import date_format, get_format, number_format
from django.utils.translation import gettext as _

from .models import LEVEL_RANK, Level

WIDTH = 1000
LABEL_W = 170
PLOT_W = WIDTH - LABEL_W - 10
SUBROWS = 3
ROW_H = 11
LANE_H = SUBROWS * ROW_H + 10
AXIS_H = 26
SERIES_H = 64
SERIES_GAP = 14
DEFAULT_LANES = (Level.FEDERAL, Level.STATE, Level.MUNICIPALITY)

# zoom levels offered as links (label, days)
ZOOMS = [("3y", 3 * 365), ("1y", 365), ("3m", 91), ("1m", 30), ("1w", 7)]
DATA_START = date(2020, 1, 1)
DATA_END = date(2023, 6, 1)


@dataclass
class Window:
    start: date
    end: date

    @property
    def days(self) -> int:
        return max(1, (self.end - self.start).days + 1)

    def x(self, day: date) -> float:
        return LABEL_W + (day - self.start).days * PLOT_W / self.days

    def zoomed(self, days: int) -> Window:
        centre = self.start + timedelta(days=self.days // 2)
        start = centre - timedelta(days=days // 2)
        return Window(start, start + timedelta(days=days - 1))

    def shifted(self, direction: int) -> Window:
        step = timedelta(days=max(1, self.days // 2) * direction)
        return Window(self.start + step, self.end + step)

    def query(self) -> str:
        return f"from={self.start.isoformat()}&to={self.end.isoformat()}"


def parse_window(start: str | None, end: str | None) -> Window:
    """The requested window (ISO dates), clamped to between one week and the whole crisis (3.5 years)."""
    try:
        s = date.fromisoformat(start) if start else DATA_START
    except ValueError:
        s = DATA_START
    try:
        e = date.fromisoformat(end) if end else DATA_END
    except ValueError:
        e = DATA_END
    if e < s:
        s, e = e, s
    if (e - s).days < 6:
        e = s + timedelta(days=6)
    if (e - s).days > 4 * 366:
        e = s + timedelta(days=4 * 366)
    return Window(s, e)


def lanes_for(levels) -> list[str]:
    present = set(levels) | set(DEFAULT_LANES)
    return sorted(present, key=lambda lv: LEVEL_RANK[Level(lv)])


def _ticks(window: Window) -> tuple[list[date], str]:
    days = window.days
    out: list[date] = []
    if days > 400:
        d = date(window.start.year, ((window.start.month - 1) // 3) * 3 + 1, 1)
        fmt = "M Y"
        while d <= window.end:
            if d >= window.start:
                out.append(d)
            d = date(d.year + (d.month + 2) // 12, (d.month + 2) % 12 + 1, 1)
        return out, fmt
    if days > 60:
        d = date(window.start.year, window.start.month, 1)
        while d <= window.end:
            if d >= window.start:
                out.append(d)
            d = date(d.year + d.month // 12, d.month % 12 + 1, 1)
        return out, "M Y"
    step = 7 if days > 14 else 1
    d = window.start
    while d <= window.end:
        out.append(d)
        d += timedelta(days=step)
    return out, "j. M"


def _downsample(values: list, first: date, window: Window) -> list[tuple[float, float]]:
    """(x, value) points inside the window, at most one per pixel column (the column's maximum)."""
    offset = (window.start - first).days
    scale = PLOT_W / window.days
    columns: dict[int, tuple[float, int]] = {}
    for i in range(max(0, offset), min(len(values), offset + window.days)):
        v = values[i]
        if v is None:
            continue
        col = int((i - offset) * scale)
        if col not in columns or v > columns[col][0]:
            columns[col] = (v, i)
    return [(LABEL_W + (i - offset + 0.5) * scale, v) for _c, (v, i) in sorted(columns.items())]


@dataclass
class Chart:
    svg: str
    height: int
    lanes: list[str] = field(default_factory=list)
    shown: int = 0


def render(*, events, series, window: Window, level_labels: dict[str, str], title: str) -> Chart:
    """events: iterable of objects with pk, level, start, date_end, title, dataset;
    series: Series objects (kind, title, credit, start, values)."""
    events = list(events)
    from django.urls import reverse

    href = reverse("multilevel:event", kwargs={"pk": 0}).replace("/0/", "/{}/")  # one reverse, not one per event
    lanes = lanes_for(e.level for e in events)
    lane_y = {lv: AXIS_H + i * LANE_H for i, lv in enumerate(lanes)}
    lanes_bottom = AXIS_H + len(lanes) * LANE_H
    height = lanes_bottom + len(series) * (SERIES_H + SERIES_GAP) + 10
    desc = _("One swimlane per level with the events as marks (bars show how long a rule was in force); beneath, "
             "the series on the same time axis. The table below lists the same events.")
    maximum = _("max.")
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="timeline-svg" viewBox="0 0 {WIDTH} {height}" '
        f'role="img" aria-labelledby="tl-title tl-desc" data-start="{window.start.isoformat()}" '
        f'data-days="{window.days}" data-label-w="{LABEL_W}" data-plot-w="{PLOT_W}">',
        f'<title id="tl-title">{escape(title)}</title>',
        f'<desc id="tl-desc">{escape(desc)}</desc>',
    ]
    ticks, fmt = _ticks(window)
    for d in ticks:
        x = window.x(d)
        parts.append(f'<line class="tick" x1="{x:.1f}" y1="{AXIS_H - 4}" x2="{x:.1f}" y2="{height - 8}"/>')
        parts.append(f'<text class="tick-label" x="{x + 2:.1f}" y="{AXIS_H - 8}">{escape(date_format(d, fmt))}</text>')
    for lv in lanes:
        y = lane_y[lv]
        parts.append(f'<rect class="lane lane-{lv}" x="0" y="{y}" width="{WIDTH}" height="{LANE_H - 2}"/>')
        parts.append(f'<text class="lane-label" x="6" y="{y + LANE_H / 2 + 4:.0f}">{escape(level_labels.get(lv, lv))}</text>')
    # events: one subrow per event, chosen so that marks in a lane overlap as little as possible
    last_x: dict[tuple[str, int], float] = defaultdict(lambda: -1e9)
    shown = 0
    short_dates: dict[date, str] = {}  # formatted once per day, not once per event
    strf = {"d.m.Y": "%d.%m.%Y", "m/d/Y": "%m/%d/%Y", "Y-m-d": "%Y-%m-%d"}.get(get_format("SHORT_DATE_FORMAT"))
    x_min, x_max = LABEL_W, LABEL_W + PLOT_W
    for e in events:
        if e.level not in lane_y:
            continue
        x1 = max(x_min, window.x(e.start))
        end = e.date_end or e.start
        x2 = min(x_max, window.x(end + timedelta(days=1)))
        if x2 < x_min or x1 > x_max:
            continue
        row = min(range(SUBROWS), key=lambda r: last_x[(e.level, r)])
        last_x[(e.level, row)] = x2
        y = lane_y[e.level] + 4 + row * ROW_H
        w = max(3.0, x2 - x1)
        day = short_dates.get(e.start)
        if day is None:
            day = short_dates[e.start] = e.start.strftime(strf) if strf else date_format(e.start, "SHORT_DATE_FORMAT")
        label = f"{day}: {e.title}"
        parts.append(
            f'<rect class="ev ev-{e.dataset}" x="{x1:.1f}" y="{y}" width="{w:.1f}" height="{ROW_H - 3}" '
            f'data-href="{href.format(e.pk)}"><title>{escape(label[:300])}</title></rect>'
        )
        shown += 1
    # series beneath
    y0 = lanes_bottom + SERIES_GAP
    for s in series:
        points = _downsample(s.values, s.start, window)
        top = max((v for _x, v in points), default=0) or 1
        ceiling = 100.0 if s.kind == "stringency" and top <= 100 else top
        parts.append(f'<rect class="series-bg" x="{LABEL_W}" y="{y0}" width="{PLOT_W}" height="{SERIES_H}"/>')
        words, lines = s.title.split(), [""]
        for word in words:
            if lines[-1] and len(lines[-1]) + len(word) > 24 and len(lines) < 2:
                lines.append("")
            lines[-1] = f"{lines[-1]} {word}".strip()
        label = "".join(f'<tspan x="6" dy="{0 if i == 0 else 13}">{escape(line[:30])}</tspan>' for i, line in enumerate(lines))
        parts.append(f'<text class="series-label" x="6" y="{y0 + 14}">{label}</text>')
        parts.append(f'<text class="series-scale" x="6" y="{y0 + 44}">{escape(maximum)} {escape(number_format(ceiling, 0))}</text>')
        if points:
            coords = " ".join(f"{x:.1f},{y0 + SERIES_H - v / ceiling * SERIES_H:.1f}" for x, v in points)
            parts.append(f'<polyline class="series series-{s.kind}" points="{coords}"/>')
        y0 += SERIES_H + SERIES_GAP
    parts.append("</svg>")
    return Chart(svg="".join(parts), height=height, lanes=lanes, shown=shown)


# --- lead and reaction times --------------------------------------------------------------------------
@dataclass
class TimeStats:
    label: str
    count: int
    median: float | None
    mean: float | None
    minimum: int | None
    maximum: int | None


def _stats(label: str, values: list[int]) -> TimeStats:
    if not values:
        return TimeStats(label, 0, None, None, None, None)
    return TimeStats(label, len(values), statistics.median(values), round(statistics.fmean(values), 1), min(values),
                     max(values))


def lead_times(events, level_labels: dict[str, str]) -> list[TimeStats]:
    """Per level: days from announcement to entry into force, over the events that have both dates."""
    by_level: dict[str, list[int]] = defaultdict(list)
    for e in events:
        if e.date_announced and e.date_in_force:
            by_level[e.level].append((e.date_in_force - e.date_announced).days)
    return [_stats(level_labels.get(lv, lv), vals) for lv, vals in
            sorted(by_level.items(), key=lambda kv: LEVEL_RANK[Level(kv[0])])]


def reaction_times(links, level_labels: dict[str, str]) -> list[TimeStats]:
    """Per level of the higher rule: days from the higher rule's start to the local measure's start."""
    by_level: dict[str, list[int]] = defaultdict(list)
    for link in links:
        by_level[link.higher.level].append((link.lower.start - link.higher.start).days)
    return [_stats(level_labels.get(lv, lv), vals) for lv, vals in
            sorted(by_level.items(), key=lambda kv: LEVEL_RANK[Level(kv[0])])]
