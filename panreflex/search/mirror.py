"""The database side of the search's facet table (`SearchFacets`): triggers, rebuild, change counter.

Triggers on the practice table copy the columns that decide visibility and sort order into the practice's
`SearchFacets` row, in the same transaction as the change itself, and bump the change counter in
`SearchState`. The index writes the facet codes (`index.py`) and bumps the counter too. A search
process keeps the whole table in memory (`table.FacetTable`) and, before every search, reads the counter
and loads only the rows with a higher `version`.

Why the counter is one row: bumping it takes that row's lock until commit, so writers commit in the order
of their versions and a reader that has seen version V has seen every change up to V. The random
`stamp` is written when the row is created and by `rebuild()`; a process that sees a different stamp
reloads everything (after a rebuild, a flushed test database, or a counter that went backwards).
"""

from __future__ import annotations

import secrets

from django.db import connection

FACETS = "search_searchfacets"
STATE = "search_searchstate"
PRACTICE = "practices_practice"

# mirror column → SQL expression over a practice row alias ("new" in triggers, "p" in the rebuild)
_SQLITE_EXPR = {
    "organisation_id": "{a}.organisation_id",
    "visibility": "{a}.visibility",
    "released": "({a}.released_at IS NOT NULL)",
    "status": "{a}.status",
    "published_ts": "(julianday({a}.published_at) - 2440587.5) * 86400.0",
    "created_ts": "(julianday({a}.created_at) - 2440587.5) * 86400.0",
    "period_start_day": "CAST(julianday({a}.period_start) - 2440587.5 AS INTEGER)",
    "period_end_day": "CAST(julianday({a}.period_end) - 2440587.5 AS INTEGER)",
}
_POSTGRES_EXPR = {
    "organisation_id": "{a}.organisation_id",
    "visibility": "{a}.visibility",
    "released": "({a}.released_at IS NOT NULL)",
    "status": "{a}.status",
    "published_ts": "EXTRACT(EPOCH FROM {a}.published_at)::float8",
    "created_ts": "EXTRACT(EPOCH FROM {a}.created_at)::float8",
    "period_start_day": "({a}.period_start - DATE '1970-01-01')",
    "period_end_day": "({a}.period_end - DATE '1970-01-01')",
}
COLUMNS = tuple(_SQLITE_EXPR)


def _exprs(vendor: str, alias: str) -> list[str]:
    table = _POSTGRES_EXPR if vendor == "postgresql" else _SQLITE_EXPR
    return [table[c].format(a=alias) for c in COLUMNS]


def _new_stamp() -> str:
    return secrets.token_hex(8)


def _upsert_mirror(vendor: str, version_sql: str) -> str:
    cols = ", ".join(COLUMNS)
    values = ", ".join(_exprs(vendor, "new"))
    updates = ", ".join(f"{c} = excluded.{c}" for c in COLUMNS)
    false = "false" if vendor == "postgresql" else "0"
    return (f"INSERT INTO {FACETS} (practice_id, codes, {cols}, removed, version) "
            f"VALUES (new.id, NULL, {values}, {false}, {version_sql}) "
            f"ON CONFLICT (practice_id) DO UPDATE SET {updates}, removed = {false}, version = excluded.version")


def _sqlite_bump() -> str:
    return (f"INSERT INTO {STATE} (id, version, stamp) VALUES (1, 1, lower(hex(randomblob(8)))) "
            f"ON CONFLICT (id) DO UPDATE SET version = version + 1;")


SQLITE_VERSION = f"(SELECT version FROM {STATE} WHERE id = 1)"
# start of a PL/pgSQL trigger function: bump the counter, keep the new version in v
_PG_BUMP = f"""DECLARE v bigint;
            BEGIN
                INSERT INTO {STATE} (id, version, stamp) VALUES (1, 1, md5(random()::text))
                ON CONFLICT (id) DO UPDATE SET version = {STATE}.version + 1 RETURNING version INTO v;
"""


def create_statements(vendor: str) -> list[str]:
    if vendor == "postgresql":
        return [
            f"""CREATE OR REPLACE FUNCTION search_mirror_practice() RETURNS trigger AS $$
            {_PG_BUMP}                IF TG_OP = 'DELETE' THEN
                    UPDATE {FACETS} SET removed = true, version = v WHERE practice_id = OLD.id;
                    RETURN OLD;
                END IF;
                {_upsert_mirror(vendor, "v")};
                RETURN NEW;
            END $$ LANGUAGE plpgsql""",
            f"CREATE TRIGGER search_mirror_practice AFTER INSERT OR UPDATE OR DELETE ON {PRACTICE} "
            f"FOR EACH ROW EXECUTE FUNCTION search_mirror_practice()",
        ]
    return [
        f"""CREATE TRIGGER search_mirror_ai AFTER INSERT ON {PRACTICE} BEGIN
            {_sqlite_bump()}
            {_upsert_mirror(vendor, SQLITE_VERSION)};
        END""",
        f"""CREATE TRIGGER search_mirror_au AFTER UPDATE ON {PRACTICE} BEGIN
            {_sqlite_bump()}
            {_upsert_mirror(vendor, SQLITE_VERSION)};
        END""",
        f"""CREATE TRIGGER search_mirror_ad AFTER DELETE ON {PRACTICE} BEGIN
            {_sqlite_bump()}
            UPDATE {FACETS} SET removed = 1, version = {SQLITE_VERSION} WHERE practice_id = old.id;
        END""",
    ]


PLACE = "places_place"
PLACES_OF_PRACTICE = "practices_practice_places"


