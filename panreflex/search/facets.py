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


# --- facets counted and filtered by the database -----------------------------------------------------
# Every value is read from the practice tables themselves at the moment of the search, so a changed
# place (population, AGS, country) or vocabulary term counts right away; nothing is stored for it.
PRACTICE = Practice._meta.db_table
PLACE = Place._meta.db_table


def size_sql(column: str) -> str:
    """SQL CASE giving the size class code of a population column (NULL without a population)."""
    whens = " ".join(f"WHEN {column} >= {minimum} THEN '{code}'" for code, _l, minimum in SIZE_CLASSES)
    return f"(CASE {whens} END)"


def year_sql(column: str, vendor: str) -> str:
    """SQL giving the four-digit year of a date column as text."""
    if vendor == "postgresql":
        return f"to_char({column}, 'YYYY')"
    return f"substr({column}, 1, 4)"


def _place_condition(facet: Facet, values: list[str]) -> tuple[str, list]:
    marks = ", ".join(["%s"] * len(values))
    if facet.kind == "municipality":
        return f"x.place_id IN ({marks})", [int(v) for v in values]
    if facet.kind == "size":
        return f"{size_sql('pl.population')} IN ({marks})", list(values)
    if facet.kind == "state":
        return f"pl.country_code = 'DE' AND substr(pl.ags, 1, 2) IN ({marks})", list(values)
    return f"pl.country_code IN ({marks})", list(values)


def filter_sql(facet: Facet, values: list[str], vendor: str) -> tuple[str, list]:
    """SQL condition over the row `practices_practice` true when the example has one of `values` (raw
    values: term ids, place ids, size codes, state prefixes, countries, evidence ids, years)."""
    if not values:
        return "1 = 0", []
    marks = ", ".join(["%s"] * len(values))
    if facet.kind == "term":
        through = getattr(Practice, facet.relation).through._meta.db_table
        return (f"EXISTS (SELECT 1 FROM {through} x WHERE x.practice_id = {PRACTICE}.id AND x.term_id IN ({marks}))",
                [int(v) for v in values])
    if facet.kind == "evidence":
        return f"{PRACTICE}.evidence_strength_id IN ({marks})", [int(v) for v in values]
    if facet.kind == "year":
        return f"{year_sql(PRACTICE + '.period_start', vendor)} IN ({marks})", list(values)
    condition, params = _place_condition(facet, values)
    join = f" JOIN {PLACE} pl ON pl.id = x.place_id" if facet.kind != "municipality" else ""
    return (f"EXISTS (SELECT 1 FROM {PLACES_THROUGH._meta.db_table} x{join} "
            f"WHERE x.practice_id = {PRACTICE}.id AND {condition})", params)


def count_sql(facet: Facet, source: str, condition: str, vendor: str = "") -> str:
    """SQL of rows (key, value, count) counting the examples of `source` (a table of `id`s and a `year`
    and `evidence` column) per value of `facet`, over the rows where `condition` holds. On SQLite the
    source is read first (CROSS JOIN fixes the order): its few rows look their values up by index,
    instead of a scan of the whole relation in value order."""
    key = f"'{facet.key}'"
    join = "CROSS JOIN" if vendor == "sqlite" else "JOIN"
    if facet.kind == "term":
        through = getattr(Practice, facet.relation).through._meta.db_table
        return (f"SELECT {key}, CAST(x.term_id AS TEXT), COUNT(*) FROM {source} h {join} {through} x "
                f"ON x.practice_id = h.id WHERE {condition} GROUP BY x.term_id")
    if facet.kind == "evidence":
        return (f"SELECT {key}, CAST(h.evidence AS TEXT), COUNT(*) FROM {source} h "
                f"WHERE {condition} AND h.evidence IS NOT NULL GROUP BY h.evidence")
    if facet.kind == "year":
        return (f"SELECT {key}, h.year, COUNT(*) FROM {source} h "
                f"WHERE {condition} AND h.year IS NOT NULL GROUP BY h.year")
    through = PLACES_THROUGH._meta.db_table
    if facet.kind == "municipality":
        return (f"SELECT {key}, CAST(x.place_id AS TEXT), COUNT(*) FROM {source} h {join} {through} x "
                f"ON x.practice_id = h.id WHERE {condition} GROUP BY x.place_id")
    value = {"size": size_sql("pl.population"),
             "state": "(CASE WHEN pl.country_code = 'DE' AND pl.ags <> '' THEN substr(pl.ags, 1, 2) END)",
             "country": "pl.country_code"}[facet.kind]
    # an example with two places of one size class, state or country counts once there
    return (f"SELECT {key}, {value}, COUNT(DISTINCT h.id) FROM {source} h {join} {through} x ON x.practice_id = h.id "
            f"{join} {PLACE} pl ON pl.id = x.place_id WHERE {condition} AND {value} IS NOT NULL GROUP BY {value}")


