"""The search's own inverted index: posting lists in numpy, ranked with BM25 — the same on both databases.

Why not the database's full-text index: PostgreSQL checks `@@` row by row, so a broad word alone cost
about 90 ms at p95 with 100,000 examples, and SQLite and PostgreSQL ranked differently (bm25 against
ts_rank). The analysed tokens are stored in `SearchDocument` anyway (written by `index.py`); this module
keeps their posting lists in memory and scores them exactly like SQLite FTS5's `bm25()` with the column
weights title 10, summary 4, body 1 (weighted term frequency, unweighted document length, k1 1.2, b 0.75).
The FTS5 table and the PostgreSQL `tsvector` stay as the reference the benchmark compares with.

Two parts, as in Lucene:
- A **segment**: the posting lists of all documents at one state (stamp, version) of the change counter
  (`mirror.py`): vocabulary, per term the practice ids and weighted term frequencies, per document its
  length. Built by the full rebuild and by `compact()`, stored in one `SearchSegment` row, so that a
  process reads it once (about a second for 100,000 examples) instead of analysing every document.
- An **overlay** per process: the documents whose facet row changed after the segment (the change
  counter the facet table follows already). Their postings in the segment are masked, their current
  tokens are held in dicts. When the overlay grows large, a background task writes a new segment.

The overlay lives in the facet table (`table.FacetTable.text`) and follows its copy rules, so a search
inside a transaction sees its own uncommitted writes and keeps none of them.
"""

from __future__ import annotations

import io
import math
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import chain, islice

import numpy as np

K1, B = 1.2, 0.75
WEIGHTS = (10.0, 4.0, 1.0)  # title, summary, body: the column weights of FTS5's bm25 in `backends`
SEGMENT_TABLE = "search_searchsegment"
DOCUMENT_TABLE = "search_searchdocument"
COMPACT_MIN = 2000  # overlay documents before a new segment is written in the background ...
COMPACT_SHARE = 0.02  # ... and at least this share of all documents
SEGMENT_CHECK_S = 2.0  # how often a process with an overlay looks for a newer segment


@dataclass
class Segment:
    stamp: str = ""
    version: int = -1  # documents whose facet row has a higher version are read into the overlay
    terms: dict[str, int] = field(default_factory=dict)  # term → term number
    offsets: np.ndarray = field(default_factory=lambda: np.zeros(1, dtype=np.int64))  # postings of term t: [t, t+1)
    pks: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))  # practice ids
    wtf: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.float32))  # weighted term frequency
    doc_len: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int32))  # by practice id, 0 = none
    docs: int = 0  # documents with at least one token (a practice example always has a title)
    total_len: int = 0

    def postings(self, term: str) -> tuple[np.ndarray, np.ndarray]:
        t = self.terms.get(term)
        if t is None:
            return self.pks[:0], self.wtf[:0]
        start, stop = int(self.offsets[t]), int(self.offsets[t + 1])
        return self.pks[start:stop], self.wtf[start:stop]


def _tokens(text: str | None) -> list[str]:
    return text.split() if text else []


def document_terms(title: str | None, summary: str | None, body: str | None) -> tuple[dict[str, float], int]:
    """(weighted term frequency per token, length in tokens) of one search document."""
    weighted: dict[str, float] = {}
    length = 0
    for text, weight in zip((title, summary, body), WEIGHTS, strict=True):
        tokens = _tokens(text)
        length += len(tokens)
        for token in tokens:
            weighted[token] = weighted.get(token, 0.0) + weight
    return weighted, length


def build(rows: Iterable[tuple[int, str, str, str]], *, stamp: str = "", version: int = -1,
          batch: int = 5000) -> Segment:
    """A segment from (practice id, title, summary, body) rows of analysed tokens, vectorised per batch."""
    terms: dict[str, int] = {}
    number = terms.setdefault
    keys, weights, doc_pks, doc_lens = [], [], [], []
    rows = iter(rows)
    base = 0
    while chunk := list(islice(rows, batch)):
        lengths = np.zeros(len(chunk), dtype=np.int64)
        docs = np.arange(base, base + len(chunk), dtype=np.int64)
        for column, weight in enumerate(WEIGHTS, start=1):
            tokens = [_tokens(r[column]) for r in chunk]
            counts = np.fromiter(map(len, tokens), dtype=np.int64, count=len(tokens))
            lengths += counts
            flat = list(chain.from_iterable(tokens))
            ids = np.fromiter((number(t, len(terms)) for t in flat), dtype=np.int64, count=len(flat))
            keys.append((ids << 32) | np.repeat(docs, counts))
            weights.append(np.full(len(flat), weight, dtype=np.float32))
        doc_pks.append(np.fromiter((r[0] for r in chunk), dtype=np.int64, count=len(chunk)))
        doc_lens.append(lengths)
        base += len(chunk)
    pks_of_doc = np.concatenate(doc_pks) if doc_pks else np.zeros(0, dtype=np.int64)
    lens = np.concatenate(doc_lens) if doc_lens else np.zeros(0, dtype=np.int64)
    if keys:
        unique, inverse = np.unique(np.concatenate(keys), return_inverse=True)
        wtf = np.bincount(inverse.ravel(), weights=np.concatenate(weights)).astype(np.float32)
    else:
        unique, wtf = np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
    term_of = unique >> 32
    offsets = np.searchsorted(term_of, np.arange(len(terms) + 1, dtype=np.int64)).astype(np.int64)
    return _segment(stamp, version, terms, offsets, pks_of_doc[unique & 0xFFFFFFFF], wtf, pks_of_doc, lens)


