"""The search's own posting lists: exact bm25, segment storage, the overlay of changed documents, compaction."""

import math

import numpy as np
import pytest
from django.db import connection

from panreflex.practices.models import Practice
from panreflex.search import backends, index, postings, query, table
from panreflex.search.models import SearchDocument, SearchSegment
from panreflex.search.tests.factories import practice, reindex

TEXTS = [
    ("Impfbus für Wohnungslose", "Ein Bus fährt zu Notunterkünften und impft ohne Termin.",
     "Das Gesundheitsamt organisierte mit der Wohnungslosenhilfe einen Impfbus. Geimpft wurde vor Ort."),
    ("Bürgertelefon im Krisenstab", "Ein Bürgertelefon beantwortete Fragen zu Quarantäne und Impfungen.",
     "Freiwillige aus der Verwaltung besetzten das Telefon an Wochenenden."),
    ("Mehrsprachige Informationen", "Videos und Flyer in zwölf Sprachen für Geflüchtete.",
     "Die Stadt übersetzte Regeln zur Quarantäne mit Lotsinnen und Lotsen."),
    ("Einkaufshilfe für Senioren", "Nachbarschaftshilfe kaufte für Menschen in Quarantäne ein.",
     "Freiwillige und Wohlfahrtsverbände organisierten Einkäufe per Telefon."),
    ("Testzentrum an Schulen", "Schulen testeten zweimal pro Woche.", "Testzentrum und Impfzentrum arbeiteten zusammen."),
    ("Impfzentrum in der Messehalle", "Das Impfzentrum impfte bis zu 5.000 Menschen am Tag.",
     "Impfungen Impfungen Impfungen: mit Termin und ohne Termin, mit mobilen Teams im Stadtteil."),
]
QUERIES = ["Impfung", "Impfbus", "Quarantäne Telefon", "Freiwillige", "Termin", "Impfzentrum Schulen",
           "Wohnungslose", "Bus für Impfungen", "Telefon Geflüchtete"]


@pytest.fixture
def corpus(personas):
    made = [practice(organisation=personas.dortmund, title=t, summary=s, description=d) for t, s, d in TEXTS]
    reindex()
    return made


def _reference(plan, *, any_words=False) -> dict[int, float]:
    """bm25 as SQLite FTS5 defines it, computed plainly from the stored search documents (all words; any
    of them when no document has all, as the search falls back)."""
    docs = {d.practice_id: d for d in SearchDocument.objects.all()}
    terms, lengths = {}, {}
    for pk, d in docs.items():
        weighted = {}
        for text, weight in ((d.title, 10.0), (d.summary, 4.0), (d.body, 1.0)):
            for token in text.split():
                weighted[token] = weighted.get(token, 0.0) + weight
        terms[pk] = weighted
        lengths[pk] = sum(len(t.split()) for t in (d.title, d.summary, d.body))
    n, avg = len(docs), sum(lengths.values()) / len(docs)

    def has(pk, alternative):
        return all(t in terms[pk] for t in alternative)

    result = {}
    for pk in docs:
        found = [any(has(pk, alt) for alt in g.alternatives) for g in plan.groups]
        if not (any(found) if any_words else all(found)):
            continue
        score = 0.0
        for token in plan.tokens:
            df = sum(1 for p in docs if token in terms[p])
            idf = math.log((n - df + 0.5) / (df + 0.5))
            idf = idf if idf > 0 else 1e-6
            tf = terms[pk].get(token, 0.0)
            score += idf * tf * 2.2 / (tf + 1.2 * (0.25 + 0.75 * lengths[pk] / avg))
        result[pk] = score
    if not result and not any_words and len(plan.groups) > 1:
        return _reference(plan, any_words=True)
    return result


@pytest.mark.django_db
@pytest.mark.parametrize("q", QUERIES)
def test_scores_are_bm25_on_every_database(corpus, q):
    plan = query.plan_for(q)
    expected = _reference(plan)
    hits = query.ranked_hits(q=q, everything=True)
    assert {pk for pk, _s in hits} == set(expected), q
    assert expected, f"the corpus must match {q!r}"
    for pk, score in hits:
        assert score == pytest.approx(expected[pk], rel=1e-5)
    assert [s for _pk, s in hits] == sorted((s for _pk, s in hits), reverse=True)


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite FTS5's bm25 is the reference")
@pytest.mark.parametrize("q", QUERIES)
def test_scores_equal_sqlite_fts5(corpus, q):
    plan = query.plan_for(q)
    sql, params = backends.top_sql(plan)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        if not cursor.fetchall():
            sql, params = backends.top_sql(plan, any_words=True)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        fts5 = cursor.fetchall()
    ours = query.ranked_hits(q=q, everything=True)
    assert [pk for pk, _s in ours] == [pk for pk, _s in fts5]
    for (_a, ours_score), (_b, fts5_score) in zip(ours, fts5, strict=True):
        assert ours_score == pytest.approx(fts5_score, rel=1e-4)