# --- facets of a query's kept matches (at most `query.MAX_MATCHES`), counted in Python ----------------
def size_class(population: int | None) -> str | None:
    """The size class code of a population, as `size_sql` gives it."""
    if population is None:
        return None
    for code, _label, minimum in SIZE_CLASSES:
        if population >= minimum:
            return code
    return None


def ids_sql(column: str, ids: list[int], vendor: str) -> tuple[str, list]:
    """`column` is one of `ids`: one array parameter on PostgreSQL (no client-side list of thousands of
    parameters), a list on SQLite."""
    if vendor == "postgresql":
        return f"{column} = ANY(%s)", [list(ids)]
    return f"{column} IN ({', '.join(['%s'] * len(ids))})", list(ids)


def values_sql(ids: list[int], vendor: str) -> tuple[str, list]:
    """SQL of rows (practice id, facet key, value) of the examples `ids` for every facet read from a
    relation (vocabularies, places): one indexed lookup per relation, read at the moment of the search."""
    parts, params = [], []
    condition, condition_params = ids_sql("x.practice_id", ids, vendor)
    for facet in FACETS:
        if facet.kind == "term":
            through = getattr(Practice, facet.relation).through._meta.db_table
            parts.append(f"SELECT x.practice_id, '{facet.key}', CAST(x.term_id AS TEXT), CAST(NULL AS INTEGER), CAST(NULL AS TEXT), CAST(NULL AS TEXT) "
                         f"FROM {through} x WHERE {condition}")
            params += condition_params
    parts.append(f"SELECT x.practice_id, '@place', CAST(x.place_id AS TEXT), pl.population, pl.ags, pl.country_code "
                 f"FROM {PLACES_THROUGH._meta.db_table} x JOIN {PLACE} pl ON pl.id = x.place_id "
                 f"WHERE {condition}")
    params += condition_params
    return " UNION ALL ".join(parts), params


def count_values(docs: dict[int, dict[str, set[str]]], passing: dict[int, set[str]],
                 filters: dict[str, list[str]]) -> dict[str, dict[str, int]]:
    """{facet key: {value: count}}: every facet's values counted over the examples that pass every
    filter except the facet's own (`passing[id]`: the keys of the filters an example passes)."""
    counts: dict[str, dict[str, int]] = {}
    wanted = set(filters)
    for pk, values in docs.items():
        passed = passing[pk]
        failed = wanted - passed
        if len(failed) > 1:
            continue
        for key, vs in values.items():
            if failed and failed != {key}:
                continue
            bucket = counts.setdefault(key, {})
            for v in vs:
                bucket[v] = bucket.get(v, 0) + 1
    return counts


def place_values(place_id: str, population, ags, country) -> dict[str, str]:
    out = {"municipality": place_id}
    size = size_class(population)
    if size is not None:
        out["size"] = size
    if country == "DE" and ags:
        out["state"] = ags[:2]
    if country is not None:
        out["country"] = country
    return out
