"""The database's full-text index: SQLite FTS5 or PostgreSQL tsvector + GIN, over the analysed tokens.

Both databases hold the same four fields of `SearchDocument` (title, summary, body, focus) and answer the
same question: which examples have a query word (any of its alternatives, each an AND of tokens) in a
field. The score is computed from these answers with integer weights (`query.py`), so both databases
give the same scores and the same ranking; neither engine's own ranking function is used.

- SQLite: `search_fts(title, summary, body, focus)`, FTS5 with `search_searchdocument` as external
  content (triggers keep it in step), a field is asked with a column filter (`{title} : (…)`);
- PostgreSQL: generated `tsvector` columns ('simple' config: the tokens are analysed already) with one GIN
  index each: `vector` (all fields), `title_vector`, `summary_vector`, `focus_vector`. A plain `@@` on
  a GIN index needs no recheck, so the rows are never read for matching, only for their id and length
  factors.
"""

from __future__ import annotations

from contextlib import contextmanager

from django.db import connection

from .analysis import WordGroup

# fields asked per query word: (field number, SQLite column filter, PostgreSQL column, norm column)
FIELDS = (
    (0, "{title}", "title_vector", "title_norm"),
    (1, "{summary}", "summary_vector", "summary_norm"),
    (2, "", "vector", "body_norm"),  # anywhere in the example (the body weight)
    (3, "{focus}", "focus_vector", ""),  # among the tokens the example uses often
)
# the column weights: title 10, summary 4, body 1 (as bm25(search_fts, 10, 4, 1) before); focus 2
WEIGHTS = (10, 4, 1, 2)

SQLITE_CREATE = [
    """CREATE VIRTUAL TABLE search_fts USING fts5(
        title, summary, body, focus, content='search_searchdocument', content_rowid='practice_id',
        tokenize='unicode61 remove_diacritics 0')""",
    """CREATE TRIGGER search_fts_ai AFTER INSERT ON search_searchdocument BEGIN
        INSERT INTO search_fts(rowid, title, summary, body, focus)
        VALUES (new.practice_id, new.title, new.summary, new.body, new.focus);
    END""",
    """CREATE TRIGGER search_fts_ad AFTER DELETE ON search_searchdocument BEGIN
        INSERT INTO search_fts(search_fts, rowid, title, summary, body, focus)
        VALUES ('delete', old.practice_id, old.title, old.summary, old.body, old.focus);
    END""",
    """CREATE TRIGGER search_fts_au AFTER UPDATE ON search_searchdocument BEGIN
        INSERT INTO search_fts(search_fts, rowid, title, summary, body, focus)
        VALUES ('delete', old.practice_id, old.title, old.summary, old.body, old.focus);
        INSERT INTO search_fts(rowid, title, summary, body, focus)
        VALUES (new.practice_id, new.title, new.summary, new.body, new.focus);
    END""",
    "INSERT INTO search_fts(search_fts) VALUES ('rebuild')",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS search_fts_au",
    "DROP TRIGGER IF EXISTS search_fts_ad",
    "DROP TRIGGER IF EXISTS search_fts_ai",
    "DROP TABLE IF EXISTS search_fts",
]


def _pg_vector(name: str, expr: str) -> list[str]:
    return [
        f"ALTER TABLE search_searchdocument ADD COLUMN {name} tsvector "
        f"GENERATED ALWAYS AS (to_tsvector('simple'::regconfig, {expr})) STORED",
        f"CREATE INDEX search_document_{name}_gin ON search_searchdocument USING GIN ({name})",
    ]


POSTGRES_CREATE = [
    *_pg_vector("vector", "coalesce(title, '') || ' ' || coalesce(summary, '') || ' ' || coalesce(body, '')"),
    *_pg_vector("title_vector", "coalesce(title, '')"),
    *_pg_vector("summary_vector", "coalesce(summary, '')"),
    *_pg_vector("focus_vector", "coalesce(focus, '')"),
]
POSTGRES_DROP = [
    f"ALTER TABLE search_searchdocument DROP COLUMN IF EXISTS {name}"  # drops its index too
    for name in ("vector", "title_vector", "summary_vector", "focus_vector")
]


def _safe(token: str) -> str:
    return "".join(c for c in token if c.isalnum())


