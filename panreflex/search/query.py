"""Running a practice search: params → query plan → kept matches → ranked page, total, facet counts.

The database finds the matches: passes over its full-text index (`backends.candidate_tiers`), words in
title or summary first, newest first within a pass, under the viewer's visibility (the practice view
rule of `accounts.policy`, compiled into the SQL), until `MAX_MATCHES` are kept. Their tokens, dates,
facet flags and facet values are read in two more statements; the score, the order, the total and the
facet counts are computed here over the kept matches. Nothing is kept per process: the query analyser
asks the vocabulary in the database (`index.DatabaseLexicon`).

Score of an example: for every query word it has, idf of the word × (10 if in the title × the title's
length factor + 4 if in the summary × its length factor + 1 × the example's length factor + 2 if the
example uses the word often) × 2 for the word itself or × 1 for an expansion only, summed, times the
square of the number of query words it has (`COORD_POWER`). An example with two of three words is
found and ranked by how many words it has and how well, never dropped because it lacks one. All
weights are integers over the stored tokens, so both databases give the same score and the same order
(ties: newer id first).

Without query words the page lists every visible example: one statement orders, counts and facets them
in the database (`_execute_all`).
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
    count_values,
    filter_sql,
    ids_sql,
    label_facets,
    place_values,
    values_sql,
    year_sql,
)
from .models import SearchDocument, Synonym

SORTS = ("relevance", "newest", "period")
PAGE_SIZE = 20
MAX_QUERY_LENGTH = 200
SCORE_SCALE = 100_000
COORD_POWER = 2  # the score's sum is multiplied by (number of query words matched) ** COORD_POWER
MAX_MATCHES = 200  # a query keeps its best 200 matches (ten pages): filters, counts and pages work within them


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
    more: bool = False  # more examples match than the search keeps (MAX_MATCHES): these are the best

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
    return analyse_query(q, lexicon=index.DatabaseLexicon(), synonym_groups=_synonym_groups())


def idf(group: WordGroup, df: dict[str, int], docs: int) -> int:
    """Integer idf (hundredths) of a query word: of its most frequent own alternative (not counting its
    expansions unless the word itself occurs nowhere), an alternative being as frequent as its rarest
    token (bm25's idf, never below 0.01)."""
    own = [alt for alt in group.alternatives if alt and alt not in group.expansions]
    freq = max((min(df.get(t, 0) for t in alt) for alt in own), default=0)
    if not freq:  # the word itself is nowhere: as frequent as what it is expanded to
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
    more: bool = False  # more examples match than the search keeps (MAX_MATCHES)


@dataclass
class _Doc:
    """What the score of one example needs: its tokens per field and their length factors."""

    id: int
    fields: tuple[str, str, str | None, str]  # title, summary, body (None: not read), focus (tokens)
    norms: tuple[int, int, int]  # title, summary, body


def _compiled(groups: list[tuple[WordGroup, int]]) -> list[tuple[tuple, tuple, int]]:
    """Each query word as (its own alternatives, its expansions, its idf), each alternatives as (the
    one-token ones as a set, the longer ones as sets)."""
    def split(alternatives):
        return (frozenset(alt[0] for alt in alternatives if len(alt) == 1),
                [frozenset(alt) for alt in alternatives if len(alt) > 1])

    out = []
    for group, weight in groups:
        own = [alt for alt in group.alternatives if alt not in group.expansions]
        more = [alt for alt in group.alternatives if alt in group.expansions]
        out.append((split(own), split(more), weight))
    return out


def _meets(alternatives, tokens: set[str]) -> bool:
    singles, multis = alternatives
    return not singles.isdisjoint(tokens) or any(m <= tokens for m in multis)


def score(doc: _Doc, groups: list[tuple[WordGroup, int]], compiled=None) -> tuple[int, int] | None:
    """(integer score, number of query words matched) of one example: for every query word (with its
    integer idf) and every field it occurs in (any alternative, all of its tokens), idf × the field's
    weight × its length factor (the focus field: × 1000) × 2 for the word itself, × 1 when only an
    expansion occurs there (`WordGroup.expansions`); summed, times matched ** COORD_POWER.

    A body of None: not read yet. It is needed only when a word itself is in neither the title nor the
    summary (then None is returned); an example with every word in them is scored without it."""
    title, summary, body, focus = doc.fields
    compiled = compiled or _compiled(groups)
    head, lead = set(title.split()), set(summary.split())
    if body is None and not all(_meets(own, head) or _meets(own, lead) for own, _more, _w in compiled):
        return None
    anywhere = head | lead | set((body or "").split())
    fields = ((2, anywhere, doc.norms[2]), (0, head, doc.norms[0]), (1, lead, doc.norms[1]),
              (3, set(focus.split()), 1000))
    total = matched = 0
    for own, more, weight in compiled:
        for f, tokens, norm in fields:
            factor = 2 if _meets(own, tokens) else 1 if _meets(more, tokens) else 0
            if factor:
                total += weight * backends.WEIGHTS[f] * norm * factor
                if f == 2:
                    matched += 1
            elif f == 2:
                break  # not anywhere in the example: in no field
    return total * matched ** COORD_POWER, matched


def _flag_columns(filters: dict[str, list[str]], vendor: str) -> tuple[list[str], list]:
    values = _filter_values(filters)
    flags, params = [], []
    for key in filters:
        sql, p = filter_sql(FACETS_BY_KEY[key], values[key], vendor)
        flags.append(f"CASE WHEN {sql} THEN 1 ELSE 0 END AS f_{key}")
        params += p
    return flags, params


def _passing(filters, skip: str = "") -> str:
    return " AND ".join([f"h.f_{key} = 1" for key in filters if key != skip] or ["1 = 1"])


def _candidates(groups: list[tuple[WordGroup, int]], where: str, where_params: list) -> tuple[list[int], bool]:
    """Ids of the visible examples the query keeps (at most MAX_MATCHES), from the database's full-text
    index in passes (`backends.candidate_tiers`): all words with one in the title or summary first, then
    all words, any word in title or summary, any word; newest first within a pass. Returns the ids and
    whether more examples match than are kept."""
    ids: dict[int, None] = {}
    tiers = backends.candidate_tiers([g for g, _w in groups])
    with connection.cursor() as cursor, backends.index_plans(cursor):
        for i, tier in enumerate(tiers):
            sql, params = backends.candidate_sql(tier, where=where, limit=MAX_MATCHES)
            cursor.execute(sql, params + where_params)
            rows = cursor.fetchall()
            for (pk,) in rows:
                ids.setdefault(int(pk))
            if len(ids) >= MAX_MATCHES:
                return list(ids)[:MAX_MATCHES], len(rows) >= MAX_MATCHES or i < len(tiers) - 1
    return list(ids), False


def _execute(plan: QueryPlan | None, filters: dict[str, list[str]], *, sort: str = "relevance", start: int = 0,
             stop: int | None = None, viewer=None, everything: bool = False, public_only: bool = False,
             with_facets: bool = True) -> _Answer:
    if plan is None:
        return _execute_all(filters, sort=sort, start=start, stop=stop, viewer=viewer, everything=everything,
                            public_only=public_only, with_facets=with_facets)
    vendor = connection.vendor
    df, docs = index.document_frequencies(plan.tokens)
    groups = [(g, idf(g, df, docs)) for g in plan.groups if g.alternatives]
    visible, visible_params = visibility_sql(viewer=viewer, everything=everything, public_only=public_only)
    ids, more = _candidates(groups, visible, visible_params)
    if not ids:
        return _Answer([], 0, 0, {})
    flags, flag_params = _flag_columns(filters, vendor)
    in_ids, id_params = ids_sql("d.practice_id", ids, vendor)
    rows_sql = (f"SELECT d.practice_id, d.title, d.summary, NULL, d.focus, d.title_norm, d.summary_norm, "
                f"d.body_norm, {PRACTICE}.published_at, {PRACTICE}.created_at, {PRACTICE}.period_start, "
                f"{PRACTICE}.period_end, {PRACTICE}.evidence_strength_id" + "".join(f", {f}" for f in flags) +
                f" FROM search_searchdocument d JOIN {PRACTICE} ON {PRACTICE}.id = d.practice_id "
                f"WHERE {in_ids}")
    with connection.cursor() as cursor:
        cursor.execute(rows_sql, flag_params + id_params)
        rows = cursor.fetchall()
    scored, passing, values, later = [], {}, {}, {}
    keys = list(filters)
    compiled = _compiled(groups)
    for row in rows:
        pk = int(row[0])
        passing[pk] = {key for key, flag in zip(keys, row[13:], strict=True) if flag}
        values[pk] = {"evidence": {str(row[12])} if row[12] is not None else set(),
                      "year": {str(row[10])[:4]} if row[10] is not None else set()}
        if len(passing[pk]) < len(keys):  # a facet filter it does not pass
            continue
        doc = _Doc(pk, row[1:5], row[5:8])
        result = score(doc, groups, compiled)
        if result is None:
            later[pk] = (doc, row[8:12])
        else:
            scored.append((pk, *result, row[8:12]))
    if later:  # the bodies of the examples that have a word outside their title and summary
        in_later, later_params = ids_sql("practice_id", list(later), vendor)
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT practice_id, body FROM search_searchdocument WHERE {in_later}", later_params)
            for pk, body in cursor.fetchall():
                doc, columns = later[int(pk)]
                doc.fields = (doc.fields[0], doc.fields[1], body or "", doc.fields[3])
                scored.append((int(pk), *score(doc, groups, compiled), columns))
    _order(scored, sort)
    page = [(pk, value / SCORE_SCALE) for pk, value, _m, _c in scored[start:stop]]
    all_words = sum(1 for _pk, _v, matched, _c in scored if matched >= len(groups))
    counts: dict[str, dict[str, int]] = {}
    if with_facets:
        sql, params = values_sql(ids, vendor)
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            for pk, key, value, population, ags, country in cursor.fetchall():
                doc = values[int(pk)]
                pairs = place_values(value, population, ags, country).items() if key == "@place" else [(key, value)]
                for k, v in pairs:
                    doc.setdefault(k, set()).add(v)
        counts = count_values(values, passing, filters)
    return _Answer(page, len(scored), all_words, counts, more)


def _order(scored: list, sort: str) -> None:
    """Sort (id, score, matched, (published, created, period start, period end)) in place as `ORDER`
    does in SQL (stable sorts, last key first)."""
    if sort == "relevance":
        scored.sort(key=lambda item: (-item[1], -item[0]))
    elif sort == "newest":
        scored.sort(key=lambda item: item[0], reverse=True)
        scored.sort(key=lambda item: item[3][1], reverse=True)
        scored.sort(key=lambda item: (item[3][0] is not None, item[3][0]), reverse=True)
    else:
        scored.sort(key=lambda item: item[0])
        scored.sort(key=lambda item: (item[3][3] is None, item[3][3]))
        scored.sort(key=lambda item: (item[3][2] is None, item[3][2]))


def _execute_all(filters: dict[str, list[str]], *, sort: str, start: int, stop: int | None, viewer,
                 everything: bool, public_only: bool, with_facets: bool) -> _Answer:
    """Without query words: every visible example (the list page), ordered, counted and faceted by the
    database in one statement."""
    vendor = connection.vendor
    visible, visible_params = visibility_sql(viewer=viewer, everything=everything, public_only=public_only)
    flags, flag_params = _flag_columns(filters, vendor)
    columns = (f"{PRACTICE}.published_at AS published_at, {PRACTICE}.created_at AS created_at, "
               f"{PRACTICE}.period_start AS period_start, {PRACTICE}.period_end AS period_end, "
               f"{PRACTICE}.evidence_strength_id AS evidence, {year_sql(PRACTICE + '.period_start', vendor)} AS year"
               + "".join(f", {f}" for f in flags))
    hits = f"SELECT {PRACTICE}.id AS id, 0 AS score, {columns} FROM {PRACTICE} WHERE {visible}"
    params = flag_params + visible_params
    limit = f" LIMIT {max(0, stop - start)} OFFSET {start}" if stop is not None else ""
    parts = [f"SELECT * FROM (SELECT CAST(NULL AS TEXT) AS k, CAST(NULL AS TEXT) AS v, h.id AS n "
             f"FROM hits h WHERE {_passing(filters)} ORDER BY {ORDER[sort]}{limit}) page",
             f"SELECT '#', NULL, COUNT(*) FROM hits h WHERE {_passing(filters)}"]
    if with_facets:
        parts += [f"SELECT * FROM ({count_sql(facet, 'hits', _passing(filters, facet.key))}) c{i}"
                  for i, facet in enumerate(FACETS)]
    sql = f"WITH hits AS MATERIALIZED ({hits}) " + " UNION ALL ".join(parts)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    page, total, counts = [], 0, {}
    for k, v, n in rows:  # page rows come first and in order (each part is read in turn)
        if k is None:
            page.append((int(n), 0.0))
        elif k == "#":
            total = int(n)
        else:
            counts.setdefault(k, {})[v] = int(n)
    return _Answer(page, total, 0, counts)


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
    result = SearchResult(params, plan, answer.total, hits, facets, _any_words(plan, answer), answer.more)
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
        tokens = [t for t in dict.fromkeys(f"{doc.title} {doc.summary}".split()) if len(t) >= 3]
        df, _docs = index.document_frequencies(tokens)
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
