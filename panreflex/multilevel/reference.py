"""Loading the shipped chronology and series (idempotent upsert), from a data migration so that
`panreflex migrate` alone gives a complete install, and from `panreflex load-chronology` after a data
update. Works with historical models (apps.get_model): nothing here relies on model methods.

- events: `data/events-oxcgrt-deu.csv`, `events-cccsl-deu-nrw.csv`, `events-curated-de-nw.csv`
  (see `data/SOURCES.md`); the three files keep their dataset (and licence) on every row;
- series: the OxCGRT stringency index and the daily level of the indicators (`OXCGRT_INDICATORS`, drawn
  under a navigator topic's events) for Germany (`data/oxcgrt-deu-daily.csv`) and, per partner city,
  the 7-day incidence per 100,000 (Cases_Last_Week_Per_Million / 10) and the share of ICU beds occupied
  by COVID-19 patients (DIVI) from `places/data/covid/district-timeseries-<AGS5>.tsv`.
"""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"
COVID = Path(__file__).resolve().parents[1] / "places" / "data" / "covid"

EVENT_FILES = {
    "oxcgrt": "events-oxcgrt-deu.csv",
    "cccsl": "events-cccsl-deu-nrw.csv",
    "curated": "events-curated-de-nw.csv",
}
OXCGRT_CREDIT = ("Oxford COVID-19 Government Response Tracker, Blavatnik School of Government, University of "
                 "Oxford (CC BY 4.0), Daten verändert / data modified")
RKI_CREDIT = "Robert Koch-Institut (RKI), dl-de/by-2.0, zusammengestellt von entorb (Daten verändert)"
PARTNER_CITIES = ("05111", "05113", "05315", "05513", "05913")


def _date(text: str) -> date | None:
    text = (text or "").strip()
    return date.fromisoformat(text) if text else None


def _kind(dataset: str, row: dict) -> str:
    if dataset == "oxcgrt":
        return "indicator"
    title = row["title"].lower()
    if dataset == "curated":
        if "verordnung" in title or "coronaschvo" in title:
            return "ordinance"
        if "gesetz" in title:
            return "law"
        if "bund-länder" in title or "ministerpräsident" in title:
            return "decision"
    if dataset == "cccsl" and ("educate" in title or "communicat" in title):
        return "communication"
    return "measure"


def load_events(Event) -> dict[str, int]:  # noqa: N803 - model class argument
    from .models import TOPIC_FROM_SOURCE

    counts = {}
    for dataset, filename in EVENT_FILES.items():
        counts[dataset] = 0
        with open(DATA / filename, encoding="utf-8") as fh:
            for row in csv.DictReader(fh):
                announced, in_force = _date(row["date_announced"]), _date(row["date_in_force"])
                Event.objects.update_or_create(
                    dataset=dataset, key=row["event_id"].strip(),
                    defaults=dict(
                        organisation=None, visibility="public", released_at=None, municipality=None,
                        level=row["level"].strip(), jurisdiction=row["jurisdiction"].strip(),
                        kind=_kind(dataset, row), topic=str(TOPIC_FROM_SOURCE[row["topic"].strip()].value),
                        title=row["title"].strip()[:500], legal_basis=row["legal_basis"].strip()[:300],
                        date_announced=announced, date_in_force=in_force, date_end=_date(row["date_end"]),
                        start=in_force or announced, source_ref=row["source_ref"].strip()[:300],
                        source_url=row["source_url"].strip()[:1000], source_label=row["source_dataset"].strip()[:200],
                        measure_code=row["measure_code"].strip()[:300], value=row["value"].strip()[:300],
                        previous_value=row["previous_value"].strip()[:300], note=row["note"].strip(),
                    ),
                )
                counts[dataset] += 1
    return counts


def _float(text: str) -> float | None:
    text = (text or "").strip()
    if not text or text.upper() == "NA":
        return None
    return round(float(text), 2)


def load_series(Series, Place) -> int:  # noqa: N803 - model class arguments
    n = 0
    with open(DATA / "oxcgrt-deu-daily.csv", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    Series.objects.update_or_create(
        municipality=None, kind="stringency", label="",
        defaults=dict(credit=OXCGRT_CREDIT, start=date.fromisoformat(rows[0]["date"]),
                      values=[_float(r["stringency_index"]) for r in rows]),
    )
    n += 1
    from .models import OXCGRT_INDICATORS

    for column in OXCGRT_INDICATORS:
        Series.objects.update_or_create(
            municipality=None, kind="indicator", label=column,
            defaults=dict(credit=OXCGRT_CREDIT, start=date.fromisoformat(rows[0]["date"]),
                          values=[_float(r[column]) for r in rows]),
        )
        n += 1
    for ags5 in PARTNER_CITIES:
        path = COVID / f"district-timeseries-{ags5}.tsv"
        place = Place.objects.filter(kind="municipality", ags=f"{ags5}000").first()
        if place is None or not path.exists():
            continue
        with path.open(encoding="utf-8") as fh:
            rows = list(csv.DictReader(fh, delimiter="\t"))
        first = date.fromisoformat(rows[0]["Date"])
        incidence = [None if (v := _float(r.get("Cases_Last_Week_Per_Million", ""))) is None else round(v / 10, 1)
                     for r in rows]
        icu = [_float(r.get("DIVI_Intensivstationen_Covid_Prozent", "")) for r in rows]
        for kind, values in (("incidence", incidence), ("icu", icu)):
            if not any(v is not None for v in values):
                continue
            Series.objects.update_or_create(
                municipality=place, kind=kind, label="",
                defaults=dict(credit=RKI_CREDIT, start=first, values=values),
            )
            n += 1
    return n
