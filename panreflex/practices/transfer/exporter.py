"""Exporting practice examples as CSV, XLSX or JSON in the import format (import of an export gives the
same examples). Spreadsheet formats go through `lib.tabular`, which neutralises formula injection.

Contact persons are exported only where they agreed to be named (data minimisation).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import date

from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from django.utils.translation import get_language

from panreflex.lib import tabular
from panreflex.places.models import Place

from ..models import Practice, PracticeSource
from . import columns as cols

EXPORT_FORMATS = {
    "csv": ("text/csv; charset=utf-8", "csv"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
    "json": ("application/json; charset=utf-8", "json"),
}
JSON_FORMAT_NAME = "panreflex-practices"
JSON_FORMAT_VERSION = 1


CHUNK = 500


def export_queryset(ids: list[int]) -> Iterable[Practice]:
    """The practices with these ids, in this order, with everything the export needs prefetched
    (in chunks, so that long results stay within the database's parameter limits)."""
    for start in range(0, len(ids), CHUNK):
        yield from _chunk(ids[start:start + CHUNK])


def _chunk(ids: list[int]) -> list[Practice]:
    qs: QuerySet[Practice] = (
        Practice.objects.filter(pk__in=ids)
        .select_related("organisation", "evidence_strength")
        .prefetch_related(
            Prefetch("places", queryset=Place.objects.defer("boundary")), "levels", "themes", "subtopics", "phases", "target_groups", "innovation_kinds",
            "actor_organisations", Prefetch("sources", queryset=PracticeSource.objects.order_by("position", "id")),
        )
    )
    by_id = {p.pk: p for p in qs}
    return [by_id[i] for i in ids if i in by_id]


def _month(value: date | None) -> str:
    return value.strftime("%Y-%m") if value else ""


def _codes(manager) -> list[str]:
    return [t.code for t in sorted(manager.all(), key=lambda t: (t.position, t.code))]


def practice_record(practice: Practice) -> dict:
    """One practice as {column key: JSON value} (lists for multi-valued columns)."""
    places = sorted(practice.places.all(), key=lambda p: (p.country_code != "DE", p.ags or p.name))
    countries = [p.country_code for p in places]
    if all(c == "DE" for c in countries):
        countries = []
    elif len(set(countries)) == 1:
        countries = countries[:1]
    consent = practice.contact_consent
    record = {
        "external_key": practice.external_key,
        "organisation": practice.organisation.slug,
        "title": practice.title,
        "title_en": practice.title_en,
        "summary": practice.summary,
        "summary_en": practice.summary_en,
        "description": practice.description,
        "municipality": [p.ags if p.country_code == "DE" and p.ags else p.name for p in places],
        "country": countries,
        "levels": _codes(practice.levels),
        "themes": _codes(practice.themes),
        "subtopics": _codes(practice.subtopics),
        "phases": _codes(practice.phases),
        "period_start": _month(practice.period_start),
        "period_end": _month(practice.period_end),
        "target_groups": _codes(practice.target_groups),
        "actors": [o.name for o in practice.actor_organisations.all()]
        + [line.strip() for line in practice.actors_text.splitlines() if line.strip()],
        "innovation_kinds": _codes(practice.innovation_kinds),
        "challenge": practice.challenge,
        "measures": practice.measures,
        "resources_staff": practice.resources_staff,
        "resources_cost": practice.resources_cost,
        "results": practice.results,
        "lessons": practice.went_well,
        "went_less_well": practice.went_less_well,
        "good_practice": [dict(item) for item in practice.good_practice or []],
        "transferability": practice.transfer_municipalities,
        "transfer_crises": practice.transfer_crises,
        "transfer_conditions": practice.transfer_conditions,
        "adaptation_germany": practice.adaptation_germany,
        "evidence_strength": practice.evidence_strength.code if practice.evidence_strength else "",
        "uncertainty_notes": practice.uncertainty_notes,
        "contact_name": practice.contact_name if consent else "",
        "contact_email": practice.contact_email if consent else "",
        "contact_consent": bool(consent and (practice.contact_name or practice.contact_email)),
        "sources": [
            {
                "title": s.title,
                "url": s.url,
                "published_on": s.published_on.isoformat() if s.published_on else "",
                "accessed_on": s.accessed_on.isoformat() if s.accessed_on else "",
            }
            for s in practice.sources.all()
        ],
        "visibility": practice.visibility,
        "status": practice.status,
    }
    return record


def record_cells(record: dict) -> list:
    """A record as spreadsheet cells in column order (multi-valued columns joined)."""
    cells = []
    for column in cols.COLUMNS:
        value = record.get(column.key)
        if column.kind == "sources":
            value = cols.join_cell([cols.format_source(s) for s in value])
        elif column.kind == "good_practice":
            value = cols.join_cell([cols.format_good_practice(g) for g in value])
        elif isinstance(value, list):
            value = cols.join_cell([str(v) for v in value])
        elif isinstance(value, bool):
            value = "yes" if value else "no"
        cells.append("" if value is None else value)
    return cells


def practices_export(*, practices: Iterable[Practice], fmt: str, language: str | None = None) -> tuple[bytes, str, str]:
    """(file content, content type, file name) of an export in `fmt` (csv, xlsx or json)."""
    if fmt not in EXPORT_FORMATS:
        raise ValueError(f"unknown export format {fmt!r}")
    language = language or get_language() or "de"
    records = [practice_record(p) for p in practices]
    stamp = timezone.localdate().isoformat()
    content_type, extension = EXPORT_FORMATS[fmt]
    filename = f"praxisbeispiele-{stamp}.{extension}"
    if fmt == "json":
        payload = {"format": JSON_FORMAT_NAME, "version": JSON_FORMAT_VERSION, "exported": stamp, "practices": records}
        return json.dumps(payload, ensure_ascii=False, indent=1).encode("utf-8"), content_type, filename
    headers = [c.header(language) for c in cols.COLUMNS]
    rows = [record_cells(r) for r in records]
    if fmt == "csv":
        return tabular.write_csv(headers, rows, delimiter=";"), content_type, filename
    return tabular.write_xlsx([("Praxisbeispiele", headers, rows)]), content_type, filename


def practice_export_ids(*, viewer, params) -> list[int]:
    """Ids of the practices of a search result the viewer may see, in rank order, from the search that
    registered itself (`core.registry.register_practice_search`); without one, every practice the viewer may see (newest first)."""
    from panreflex.accounts import access
    from panreflex.core.registry import practice_search_ids

    ids = practice_search_ids(viewer=viewer, params=params)
    if ids is None:  # pragma: no cover
        ids = list(Practice.objects.order_by("-published_at", "-created_at").values_list("pk", flat=True))
    # the search result is already limited to what the viewer may see; check again, cheaply
    visible = set(access.filter_visible(viewer, Practice.objects.all()).values_list("pk", flat=True))
    return [i for i in ids if i in visible]
