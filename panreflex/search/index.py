"""Building the index: practice example → analysed tokens per field → SearchDocument.

Fields and their weights (`backends.WEIGHTS`): title (10) > summary and English title/summary (4) >
everything else (1): description, challenge, measures, results, lessons, transferability, actors,
places, vocabulary labels and source titles. `focus` (2) holds the tokens an example uses at least
`FOCUS_MIN_TF` times (what it is about, as bm25's term frequency would say), and the length factors
(`norm`) damp long fields as bm25 does, with a fixed pivot length instead of the collection's average,
so that a score never depends on what else is in the index.

The SQLite FTS5 table follows `SearchDocument` through triggers, the PostgreSQL tsvector columns are
generated columns: writing the document row is writing the index, in the same transaction.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Iterable, Iterator

from django.db import connection, transaction
from django.db.models import Prefetch

from panreflex.practices.models import Practice, PracticeSource

from . import backends
from .analysis import (
    STOP_WORDS,
    Analyzer,
    Lexicon,
    fold,
    lexicon_vocabulary,
    split_candidates,
    surface_words,
    word_variants,
)
from .models import SearchDocument, SearchTerm

BODY_FIELDS = (
    "description", "challenge", "measures", "results", "went_well", "went_less_well", "transfer_crises",
    "transfer_municipalities", "transfer_conditions", "adaptation_germany", "actors_text", "resources_staff",
    "resources_cost", "uncertainty_notes",
)
TERM_RELATIONS = ("themes", "subtopics", "phases", "levels", "target_groups", "innovation_kinds")
FOCUS_MIN_TF = 3
# bm25 length factor with tf = 1: (k1 + 1) / (1 + k1 (1 - b + b len / pivot)), pivots in tokens
K1, B = 1.2, 0.75
PIVOTS = {"title": 8, "summary": 40, "body": 400}

def practice_queryset():
    return Practice.objects.select_related("evidence_strength").prefetch_related(
        "places", "actor_organisations", *TERM_RELATIONS,
        Prefetch("sources", queryset=PracticeSource.objects.only("practice_id", "title")),
    )


def _labels_of(practice: Practice) -> list[str]:
    labels = [p.name for p in practice.places.all()] + [o.name for o in practice.actor_organisations.all()]
    for rel in TERM_RELATIONS:
        labels += [f"{t.label_de} {t.label_en}" for t in getattr(practice, rel).all()]
    if practice.evidence_strength_id:
        labels.append(practice.evidence_strength.label_de)
    return labels + [s.title for s in practice.sources.all()]


def practice_texts(practice: Practice, labels: list[str] | None = None) -> tuple[str, str, str]:
    """(title, summary, body) raw texts of a practice example; `labels` = names of related objects
    (places, organisations, vocabulary labels, source titles), read from the practice when not given."""
    summary = "\n".join(filter(None, [practice.summary, practice.title_en, practice.summary_en]))
    body_parts = [getattr(practice, f) or "" for f in BODY_FIELDS]
    for criterion in practice.good_practice or []:
        if isinstance(criterion, dict):
            body_parts.append(f"{criterion.get('criterion', '')} {criterion.get('justification', '')}")
    body_parts += labels if labels is not None else _labels_of(practice)
    return practice.title, summary, "\n".join(body_parts)


def _bulk_labels(ids: list[int], names: dict[str, dict[int, str]]) -> dict[int, list[str]]:
    """Labels of related objects for many practices with one small query per relation (fast rebuilds)."""
    labels: dict[int, list[str]] = {i: [] for i in ids}
    relations = [("places", "place_id", names["places"]), ("actor_organisations", "organisation_id", names["orgs"])]
    relations += [(rel, "term_id", names["terms"]) for rel in TERM_RELATIONS]
    for rel, column, lookup in relations:
        through = getattr(Practice, rel).through
        for practice_id, other in through.objects.filter(practice_id__in=ids).values_list("practice_id", column):
            labels[practice_id].append(lookup.get(other, ""))
    for practice_id, term_id in Practice.objects.filter(pk__in=ids, evidence_strength__isnull=False).values_list(
            "pk", "evidence_strength_id"):
        labels[practice_id].append(names["terms"].get(term_id, ""))
    for practice_id, title in PracticeSource.objects.filter(practice_id__in=ids).values_list("practice_id", "title"):
        labels[practice_id].append(title)
    return labels


def _names() -> dict[str, dict[int, str]]:
    from panreflex.accounts.models import Organisation
    from panreflex.places.models import Place
    from panreflex.taxonomy.models import Term

    return {
        "places": dict(Place.objects.values_list("pk", "name")),
        "orgs": dict(Organisation.objects.values_list("pk", "name")),
        "terms": {pk: f"{de} {en}" for pk, de, en in Term.objects.values_list("pk", "label_de", "label_en")},
    }


# --- vocabulary ------------------------------------------------------------------------------------
class DatabaseLexicon(Lexicon):
    """The index vocabulary (`SearchTerm`) asked in the database, a few small indexed queries per query
    or document: no app process keeps a copy of it, and a term indexed a moment ago by another process
    is known at once. `extra`: terms known besides (the words of the document being indexed)."""

    CHUNK = 500

    def __init__(self, extra: Iterable[str] = ()):  # noqa: D107
        self.df: dict[str, int] = {}
        self._checked: set[str] = set()
        self._extra = frozenset(extra) | lexicon_vocabulary()
        self._vendor = connection.vendor

    def __contains__(self, term: str) -> bool:
        if term in self._extra or term in self.df:
            return True
        if term not in self._checked:
            self.prefetch([term])
        return term in self.df

    def prefetch(self, strings: Iterable[str]) -> None:
        wanted = [t for t in set(strings) if t and t not in self._checked and t not in self._extra]
        self._checked.update(wanted)
        for i in range(0, len(wanted), self.CHUNK):
            self.df.update(SearchTerm.objects.filter(term__in=wanted[i:i + self.CHUNK]).values_list("term", "df"))

    def frequency(self, term: str) -> int:
        if term not in self.df and term not in self._checked:
            self.prefetch([term])
        return self.df.get(term, 0)

    def _range(self, column: str, prefix: str, limit: int, lengths: tuple[int, int] | None = None) -> list[str]:
        """Terms whose `column` (term, or the term reversed) begins with `prefix` (index range scans)."""
        prefix = "".join(c for c in prefix if c.isalnum())
        if not prefix:
            return []
        if self._vendor == "postgresql":
            # varchar_pattern_ops indexes (migration 0010), whatever the database's collation
            sql, params = f"SELECT term, df FROM search_searchterm WHERE {column} LIKE %s", [prefix + "%"]
        else:
            upper = prefix[:-1] + chr(ord(prefix[-1]) + 1)
            sql, params = f"SELECT term, df FROM search_searchterm WHERE {column} >= %s AND {column} < %s", [prefix, upper]
        if lengths is not None:
            sql += " AND LENGTH(term) BETWEEN %s AND %s"
            params += list(lengths)
        with connection.cursor() as cursor:
            cursor.execute(f"{sql} LIMIT {int(limit)}", params)
            rows = cursor.fetchall()
        for term, df in rows:
            self.df[term] = df
            self._checked.add(term)
        return [term for term, _df in rows]

    def with_prefix(self, prefix: str, limit: int = 500) -> list[str]:
        return self._range("term", prefix, limit)

    def with_suffix(self, suffix: str, limit: int = 500) -> list[str]:
        return self._range("reversed", suffix[::-1], limit)

    def near(self, token: str, distance: int) -> list[str]:
        """Terms of about the same length sharing its beginning or its end (one of them survives an edit
        unless two edits fall into both)."""
        affix = max(2, min(4, (len(token) - 1) // 2))
        lengths = (len(token) - distance, len(token) + distance)
        return list(dict.fromkeys(self._range("term", token[:affix], 5000, lengths)
                                  + self._range("reversed", token[::-1][:affix], 5000, lengths)))


_documents: dict[str, float] = {}
DOCUMENT_COUNT_TTL = 30.0  # seconds a process keeps the number of indexed examples (for idf)


def document_frequencies(tokens: Iterable[str] = ()) -> tuple[dict[str, int], int]:
    """({token: number of examples with it} for `tokens`, number of indexed examples), from the database."""
    tokens = list(set(tokens))
    df: dict[str, int] = {}
    for i in range(0, len(tokens), DatabaseLexicon.CHUNK):
        df.update(SearchTerm.objects.filter(term__in=tokens[i:i + DatabaseLexicon.CHUNK]).values_list("term", "df"))
    now = time.monotonic()
    if now - _documents.get("at", -DOCUMENT_COUNT_TTL) >= DOCUMENT_COUNT_TTL:
        _documents.update(at=now, count=SearchDocument.objects.count())
    return df, max(1, int(_documents["count"]))


def forget_vocabulary() -> None:
    _documents.clear()


def _base_tokens(texts: Iterable[str]) -> set[str]:
    """Stems and inflection roots of the words in `texts` (no compound parts): pass 1 of a rebuild."""
    words: set[str] = set()
    for text in texts:
        words.update(surface_words(text))
    tokens: set[str] = set()
    for w in words:
        f = fold(w)
        if f not in STOP_WORDS:
            tokens.update(word_variants(f, w[:1].islower()))
    return tokens


# --- writes ----------------------------------------------------------------------------------------
def norm(length: int, field: str) -> int:
    """Length factor of a field in thousandths (an integer, so sums are exact on every database)."""
    return round(1000 * (K1 + 1) / (1 + K1 * (1 - B + B * length / PIVOTS[field])))


def _document(analyzer: Analyzer, practice: Practice, labels: list[str] | None = None) -> SearchDocument:
    title, summary, body = (analyzer.tokens(t) for t in practice_texts(practice, labels))
    counts = Counter(title + summary + body)
    focus = [t for t, n in counts.items() if n >= FOCUS_MIN_TF]
    return SearchDocument(
        practice_id=practice.pk, title=" ".join(title), summary=" ".join(summary), body=" ".join(body),
        focus=" ".join(focus), title_norm=norm(len(title), "title"), summary_norm=norm(len(summary), "summary"),
        body_norm=norm(len(title) + len(summary) + len(body), "body"),
    )


def index_practice(*, practice_id: int) -> None:
    practice = practice_queryset().filter(pk=practice_id).first()
    if practice is None:
        unindex_practice(practice_id=practice_id)
        return
    texts = practice_texts(practice)
    lexicon = DatabaseLexicon(extra=_base_tokens(texts))
    words = {fold(w) for text in texts for w in surface_words(text)}
    lexicon.prefetch({c for w in words for c in split_candidates(w)})
    doc = _document(Analyzer(lexicon), practice)
    with transaction.atomic():
        # delete + insert keeps the SQLite FTS5 external content in step through the triggers
        SearchDocument.objects.filter(practice_id=practice_id).delete()
        doc.save(force_insert=True)
        tokens = set(" ".join((doc.title, doc.summary, doc.body)).split())
        known = set()
        for chunk in _chunked(sorted(tokens)):
            known.update(SearchTerm.objects.filter(term__in=chunk).values_list("term", flat=True))
        SearchTerm.objects.bulk_create([SearchTerm(term=t[:100], reversed=t[:100][::-1], df=1) for t in tokens - known],
                                       ignore_conflicts=True)


def _chunked(items: list[str], size: int = 500) -> Iterator[list[str]]:
    for i in range(0, len(items), size):
        yield items[i:i + size]


def unindex_practice(*, practice_id: int) -> None:
    """Remove the example's words from the index (it stays listed without a query while it exists)."""
    SearchDocument.objects.filter(practice_id=practice_id).delete()


