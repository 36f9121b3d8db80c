"""Milestones of a municipality's COVID-19 series for the crisis timeline, computed from the daily RKI
figures shipped in `panreflex/places/data/covid/district-timeseries-<AGS5>.tsv` (see SOURCES.md):
the first reported case and the peaks of the waves of the 7-day incidence per 100,000 inhabitants
(Cases_Last_Week_Per_Million / 10).

A day is a wave peak when it is the highest value within ±45 days, the incidence is at least 20, and
the peak is at least 1.5 times the lowest value since the previous peak (so small bumps inside a
wave do not count). Nothing is invented: every number shown is read or computed from the file."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path

from django.utils.formats import number_format
from django.utils.translation import gettext as _

DATA_DIR = Path(__file__).resolve().parents[2] / "places" / "data" / "covid"
WINDOW_DAYS = 45
MIN_INCIDENCE = 20.0
MIN_RISE = 1.5
SOURCE = "Robert Koch-Institut (RKI), dl-de/by-2.0, zusammengestellt von entorb (Daten verändert)"


@dataclass(frozen=True)
class Milestone:
    date: date
    title: str
    description: str
    source: str = SOURCE


@lru_cache(maxsize=8)
def _series(ags5: str) -> tuple[tuple[date, int, float], ...]:
    path = DATA_DIR / f"district-timeseries-{ags5}.tsv"
    if not path.exists():
        return ()
    out = []
    with path.open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            per_million = float(row.get("Cases_Last_Week_Per_Million") or 0)
            out.append((date.fromisoformat(row["Date"]), int(float(row.get("Cases") or 0)), per_million / 10))
    return tuple(out)


def available(ags5: str) -> bool:
    return bool(_series(ags5))


def wave_peaks(ags5: str) -> list[tuple[date, float]]:
    series = _series(ags5)
    values = [v for _d, _c, v in series]
    peaks: list[int] = []
    trough = float("inf")
    for i, value in enumerate(values):
        trough = min(trough, value)
        lo, hi = max(0, i - WINDOW_DAYS), min(len(values), i + WINDOW_DAYS + 1)
        if value < MIN_INCIDENCE or value != max(values[lo:hi]):
            continue
        if peaks and i - peaks[-1] <= WINDOW_DAYS:
            continue
        if peaks and value < MIN_RISE * max(trough, 1.0):
            continue
        peaks.append(i)
        trough = value
    return [(series[i][0], round(values[i], 1)) for i in peaks]


def milestones(ags5: str, place_name: str) -> list[Milestone]:
    series = _series(ags5)
    if not series:
        return []
    result = []
    first = next((d for d, cases, _v in series if cases > 0), None)
    if first:
        result.append(Milestone(first, _("First reported COVID-19 case in %(place)s") % {"place": place_name},
                                _("First day with a reported case in the RKI figures.")))
    for number, (day, value) in enumerate(wave_peaks(ags5), start=1):
        result.append(Milestone(
            day,
            _("Wave peak %(n)s in %(place)s: 7-day incidence %(value)s") % {
                "n": number, "place": place_name, "value": number_format(value, 1)},
            _("Highest 7-day incidence per 100,000 inhabitants within ±%(days)s days, computed from the RKI figures.")
            % {"days": WINDOW_DAYS},
        ))
    return result


def ags5_for_workshop(workshop) -> list[tuple[str, str]]:
    """(AGS5, place name) of the owning and involved organisations that have a series."""
    seen: dict[str, str] = {}
    orgs = [workshop.organisation, *workshop.organisations.select_related("place")]
    for org in orgs:
        place = getattr(org, "place", None)
        if place is not None and place.ags and available(place.ags[:5]):
            seen.setdefault(place.ags[:5], place.name)
    return list(seen.items())


def milestones_for_workshop(workshop) -> list[Milestone]:
    out: list[Milestone] = []
    for ags5, name in ags5_for_workshop(workshop):
        out.extend(milestones(ags5, name))
    return sorted(out, key=lambda m: m.date)