def _segment(stamp, version, terms, offsets, pks, wtf, doc_pks, doc_lens) -> Segment:
    size = int(doc_pks.max()) + 1 if len(doc_pks) else 0
    doc_len = np.zeros(size, dtype=np.int32)
    doc_len[doc_pks] = doc_lens
    if len(pks) and pks.max() < 2**31:
        pks = pks.astype(np.int32, copy=False)  # half the memory; numpy indexes with either
    return Segment(stamp, version, terms, offsets, pks, wtf.astype(np.float32, copy=False),
                   doc_len, docs=int((doc_lens > 0).sum()), total_len=int(doc_lens.sum()))


# --- storage ----------------------------------------------------------------------------------------
def dumps(segment: Segment) -> bytes:
    vocabulary = sorted(segment.terms, key=segment.terms.__getitem__)
    doc_pks = np.flatnonzero(segment.doc_len)
    small = segment.pks.max(initial=0) < 2**31
    buffer = io.BytesIO()
    np.savez(buffer, terms=np.frombuffer("\n".join(vocabulary).encode(), dtype=np.uint8),
             offsets=segment.offsets, pks=segment.pks.astype(np.int32 if small else np.int64), wtf=segment.wtf,
             doc_pks=doc_pks.astype(np.int32 if small else np.int64), doc_lens=segment.doc_len[doc_pks])
    return buffer.getvalue()


def loads(data: bytes, *, stamp: str, version: int) -> Segment:
    arrays = np.load(io.BytesIO(data), allow_pickle=False)  # bytes or memoryview, read without a copy first
    text = arrays["terms"].tobytes().decode()
    terms = {t: i for i, t in enumerate(text.split("\n"))} if text else {}
    return _segment(stamp, version, terms, arrays["offsets"], arrays["pks"], arrays["wtf"],
                    arrays["doc_pks"].astype(np.int64), arrays["doc_lens"])


def store(segment: Segment) -> None:
    """Write `segment` as the current one (one row; the previous segment is replaced)."""
    from .models import SearchSegment

    SearchSegment.objects.update_or_create(pk=1, defaults={
        "stamp": segment.stamp, "version": segment.version, "docs": segment.docs, "data": dumps(segment)})


def read(cursor, stamp: str) -> Segment:
    """The stored segment of this stamp, or an empty one (then every document goes to the overlay)."""
    cursor.execute(f"SELECT version, data FROM {SEGMENT_TABLE} WHERE id = 1 AND stamp = %s", [stamp])
    row = cursor.fetchone()
    if row is None:
        return Segment(stamp=stamp)
    return loads(row[1], stamp=stamp, version=int(row[0]))


def stored_version(cursor, stamp: str) -> int:
    cursor.execute(f"SELECT version FROM {SEGMENT_TABLE} WHERE id = 1 AND stamp = %s", [stamp])
    row = cursor.fetchone()
    return int(row[0]) if row else -1


def compact() -> int:
    """Write a new segment of all documents (background task when a process's overlay grew large, and
    part of the full rebuild). The counter is read first: a document changed while the segment is built
    has a higher version and goes to every overlay again. Returns the number of documents."""
    from django.db import connection, transaction

    from . import mirror
    from .models import SearchDocument

    with transaction.atomic(), connection.cursor() as cursor:
        version, stamp = mirror.state(cursor)
        rows = SearchDocument.objects.order_by("pk").values_list("practice_id", "title", "summary", "body")
        segment = build(rows.iterator(chunk_size=5000), stamp=stamp, version=version)
        store(segment)
    return segment.docs


