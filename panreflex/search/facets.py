"""Facets of the practice search: how each one filters and how its values are counted."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from panreflex.places.models import SIZE_CLASSES, Place
from panreflex.practices.models import Practice
from panreflex.taxonomy.models import Term

COUNTRY_NAMES = {
    "DE": _("Germany"), "AT": _("Austria"), "CH": _("Switzerland"), "NL": _("Netherlands"),
    "BE": _("Belgium"), "FR": _("France"), "DK": _("Denmark"), "SE": _("Sweden"), "NO": _("Norway"),
    "FI": _("Finland"), "GB": _("United Kingdom"), "IE": _("Ireland"), "IT": _("Italy"), "ES": _("Spain"),
    "PT": _("Portugal"), "PL": _("Poland"), "CZ": _("Czechia"), "US": _("United States"), "CA": _("Canada"),
    "KR": _("South Korea"), "JP": _("Japan"), "TW": _("Taiwan"), "NZ": _("New Zealand"), "AU": _("Australia"),
    "SG": _("Singapore"), "EE": _("Estonia"), "IL": _("Israel"), "GR": _("Greece"), "LU": _("Luxembourg"),
}


@dataclass(frozen=True)
class Facet:
    key: str  # URL parameter
    label: object
    kind: str  # term | evidence | municipality | size | state | country | year
    relation: str = ""  # Practice m2m field for kind "term"
    vocabulary: str = ""


FACETS: tuple[Facet, ...] = (
    Facet("theme", pgettext_lazy("search facet", "Focus theme"), "term", "themes", "theme"),
    Facet("subtopic", pgettext_lazy("search facet", "Subtopic"), "term", "subtopics", "subtopic"),
    Facet("phase", pgettext_lazy("search facet", "Crisis phase"), "term", "phases", "phase"),
    Facet("municipality", pgettext_lazy("search facet", "Municipality or city"), "municipality"),
    Facet("size", pgettext_lazy("search facet", "Size of municipality"), "size"),
    Facet("state", pgettext_lazy("search facet", "State"), "state"),
    Facet("country", pgettext_lazy("search facet", "Country"), "country"),
    Facet("level", pgettext_lazy("search facet", "Administrative level"), "term", "levels", "level"),
    Facet("target", pgettext_lazy("search facet", "Target group"), "term", "target_groups", "target_group"),
    Facet("innovation", pgettext_lazy("search facet", "Kind of innovation"), "term", "innovation_kinds", "innovation_kind"),
    Facet("evidence", pgettext_lazy("search facet", "Strength of evidence"), "evidence", vocabulary="evidence_strength"),
    Facet("year", pgettext_lazy("search facet", "Year (start of period)"), "year"),
)
FACETS_BY_KEY = {f.key: f for f in FACETS}
PLACES_THROUGH = Practice.places.through


def clean_values(facet: Facet, values: list[str]) -> list[str]:
    """Drop malformed values (they would only ever match nothing)."""
    out = []
    for v in values:
        v = v.strip()[:60]
        if not v:
            continue
        if facet.kind in ("municipality", "year") and not v.isdigit():
            continue
        if facet.kind == "size" and v not in {c for c, _l, _m in SIZE_CLASSES}:
            continue
        if v not in out:
            out.append(v)
    return out


@dataclass
class FacetValue:
    value: str
    label: str
    count: int
    selected: bool


@dataclass
class FacetResult:
    facet: Facet
    values: list[FacetValue]
    hidden: int = 0  # values left out (the page shows the most frequent ones first)

    @property
    def key(self) -> str:
        return self.facet.key

    @property
    def label(self):
        return self.facet.label

    @property
    def selected_count(self) -> int:
        return sum(1 for v in self.values if v.selected)


LONG_FACETS = ("municipality", "state", "country")  # many values, ordered by count


def label_facets(raw: dict[str, dict[str, int]], selected: dict[str, list[str]], *, limit: int | None = None,
                 expand: tuple[str, ...] = ()) -> list[FacetResult]:
    """Turn {facet key: {raw value: count}} into labelled, sorted facet results (two small lookups).

    `limit`: facets with many values (`LONG_FACETS`) keep only their `limit` most frequent values and the
    chosen ones, unless their key is in `expand`; `FacetResult.hidden` says how many were left out."""
    hidden: dict[str, int] = {}
    if limit is not None:
        raw = dict(raw)
        for key in LONG_FACETS:
            counts = raw.get(key, {})
            if key in expand or len(counts) <= limit:
                continue
            chosen = set(selected.get(key, []))
            top = sorted(counts, key=lambda v: (-counts[v], v))[:limit]
            keep = set(top) | (chosen & set(counts))
            raw[key] = {v: n for v, n in counts.items() if v in keep}
            hidden[key] = len(counts) - len(keep)
    term_ids = {int(v) for f in FACETS if f.kind in ("term", "evidence") for v in raw.get(f.key, {})}
    term_q = Q(pk__in=term_ids)
    for f in FACETS:
        if f.kind in ("term", "evidence") and selected.get(f.key):
            term_q |= Q(vocabulary=f.vocabulary, code__in=selected[f.key])
    found = list(Term.objects.filter(term_q)) if term_q.children and (term_ids or len(term_q.children) > 1) else []
    terms = {t.pk: t for t in found}
    terms_by_code = {(t.vocabulary, t.code): t for t in found}
    place_ids = {int(v) for v in raw.get("municipality", {})} | {
        int(v) for v in selected.get("municipality", []) if v.isdigit()
    }
    states = set(raw.get("state", {})) | set(selected.get("state", []))
    place_q = Q(pk__in=place_ids) | Q(kind=Place.Kind.STATE, ags__in=states)
    place_names, state_names = {}, {}
    for pk, name, kind, ags, country in Place.objects.filter(place_q).values_list("id", "name", "kind", "ags",
                                                                                 "country_code"):
        if pk in place_ids:
            place_names[str(pk)] = f"{name} ({country})" if kind == Place.Kind.CITY else name
        if kind == Place.Kind.STATE:
            state_names[ags] = name
    size_labels = {c: str(label) for c, label, _m in SIZE_CLASSES}
    results = []
    for facet in FACETS:
        counts = raw.get(facet.key, {})
        chosen = selected.get(facet.key, [])
        values = []
        keys = list(counts) + [v for v in chosen if v not in counts]
        for value in keys:
            if facet.kind in ("term", "evidence"):
                term = terms.get(int(value)) if value.isdigit() else None
                if term is None:
                    term = terms_by_code.get((facet.vocabulary, value))
                    if term is None:
                        continue
                code, label, order = term.code, term.label, (term.position, term.code)
            elif facet.kind == "municipality":
                code, label = value, place_names.get(value, value)
                order = (label,)
            elif facet.kind == "size":
                code, label = value, size_labels.get(value, value)
                order = ([c for c, _l, _m in SIZE_CLASSES].index(value) if value in size_labels else 99,)
            elif facet.kind == "state":
                code, label = value, state_names.get(value, value)
                order = (label,)
            elif facet.kind == "country":
                code, label = value, str(COUNTRY_NAMES.get(value, value))
                order = (label,)
            else:
                code, label, order = value, value, (-int(value) if value.isdigit() else 0,)
            count = counts.get(value, 0)
            values.append((order, FacetValue(code, label, count, code in chosen)))
        merged: dict[str, FacetValue] = {}
        for _order, fv in sorted(values, key=lambda x: x[0]):
            if fv.value in merged:
                merged[fv.value].count += fv.count
                merged[fv.value].selected |= fv.selected
            else:
                merged[fv.value] = fv
        if merged:
            ordered = list(merged.values())
            if facet.kind in ("municipality", "state", "country"):
                ordered.sort(key=lambda fv: (-fv.count, fv.label))
            results.append(FacetResult(facet, ordered, hidden.get(facet.key, 0)))
    return results


# --- facet codes stored in the index (one row per example: counted in Python, no per-hit joins) -------
def _size_code(population) -> str | None:
    if population is None:
        return None
    for code, _l, minimum in SIZE_CLASSES:
        if population >= minimum:
            return code
    return None


def facet_codes(ids: list[int]) -> dict[int, str]:
    """{practice id: "key=value key=value …"}: the facet values of each example, as the search counts
    them (term and place ids, size class, state AGS prefix, country, evidence id, start year)."""
    codes: dict[int, list[str]] = {i: [] for i in ids}
    if not ids:
        return {}
    for facet in FACETS:
        if facet.kind == "term":
            through = getattr(Practice, facet.relation).through
            for pid, term_id in through.objects.filter(practice_id__in=ids).values_list("practice_id", "term_id"):
                codes[pid].append(f"{facet.key}={term_id}")
    rows = PLACES_THROUGH.objects.filter(practice_id__in=ids).values_list(
        "practice_id", "place_id", "place__population", "place__country_code", "place__ags")
    for pid, place_id, population, country, ags in rows:
        own = codes[pid]
        own.append(f"municipality={place_id}")
        for code in (f"size={_size_code(population)}" if _size_code(population) else None,
                     f"state={ags[:2]}" if country == "DE" and ags else None,
                     f"country={country}" if country is not None else None):
            if code and code not in own:  # size, state and country count each example once
                own.append(code)
    for pid, evidence_id, start in Practice.objects.filter(pk__in=ids).values_list(
            "pk", "evidence_strength_id", "period_start"):
        if evidence_id is not None:
            codes[pid].append(f"evidence={evidence_id}")
        if start is not None:
            codes[pid].append(f"year={start.year:04d}")
    return {pid: " ".join(c) for pid, c in codes.items()}
