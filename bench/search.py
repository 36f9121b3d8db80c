"""Benchmark of the practice search (issue #3). Prints ONE JSON object.

    .venv/bin/python bench/search.py [--docs 100000] [--rounds 3]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/pr_search .venv/bin/python bench/search.py

Works in a throwaway database: a temporary SQLite file by default; with DATABASE_URL a fresh PostgreSQL
database named "<name>_bench" on that server, dropped afterwards. The demo database is never touched.

1. Loads the 36 default practice examples and measures nDCG@10 of the judged German queries in
   bench/search_judgments.json, once with the German analyser (ndcg10) and once with the database's
   plain full-text search over the raw text (ndcg10_plain: SQLite FTS5 unicode61, PostgreSQL 'german').
2. Adds N generated practice examples (is_demo=True, titled "Benchmark-Datensatz …": generated benchmark
   data, not real; on PostgreSQL followed by ANALYZE, as autovacuum would do), builds the index
   (build_s), then times searches with facet counts through the selector (p50_ms, p95_ms, anonymous
   viewer; first_search_ms = the first search of the process, which reads the facet table and the
   posting lists into memory) and through HTTP (a uvicorn server process on the same
   database, one keep-alive connection, after a warm-up round: http_p50_ms, http_p95_ms), and the
   raw index query for the same words (raw_p95_ms: the database's full-text index, FTS5 or tsvector/GIN);
   ratio_to_raw = p95_ms / raw_p95_ms. The search itself matches and ranks with its own posting lists
   (panreflex/search/postings.py); their bare query for the same words is own_raw_p95_ms, and
   ratio_to_own_raw = p95_ms / own_raw_p95_ms shows what analysis, visibility, facets and the page add.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import statistics
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
JUDGMENTS = ROOT / "bench" / "search_judgments.json"


from benchdb import setup_database as _setup_database  # noqa: E402


def log(message: str) -> None:
    print(f"[bench/search] {message}", file=sys.stderr, flush=True)


def percentile(values: list[float], p: float) -> float:
    values = sorted(values)
    k = (len(values) - 1) * p
    lo, hi = math.floor(k), math.ceil(k)
    return values[lo] + (values[hi] - values[lo]) * (k - lo)


def ndcg10(ranked: list[str], relevant: dict[str, int]) -> float:
    dcg = sum((2 ** relevant.get(key, 0) - 1) / math.log2(i + 2) for i, key in enumerate(ranked[:10]))
    ideal = sorted(relevant.values(), reverse=True)[:10]
    idcg = sum((2 ** g - 1) / math.log2(i + 2) for i, g in enumerate(ideal))
    return dcg / idcg if idcg else 0.0


# --- plain full-text search of the database, without the German analyser ---------------------------
def plain_ranked(q: str) -> list[int]:
    from django.db import connection

    from panreflex.search.analysis import surface_words

    words = [w for w in surface_words(q)]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT id FROM (SELECT id, setweight(to_tsvector('german', title), 'A') || "
                "setweight(to_tsvector('german', summary || ' ' || title_en || ' ' || summary_en), 'B') || "
                "setweight(to_tsvector('german', description || ' ' || challenge || ' ' || measures || ' ' || results "
                "|| ' ' || went_well || ' ' || went_less_well || ' ' || transfer_municipalities), 'C') AS v "
                "FROM practices_practice) d, plainto_tsquery('german', %s) q "
                "WHERE d.v @@ q ORDER BY ts_rank(d.v, q) DESC, id LIMIT 10", [q])
            return [r[0] for r in cursor.fetchall()]
        expr = " AND ".join('"' + w.replace('"', "") + '"' for w in words) or '""'
        cursor.execute("SELECT rowid FROM bench_plain WHERE bench_plain MATCH %s "
                       "ORDER BY bm25(bench_plain, 10.0, 4.0, 1.0) LIMIT 10", [expr])
        return [r[0] for r in cursor.fetchall()]


def build_plain_sqlite() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("CREATE VIRTUAL TABLE bench_plain USING fts5(title, summary, body, "
                       "tokenize='unicode61 remove_diacritics 2')")
        cursor.execute(
            "INSERT INTO bench_plain(rowid, title, summary, body) SELECT id, title, summary || ' ' || title_en || ' ' "
            "|| summary_en, description || ' ' || challenge || ' ' || measures || ' ' || results || ' ' || went_well "
            "|| ' ' || went_less_well || ' ' || transfer_municipalities FROM practices_practice")


# --- generated benchmark data --------------------------------------------------------------------------
# 20 × 20 compound subjects ("Impfbus", "Testzentrum", "Beratungstelefon", …): a realistic spread, so that
# a query word matches a few per cent of the generated examples, not all of them
PREFIXES = ["Impf", "Test", "Beratungs", "Hilfs", "Informations", "Quarantäne", "Kontakt", "Einkaufs", "Notfall",
            "Krisen", "Bürger", "Senioren", "Familien", "Nachbarschafts", "Gesundheits", "Lage", "Schul", "Pflege",
            "Sprach", "Sozial"]
HEADS = ["bus", "zentrum", "telefon", "stelle", "team", "angebot", "plan", "netz", "dienst", "portal", "lotsen",
         "konzept", "aktion", "karte", "hotline", "raum", "fonds", "rat", "stab", "paket"]
SUBJECTS = [p + h for p in PREFIXES for h in HEADS]
GROUPS = ["wohnungslose Menschen", "ältere Menschen", "Familien", "Geflüchtete", "Studierende",
          "Menschen mit Behinderungen", "Pflegeheime", "Schulen und Kitas", "Beschäftigte", "Quartiere"]
VERBS = ["organisierte", "richtete ein", "startete", "erweiterte", "koordinierte", "finanzierte", "verbesserte"]
EXTRA = ["mit mehrsprachigen Informationen", "ohne Termin", "in der Messehalle", "mit Freiwilligen",
         "über soziale Medien", "mit der Feuerwehr", "mit Wohlfahrtsverbänden", "per Telefon", "im Stadtteil",
         "mit digitalen Fragebögen", "an Wochenenden", "mit mobilen Teams"]


def generate(n: int, seed: int = 7) -> None:
    from django.db import connection, transaction

    from panreflex.accounts.models import Organisation, Visibility
    from panreflex.places.models import Place
    from panreflex.practices.models import Practice
    from panreflex.taxonomy.models import Term

    rng = random.Random(seed)
    orgs = list(Organisation.objects.values_list("pk", flat=True))
    places = list(Place.objects.filter(kind=Place.Kind.MUNICIPALITY).values_list("pk", "name"))
    themes = list(Term.objects.filter(vocabulary="theme").values_list("pk", flat=True))
    targets = list(Term.objects.filter(vocabulary="target_group").values_list("pk", flat=True))
    evidence = list(Term.objects.filter(vocabulary="evidence_strength").values_list("pk", flat=True))
    place_through, theme_through = Practice.places.through, Practice.themes.through
    target_through = Practice.target_groups.through
    from django.utils import timezone

    now = timezone.now()
    batch = 5000
    with transaction.atomic():
        for start in range(0, n, batch):
            rows, chosen = [], []
            for i in range(start, min(n, start + batch)):
                subject, group, extra = rng.choice(SUBJECTS), rng.choice(GROUPS), rng.choice(EXTRA)
                pid, pname = rng.choice(places)
                year = rng.choice([2020, 2021, 2022])
                r = rng.random()
                vis, status = ((Visibility.PUBLIC, "published") if r < 0.7 else
                               (Visibility.NETWORK, "published") if r < 0.9 else (Visibility.PRIVATE, "draft"))
                text = " ".join(f"{pname} {rng.choice(VERBS)} {rng.choice(SUBJECTS)} für {rng.choice(GROUPS)} "
                                f"{rng.choice(EXTRA)}." for _ in range(3))
                rows.append(Practice(
                    organisation_id=rng.choice(orgs), visibility=vis, status=status,
                    released_at=now if vis == Visibility.PUBLIC else None,
                    published_at=now if status == "published" else None, is_demo=True,
                    title=f"Benchmark-Datensatz {i + 1}: {subject} für {group} in {pname}",
                    summary=f"Generiertes Benchmark-Datum, kein reales Beispiel. {pname} {rng.choice(VERBS)} "
                            f"{subject} {extra}.",
                    description=text, period_start=date(year, rng.randint(1, 12), 1),
                    evidence_strength_id=rng.choice(evidence),
                ))
                chosen.append((pid, rng.sample(themes, rng.randint(1, 2)), rng.choice(targets)))
            created = Practice.objects.bulk_create(rows, batch_size=1000)
            if connection.vendor == "sqlite" and created[0].pk is None:  # pragma: no cover
                raise RuntimeError("bulk_create did not return ids")
            place_through.objects.bulk_create(
                [place_through(practice_id=p.pk, place_id=c[0]) for p, c in zip(created, chosen, strict=True)], batch_size=2000)
            theme_through.objects.bulk_create(
                [theme_through(practice_id=p.pk, term_id=t) for p, c in zip(created, chosen, strict=True) for t in c[1]],
                batch_size=2000)
            target_through.objects.bulk_create(
                [target_through(practice_id=p.pk, term_id=c[2]) for p, c in zip(created, chosen, strict=True)], batch_size=2000)


QUERIES = ["Impfbus", "Bus für Impfungen", "wohnungslose Menschen", "Kontaktnachverfolgung", "Krisenstab",
           "Bürgertelefon", "Einkaufshilfe Senioren", "mehrsprachige Informationen", "Testzentrum Schulen",
           "Quarantäne", "Impfzentrum Messehalle", "Geflüchtete", "Freiwillige", "Obdachlose", "Koeln Impfung",
           "Impfen ohne Termin", "Personalreserve", "Hygienekonzept Pflegeheime", "Lieferdienst Familien",
           "Kontaktnachverfolgng", "Notunterkunft", "digitale Fragebögen", "Testbus Quartiere",
           "Lagezentrum Feuerwehr", "Videoaufklärung"]


def own_raw(words: list[str]) -> float:
    """Milliseconds of the bare query of the search's own posting lists for the same tokens (AND, bm25,
    best 20), without analysis, visibility or facets; the index is open (the process has searched)."""
    import numpy as np

    from panreflex.search import postings, table
    from panreflex.search.analysis import QueryPlan, WordGroup

    t = table.current()
    plan = QueryPlan(text=" ".join(words), groups=[WordGroup(word=w, alternatives=[(w,)]) for w in words])
    started = time.perf_counter()
    rows, scores = postings.match(t, plan)
    best = np.argsort(-scores)[:20]
    t.ids[rows[best]].tolist()
    return (time.perf_counter() - started) * 1000


def http_times(rounds: int) -> list[float]:
    """Wall time of GET /praxisbeispiele/?q=… through a real server process (uvicorn, as `make serve` runs
    it) on the same database, over one keep-alive connection, after one warm-up round."""
    import http.client
    import socket
    import subprocess
    from urllib.parse import urlencode

    from django.db import connections

    connections.close_all()
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    env = {**os.environ, "DEBUG": "0", "HTTPS": "0", "ALLOWED_HOSTS": "127.0.0.1", "AXES_ENABLED": "0",
           "LOG_LEVEL": "ERROR", "LANGUAGE_CODE": "de"}
    server = subprocess.Popen([sys.executable, "-m", "uvicorn", "config.asgi:application", "--host", "127.0.0.1",
                               "--port", str(port), "--no-access-log", "--log-level", "warning"],
                              cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise RuntimeError("the server did not start") from None
                time.sleep(0.2)
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)

        def get(q: str) -> float:
            started = time.perf_counter()
            conn.request("GET", "/praxisbeispiele/?" + urlencode({"q": q}))
            response = conn.getresponse()
            response.read()
            if response.status != 200:
                raise RuntimeError(f"HTTP {response.status} for {q!r}")
            return (time.perf_counter() - started) * 1000

        for q in QUERIES:  # warm-up: the server process reads the facet table and the vocabulary once
            get(q)
        return [get(q) for _ in range(rounds) for q in QUERIES]
    finally:
        server.terminate()
        server.wait(timeout=20)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()

    backend, cleanup = _setup_database()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    try:
        print(json.dumps(run(backend, args), ensure_ascii=False))
    finally:
        cleanup()


def run(backend: str, args) -> dict:
    from django.core.management import call_command
    from django.db import connection

    from panreflex.accounts.demo import load_demo_accounts
    from panreflex.practices.demo import load_demo_practices
    from panreflex.practices.models import Practice
    from panreflex.search import backends
    from panreflex.search.analysis import STOP_WORDS, fold, surface_words, word_variants
    from panreflex.search.query import SearchParams
    from panreflex.search.query import run as search_run
    from panreflex.search.selectors import practice_search_ids
    from panreflex.search.services import practice_reindex_all

    call_command("migrate", verbosity=0)
    load_demo_accounts()
    load_demo_practices()
    practice_reindex_all()
    keys = dict(Practice.objects.values_list("pk", "external_key"))
    judged = json.loads(JUDGMENTS.read_text(encoding="utf-8"))["queries"]
    if backend == "sqlite":
        build_plain_sqlite()
    german, plain = [], []
    for item in judged:
        ids = practice_search_ids(viewer=None, params={"q": item["q"]})[:10]
        german.append(ndcg10([keys[i] for i in ids], item["relevant"]))
        plain.append(ndcg10([keys[i] for i in plain_ranked(item["q"])], item["relevant"]))
    default_docs = len(keys)

    log(f"nDCG@10 {statistics.mean(german):.3f} (plain {statistics.mean(plain):.3f})")
    started = time.perf_counter()
    generate(args.docs)
    generate_s = time.perf_counter() - started
    log(f"generated {args.docs} in {generate_s:.0f} s")
    if connection.vendor == "postgresql":
        # the statistics autovacuum gathers after such a bulk insert (autovacuum is off on the test
        # machines' server); without them PostgreSQL plans the page's queries for empty tables
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    started, cpu_started = time.perf_counter(), time.process_time()
    indexed = practice_reindex_all()
    build_s, build_cpu_s = time.perf_counter() - started, time.process_time() - cpu_started
    log(f"index built in {build_s:.0f} s")

    selector_ms, selector_cpu_ms, raw_ms, raw_cpu_ms, http_ms, totals, own_raw_ms = [], [], [], [], [], [], []
    started = time.perf_counter()  # the first search of a process reads the whole facet table
    search_run(SearchParams.from_mapping({"q": QUERIES[0]}), viewer=None)
    first_search_ms = (time.perf_counter() - started) * 1000
    for q in QUERIES:  # warm-up (caches, vocabulary)
        search_run(SearchParams.from_mapping({"q": q}), viewer=None)
    for _ in range(args.rounds):
        for q in QUERIES:
            t, c = time.perf_counter(), time.process_time()
            result = search_run(SearchParams.from_mapping({"q": q}), viewer=None)
            selector_ms.append((time.perf_counter() - t) * 1000)
            selector_cpu_ms.append((time.process_time() - c) * 1000)
            totals.append(result.total)
            words = [word_variants(fold(w))[0] for w in surface_words(q) if fold(w) not in STOP_WORDS]
            sql, params = backends.raw_match_sql(words)
            t, c = time.perf_counter(), time.process_time()
            with connection.cursor() as cursor:
                cursor.execute(sql, params)
                cursor.fetchall()
            raw_ms.append((time.perf_counter() - t) * 1000)
            raw_cpu_ms.append((time.process_time() - c) * 1000)
            own_raw_ms.append(own_raw(words))
    log(f"selector p95 {percentile(selector_ms, 0.95):.1f} ms, raw p95 {percentile(raw_ms, 0.95):.1f} ms")
    http_error = ""
    try:
        http_ms = http_times(args.rounds)
    except Exception as exc:  # report, do not hide: the selector figures stay valid
        http_error = f"{type(exc).__name__}: {exc}"[:300]
    facet_ms = []
    for q in QUERIES[:10]:
        t = time.perf_counter()
        search_run(SearchParams.from_mapping({"q": q, "theme": "T3", "year": "2021"}), viewer=None)
        facet_ms.append((time.perf_counter() - t) * 1000)
    p95, raw_p95 = percentile(selector_ms, 0.95), percentile(raw_ms, 0.95)
    return {
        "backend": backend,
        "docs": indexed,
        "default_docs": default_docs,
        "generated_docs": args.docs,
        "generate_s": round(generate_s, 1),
        "build_s": round(build_s, 1),
        "build_cpu_s": round(build_cpu_s, 1),
        "queries": len(QUERIES),
        "rounds": args.rounds,
        "median_hits": statistics.median(totals),
        "p50_ms": round(percentile(selector_ms, 0.5), 1),
        "p95_ms": round(p95, 1),
        "p95_with_filters_ms": round(percentile(facet_ms, 0.95), 1),
        "first_search_ms": round(first_search_ms, 1),
        "http_p50_ms": round(percentile(http_ms, 0.5), 1) if http_ms and not http_error else None,
        "http_p95_ms": round(percentile(http_ms, 0.95), 1) if http_ms and not http_error else None,
        "http_error": http_error or None,
        "raw_p50_ms": round(percentile(raw_ms, 0.5), 1),
        "raw_p95_ms": round(raw_p95, 1),
        "ratio_to_raw": round(p95 / raw_p95, 2) if raw_p95 else None,
        "own_raw_p50_ms": round(percentile(own_raw_ms, 0.5), 2),
        "own_raw_p95_ms": round(percentile(own_raw_ms, 0.95), 2),
        "ratio_to_own_raw": round(p95 / percentile(own_raw_ms, 0.95), 2),
        "p50_cpu_ms": round(percentile(selector_cpu_ms, 0.5), 1),
        "p95_cpu_ms": round(percentile(selector_cpu_ms, 0.95), 1),
        "raw_p95_cpu_ms": round(percentile(raw_cpu_ms, 0.95), 1),
        "judged_queries": len(judged),
        "ndcg10": round(statistics.mean(german), 3),
        "ndcg10_plain": round(statistics.mean(plain), 3),
        "load_average": [round(x, 1) for x in os.getloadavg()],
        "note": "wall-clock times on a shared 2-core machine (about 8 engineers working at the same time); "
                "*_cpu_* = CPU time of this process (SQLite runs in-process; PostgreSQL server time is not in it)",
    }


if __name__ == "__main__":
    main()
