"""Running a practice search: params → query plan → one SQL statement → ranked page, total, facet counts.

The database does all of it, in one statement over its full-text index (`backends.py`) and the practice
tables: which examples have which query word in which field, the score, the viewer's visibility
(the practice view rule of `accounts.policy`, compiled into the statement), the facet filters, the total and the count of every
facet value. Nothing is kept per process except the vocabulary the query analyser uses.

Score of an example: for every query word it has, idf of the word × (10 if in the title × the title's
length factor + 4 if in the summary × its length factor + 1 × the example's length factor + 2 if the
example uses the word often), summed, times the square of the number of query words it has (`COORD_POWER`). An example with two of
three words is found and ranked by how many words it has and how well, never dropped because it
lacks one. All weights are integers, so both databases compute the same score and the same order
(ties: newer id first).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import EmptyResultSet, FullResultSet
from django.db import connection
from django.db.models import Prefetch, Q, prefetch_related_objects

from panreflex.accounts import policy
from panreflex.places.models import Place
from panreflex.practices.models import Practice
from panreflex.taxonomy.models import Term

from . import backends, index
from .analysis import QueryPlan, WordGroup, analyse_query, parse_synonyms
from .facets import (
    FACETS,
    FACETS_BY_KEY,
    PRACTICE,
    clean_values,
    count_sql,
    filter_sql,
    label_facets,
    year_sql,
)
from .models import SearchDocument, Synonym

SORTS = ("relevance", "newest", "period")
PAGE_SIZE = 20
MAX_QUERY_LENGTH = 200
SCORE_SCALE = 100_000
COORD_POWER = 2  # the score's sum is multiplied by (number of query words matched) ** COORD_POWER  # the integer score / SCORE_SCALE is the score shown


@dataclass
class SearchParams:
    q: str = ""
    filters: dict[str, list[str]] = field(default_factory=dict)
    sort: str = "relevance"  # the order used
    page: int = 1
    page_size: int = PAGE_SIZE
    sort_choice: str = "relevance"  # what the sort menu shows (relevance = "best first when there are words")
    more: tuple[str, ...] = ()  # long facets to show with all their values

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
        more = tuple(k for k in dict.fromkeys(getlist("more")) if k in FACETS_BY_KEY)
        return cls(q=q, filters=filters, sort=sort, page=min(page, 10_000), page_size=page_size, sort_choice=choice,
                   more=more)


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
    df, _docs = index.document_frequencies()
    return analyse_query(q, vocabulary=vocab_set, vocabulary_list=vocab_list, synonym_groups=_synonym_groups(),
                         frequencies=df)


def idf(group: WordGroup, df: dict[str, int], docs: int) -> int:
    """Integer idf (hundredths) of a query word: of its most frequent alternative, an alternative being as
    frequent as its rarest token (bm25's idf, never below 0.01)."""
    freq = max((min(df.get(t, 0) for t in alt) for alt in group.alternatives if alt), default=0)
    freq = min(freq, docs)
    return max(1, round(100 * math.log(1 + (docs - freq + 0.5) / (freq + 0.5))))


def _where(q: Q) -> tuple[str, list]:
    """SQL of a condition over the practice table (its columns as "practices_practice"."…")."""
    query = Practice.objects.filter(q).query
    try:
        sql, params = query.get_compiler(connection=connection).compile(query.where)
    except FullResultSet:
        return "1 = 1", []
    except EmptyResultSet:
        return "1 = 0", []
    return sql or "1 = 1", list(params)


def visibility_sql(*, viewer, everything: bool = False, public_only: bool = False) -> tuple[str, list]:
    """The viewer's visibility (the practice view rule of `accounts.policy`) as SQL. `everything`: the administrator's
    view (commands); `public_only`: published public examples (API, --public)."""
    if everything:
        return "1 = 1", []
    if public_only:
        return _where(policy.q_for(None, Practice) & Q(status=Practice.Status.PUBLISHED))
    return _where(policy.q_for(viewer, Practice))


def _filter_values(filters: dict[str, list[str]]) -> dict[str, list[str]]:
    """URL values → the raw values the database compares (term codes become term ids, countries upper case)."""
    wanted = {key: values for key, values in filters.items() if FACETS_BY_KEY[key].kind in ("term", "evidence")}
    term_ids: dict[tuple[str, str], int] = {}
    if wanted:
        q = Q(pk__in=[])
        for key, values in wanted.items():
            q |= Q(vocabulary=FACETS_BY_KEY[key].vocabulary, code__in=values)
        term_ids = {(v, c): pk for pk, v, c in Term.objects.filter(q).values_list("pk", "vocabulary", "code")}
    out = {}
    for key, values in filters.items():
        facet = FACETS_BY_KEY[key]
        if facet.kind in ("term", "evidence"):
            out[key] = [str(term_ids[(facet.vocabulary, v)]) for v in values if (facet.vocabulary, v) in term_ids]
        elif facet.kind == "country":
            out[key] = [v.upper() for v in values]
        elif facet.kind == "year":
            out[key] = [f"{int(v):04d}" for v in values]
        else:
            out[key] = list(values)
    return out


ORDER = {
    "relevance": "h.score DESC, h.id DESC",
    "newest": "(h.published_at IS NULL), h.published_at DESC, h.created_at DESC, h.id DESC",
    "period": "(h.period_start IS NULL), h.period_start, (h.period_end IS NULL), h.period_end, h.id",
}


@dataclass
class _Answer:
    page: list[tuple[int, float]]  # (id, score) of the requested slice, in order
    total: int
    all_words: int  # how many of `total` have every query word
    counts: dict[str, dict[str, int]]


def _execute(plan: QueryPlan | None, filters: dict[str, list[str]], *, sort: str = "relevance", start: int = 0,
             stop: int | None = None, viewer=None, everything: bool = False, public_only: bool = False,
             with_facets: bool = True) -> _Answer:
    """One statement: the visible matches with their scores (a materialised CTE), then the page, the
    total and the facet counts over it."""
    vendor = connection.vendor
    params: list = []
    groups = []
    if plan is not None:
        df, docs = index.document_frequencies()
        groups = [(g, idf(g, df, docs)) for g in plan.groups if g.alternatives]
    visible, visible_params = visibility_sql(viewer=viewer, everything=everything, public_only=public_only)
    values = _filter_values(filters)
    flags, flag_params = [], []
    for key in filters:
        sql, p = filter_sql(FACETS_BY_KEY[key], values[key], vendor)
        flags.append(f"CASE WHEN {sql} THEN 1 ELSE 0 END AS f_{key}")
        flag_params += p
    columns = (f"{PRACTICE}.published_at AS published_at, {PRACTICE}.created_at AS created_at, "
               f"{PRACTICE}.period_start AS period_start, {PRACTICE}.period_end AS period_end, "
               f"{PRACTICE}.evidence_strength_id AS evidence, {year_sql(PRACTICE + '.period_start', vendor)} AS year"
               + "".join(f", {f}" for f in flags))
    if plan is not None:
        branches, branch_params = backends.match_branches(groups)
        if not branches:
            return _Answer([], 0, 0, {})
        coord = " * COUNT(DISTINCT m.g)" * COORD_POWER
        hits = (f"SELECT {PRACTICE}.id AS id, SUM(m.w){coord} AS score, COUNT(DISTINCT m.g) AS matched, "
                f"{columns} FROM ({branches}) m JOIN {PRACTICE} ON {PRACTICE}.id = m.id "
                f"WHERE {visible} GROUP BY {PRACTICE}.id")
        params += flag_params + branch_params + visible_params
    else:
        hits = f"SELECT {PRACTICE}.id AS id, 0 AS score, 0 AS matched, {columns} FROM {PRACTICE} WHERE {visible}"
        params += flag_params + visible_params

    def passing(skip: str = "") -> str:
        return " AND ".join([f"h.f_{key} = 1" for key in filters if key != skip] or ["1 = 1"])

    limit = ""
    if stop is not None:
        limit = f" LIMIT {max(0, stop - start)} OFFSET {start}"
    parts = [f"SELECT * FROM (SELECT CAST(NULL AS TEXT) AS k, CAST(NULL AS TEXT) AS v, h.id AS n, h.score AS s "
             f"FROM hits h WHERE {passing()} ORDER BY {ORDER[sort]}{limit}) page",
             f"SELECT '#', NULL, COUNT(*), SUM(CASE WHEN h.matched >= {len(groups)} THEN 1 ELSE 0 END) "
             f"FROM hits h WHERE {passing()}"]
    if with_facets:
        parts += [f"SELECT *, 0 FROM ({count_sql(facet, 'hits', passing(facet.key))}) c{i}"
                  for i, facet in enumerate(FACETS)]
    sql = f"WITH hits AS MATERIALIZED ({hits}) " + " UNION ALL ".join(parts)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    page, total, all_words, counts = [], 0, 0, {}
    for k, v, n, s in rows:  # page rows come first and in order (each part is read in turn)
        if k is None:
            page.append((int(n), int(s or 0) / SCORE_SCALE))
        elif k == "#":
            total, all_words = int(n), int(s or 0)
        else:
            counts.setdefault(k, {})[v] = int(n)
    return _Answer(page, total, all_words, counts)


def _any_words(plan: QueryPlan | None, answer: _Answer) -> bool:
    return plan is not None and len(plan.groups) > 1 and answer.total > 0 and answer.all_words == 0


def run(params: SearchParams, *, viewer=None, everything: bool = False, public_only: bool = False,
        with_facets: bool = True, with_snippets: bool = True, facet_limit: int | None = None) -> SearchResult:
    """The search behind the page, the API and the command.

    `facet_limit`: long facets show their most frequent values only (the page), except those in
    `params.more`. Full practice rows are loaded only for the page."""
    plan = plan_for(params.q) if params.q else None
    if plan is not None and plan.is_empty:
        # only stop words or punctuation: nothing to match
        return SearchResult(params, plan, 0, [], label_facets({}, params.filters) if with_facets else [])
    offset = (params.page - 1) * params.page_size
    kwargs = {"viewer": viewer, "everything": everything, "public_only": public_only, "with_facets": with_facets}
    answer = _execute(plan, params.filters, sort=params.sort, start=offset, stop=offset + params.page_size, **kwargs)
    if offset >= answer.total and answer.total:
        params.page = max(1, -(-answer.total // params.page_size))
        offset = (params.page - 1) * params.page_size
        answer = _execute(plan, params.filters, sort=params.sort, start=offset, stop=offset + params.page_size,
                          **kwargs)
    hits = _hits(answer.page, viewer=viewer, everything=everything, public_only=public_only)
    facets = (label_facets(answer.counts, params.filters, limit=facet_limit, expand=params.more)
              if with_facets else [])
    result = SearchResult(params, plan, answer.total, hits, facets, _any_words(plan, answer))
    if with_snippets:
        from .highlight import decorate

        decorate(result)
    return result


def _hits(rows, *, viewer=None, everything: bool = False, public_only: bool = False) -> list[Hit]:
    """Practice rows of the page. Visibility is checked once more on the practice table itself, so a
    change committed a moment ago by another process can never show a hit that may not be seen."""
    ids = [r[0] for r in rows]
    qs = Practice.objects.all()
    if public_only:
        qs = policy.scope(None, qs).filter(status=Practice.Status.PUBLISHED)
    elif not everything:
        qs = policy.scope(viewer, qs)
    practices = qs.in_bulk(ids) if ids else {}
    if practices:
        objs = list(practices.values())
        prefetch_related_objects(objs, Prefetch("places", queryset=Place.objects.only("id", "name", "kind", "country_code")),
                                 "themes")
    return [Hit(practices[r[0]], float(r[1] or 0.0)) for r in rows if r[0] in practices]


def search_ids(*, viewer, params: Mapping[str, Any], everything: bool = False, public_only: bool = False) -> list[int]:
    """All matching ids, ranked (no paging)."""
    p = SearchParams.from_mapping(params)
    plan = plan_for(p.q) if p.q else None
    if plan is not None and plan.is_empty:
        return []
    answer = _execute(plan, p.filters, sort=p.sort, viewer=viewer, everything=everything, public_only=public_only,
                      with_facets=False)
    return [i for i, _score in answer.page]


def ranked_hits(*, q: str, viewer=None, everything: bool = False, public_only: bool = False,
                filters: dict[str, list[str]] | None = None, limit: int | None = None) -> list[tuple[int, float]]:
    """(id, score) by relevance – used by the command."""
    plan = plan_for(q) if q else None
    if plan is not None and plan.is_empty:
        return []
    answer = _execute(plan, filters or {}, sort="relevance" if q else "newest", stop=limit, viewer=viewer,
                      everything=everything, public_only=public_only, with_facets=False)
    return answer.page


def similar(*, practice: Practice, viewer, limit: int = 5) -> list[Practice]:
    """Examples sharing the most distinctive words of title and summary (any of them), best first, topped
    up with examples sharing a theme."""
    doc = SearchDocument.objects.filter(practice_id=practice.pk).first()
    ids: list[int] = []
    if doc is not None:
        df, _docs = index.document_frequencies()
        tokens = [t for t in dict.fromkeys(f"{doc.title} {doc.summary}".split()) if len(t) >= 3]
        tokens.sort(key=lambda t: (df.get(t, 0), t))  # rarest first
        chosen = tokens[:12]
        if chosen:
            plan = QueryPlan(text=" ".join(chosen), groups=[WordGroup(word=t, alternatives=[(t,)]) for t in chosen])
            answer = _execute(plan, {}, stop=limit + 1, viewer=viewer, with_facets=False)
            ids = [i for i, _s in answer.page if i != practice.pk][:limit]
    base = policy.scope(viewer, Practice.objects.exclude(pk=practice.pk))
    if len(ids) < limit:
        themes = practice.themes.values("pk")
        more = base.exclude(pk__in=ids).filter(themes__in=themes).distinct().values_list("pk", flat=True)[: limit - len(ids)]
        ids += list(more)
    found = base.in_bulk(ids)
    return [found[i] for i in ids if i in found]