def test_segment_survives_storage():
    rows = [(3, "impf bus", "impf", "bus bus fahr"), (7, "telefon", "", "impf telefon"), (9, "", "", "")]
    segment = postings.build(rows, stamp="s", version=4, batch=2)
    again = postings.loads(postings.dumps(segment), stamp="s", version=4)
    for s in (segment, again):
        assert s.docs == 2 and s.total_len == 9  # a document without tokens does not count
        pks, wtf = s.postings("bus")
        assert pks.tolist() == [3] and wtf.tolist() == [10.0 + 2.0]  # title 10, body 1 per token
        pks, wtf = s.postings("impf")
        assert dict(zip(pks.tolist(), wtf.tolist(), strict=True)) == {3: 14.0, 7: 1.0}
        assert s.postings("nichts")[0].tolist() == []
        assert s.doc_len[[3, 7]].tolist() == [6, 3]


@pytest.mark.django_db
def test_rebuild_stores_a_segment_of_every_document(corpus):
    segment = SearchSegment.objects.get()
    t = table.current()
    assert segment.docs == len(TEXTS) and segment.stamp == t.stamp
    assert t.text.segment.docs == len(TEXTS) and t.text.overlay_size == 0


def _ids(q, **kwargs):
    return {pk for pk, _s in query.ranked_hits(q=q, everything=True, **kwargs)}


@pytest.mark.django_db
def test_changes_after_the_segment_are_found_at_once(personas, corpus):
    bus, telefon = corpus[0], corpus[1]
    # changed: the old words are gone, the new ones found
    Practice.objects.filter(pk=bus.pk).update(title="Sonnenschirm am Rathaus", summary="Schatten",
                                              description="Sonnenschirme")
    index.index_practice(practice_id=bus.pk)
    assert bus.pk not in _ids("Impfbus") and _ids("Sonnenschirm") == {bus.pk}
    # new
    new = practice(organisation=personas.dortmund, title="Impfbus im Quartier", summary="Quartiersbus")
    index.index_practice(practice_id=new.pk)
    assert _ids("Impfbus") == {new.pk}
    # deleted
    Practice.objects.filter(pk=telefon.pk).delete()
    index.unindex_practice(practice_id=telefon.pk)
    assert telefon.pk not in _ids("Bürgertelefon")
    t = table.current()
    assert t.text.overlay_size >= 2 and t.text.n_docs == len(TEXTS)  # one changed, one new, one gone
    # the scores of the overlay are bm25 over the documents as they are now
    plan = query.plan_for("Impfbus Quartier")
    expected = _reference(plan)
    for pk, score in query.ranked_hits(q="Impfbus Quartier", everything=True):
        assert score == pytest.approx(expected[pk], rel=1e-5)


@pytest.mark.django_db
def test_without_a_segment_every_document_is_in_the_overlay(personas):
    made = [practice(organisation=personas.dortmund, title=t, summary=s, description=d) for t, s, d in TEXTS]
    for p in made:
        index.index_practice(practice_id=p.pk)
    SearchSegment.objects.all().delete()
    t = table.current()
    assert t.text.segment.docs == 0 and t.text.overlay_size == len(TEXTS)
    assert _ids("Impfbus") == {made[0].pk}


@pytest.mark.django_db
def test_a_newer_segment_replaces_the_overlay(personas, corpus, monkeypatch):
    bus = corpus[0]
    Practice.objects.filter(pk=bus.pk).update(title="Sonnenschirm am Rathaus")
    index.index_practice(practice_id=bus.pk)
    t = table.current()
    assert t.text.overlay_size == 1
    before = {q: query.ranked_hits(q=q, everything=True) for q in QUERIES + ["Sonnenschirm"]}
    assert postings.compact() == len(TEXTS)
    monkeypatch.setattr(postings, "SEGMENT_CHECK_S", 0.0)
    with connection.cursor() as cursor:
        table._newer_segment(t, cursor)
    assert t.text.overlay_size == 0 and t.text.segment.version == table.current().version
    after = table.current()  # a private copy in this test's transaction, built from the new segment
    assert after.text.overlay_size == 0
    for q, hits in before.items():
        got = query.ranked_hits(q=q, everything=True)
        assert [pk for pk, _s in got] == [pk for pk, _s in hits], q
        assert np.allclose([s for _pk, s in got], [s for _pk, s in hits])


@pytest.mark.django_db
def test_a_large_overlay_asks_for_a_new_segment(personas, corpus, monkeypatch, django_capture_on_commit_callbacks):
    monkeypatch.setattr(postings, "COMPACT_MIN", 1)
    monkeypatch.setattr(postings, "SEGMENT_CHECK_S", 0.0)
    Practice.objects.filter(pk=corpus[0].pk).update(title="Sonnenschirm am Rathaus")
    index.index_practice(practice_id=corpus[0].pk)
    t = table.current()
    old_version = SearchSegment.objects.get().version
    with django_capture_on_commit_callbacks(execute=True), connection.cursor() as cursor:
        table._newer_segment(t, cursor)
    segment = SearchSegment.objects.get()
    assert segment.version > old_version  # the task ran (immediate backend in tests) and wrote a segment
    assert postings.read(connection.cursor(), segment.stamp).postings("sonnenschirm")[0].tolist() == [corpus[0].pk]