def _chunks(names, size: int = 2000) -> Iterator[tuple[list[Practice], dict[int, list[str]]]]:
    last = 0
    while True:
        batch = list(Practice.objects.filter(pk__gt=last).order_by("pk")[:size])
        if not batch:
            return
        yield batch, _bulk_labels([p.pk for p in batch], names)
        last = batch[-1].pk


def reindex_all() -> int:
    """Rebuild documents and vocabulary from scratch (two passes: vocabulary, then documents)."""
    # pass 1: the vocabulary of all stems, so that compounds split against every word of the index
    names = _names()
    base: set[str] = set()
    for batch, labels in _chunks(names):
        texts = []
        for p in batch:
            texts.extend(practice_texts(p, labels[p.pk]))
        base |= _base_tokens(texts)
    analyzer = Analyzer(base)
    df: Counter[str] = Counter()
    count = 0
    with transaction.atomic():
        SearchDocument.objects.all().delete()
        SearchTerm.objects.all().delete()
        for batch, labels in _chunks(names):
            docs = [_document(analyzer, p, labels[p.pk]) for p in batch]
            for d in docs:
                df.update(set(f"{d.title} {d.summary} {d.body}".split()))
            SearchDocument.objects.bulk_create(docs, batch_size=500)
            count += len(docs)
        SearchTerm.objects.bulk_create(
            [SearchTerm(term=t[:100], reversed=t[:100][::-1], df=n) for t, n in df.items()], batch_size=2000, ignore_conflicts=True
        )
    backends.optimize()
    forget_vocabulary()
    return count