# --- the index a process searches: segment + overlay -------------------------------------------------
@dataclass
class TextIndex:
    segment: Segment = field(default_factory=Segment)
    docs: dict[int, tuple[dict[str, float], int]] = field(default_factory=dict)  # overlay: pk → (terms, length)
    by_term: dict[str, dict[int, float]] = field(default_factory=dict)  # overlay: token → {pk: wtf}
    stale: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=bool))  # by pk: segment postings masked
    n_docs: int = 0
    total_len: int = 0
    checked_at: float = 0.0
    compact_asked_at: float = -1e9

    @classmethod
    def from_segment(cls, segment: Segment) -> TextIndex:
        return cls(segment, stale=np.zeros(len(segment.doc_len), dtype=bool), n_docs=segment.docs,
                   total_len=segment.total_len, checked_at=time.monotonic())

    def copy(self) -> TextIndex:
        return TextIndex(self.segment, {pk: doc for pk, doc in self.docs.items()},
                         {t: dict(p) for t, p in self.by_term.items()}, self.stale.copy(), self.n_docs,
                         self.total_len, self.checked_at, self.compact_asked_at)

    def _drop(self, pk: int) -> None:
        old = self.docs.pop(pk, None)
        if old is not None:
            terms, length = old
            for token in terms:
                postings = self.by_term.get(token)
                if postings is not None:
                    postings.pop(pk, None)
                    if not postings:
                        del self.by_term[token]
            self.n_docs -= 1 if length else 0
            self.total_len -= length
        elif pk < len(self.stale) and not self.stale[pk]:
            self.stale[pk] = True  # the segment's version of this document no longer counts
            length = int(self.segment.doc_len[pk])
            self.n_docs -= 1 if length else 0
            self.total_len -= length

    def put(self, pk: int, texts: tuple[str | None, str | None, str | None] | None) -> None:
        """The current document of `pk` (None: it has none any more)."""
        self._drop(pk)
        terms, length = document_terms(*texts) if texts is not None else ({}, 0)
        self.docs[pk] = (terms, length)
        for token, weight in terms.items():
            self.by_term.setdefault(token, {})[pk] = weight
        self.n_docs += 1 if length else 0
        self.total_len += length

    def update(self, cursor, pks: Iterable[int], batch: int = 500) -> None:
        """Read the current documents of `pks` (changed after the segment) into the overlay."""
        pks = sorted(set(pks))
        for i in range(0, len(pks), batch):
            chunk = pks[i:i + batch]
            cursor.execute(f"SELECT practice_id, title, summary, body FROM {DOCUMENT_TABLE} "
                           f"WHERE practice_id IN ({', '.join(['%s'] * len(chunk))})", chunk)
            found = {row[0]: row[1:] for row in cursor.fetchall()}
            for pk in chunk:
                self.put(pk, found.get(pk))

    @property
    def overlay_size(self) -> int:
        return len(self.docs)

    def wants_compaction(self) -> bool:
        return self.overlay_size >= max(COMPACT_MIN, COMPACT_SHARE * max(self.n_docs, 1))

    def postings(self, token: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(practice ids, weighted term frequencies, document lengths) of the documents holding `token`."""
        pks, wtf = self.segment.postings(token)
        if len(pks) and self.docs:
            keep = ~self.stale[pks]
            pks, wtf = pks[keep], wtf[keep]
        lengths = self.segment.doc_len[pks]
        extra = self.by_term.get(token)
        if extra:
            more = np.fromiter(extra.keys(), dtype=np.int64, count=len(extra))
            pks = np.concatenate([pks, more])
            wtf = np.concatenate([wtf, np.fromiter(extra.values(), dtype=np.float32, count=len(extra))])
            lengths = np.concatenate([lengths, np.array([self.docs[pk][1] for pk in extra], dtype=np.int32)])
        return pks, wtf, lengths

    def contributions(self, token: str) -> tuple[np.ndarray, np.ndarray]:
        """(practice ids, bm25 share of `token`) as SQLite FTS5 computes it (idf floored at 1e-6)."""
        pks, wtf, lengths = self.postings(token)
        n = max(self.n_docs, 1)
        idf = math.log((n - len(pks) + 0.5) / (len(pks) + 0.5))
        idf = idf if idf > 0 else 1e-6
        avg = self.total_len / n if self.total_len else 1.0
        tf = wtf.astype(np.float64)
        return pks, idf * tf * (K1 + 1.0) / (tf + K1 * (1.0 - B + B * lengths / avg))


def match(table, plan, *, any_words: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """(positions in the facet table, scores) of the live documents matching the query plan: every word
    group (any with `any_words`), a group by any of its alternatives, an alternative by all its tokens."""
    text: TextIndex = table.text
    n = table.size
    score = np.zeros(n, dtype=np.float64)
    masks: dict[str, np.ndarray] = {}

    def mask(token: str) -> np.ndarray:
        if token not in masks:
            pks, share = text.contributions(token)
            inside = pks < len(table.row_of)
            pos = table.row_of[pks[inside]]
            found = pos >= 0
            pos = pos[found]
            m = np.zeros(n, dtype=bool)
            m[pos] = True
            score[pos] += share[inside][found]
            masks[token] = m
        return masks[token]

    result = None
    for group in plan.groups:
        either = None
        for alternative in group.alternatives:
            tokens = [t for t in alternative if t]
            if not tokens:
                continue
            both = mask(tokens[0]).copy()
            for token in tokens[1:]:
                both &= mask(token)
            either = both if either is None else either | both
        if either is None:
            either = np.zeros(n, dtype=bool)
        result = either if result is None else (result | either if any_words else result & either)
    if result is None:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float64)
    rows = np.flatnonzero(result & table.live[:n])
    return rows, score[rows]