def place_statements(vendor: str) -> list[str]:
    """A change of a place's population, AGS or country changes the size, state and country facets of its
    practice examples: their codes become NULL (computed by each search until `practice_refresh_facets`
    writes them, which the search app does after every saved place)."""
    changed = ("old.population IS NOT new.population OR old.ags IS NOT new.ags "
               "OR old.country_code IS NOT new.country_code")
    if vendor == "postgresql":
        return [
            f"""CREATE OR REPLACE FUNCTION search_mirror_place() RETURNS trigger AS $$
            {_PG_BUMP}                UPDATE {FACETS} SET codes = NULL, version = v WHERE practice_id IN (
                    SELECT practice_id FROM {PLACES_OF_PRACTICE} WHERE place_id = NEW.id);
                RETURN NEW;
            END $$ LANGUAGE plpgsql""",
            f"CREATE TRIGGER search_mirror_place AFTER UPDATE ON {PLACE} FOR EACH ROW "
            f"WHEN ({changed.replace('old.', 'OLD.').replace('new.', 'NEW.').replace(' IS NOT ', ' IS DISTINCT FROM ')}) "
            f"EXECUTE FUNCTION search_mirror_place()",
        ]
    return [
        f"""CREATE TRIGGER search_mirror_place AFTER UPDATE ON {PLACE} WHEN {changed} BEGIN
            {_sqlite_bump()}
            UPDATE {FACETS} SET codes = NULL, version = {SQLITE_VERSION} WHERE practice_id IN (
                SELECT practice_id FROM {PLACES_OF_PRACTICE} WHERE place_id = new.id);
        END""",
    ]


def drop_place_statements(vendor: str) -> list[str]:
    if vendor == "postgresql":
        return [f"DROP TRIGGER IF EXISTS search_mirror_place ON {PLACE}", "DROP FUNCTION IF EXISTS search_mirror_place()"]
    return ["DROP TRIGGER IF EXISTS search_mirror_place"]


def drop_statements(vendor: str) -> list[str]:
    if vendor == "postgresql":
        return [f"DROP TRIGGER IF EXISTS search_mirror_practice ON {PRACTICE}",
                "DROP FUNCTION IF EXISTS search_mirror_practice()"]
    return [f"DROP TRIGGER IF EXISTS search_mirror_{x}" for x in ("ai", "au", "ad")]


def bump(cursor) -> int:
    """Increase the change counter (creating the row if needed) and return the new version."""
    stamp = "md5(random()::text)" if connection.vendor == "postgresql" else "lower(hex(randomblob(8)))"
    cursor.execute(f"INSERT INTO {STATE} (id, version, stamp) VALUES (1, 1, {stamp}) "
                   f"ON CONFLICT (id) DO UPDATE SET version = {STATE}.version + 1 RETURNING version")
    return int(cursor.fetchone()[0])


def rebuild(cursor, codes_by_id: dict[int, str] | None = None) -> int:
    """Rewrite every row from the practice table (codes NULL unless given) under a new stamp; returns the
    version. Used by the migration and by `index.reindex_all`."""
    vendor = connection.vendor
    version = bump(cursor)
    cursor.execute(f"UPDATE {STATE} SET stamp = %s WHERE id = 1", [_new_stamp()])
    cursor.execute(f"DELETE FROM {FACETS}")
    cols = ", ".join(COLUMNS)
    false = "false" if vendor == "postgresql" else "0"
    cursor.execute(f"INSERT INTO {FACETS} (practice_id, codes, {cols}, removed, version) "
                   f"SELECT p.id, NULL, {', '.join(_exprs(vendor, 'p'))}, {false}, %s FROM {PRACTICE} p", [version])
    if codes_by_id:
        write_codes(cursor, codes_by_id, version=version)
    return version


def rebuild_one(cursor, practice_id: int, codes: str, *, version: int) -> None:
    """Create the row of one practice example that has none (written before the triggers existed)."""
    vendor = connection.vendor
    cols = ", ".join(COLUMNS)
    false = "false" if vendor == "postgresql" else "0"
    cursor.execute(f"INSERT INTO {FACETS} (practice_id, codes, {cols}, removed, version) "
                   f"SELECT p.id, %s, {', '.join(_exprs(vendor, 'p'))}, {false}, %s FROM {PRACTICE} p WHERE p.id = %s",
                   [codes, version, practice_id])


def write_codes(cursor, codes_by_id: dict[int, str], *, version: int) -> None:
    items = list(codes_by_id.items())
    if connection.vendor == "postgresql":  # one statement per 10,000 rows instead of one per row
        for i in range(0, len(items), 10_000):
            chunk = items[i:i + 10_000]
            cursor.execute(f"UPDATE {FACETS} f SET codes = v.codes, version = %s FROM (SELECT "
                           f"unnest(%s::bigint[]) AS id, unnest(%s::text[]) AS codes) v WHERE f.practice_id = v.id",
                           [version, [pk for pk, _c in chunk], [c for _pk, c in chunk]])
        return
    rows = [(codes, version, pk) for pk, codes in items]
    for i in range(0, len(rows), 5000):
        cursor.executemany(f"UPDATE {FACETS} SET codes = %s, version = %s WHERE practice_id = %s", rows[i:i + 5000])


def state(cursor) -> tuple[int, str]:
    cursor.execute(f"SELECT version, stamp FROM {STATE} WHERE id = 1")
    row = cursor.fetchone()
    return (int(row[0]), row[1]) if row else (0, "")
