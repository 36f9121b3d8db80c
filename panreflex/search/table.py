"""The facet table in memory: what a search needs of every practice example, as numpy arrays.

A search asks the full-text index only "which documents contain these words" (and, for the page, "which
are the best"); visibility, facet filters, facet counts, totals and the sort orders newest/period are
computed here over arrays, in a few milliseconds even for tens of thousands of hits.

Freshness (see `mirror.py`): before every search `current()` reads the change counter (one tiny query)
and loads only the rows whose `version` is higher than what the process holds. Inside a transaction
(e.g. a test, or a request that wrote before searching) the rows newer than the last committed state are
applied to a private copy and never kept, so a rollback can never leave uncommitted data in the shared
table. Rows that were never indexed (codes NULL, normally for milliseconds after a write) get their codes
computed (`with_codes`) by every search that filters or counts facets, until the index has written them.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field

import numpy as np
from django.db import connection

from . import mirror, postings
from .facets import FACETS, facet_codes

FACET_INDEX = {f.key: i for i, f in enumerate(FACETS)}
SELECT = (f"SELECT practice_id, codes, {', '.join(mirror.COLUMNS)}, removed, version "
          f"FROM {mirror.FACETS}")
NO_DAY = np.iinfo(np.int32).max  # sorts dates that are not set last


@dataclass
class FacetTable:
    """Rows are addressed by position; `row_of[practice_id]` gives the position (-1: unknown)."""

    version: int = -1
    stamp: str | None = None
    size: int = 0
    row_of: np.ndarray = field(default_factory=lambda: np.full(0, -1, dtype=np.int64))
    ids: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    live: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=bool))
    organisation: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    visibility: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype="<U10"))
    released: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=bool))
    status: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype="<U20"))
    published: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.float64))
    created: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.float64))
    start: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int32))
    end: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int32))
    codes: np.ndarray = field(default_factory=lambda: np.full((0, 8), -1, dtype=np.int32))
    pending: set[int] = field(default_factory=set)  # practice ids without indexed codes
    code_ids: dict[str, int] = field(default_factory=dict)  # "theme=12" → column value in `codes`
    code_facet: list[int] = field(default_factory=list)  # code id → index into FACETS
    code_value: list[str] = field(default_factory=list)  # code id → raw value ("12")
    text: postings.TextIndex = field(default_factory=postings.TextIndex)  # the words (`postings.py`)

    # --- building ----------------------------------------------------------------------------------
    def copy(self) -> FacetTable:
        t = FacetTable(self.version, self.stamp, self.size)
        for name in ("row_of", "ids", "live", "organisation", "visibility", "released", "status", "published",
                     "created", "start", "end", "codes"):
            setattr(t, name, getattr(self, name).copy())
        t.pending = set(self.pending)
        t.code_ids, t.code_facet, t.code_value = dict(self.code_ids), list(self.code_facet), list(self.code_value)
        t.text = self.text.copy()
        return t

    def _code(self, code: str) -> int | None:
        cid = self.code_ids.get(code)
        if cid is None:
            key, _sep, value = code.partition("=")
            if key not in FACET_INDEX:
                return None
            cid = self.code_ids[code] = len(self.code_value)
            self.code_facet.append(FACET_INDEX[key])
            self.code_value.append(value)
        return cid

    def _grow(self, rows: int, max_id: int) -> None:
        if max_id >= len(self.row_of):
            new = np.full(max(max_id + 1, 2 * len(self.row_of)), -1, dtype=np.int64)
            new[: len(self.row_of)] = self.row_of
            self.row_of = new
        if rows > len(self.ids):
            n = max(rows, 2 * len(self.ids), 64)
            for name, fill in (("ids", 0), ("live", False), ("organisation", -1), ("visibility", ""),
                               ("released", False), ("status", ""), ("published", np.nan), ("created", np.nan),
                               ("start", NO_DAY), ("end", NO_DAY)):
                old = getattr(self, name)
                new = np.full(n, fill, dtype=old.dtype)
                new[: len(old)] = old
                setattr(self, name, new)
            codes = np.full((n, self.codes.shape[1]), -1, dtype=np.int32)
            codes[: len(self.codes)] = self.codes
            self.codes = codes

    def apply(self, rows) -> None:
        """Apply rows read with `SELECT` (new rows appended, known rows replaced), column by column."""
        if not rows:
            return
        (pks, codes, organisation, visibility, released, status, published, created, start, end, removed,
         _version) = zip(*rows, strict=True)
        pks = np.array(pks, dtype=np.int64)
        self._grow(self.size + len(pks), int(pks.max()))
        pos = self.row_of[pks]
        new = pos < 0
        pos[new] = np.arange(self.size, self.size + int(new.sum()))
        self.row_of[pks[new]] = pos[new]
        self.ids[pos[new]] = pks[new]
        self.size += int(new.sum())
        gone = np.array(removed, dtype=bool)
        self.live[pos] = ~gone
        self.organisation[pos] = [-1 if v is None else v for v in organisation]
        self.visibility[pos] = [v or "" for v in visibility]
        self.released[pos] = np.array(released, dtype=bool)
        self.status[pos] = [v or "" for v in status]
        self.published[pos] = np.array([np.nan if v is None else v for v in published], dtype=np.float64)
        self.created[pos] = np.array([np.nan if v is None else v for v in created], dtype=np.float64)
        self.start[pos] = [NO_DAY if v is None else v for v in start]
        self.end[pos] = [NO_DAY if v is None else v for v in end]
        for pk, text, is_gone in zip(pks.tolist(), codes, gone.tolist(), strict=True):
            if text is None and not is_gone:
                self.pending.add(pk)
            else:
                self.pending.discard(pk)
        self._set_codes(pos, [text or "" for text in codes])

    def _set_codes(self, pos: np.ndarray, texts: list[str]) -> None:
        """Replace the codes of the rows at `pos` by the codes in `texts` ("theme=12 year=2021 …")."""
        lengths = np.array([t.count(" ") + 1 if t else 0 for t in texts], dtype=np.int64)
        flat = " ".join(t for t in texts if t).split(" ") if lengths.any() else []
        for code in set(flat).difference(self.code_ids):  # codes not seen before
            self._code(code)
        get = self.code_ids.get
        ids = np.array([get(c, -1) for c in flat], dtype=np.int32)  # unknown facet keys: -1
        width = int(lengths.max()) if len(lengths) else 0
        if width > self.codes.shape[1]:
            wider = np.full((len(self.codes), max(width, 2 * self.codes.shape[1])), -1, dtype=np.int32)
            wider[:, : self.codes.shape[1]] = self.codes
            self.codes = wider
        self.codes[pos] = -1
        if len(ids):
            row = np.repeat(np.asarray(pos), lengths)
            col = np.arange(len(ids)) - np.repeat(np.cumsum(lengths) - lengths, lengths)
            self.codes[row, col] = ids

    def refresh_pending(self) -> None:
        """Codes of examples not indexed yet, computed from the database (normally none)."""
        if not self.pending:
            return
        pending = sorted(self.pending)
        computed = {}
        for i in range(0, len(pending), 500):
            computed.update(facet_codes(pending[i:i + 500]))
        self._set_codes(self.row_of[np.array(pending, dtype=np.int64)], [computed.get(pk, "") for pk in pending])

    # --- reading -------------------------------------------------------------------------------------
    def rows_for(self, practice_ids: np.ndarray) -> np.ndarray:
        """Positions of the given practice ids that are in the table and not removed."""
        ids = practice_ids[(practice_ids >= 0) & (practice_ids < len(self.row_of))]
        pos = self.row_of[ids]
        pos = pos[pos >= 0]
        return pos[self.live[pos]]

    def all_rows(self) -> np.ndarray:
        return np.flatnonzero(self.live[: self.size])

    def has_any(self, rows: np.ndarray, facet_key: str, values: list[str]) -> np.ndarray:
        """For each row: does it have one of `values` (raw code values) of the facet?"""
        wanted = [self.code_ids[f"{facet_key}={v}"] for v in values if f"{facet_key}={v}" in self.code_ids]
        if not wanted or not len(rows):
            return np.zeros(len(rows), dtype=bool)
        lookup = np.zeros(len(self.code_value) + 1, dtype=bool)  # the last entry answers the padding -1
        lookup[wanted] = True
        return lookup[self.codes[rows]].any(axis=1)

    def count(self, rows: np.ndarray, facet_keys: set[str] | None = None) -> dict[str, dict[str, int]]:
        """{facet key: {raw value: number of rows}} over the codes of `rows`."""
        raw: dict[str, dict[str, int]] = {}
        if not len(rows):
            return raw
        codes = self.codes[rows].ravel()
        counts = np.bincount(codes[codes >= 0], minlength=len(self.code_value))
        for cid in np.flatnonzero(counts):
            key = FACETS[self.code_facet[cid]].key
            if facet_keys is None or key in facet_keys:
                raw.setdefault(key, {})[self.code_value[cid]] = int(counts[cid])
        return raw

    def order(self, rows: np.ndarray, sort: str) -> np.ndarray:
        """`rows` in the order newest (published, then created, then id, all descending; unpublished last)
        or period (start, end ascending, not set last, then id)."""
        ids = self.ids[rows]
        if sort == "newest":
            published = self.published[rows]
            created = np.nan_to_num(self.created[rows], nan=-np.inf)
            keys = (-ids, -created, -np.nan_to_num(published, nan=0.0), np.isnan(published))
        else:
            keys = (ids, self.end[rows], self.start[rows])
        return rows[np.lexsort(keys)]


_lock = threading.Lock()
_shared: FacetTable | None = None


def _load(table: FacetTable | None, cursor, version: int, stamp: str) -> FacetTable:
    if table is None or table.stamp != stamp or version < table.version:
        table = FacetTable()
        cursor.execute(SELECT)
        rows = cursor.fetchall()
        table.apply(rows)
        table.text = postings.TextIndex.from_segment(postings.read(cursor, stamp))
        changed = [row[0] for row in rows if row[-1] > table.text.segment.version]
    else:
        cursor.execute(SELECT + " WHERE version > %s", [table.version])
        rows = cursor.fetchall()
        table.apply(rows)
        changed = [row[0] for row in rows]
    table.text.update(cursor, changed)
    table.version, table.stamp = version, stamp
    return table


def _newer_segment(table: FacetTable, cursor) -> None:
    """Documents changed since the segment live in the overlay; when another process (the background
    task) has written a newer segment, read it and keep only what changed after it."""
    text = table.text
    now = time.monotonic()
    if not text.docs or now - text.checked_at < postings.SEGMENT_CHECK_S:
        return
    text.checked_at = now
    if postings.stored_version(cursor, table.stamp) <= text.segment.version:
        if text.wants_compaction() and now - text.compact_asked_at > 60:
            text.compact_asked_at = now
            _ask_compaction()
        return
    fresh = postings.TextIndex.from_segment(postings.read(cursor, table.stamp))
    cursor.execute(f"SELECT practice_id FROM {mirror.FACETS} WHERE version > %s", [fresh.segment.version])
    fresh.update(cursor, [row[0] for row in cursor.fetchall()])
    table.text = fresh


def _ask_compaction() -> None:
    from django.db import transaction

    from .tasks import compact_search_index

    transaction.on_commit(compact_search_index.enqueue)


def current() -> FacetTable:
    """The facet table as this connection sees it now (shared between searches outside transactions)."""
    global _shared
    with connection.cursor() as cursor:
        version, stamp = mirror.state(cursor)
        if connection.in_atomic_block:
            # uncommitted rows may be read here: work on a private copy, keep nothing
            base = _shared
            if base is not None and base.stamp == stamp and version >= base.version:
                table = _load(base.copy(), cursor, version, stamp)
            else:
                table = _load(None, cursor, version, stamp)
        else:
            with _lock:
                if _shared is None or _shared.version != version or _shared.stamp != stamp:
                    _shared = _load(_shared, cursor, version, stamp)
                _newer_segment(_shared, cursor)
                table = _shared
    return table


def with_codes(table: FacetTable) -> FacetTable:
    """The table with codes for the examples not indexed yet (a copy; only needed for facets)."""
    if not table.pending:
        return table
    with _lock:
        table = table.copy()  # computed codes are not kept: the index writes the real ones
    table.refresh_pending()
    return table


def forget() -> None:
    global _shared
    with _lock:
        _shared = None
