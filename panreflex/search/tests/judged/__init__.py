"""Judged query sets of the practice search, kept as regression tests and read by bench/search.py.

- `own-judgments.json`: 42 queries over the 36 default examples, judged by the search engineer who
  wrote the analyser (the set it was built against);
- `real-judgments.json`: queries over the same 36 examples, written and judged blind by an independent
  judge who saw only the example texts (never the analyser, the synonyms or a ranking);
- `generated-docs.jsonl` + `generated-judgments.json`: a corpus of German practice texts in the style
  of municipal reports and queries over it, written and judged blind the same way.

The files are copied unchanged from the judge; nothing in the search is tuned to their queries.
Grades: 2 = about exactly this, 1 = partly relevant. Documents are keyed by `external_key`.
"""

from __future__ import annotations

import json
import math
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent
OWN = HERE / "own-judgments.json"
REAL = HERE / "real-judgments.json"
GENERATED_DOCS = HERE / "generated-docs.jsonl"
GENERATED = HERE / "generated-judgments.json"
# the independent sets: their mean is bench/search.py's ndcg10_unseen
UNSEEN = {"real": REAL, "generated": GENERATED}
TEXT_FIELDS = ("title", "summary", "description", "challenge", "measures", "results", "went_well",
               "went_less_well", "transfer_municipalities", "actors_text")


def queries(path: Path) -> list[dict]:
    return json.loads(path.read_text(encoding="utf-8"))["queries"]


def ndcg10(ranked: list[str], relevant: dict[str, int]) -> float:
    dcg = sum((2 ** relevant.get(key, 0) - 1) / math.log2(i + 2) for i, key in enumerate(ranked[:10]))
    ideal = sorted(relevant.values(), reverse=True)[:10]
    idcg = sum((2 ** g - 1) / math.log2(i + 2) for i, g in enumerate(ideal))
    return dcg / idcg if idcg else 0.0


def generated_available() -> bool:
    return GENERATED_DOCS.exists() and GENERATED.exists()


def load_generated(*, organisation=None) -> dict[int, str]:
    """Create the generated corpus as published public practice examples (external key `gen:<key>` is
    not used: the judge's keys are kept as they are); returns {practice id: external_key}."""
    from django.utils import timezone

    from panreflex.accounts.models import Organisation, Visibility
    from panreflex.places.models import Place
    from panreflex.practices.models import Practice

    if organisation is None:
        organisation = Organisation.objects.order_by("pk").first() or Organisation.objects.create(
            name="Judged corpus", slug="judged-corpus")
    now = timezone.now()
    keys: dict[int, str] = {}
    fields = {f.name for f in Practice._meta.get_fields()}
    for line in GENERATED_DOCS.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        doc = json.loads(line)
        values = {f: doc[f] for f in TEXT_FIELDS if f in fields and isinstance(doc.get(f), str)}
        practice = Practice.objects.create(
            organisation=organisation, visibility=Visibility.PUBLIC, status=Practice.Status.PUBLISHED,
            released_at=now, published_at=now, external_key=str(doc["external_key"])[:50],
            period_start=date(2021, 1, 1), **values)
        place = _place(doc.get("municipality"), Place)
        if place is not None:
            practice.places.set([place])
        elif isinstance(doc.get("municipality"), str):  # a place the reference data does not have:
            practice.actors_text = doc["municipality"]  # its name stands where a place label would
            practice.save(update_fields=["actors_text"])
        keys[practice.pk] = doc["external_key"]
    return keys


def _place(value, Place):
    """The place of a judged document: a list of AGS (the real set) or a name ("Landkreis Vorpommern-
    Greifswald", "Köln")."""
    if not value:
        return None
    if isinstance(value, list):
        return Place.objects.filter(ags__in=value).order_by("kind").first()
    for prefix in ("", "Landkreis ", "Kreis ", "Stadt "):
        name = value.removeprefix(prefix) if prefix else value
        found = Place.objects.filter(name__iexact=name).order_by("kind").first()
        if found is not None:
            return found
    return None


CORPUS_PREFIX = {OWN: "facts-", REAL: "facts-", GENERATED: "gen-"}


def evaluate(path: Path, keys: dict[int, str], ranked) -> tuple[float, list[tuple[str, float]]]:
    """Mean nDCG@10 of the queries in `path`; `ranked(q)` gives practice ids, best first. Only the
    examples of the set's own corpus count (the judge judged only those), as if each corpus were alone."""
    prefix = CORPUS_PREFIX.get(path, "")
    keys = {pk: key for pk, key in keys.items() if key and key.startswith(prefix)}
    scores = []
    for item in queries(path):
        ids = [i for i in ranked(item["q"]) if i in keys][:10]
        scores.append((item["q"], ndcg10([keys.get(i, "") for i in ids], item["relevant"])))
    return sum(s for _q, s in scores) / len(scores), scores


# --- the baseline: the database's plain full-text search over the raw texts, without the analyser -----
PLAIN_TEXT = {
    "title": "title",
    "summary": "summary || ' ' || title_en || ' ' || summary_en",
    "body": "description || ' ' || challenge || ' ' || measures || ' ' || results || ' ' || went_well || ' ' "
            "|| went_less_well || ' ' || transfer_municipalities",
}


def build_plain() -> None:
    """SQLite: an FTS5 table `plain_fts` (unicode61, diacritics removed) over the raw texts. PostgreSQL
    needs nothing (the 'german' configuration is applied in the query)."""
    from django.db import connection

    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS plain_fts")
        cursor.execute("CREATE VIRTUAL TABLE plain_fts USING fts5(title, summary, body, "
                       "tokenize='unicode61 remove_diacritics 2')")
        cursor.execute(f"INSERT INTO plain_fts(rowid, title, summary, body) SELECT id, {PLAIN_TEXT['title']}, "
                       f"{PLAIN_TEXT['summary']}, {PLAIN_TEXT['body']} FROM practices_practice")


def plain_ranked(q: str) -> list[int]:
    """Ids (best first) by the database's plain full-text search: all words (FTS5 bm25 10/4/1, or
    PostgreSQL's 'german' configuration with ts_rank and weights A/B/C)."""
    from django.db import connection

    from panreflex.search.analysis import surface_words

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                f"SELECT id FROM (SELECT id, setweight(to_tsvector('german', {PLAIN_TEXT['title']}), 'A') || "
                f"setweight(to_tsvector('german', {PLAIN_TEXT['summary']}), 'B') || "
                f"setweight(to_tsvector('german', {PLAIN_TEXT['body']}), 'C') AS v FROM practices_practice) d, "
                "plainto_tsquery('german', %s) q WHERE d.v @@ q ORDER BY ts_rank(d.v, q) DESC, id LIMIT 500", [q])
            return [r[0] for r in cursor.fetchall()]
        expr = " AND ".join('"' + w.replace('"', "") + '"' for w in surface_words(q)) or '""'
        cursor.execute("SELECT rowid FROM plain_fts WHERE plain_fts MATCH %s "
                       "ORDER BY bm25(plain_fts, 10.0, 4.0, 1.0) LIMIT 500", [expr])
        return [r[0] for r in cursor.fetchall()]
