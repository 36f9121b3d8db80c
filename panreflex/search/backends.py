"""The database's own full-text index (SQLite FTS5, PostgreSQL tsvector) over the same analysed tokens.

The search matches and ranks with its own posting lists (`postings.py`); these queries remain as the
reference: the benchmark's raw index query (`raw_match_sql`) and the tests that compare the posting
lists' bm25 with SQLite FTS5's (`top_sql`)."""

from __future__ import annotations

from django.db import connection

from .analysis import QueryPlan

# bm25 column weights (title, summary, body) and ts_rank weights {D, C, B, A}
SQLITE_WEIGHTS = (10.0, 4.0, 1.0)
POSTGRES_WEIGHTS = "{0.05, 0.1, 0.4, 1.0}"


def _safe(token: str) -> str:
    return "".join(c for c in token if c.isalnum())


def fts5_expression(plan: QueryPlan, *, any_words: bool = False) -> str:
    groups = []
    for group in plan.groups:
        alts = []
        for alt in group.alternatives:
            parts = [f'"{_safe(t)}"' for t in alt if _safe(t)]
            if parts:
                alts.append(parts[0] if len(parts) == 1 else "(" + " AND ".join(parts) + ")")
        if alts:
            groups.append("(" + " OR ".join(alts) + ")")
    return (" OR " if any_words else " AND ").join(groups)


def tsquery_expression(plan: QueryPlan, *, any_words: bool = False) -> str:
    groups = []
    for group in plan.groups:
        alts = []
        for alt in group.alternatives:
            parts = [f"'{_safe(t)}'" for t in alt if _safe(t)]
            if parts:
                alts.append(parts[0] if len(parts) == 1 else "(" + " & ".join(parts) + ")")
        if alts:
            groups.append("(" + " | ".join(alts) + ")")
    return (" | " if any_words else " & ").join(groups)


def match_sql(plan: QueryPlan, *, any_words: bool = False) -> tuple[str, tuple]:
    """SQL selecting (id, score) of documents matching the plan; higher score = better on both databases."""
    if connection.vendor == "postgresql":
        expr = tsquery_expression(plan, any_words=any_words) or "''"
        return (
            "SELECT d.practice_id AS id, ts_rank(%s, d.vector, q.q) AS score "
            "FROM search_searchdocument d, to_tsquery('simple', %s) q(q) WHERE d.vector @@ q.q",
            (POSTGRES_WEIGHTS, expr),
        )
    expr = fts5_expression(plan, any_words=any_words) or '""'
    w = ", ".join(str(x) for x in SQLITE_WEIGHTS)
    return (f"SELECT rowid AS id, -bm25(search_fts, {w}) AS score FROM search_fts WHERE search_fts MATCH %s",
            (expr,))


def top_sql(plan: QueryPlan, *, any_words: bool = False) -> tuple[str, tuple]:
    """SQL selecting (id, score) of all matching documents, best first (score desc, id desc): the
    database's own ranking of a query plan, the reference the tests compare the posting lists with."""
    sql, params = match_sql(plan, any_words=any_words)
    return sql + " ORDER BY score DESC, id DESC", params


def raw_match_sql(words: list[str]) -> tuple[str, tuple]:
    """The raw index query for the given tokens (AND), ranked, without analysis, visibility or facets."""
    tokens = [_safe(w) for w in words if _safe(w)]
    if connection.vendor == "postgresql":
        return (
            "SELECT d.practice_id, ts_rank(%s, d.vector, q.q) AS score FROM search_searchdocument d, "
            "to_tsquery('simple', %s) q(q) WHERE d.vector @@ q.q ORDER BY score DESC LIMIT 20",
            (POSTGRES_WEIGHTS, " & ".join(f"'{t}'" for t in tokens)),
        )
    w = ", ".join(str(x) for x in SQLITE_WEIGHTS)
    return (f"SELECT rowid, bm25(search_fts, {w}) AS score FROM search_fts WHERE search_fts MATCH %s "
            "ORDER BY score LIMIT 20", (" AND ".join(f'"{t}"' for t in tokens),))
