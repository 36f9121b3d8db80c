"""Running a practice search: params → query plan → ranked ids, page, facet counts, snippets.

The words are matched and ranked (bm25) by the search's own posting lists (`postings.py`), the same on
SQLite and PostgreSQL. Visibility (`access.visible_mask`, the rule of `access.visible_q`), facet filters,
facet counts, totals and the orders newest/period are computed over the in-memory facet table
(`table.py`), which follows the database through a change counter before every search. The practice
rows of the page are read with `access.filter_visible` as a last check.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from django.db.models import Prefetch, Q, prefetch_related_objects

from panreflex.accounts import access
from panreflex.places.models import Place
from panreflex.practices.models import Practice
from panreflex.taxonomy.models import Term

from . import index, postings
from .analysis import QueryPlan, analyse_query, parse_synonyms
from .facets import FACETS, FACETS_BY_KEY, clean_values, label_facets
from .models import SearchDocument, Synonym
from .table import FacetTable, current, with_codes

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
    return analyse_query(q, vocabulary=vocab_set, vocabulary_list=vocab_list, synonym_groups=_synonym_groups())


def _eligible(table: FacetTable, *, viewer, everything: bool, public_only: bool) -> np.ndarray:
    """Mask over the table's positions: examples the viewer may see (rule in `access.visible_mask`).
    `everything`: administrator view (commands); `public_only`: published public examples (API, --public)."""
    n = table.size
    live = table.live[:n]
    if everything:
        return live.copy()
    arrays = {"visibility": table.visibility[:n], "released": table.released[:n],
              "organisation": table.organisation[:n], "ids": table.ids[:n], "status": table.status[:n],
              "model": Practice}  # the practice rule of `accounts.policy` (drafts by status, issue 13)
    if public_only:
        return live & access.visible_mask(None, **arrays) & (table.status[:n] == Practice.Status.PUBLISHED.value)
    return live & access.visible_mask(viewer, **arrays)


def _filter_values(filters: dict[str, list[str]]) -> dict[str, list[str]]:
    """URL values → the raw values of the facet codes (term codes become term ids, countries upper case)."""
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


@dataclass
class _Selection:
    table: FacetTable
    plan: QueryPlan | None
    any_words: bool
    rows: np.ndarray  # visible matches (positions), before facet filters
    scores: np.ndarray | None  # bm25 of `rows` (None without words)
    masks: dict[str, np.ndarray]  # per chosen facet: which of `rows` have one of its values

    def _keep(self, skip: str = "") -> np.ndarray:
        """Which of `rows` pass every chosen facet except `skip`."""
        keep = np.ones(len(self.rows), dtype=bool)
        for key, mask in self.masks.items():
            if key != skip:
                keep &= mask
        return keep

    @property
    def passing(self) -> np.ndarray:
        return self.rows[self._keep()]

    def facet_counts(self) -> dict[str, dict[str, int]]:
        """Counts of every facet over the passing rows; a chosen facet is counted without its own filter
        (values of one facet are OR-ed, so its other values stay visible)."""
        raw = self.table.count(self.passing)
        for key in self.masks:
            raw[key] = self.table.count(self.rows[self._keep(skip=key)], {key}).get(key, {})
        return raw

    def ranked(self, sort: str, *, start: int = 0, stop: int | None = None) -> list[tuple[int, float]]:
        """(id, score) of the passing rows `start:stop` in `sort` order (None: all). Relevance: score
        descending, then id descending (newest first without words)."""
        keep = self._keep()
        rows = self.rows[keep]
        if stop is not None and stop <= start or not len(rows):
            return []
        ids = self.table.ids[rows]
        scores = self.scores[keep] if self.scores is not None else np.zeros(len(rows))
        if sort == "relevance":
            candidates = np.arange(len(rows))
            if stop is not None and stop < len(rows):
                # only the best `stop` need sorting: everything scoring at least the stop-th best score
                kth = np.partition(scores, len(rows) - stop)[len(rows) - stop]
                candidates = np.flatnonzero(scores >= kth)
            order = candidates[np.lexsort((-ids[candidates], -scores[candidates]))][start:stop]
        else:
            position = np.empty(self.table.size, dtype=np.int64)
            position[rows] = np.arange(len(rows))
            order = position[self.table.order(rows, sort)[start:stop]]
        return [(int(i), float(s)) for i, s in zip(ids[order].tolist(), scores[order].tolist(), strict=True)]


def _select(plan: QueryPlan | None, filters: dict[str, list[str]], *, viewer=None, everything: bool = False,
            public_only: bool = False, any_words: bool = False, with_facets: bool = True,
            _prepared: tuple | None = None) -> _Selection:
    table, eligible, values = _prepared or _prepare(filters, viewer=viewer, everything=everything,
                                                      public_only=public_only, with_facets=with_facets)
    if plan is None:
        rows, scores = np.flatnonzero(eligible), None
    else:
        rows, scores = postings.match(table, plan, any_words=any_words)
        visible = eligible[rows]
        rows, scores = rows[visible], scores[visible]
    masks = {key: table.has_any(rows, key, values[key]) for key in filters}
    return _Selection(table, plan, any_words, rows, scores, masks)


def _prepare(filters, *, viewer, everything: bool, public_only: bool, with_facets: bool):
    """(facet table, the viewer's visibility mask, filter values as codes): what a search needs before
    it asks the index, computed once even when the search falls back to any word."""
    table = current()
    if with_facets or filters:
        table = with_codes(table)
    eligible = _eligible(table, viewer=viewer, everything=everything, public_only=public_only)
    return table, eligible, _filter_values(filters)


def _select_with_fallback(plan, filters, **kwargs) -> _Selection:
    """All words first; when no example has all of several words: any of them."""
    prepared = _prepare(filters, **{k: kwargs.get(k, d) for k, d in (
        ("viewer", None), ("everything", False), ("public_only", False), ("with_facets", True))})
    selection = _select(plan, filters, _prepared=prepared, **kwargs)
    if plan is not None and len(plan.groups) > 1 and not len(selection.passing):
        selection = _select(plan, filters, any_words=True, _prepared=prepared, **kwargs)
    return selection


def run(params: SearchParams, *, viewer=None, everything: bool = False, public_only: bool = False,
        with_facets: bool = True, with_snippets: bool = True, facet_limit: int | None = None) -> SearchResult:
    """The search behind the page, the API and the command.

    `facet_limit`: long facets show their most frequent values only (the page), except those in
    `params.more`. The index is asked for the ids of all matching documents (one text value); visibility, facet
    filters, facet counts and the total come from the in-memory facet table; the index ranks only as many
    of the best documents as the page needs. Full practice rows are loaded only for the page."""
    plan = plan_for(params.q) if params.q else None
    if plan is not None and plan.is_empty:
        # only stop words or punctuation: nothing to match
        return SearchResult(params, plan, 0, [], label_facets({}, params.filters) if with_facets else [])
    offset = (params.page - 1) * params.page_size
    selection = _select_with_fallback(plan, params.filters, viewer=viewer, everything=everything,
                                      public_only=public_only, with_facets=with_facets)
    total = len(selection.passing)
    if offset >= total and total:
        params.page = max(1, -(-total // params.page_size))
        offset = (params.page - 1) * params.page_size
    page = selection.ranked(params.sort, start=offset, stop=offset + params.page_size)
    hits = _hits(page, viewer=viewer, everything=everything, public_only=public_only)
    facets = (label_facets(selection.facet_counts(), params.filters, limit=facet_limit, expand=params.more)
              if with_facets else [])
    result = SearchResult(params, plan, total, hits, facets, selection.any_words)
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
        qs = access.filter_visible(None, qs).filter(status=Practice.Status.PUBLISHED)
    elif not everything:
        qs = access.filter_visible(viewer, qs)
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
    selection = _select_with_fallback(plan, p.filters, viewer=viewer, everything=everything, public_only=public_only,
                                      with_facets=False)
    return [i for i, _score in selection.ranked(p.sort)]


def ranked_hits(*, q: str, viewer=None, everything: bool = False, public_only: bool = False,
                filters: dict[str, list[str]] | None = None, limit: int | None = None) -> list[tuple[int, float]]:
    """(id, score) by relevance – used by the command."""
    plan = plan_for(q) if q else None
    if plan is not None and plan.is_empty:
        return []
    selection = _select_with_fallback(plan, filters or {}, viewer=viewer, everything=everything,
                                      public_only=public_only, with_facets=False)
    return selection.ranked("relevance" if q else "newest", stop=limit)


def similar(*, practice: Practice, viewer, limit: int = 5) -> list[Practice]:
    """Examples sharing the most distinctive words of title and summary (OR query), best first, topped up
    with examples sharing a theme."""
    doc = SearchDocument.objects.filter(practice_id=practice.pk).first()
    ids: list[int] = []
    if doc is not None:
        vocab_set, vocab_list = index.vocabulary()
        rank = {t: i for i, t in enumerate(vocab_list)}  # lower index = more common
        tokens = [t for t in dict.fromkeys(f"{doc.title} {doc.summary}".split()) if len(t) >= 3]
        tokens.sort(key=lambda t: -rank.get(t, len(vocab_list)))  # rarest first
        chosen = tokens[:12]
        if chosen:
            from .analysis import WordGroup

            plan = QueryPlan(text=" ".join(chosen), groups=[WordGroup(word=t, alternatives=[(t,)]) for t in chosen])
            selection = _select(plan, {}, viewer=viewer, any_words=True, with_facets=False)
            ids = [i for i, _s in selection.ranked("relevance", stop=limit + 1) if i != practice.pk][:limit]
    base = access.filter_visible(viewer, Practice.objects.exclude(pk=practice.pk))
    if len(ids) < limit:
        themes = practice.themes.values("pk")
        more = base.exclude(pk__in=ids).filter(themes__in=themes).distinct().values_list("pk", flat=True)[: limit - len(ids)]
        ids += list(more)
    found = base.in_bulk(ids)
    return [found[i] for i in ids if i in found]
