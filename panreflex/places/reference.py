"""Loading the shipped reference places (idempotent upsert by kind + AGS).

Called from a data migration, so that `panreflex migrate` alone gives a complete install, and from
`panreflex load-places` to refresh after a data update. Works with historical models (apps.get_model).
"""

from __future__ import annotations

import csv
import json
from datetime import date
from decimal import Decimal
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"

STATES = {
    "01": "Schleswig-Holstein", "02": "Hamburg", "03": "Niedersachsen", "04": "Bremen",
    "05": "Nordrhein-Westfalen", "06": "Hessen", "07": "Rheinland-Pfalz", "08": "Baden-Württemberg",
    "09": "Bayern", "10": "Saarland", "11": "Berlin", "12": "Brandenburg", "13": "Mecklenburg-Vorpommern",
    "14": "Sachsen", "15": "Sachsen-Anhalt", "16": "Thüringen",
}


def _geometries(filename: str, key: str) -> dict[str, dict]:
    with open(DATA / filename, encoding="utf-8") as fh:
        collection = json.load(fh)
    return {f["properties"][key]: f["geometry"] for f in collection["features"]}


def load_reference_places(Place) -> dict[str, int]:  # noqa: N803 - model class argument
    """Upsert Germany, the 16 states, 401 districts and 396 NRW municipalities. Returns counts."""
    counts = {"country": 0, "state": 0, "district": 0, "municipality": 0}

    def upsert(kind: str, ags: str, **fields):
        obj, _created = Place.objects.update_or_create(kind=kind, ags=ags, defaults=fields)
        counts[kind] += 1
        return obj

    germany = upsert("country", "DE", name="Deutschland", country_code="DE", type_label="Staat", source="")
    states = {
        code: upsert("state", code, name=name, country_code="DE", parent=germany, type_label="Land",
                     ars=code, source="")
        for code, name in STATES.items()
    }
    district_geo = _geometries("nrw-districts.geojson", "ars")
    districts = {}
    with open(DATA / "germany-districts.csv", encoding="utf-8") as fh:
        for row in csv.DictReader(fh, delimiter=";"):
            ags = row["AGS"].strip()
            districts[ags] = upsert(
                "district", ags,
                name=row["name"].strip(), country_code="DE", parent=states[ags[:2]], type_label=row["type"].strip(),
                ars=ags, nuts3=row["NUTS3"].strip(), population=int(row["population"]),
                population_date=date(2018, 12, 31), area_km2=Decimal(row["area_km2"]),
                boundary=district_geo.get(ags), source="germany-districts",
            )
    muni_geo = _geometries("nrw-municipalities.geojson", "ags")
    with open(DATA / "nrw-municipalities.csv", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            ags = row["ags"].strip()
            upsert(
                "municipality", ags,
                name=row["name"].strip(), country_code="DE", parent=districts[row["kreis_ags"].strip()],
                type_label=row["type"].strip(), ars=row["ars"].strip(),
                population=int(row["population_2019_12_31"]), population_date=date(2019, 12, 31),
                area_km2=Decimal(row["area_km2"]), postcode=row["postcode"].strip(),
                lon=float(row["lon"]), lat=float(row["lat"]), urbanisation=row["urbanisation"].strip(),
                boundary=muni_geo.get(ags), source="nrw-municipalities",
            )
    return counts
