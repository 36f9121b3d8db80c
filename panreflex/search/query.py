"""Running a practice search: params → query plan → ranked ids, page, facet counts, snippets.

Visibility always comes from `access.filter_visible` on the Practice table; the index only answers
"which documents contain these tokens, how well". The same query plan is rendered for SQLite FTS5
(bm25) or PostgreSQL (tsquery + ts_rank) by `backends`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.db.models import Prefetch, QuerySet, prefetch_related_objects
from django.db.models.expressions import RawSQL

from panreflex.accounts import access
from panreflex.places.models import Place
from panreflex.practices.models import Practice

from . import backends, index
from .analysis import QueryPlan, analyse_query, parse_synonyms
from .facets import (
    FACETS,
    FACETS_BY_KEY,
    apply_filter,
    clean_values,
    count_codes,
    facet_codes,
    facet_select,
    label_facets,
)
from .models import SearchDocument, SearchFacets, Synonym

SORTS = ("relevance", "newest", "period")
PAGE_SIZE = 20
MAX_QUERY_LENGTH = 200


@dataclass
class SearchParams:
    q: str = ""
    filters: dict[str, list[str]] = field(default_factory=dict)
    sort: str = "relevance"  # the order used
    page: int = 1
    page_size: int = PAGE_SIZE
    sort_choice: str = "relevance"  # what the sort menu shows (relevance = "best first when there are words")

    @classmethod
    def from_mapping(cls, params: Mapping[str, Any], *, page_size: int = PAGE_SIZE) -> SearchParams:
        def getlist(key: str) -> list[str]:
            if hasattr(params, "getlist"):
                return [str(v) for v in params.getlist(key)]
            value = params.get(key)
            if value is None:
                return []
            return [str(v) for v in value] if isinstance(value, (list, tuple)) else [str(value)]

        q = " ".join(" ".join(getlist("q")).split())[:MAX_QUERY_LENGTH]
        filters = {}
        for facet in FACETS:
            values = clean_values(facet, getlist(facet.key))
            if values:
                filters[facet.key] = values
        choice = (getlist("sort") or [""])[0]
        if choice not in SORTS:
            choice = "relevance"
        sort = "newest" if choice == "relevance" and not q else choice
        try:
            page = max(1, int((getlist("page") or ["1"])[0]))
        except ValueError:
            page = 1
        return cls(q=q, filters=filters, sort=sort, page=min(page, 10_000), page_size=page_size, sort_choice=choice)


@dataclass
class Hit:
    practice: Practice
    score: float
    snippet: str = ""
    title_html: str = ""


@dataclass
class SearchResult:
    params: SearchParams
    plan: QueryPlan | None
    total: int
    hits: list[Hit]
    facets: list
    any_words: bool = False  # no example had all words: results have any of them

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.params.page_size))

    @property
    def start(self) -> int:
        return (self.params.page - 1) * self.params.page_size + 1

    @property
    def corrections(self) -> list[str]:
        return [c for g in (self.plan.groups if self.plan else []) for c in g.corrected]

    @property
    def synonyms(self) -> list[str]:
        return [s for g in (self.plan.groups if self.plan else []) for s in g.synonyms]


def _synonym_groups() -> list[list[str]]:
    return parse_synonyms(Synonym.objects.values_list("terms", flat=True))


def plan_for(q: str) -> QueryPlan:
    vocab_set, vocab_list = index.vocabulary()
    return analyse_query(q, vocabulary=vocab_set, vocabulary_list=vocab_list, synonym_groups=_synonym_groups())


def base_queryset(*, viewer, everything: bool = False, public_only: bool = False) -> QuerySet:
    """Practice examples a viewer may see. `everything`: administrator view (commands);
    `public_only`: published public examples (API, `--public`)."""
    qs = Practice.objects.all()
    if public_only:
        return access.filter_visible(None, qs).filter(status=Practice.Status.PUBLISHED)
    if everything:
        return qs
    return access.filter_visible(viewer, qs)


def filtered_queryset(base: QuerySet, filters: dict[str, list[str]], *, skip: str = "") -> QuerySet:
    qs = base
    for key, values in filters.items():
        if key != skip:
            qs = apply_filter(qs, FACETS_BY_KEY[key], values)
    return qs


def _sql(qs: QuerySet) -> tuple[str, tuple]:
    sql, params = qs.values("id").query.sql_with_params()
    return sql, tuple(params)


def _matched(plan: QueryPlan | None, qs: QuerySet, *, any_words: bool) -> tuple[str, tuple]:
    """Common table expressions ending in `r(id, score)`: the matching, visible, filtered examples.

    The index match is MATERIALIZED first, so that the database never runs the full-text match once per
    practice row."""
    if plan is None:
        filtered_sql, filtered_params = _sql(qs)
        return (f"r AS MATERIALIZED (SELECT f.id AS id, 0.0 AS score FROM ({filtered_sql}) f)", filtered_params)
    # visibility and facet filters as a correlated EXISTS: one primary-key probe per matching document
    # instead of reading the whole practice table
    probe_sql, probe_params = _sql(qs.filter(pk=RawSQL("m.id", ())))
    match_sql, match_params = backends.match_sql(plan, any_words=any_words)
    return (f"m AS MATERIALIZED ({match_sql}), "
            f"r AS MATERIALIZED (SELECT m.id AS id, m.score AS score FROM m WHERE EXISTS ({probe_sql}))",
            match_params + probe_params)


ORDER_BY = {
    "relevance": "r.score DESC, r.id DESC",
    "newest": "p.published_at DESC NULLS LAST, p.created_at DESC, r.id DESC",
    "period": "p.period_start ASC NULLS LAST, p.period_end ASC NULLS LAST, r.id ASC",
}


def _ranked(matched: tuple[str, tuple], sort: str, *, limit: int | None, offset: int = 0):
    """[(id, score, total)] in the requested order."""
    ctes, params = matched
    page = f" LIMIT {int(limit)} OFFSET {int(offset)}" if limit is not None else ""
    if sort == "relevance":
        sql = f"WITH {ctes} SELECT r.id, r.score, COUNT(*) OVER () FROM r ORDER BY {ORDER_BY[sort]}{page}"
    else:
        practice = Practice._meta.db_table
        sql = (f"WITH {ctes} SELECT r.id, r.score, COUNT(*) OVER () FROM r JOIN {practice} p ON p.id = r.id "
               f"ORDER BY {ORDER_BY[sort]}{page}")
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _facet_counts(matched: tuple[str, tuple], facets) -> dict[str, dict[str, int]]:
    ctes, params = matched
    selects = " UNION ALL ".join(facet_select(f, "r") for f in facets)
    raw: dict[str, dict[str, int]] = {}
    with connection.cursor() as cursor:
        cursor.execute(f"WITH {ctes} {selects}", params)
        for key, value, count in cursor.fetchall():
            if value is not None:
                raw.setdefault(key, {})[str(value)] = int(count)
    return raw


def _page_and_facets(matched, sort: str, limit: int, offset: int, facets) -> tuple[list, int, dict]:
    """One statement: the page of hits, the total and the counts of every facet (the match runs once)."""
    ctes, params = matched
    if sort == "relevance":
        page = f"SELECT r.id, r.score FROM r ORDER BY {ORDER_BY[sort]} LIMIT {int(limit)} OFFSET {int(offset)}"
    else:
        page = (f"SELECT r.id, r.score FROM r JOIN {Practice._meta.db_table} p ON p.id = r.id "
                f"ORDER BY {ORDER_BY[sort]} LIMIT {int(limit)} OFFSET {int(offset)}")
    parts = [
        f"SELECT '_hit' AS k, CAST(h.id AS TEXT) AS v, CAST(h.score AS REAL) AS n FROM ({page}) h",
        "SELECT '_total' AS k, NULL AS v, CAST(COUNT(*) AS REAL) AS n FROM r",
    ]
    parts += [f"SELECT f.k, f.v, CAST(f.n AS REAL) FROM ({facet_select(f, 'r')}) f" for f in facets]
    rows, total, raw = [], 0, {}
    with connection.cursor() as cursor:
        cursor.execute(f"WITH {ctes} " + " UNION ALL ".join(parts), params)
        for key, value, number in cursor.fetchall():
            if key == "_hit":
                rows.append((int(value), float(number)))
            elif key == "_total":
                total = int(number)
            elif value is not None:
                raw.setdefault(key, {})[str(value)] = int(number)
    if not total:
        raw = {}
    return rows, total, raw


def _count(matched) -> int:
    ctes, params = matched
    with connection.cursor() as cursor:
        cursor.execute(f"WITH {ctes} SELECT COUNT(*) FROM r", params)
        return cursor.fetchone()[0]


def _hit_rows(matched, sort: str | None) -> list[tuple[int, float, str]]:
    """ONE statement: every matching, visible example as (id, score, facet codes), in `sort` order
    (None: any order). Facet codes come from the example's row in the narrow SearchFacets table;
    examples without one (not yet indexed) get theirs computed here."""
    ctes, params = matched
    table = SearchFacets._meta.db_table
    sql = f"WITH {ctes} SELECT r.id, r.score, d.codes FROM r LEFT JOIN {table} d ON d.practice_id = r.id"
    if sort in ("newest", "period"):
        sql += f" JOIN {Practice._meta.db_table} p ON p.id = r.id ORDER BY {ORDER_BY[sort]}"
    elif sort is not None:
        sql += f" ORDER BY {ORDER_BY[sort]}"
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    missing = [r[0] for r in rows if r[2] is None]
    if missing:
        codes = {}
        for i in range(0, len(missing), 500):
            codes.update(facet_codes(missing[i:i + 500]))
        rows = [(r[0], r[1], codes.get(r[0], "") if r[2] is None else r[2]) for r in rows]
    return rows


def run(params: SearchParams, *, viewer=None, everything: bool = False, public_only: bool = False,
        with_facets: bool = True, with_snippets: bool = True) -> SearchResult:
    """The search behind the page, the API and the command.

    One index statement returns every hit with its facet codes; the page is cut and the facets are
    counted in Python; full practice rows are loaded only for the page."""
    base = base_queryset(viewer=viewer, everything=everything, public_only=public_only)
    plan = plan_for(params.q) if params.q else None
    qs = filtered_queryset(base, params.filters)
    any_words = False
    if plan is not None and plan.is_empty:
        # only stop words or punctuation: nothing to match
        return SearchResult(params, plan, 0, [], label_facets({}, params.filters) if with_facets else [])
    rows = _hit_rows(_matched(plan, qs, any_words=False), params.sort)
    if not rows and plan is not None and len(plan.groups) > 1:
        any_words = True
        rows = _hit_rows(_matched(plan, qs, any_words=True), params.sort)
    total = len(rows)
    offset = (params.page - 1) * params.page_size
    if offset >= total and total:
        params.page = max(1, -(-total // params.page_size))
        offset = (params.page - 1) * params.page_size
    hits = _hits([(r[0], r[1]) for r in rows[offset:offset + params.page_size]])
    facets = []
    if with_facets:
        raw = count_codes(r[2] for r in rows)
        for key in params.filters:
            # disjunctive facets: the values of a chosen facet are counted without its own filter
            m = _matched(plan, filtered_queryset(base, params.filters, skip=key), any_words=any_words)
            raw[key] = count_codes((r[2] for r in _hit_rows(m, None)), {key}).get(key, {})
        facets = label_facets(raw, params.filters)
    result = SearchResult(params, plan, total, hits, facets, any_words)
    if with_snippets:
        from .highlight import decorate

        decorate(result)
    return result


def _hits(rows) -> list[Hit]:
    ids = [r[0] for r in rows]
    practices = Practice.objects.in_bulk(ids) if ids else {}
    if practices:
        objs = list(practices.values())
        prefetch_related_objects(objs, Prefetch("places", queryset=Place.objects.only("id", "name", "kind", "country_code")),
                                 "themes")
    return [Hit(practices[r[0]], float(r[1] or 0.0)) for r in rows if r[0] in practices]


def search_ids(*, viewer, params: Mapping[str, Any], everything: bool = False, public_only: bool = False) -> list[int]:
    """All matching ids, ranked (no paging)."""
    p = SearchParams.from_mapping(params)
    base = base_queryset(viewer=viewer, everything=everything, public_only=public_only)
    plan = plan_for(p.q) if p.q else None
    if plan is not None and plan.is_empty:
        return []
    qs = filtered_queryset(base, p.filters)
    rows = _ranked(_matched(plan, qs, any_words=False), p.sort, limit=None)
    if not rows and plan is not None and len(plan.groups) > 1:
        rows = _ranked(_matched(plan, qs, any_words=True), p.sort, limit=None)
    return [r[0] for r in rows]


def ranked_hits(*, q: str, viewer=None, everything: bool = False, public_only: bool = False,
                filters: dict[str, list[str]] | None = None, limit: int | None = None) -> list[tuple[int, float]]:
    """(id, score) by relevance – used by the command."""
    p = SearchParams(q=q, filters=filters or {}, sort="relevance" if q else "newest")
    base = base_queryset(viewer=viewer, everything=everything, public_only=public_only)
    plan = plan_for(q) if q else None
    if plan is not None and plan.is_empty:
        return []
    qs = filtered_queryset(base, p.filters)
    rows = _ranked(_matched(plan, qs, any_words=False), p.sort, limit=limit)
    if not rows and plan is not None and len(plan.groups) > 1:
        rows = _ranked(_matched(plan, qs, any_words=True), p.sort, limit=limit)
    return [(r[0], float(r[1] or 0.0)) for r in rows]


def similar(*, practice: Practice, viewer, limit: int = 5) -> list[Practice]:
    """Examples sharing the most distinctive words of title and summary (OR query), best first."""
    doc = SearchDocument.objects.filter(practice_id=practice.pk).first()
    base = base_queryset(viewer=viewer).exclude(pk=practice.pk)
    plan = None
    if doc is not None:
        vocab_set, vocab_list = index.vocabulary()
        rank = {t: i for i, t in enumerate(vocab_list)}  # lower index = more common
        tokens = [t for t in dict.fromkeys(f"{doc.title} {doc.summary}".split()) if len(t) >= 3]
        tokens.sort(key=lambda t: -rank.get(t, len(vocab_list)))  # rarest first
        chosen = tokens[:12]
        if chosen:
            from .analysis import WordGroup

            plan = QueryPlan(text=" ".join(chosen), groups=[WordGroup(word=t, alternatives=[(t,)]) for t in chosen])
    rows = []
    if plan is not None:
        rows = _ranked(_matched(plan, base, any_words=True), "relevance", limit=limit)
    ids = [r[0] for r in rows]
    if len(ids) < limit:
        themes = practice.themes.values("pk")
        more = base.exclude(pk__in=ids).filter(themes__in=themes).distinct().values_list("pk", flat=True)[: limit - len(ids)]
        ids += list(more)
    found = Practice.objects.in_bulk(ids)
    return [found[i] for i in ids if i in found]
