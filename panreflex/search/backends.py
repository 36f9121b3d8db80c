"""Rendering a query plan for the database's full-text index (same tokens on both databases)."""

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


def ids_sql(plan: QueryPlan, *, any_words: bool = False) -> tuple[str, tuple]:
    """SQL giving ONE row: the ids of all matching documents as one comma-separated text (no scores):
    one string instead of a row per hit is what makes tens of thousands of hits cheap to read."""
    if connection.vendor == "postgresql":
        expr = tsquery_expression(plan, any_words=any_words) or "''"
        return ("SELECT string_agg(practice_id::text, ',') FROM search_searchdocument "
                "WHERE vector @@ to_tsquery('simple', %s)", (expr,))
    expr = fts5_expression(plan, any_words=any_words) or '""'
    return "SELECT group_concat(rowid) FROM search_fts WHERE search_fts MATCH %s", (expr,)


def ids_and_top_sql(plan: QueryPlan, *, any_words: bool = False, limit: int) -> tuple[str, tuple]:
    """PostgreSQL: ONE row with the ids of all matches (text) and the best `limit` as "id:score" text.

    PostgreSQL checks `@@` row by row (a broad word is a scan of the whole table), so matching once and
    ranking in the same pass costs much less than two statements. (SQLite answers the ids from its
    inverted index in a few milliseconds, so it uses `ids_sql` and `top_sql`.)"""
    sql, params = match_sql(plan, any_words=any_words)
    return (f"WITH m AS MATERIALIZED ({sql}) SELECT (SELECT string_agg(id::text, ',') FROM m), "
            f"(SELECT string_agg(id::text || ':' || score::text, ',' ORDER BY score DESC, id DESC) "
            f"FROM (SELECT id, score FROM m ORDER BY score DESC, id DESC LIMIT {int(limit)}) t)", params)


def top_sql(plan: QueryPlan, *, any_words: bool = False, limit: int | None = None,
            ids: list[int] | None = None) -> tuple[str, tuple]:
    """SQL selecting (id, score) of matching documents, best first (score desc, id desc); `limit`: the best
    N only; `ids`: only these documents (scores of a page sorted otherwise)."""
    sql, params = match_sql(plan, any_words=any_words)
    if ids is not None:
        # SQLite: "+rowid" keeps the list from being handed to FTS5 as rowid lookups (one match per id);
        # it filters the matches instead, and bm25 is computed only for the rows that pass
        column = "d.practice_id" if connection.vendor == "postgresql" else "+rowid"
        sql += f" AND {column} IN ({', '.join(str(int(i)) for i in ids) or 'NULL'})"
    sql += " ORDER BY score DESC, id DESC"
    if limit is not None:
        sql += f" LIMIT {int(limit)}"
    return sql, params


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