def group_expression(group: WordGroup, vendor: str) -> str:
    """One query word as a full-text expression: any alternative, each an AND of its tokens."""
    alts = []
    for alt in group.alternatives:
        tokens = [_safe(t) for t in alt if _safe(t)]
        if not tokens:
            continue
        if vendor == "postgresql":
            parts = [f"'{t}'" for t in tokens]
            alts.append(parts[0] if len(parts) == 1 else "(" + " & ".join(parts) + ")")
        else:
            parts = [f'"{t}"' for t in tokens]
            alts.append(parts[0] if len(parts) == 1 else "(" + " AND ".join(parts) + ")")
    return (" | " if vendor == "postgresql" else " OR ").join(alts)


def _joined(exprs: list[str], operator: str) -> str:
    return exprs[0] if len(exprs) == 1 else f" {operator} ".join(f"({e})" for e in exprs)


def candidate_tiers(groups: list[WordGroup]) -> list[tuple[str | None, str | None]]:
    """The candidate passes of a query, best first, each (expression that must match anywhere in the
    example or None, expression that must match in its title or in its summary or None):

    1. every query word in the title, or every one in the summary;
    2. every word in the example, one of them in the title or summary;
    3. every word in the example;
    4. (several words) any word in the title or summary;
    5. (several words) any word in the example.

    Each pass contains the ones before it. The first passes read only the short title and summary
    columns, so a query whose words are everywhere is answered from them."""
    vendor = connection.vendor
    exprs = [e for e in (group_expression(g, vendor) for g in groups) if e]
    if not exprs:
        return []
    and_, or_ = ("&", "|") if vendor == "postgresql" else ("AND", "OR")
    every, some = _joined(exprs, and_), _joined(exprs, or_)
    if len(exprs) == 1:
        return [(None, every), (every, None)]
    return [(None, every), (every, some), (every, None), (None, some), (some, None)]


def candidate_sql(tier: tuple[str | None, str | None], *, where: str, limit: int) -> tuple[str, list]:
    """SQL of the ids of visible examples matching one candidate pass, newest first, at most `limit`.
    `where` is a condition over the practice row (the viewer's visibility). The database walks its
    full-text index and stops at `limit`: no example's score is computed here."""
    anywhere, head = tier
    practice = "practices_practice"
    if connection.vendor == "postgresql":
        conditions, params = [], []
        if anywhere is not None:
            conditions.append("d.vector @@ to_tsquery('simple', %s)")
            params.append(anywhere)
        if head is not None:
            conditions.append("(d.title_vector @@ to_tsquery('simple', %s) OR d.summary_vector @@ to_tsquery('simple', %s))")
            params += [head, head]
        # the matches newest first, each looked up in the practice table by its key (a nested loop:
        # OFFSET 0 keeps the planner from merging the two tables, which reads the practice table from
        # the newest row down to the last match)
        return (f"SELECT m.practice_id FROM (SELECT d.practice_id FROM search_searchdocument d "
                f"WHERE {' AND '.join(conditions)} ORDER BY d.practice_id DESC) m, "
                f"LATERAL (SELECT 1 FROM {practice} WHERE {practice}.id = m.practice_id AND {where} OFFSET 0) v "
                f"LIMIT {int(limit)}", params)
    parts = []
    if anywhere is not None:
        parts.append(f"({anywhere})")
    if head is not None:
        parts.append(f"(({{title}} : ({head})) OR ({{summary}} : ({head})))")
    return (f"SELECT f.rowid FROM search_fts f JOIN {practice} ON {practice}.id = f.rowid "
            f"WHERE search_fts MATCH %s AND {where} ORDER BY f.rowid DESC LIMIT {int(limit)}", [" AND ".join(parts)])


@contextmanager
def index_plans(cursor):
    """PostgreSQL: the candidate passes answer from the GIN indexes (bitmap scans), never by testing
    `@@` row by row: the planner does not count the cost of reading each row's tsvector from the TOAST
    table (narrow rows, migration 0011), and a sequential or key-order scan that tests every row took
    seconds at 100,000 examples. SQLite: nothing to do (FTS5 always answers from its index)."""
    if connection.vendor != "postgresql":
        yield
        return
    cursor.execute("SET enable_seqscan = off; SET enable_indexscan = off")
    try:
        yield
    finally:
        cursor.execute("RESET enable_seqscan; RESET enable_indexscan")


def optimize() -> None:
    """After a rebuild: merge FTS5's segments (SQLite) or refresh the planner's statistics (PostgreSQL)."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("INSERT INTO search_fts(search_fts) VALUES ('optimize')")
        elif connection.vendor == "postgresql":
            cursor.execute("ANALYZE search_searchdocument")
