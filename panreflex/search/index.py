"""Building the index: practice example → analysed tokens per field weight → SearchDocument.

Field weights: title (A / bm25 weight 10) > summary and English title/summary (B / 4) > everything else
(C / 1): description, challenge, measures, results, lessons, transferability, actors, places, vocabulary
labels and source titles.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Iterable, Iterator

from django.db import connection, transaction
from django.db.models import Prefetch

from panreflex.practices.models import Practice, PracticeSource

from .analysis import Analyzer, surface_words, word_variants, fold, STOP_WORDS
from .models import SearchDocument, SearchTerm

BODY_FIELDS = (
    "description", "challenge", "measures", "results", "went_well", "went_less_well", "transfer_crises",
    "transfer_municipalities", "transfer_conditions", "adaptation_germany", "actors_text", "resources_staff",
    "resources_cost", "uncertainty_notes",
)
TERM_RELATIONS = ("themes", "subtopics", "phases", "levels", "target_groups", "innovation_kinds")
VOCABULARY_TTL = 30.0  # seconds a process keeps the vocabulary before reading it again

_vocabulary_cache: dict[str, object] = {}


def practice_queryset():
    return Practice.objects.select_related("evidence_strength").prefetch_related(
        "places", "actor_organisations", *TERM_RELATIONS,
        Prefetch("sources", queryset=PracticeSource.objects.only("practice_id", "title")),
    )


def practice_texts(practice: Practice) -> tuple[str, str, str]:
    """(title, summary, body) raw texts of a practice example."""
    summary = "\n".join(filter(None, [practice.summary, practice.title_en, practice.summary_en]))
    body_parts = [getattr(practice, f) or "" for f in BODY_FIELDS]
    for criterion in practice.good_practice or []:
        if isinstance(criterion, dict):
            body_parts.append(f"{criterion.get('criterion', '')} {criterion.get('justification', '')}")
    body_parts += [p.name for p in practice.places.all()]
    body_parts += [o.name for o in practice.actor_organisations.all()]
    for rel in TERM_RELATIONS:
        body_parts += [f"{t.label_de} {t.label_en}" for t in getattr(practice, rel).all()]
    if practice.evidence_strength_id:
        body_parts.append(practice.evidence_strength.label_de)
    body_parts += [s.title for s in practice.sources.all()]
    return practice.title, summary, "\n".join(body_parts)


# --- vocabulary ------------------------------------------------------------------------------------
def vocabulary() -> tuple[frozenset[str], list[str]]:
    """(set, list ordered by document frequency) of index terms; cached per process for a short time."""
    now = time.monotonic()
    if _vocabulary_cache.get("at") is None or now - _vocabulary_cache["at"] > VOCABULARY_TTL:
        terms = list(SearchTerm.objects.order_by("-df", "term").values_list("term", flat=True))
        _vocabulary_cache.update(at=now, set=frozenset(terms), list=terms)
    return _vocabulary_cache["set"], _vocabulary_cache["list"]


def forget_vocabulary() -> None:
    _vocabulary_cache.clear()


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
def _document(analyzer: Analyzer, practice: Practice) -> SearchDocument:
    title, summary, body = practice_texts(practice)
    return SearchDocument(
        practice_id=practice.pk, title=analyzer.text(title), summary=analyzer.text(summary), body=analyzer.text(body)
    )


def index_practice(*, practice_id: int) -> None:
    practice = practice_queryset().filter(pk=practice_id).first()
    if practice is None:
        unindex_practice(practice_id=practice_id)
        return
    vocab, _ = vocabulary()
    texts = practice_texts(practice)
    analyzer = Analyzer(vocab | _base_tokens(texts))
    doc = _document(analyzer, practice)
    with transaction.atomic():
        # delete + insert keeps the SQLite FTS5 external content in step through the triggers
        SearchDocument.objects.filter(practice_id=practice_id).delete()
        doc.save(force_insert=True)
        new_terms = set(" ".join((doc.title, doc.summary, doc.body)).split()) - vocab
        SearchTerm.objects.bulk_create([SearchTerm(term=t[:100], df=1) for t in new_terms], ignore_conflicts=True)
    if new_terms:
        forget_vocabulary()


def unindex_practice(*, practice_id: int) -> None:
    SearchDocument.objects.filter(practice_id=practice_id).delete()


def _chunks(queryset, size: int = 2000) -> Iterator[list[Practice]]:
    last = 0
    while True:
        batch = list(queryset.filter(pk__gt=last).order_by("pk")[:size])
        if not batch:
            return
        yield batch
        last = batch[-1].pk


def reindex_all() -> int:
    """Rebuild documents and vocabulary from scratch (two passes: vocabulary, then documents)."""
    # pass 1: the vocabulary of all stems, so that compounds split against every word of the index
    base: set[str] = set()
    for batch in _chunks(practice_queryset()):
        texts = []
        for p in batch:
            texts.extend(practice_texts(p))
        base |= _base_tokens(texts)
    analyzer = Analyzer(base)
    df: Counter[str] = Counter()
    count = 0
    with transaction.atomic():
        SearchDocument.objects.all().delete()
        SearchTerm.objects.all().delete()
        for batch in _chunks(practice_queryset()):
            docs = [_document(analyzer, p) for p in batch]
            for d in docs:
                df.update(set(f"{d.title} {d.summary} {d.body}".split()))
            SearchDocument.objects.bulk_create(docs, batch_size=500)
            count += len(docs)
        SearchTerm.objects.bulk_create(
            [SearchTerm(term=t[:100], df=n) for t, n in df.items()], batch_size=2000, ignore_conflicts=True
        )
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("INSERT INTO search_fts(search_fts) VALUES ('optimize')")
    elif connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE search_searchdocument")
    forget_vocabulary()
    return count
