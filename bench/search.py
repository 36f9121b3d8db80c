"""Benchmark of the practice search (issues #3, #14). Prints ONE JSON object.

    .venv/bin/python bench/search.py [--docs 100000] [--rounds 3]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/pr_search .venv/bin/python bench/search.py

Works in a throwaway database: a temporary SQLite file by default; with DATABASE_URL a fresh PostgreSQL
database named "<name>_bench" on that server, dropped afterwards. The demo database is never touched.

1. Loads the 36 default practice examples and the judged corpus of generated German texts
   (panreflex/search/tests/judged/) and measures nDCG@10 of every judged set, once with the search
   and once with the database's plain full-text search over the raw text (SQLite FTS5 unicode61,
   PostgreSQL 'german'): ndcg10 / ndcg10_plain = the own set (written by the analyser's author),
   ndcg10_sets = every set, ndcg10_unseen = the mean over the independent sets (written blind).
2. Adds N generated practice examples (is_demo=True, titled "Benchmark-Datensatz …": generated benchmark
   data, not real; on PostgreSQL followed by ANALYZE, as autovacuum would do), builds the index
   (build_s), then times searches with facet counts through the selector (p50_ms, p95_ms, anonymous
   viewer; first_search_ms = the first search of the process) and through HTTP: two app processes
   (uvicorn, as `make serve` runs it) on the same database, requests alternating between them over
   one keep-alive connection each, after a warm-up round (http_p50_ms, http_p95_ms);
   rss_mb_per_process = the largest resident size of the two after the rounds, search_rss_mb_per_process
   its growth from the size after serving the start page (what the search adds). visible_ms: a practice
   example created and committed through the practices service in this process, then searched for in
   the other processes over HTTP until both find it (visible_ok: within one second).
   raw_p95_ms: the database's own full-text query for the same words (FTS5 bm25 / ts_rank, AND, best
   20); own_raw_p95_ms: the search's passes over the index alone for the same words (the ids of up to
   MAX_MATCHES examples; no analysis, visibility, scoring, facets or page); ratio_to_raw and
   ratio_to_own_raw = p95_ms over these.
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


from benchdb import setup_database as _setup_database  # noqa: E402


def log(message: str) -> None:
    print(f"[bench/search] {message}", file=sys.stderr, flush=True)


def percentile(values: list[float], p: float) -> float:
    values = sorted(values)
    k = (len(values) - 1) * p
    lo, hi = math.floor(k), math.ceil(k)
    return values[lo] + (values[hi] - values[lo]) * (k - lo)


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


def raw_query(words: list[str]) -> float:
    """Milliseconds of the database's own full-text query for the tokens (AND, its own rank, best 20)."""
    from django.db import connection

    tokens = ["".join(c for c in w if c.isalnum()) for w in words]
    tokens = [t for t in tokens if t]
    if connection.vendor == "postgresql":
        sql = ("SELECT practice_id FROM search_searchdocument, to_tsquery('simple', %s) q WHERE vector @@ q "
               "ORDER BY ts_rank(vector, q) DESC LIMIT 20")
        params = [" & ".join(f"'{t}'" for t in tokens)]
    else:
        sql = ("SELECT rowid FROM search_fts WHERE search_fts MATCH %s ORDER BY bm25(search_fts, 10, 4, 1, 2) "
               "LIMIT 20")
        params = [" AND ".join(f'"{t}"' for t in tokens)]
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        cursor.fetchall()
    return (time.perf_counter() - started) * 1000


def own_raw(words: list[str]) -> float:
    """Milliseconds of the search's own passes over the full-text index for the same tokens (the
    candidate statements of `query._candidates`, up to MAX_MATCHES ids), without analysis, visibility,
    scoring, facets or the page's rows."""
    from panreflex.search import query
    from panreflex.search.analysis import WordGroup

    groups = [(WordGroup(word=w, alternatives=[(w,)]), 100) for w in words]
    started = time.perf_counter()
    query._candidates(groups, "1 = 1", [])
    return (time.perf_counter() - started) * 1000


def _rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def _start_server(env) -> tuple:
    import socket
    import subprocess

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = subprocess.Popen([sys.executable, "-m", "uvicorn", "config.asgi:application", "--host", "127.0.0.1",
                               "--port", str(port), "--no-access-log", "--log-level", "warning",
                               # the connections wait while the other process is asked (uvicorn's default: 5 s)
                               "--timeout-keep-alive", "600"],
                              cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return server, port
        except OSError:
            if time.monotonic() > deadline or server.poll() is not None:
                server.terminate()
                raise RuntimeError("the server did not start") from None
            time.sleep(0.2)


def http_times(rounds: int, processes: int = 2) -> dict:
    """Wall time of GET /praxisbeispiele/?q=… through `processes` real app processes (uvicorn, as `make
    serve` runs it) on the same database, alternating, over one keep-alive connection each, after one
    warm-up round; then their resident size, and how long a change committed here takes to be found by
    all of them."""
    import http.client
    from urllib.parse import urlencode

    from django.db import connections

    connections.close_all()
    env = {**os.environ, "DEBUG": "0", "HTTPS": "0", "ALLOWED_HOSTS": "127.0.0.1", "AXES_ENABLED": "0",
           "LOG_LEVEL": "ERROR", "LANGUAGE_CODE": "de"}
    servers = []
    try:
        for _ in range(processes):
            servers.append(_start_server(env))
        conns = [http.client.HTTPConnection("127.0.0.1", port, timeout=60) for _server, port in servers]

        def get(conn, q: str) -> tuple[float, str]:
            started = time.perf_counter()
            conn.request("GET", "/praxisbeispiele/?" + urlencode({"q": q}))
            response = conn.getresponse()
            body = response.read().decode("utf-8", "replace")
            if response.status != 200:
                raise RuntimeError(f"HTTP {response.status} for {q!r}")
            return (time.perf_counter() - started) * 1000, body

        base_rss = []
        for (server, _port), conn in zip(servers, conns, strict=True):  # the resident size before any search
            conn.request("GET", "/")
            conn.getresponse().read()
            base_rss.append(_rss_mb(server.pid))
        for conn in conns:  # warm-up: each process reads the vocabulary once
            for q in QUERIES:
                get(conn, q)
        times = [get(conns[i % len(conns)], q)[0] for i, q in enumerate(q for _ in range(rounds) for q in QUERIES)]
        rss = [_rss_mb(server.pid) for server, _port in servers]
        visible_ms = _visibility(lambda q, i: get(conns[i], q)[1], len(conns))
        return {"times": times, "rss": rss, "base_rss": base_rss, "visible_ms": visible_ms}
    finally:
        for server, _port in servers:
            server.terminate()
            server.wait(timeout=20)


def _visibility(fetch, processes: int) -> float:
    """Create a published public example with a word no other has, through the practices service (its
    index update follows the commit), then ask every app process until each one finds it."""
    from django.db import connections

    from panreflex.accounts.models import Organisation, Visibility
    from panreflex.practices.models import Practice
    from panreflex.practices.services import practice_create

    word = "Sichtbarkeitsprobe" + "".join(random.choice("qxzvw") for _ in range(8))
    started = time.perf_counter()
    practice_create(organisation=Organisation.objects.order_by("pk").first(), author=None,
                    data={"title": f"{word} im Benchmark", "summary": "Benchmark-Datum, kein reales Beispiel."},
                    status=Practice.Status.PUBLISHED, visibility=Visibility.PUBLIC, is_demo=True)
    connections.close_all()
    pending = set(range(processes))
    while pending and time.perf_counter() - started < 10:
        for i in sorted(pending):
            if word in fetch(word, i):
                pending.discard(i)
    return round((time.perf_counter() - started) * 1000, 1) if not pending else float("inf")


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


def judged_ndcg() -> dict:
    """nDCG@10 of every judged set (search / plain full-text search), on the current database."""
    from panreflex.practices.models import Practice
    from panreflex.search.selectors import practice_search_ids
    from panreflex.search.tests import judged

    keys = dict(Practice.objects.values_list("pk", "external_key"))
    judged.build_plain()
    sets = {"own": judged.OWN, **judged.UNSEEN}
    out = {}
    for name, path in sets.items():
        ours, _ = judged.evaluate(path, keys, lambda q: practice_search_ids(viewer=None, params={"q": q}))
        plain, _ = judged.evaluate(path, keys, judged.plain_ranked)
        out[name] = {"ndcg10": round(ours, 3), "ndcg10_plain": round(plain, 3), "queries": len(judged.queries(path))}
    return out


def run(backend: str, args) -> dict:
    from django.core.management import call_command
    from django.db import connection

    from panreflex.accounts.demo import load_demo_accounts
    from panreflex.practices.demo import load_demo_practices
    from panreflex.practices.models import Practice
    from panreflex.search.analysis import STOP_WORDS, fold, surface_words, word_variants
    from panreflex.search.query import SearchParams
    from panreflex.search.query import run as search_run
    from panreflex.search.services import practice_reindex_all
    from panreflex.search.tests import judged

    call_command("migrate", verbosity=0)
    load_demo_accounts()
    load_demo_practices()
    default_docs = Practice.objects.count()
    judged.load_generated()
    practice_reindex_all()
    sets = judged_ndcg()
    unseen = statistics.mean(sets[name]["ndcg10"] for name in judged.UNSEEN)
    log(f"nDCG@10 {sets}")

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

    selector_ms, selector_cpu_ms, raw_ms, totals, own_raw_ms = [], [], [], [], []
    started = time.perf_counter()  # the first search of a process reads the vocabulary
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
            raw_ms.append(raw_query(words))
            own_raw_ms.append(own_raw(words))
    log(f"selector p95 {percentile(selector_ms, 0.95):.1f} ms, raw p95 {percentile(raw_ms, 0.95):.1f} ms")
    facet_ms = []
    for q in QUERIES[:10]:
        t = time.perf_counter()
        search_run(SearchParams.from_mapping({"q": q, "theme": "T3", "year": "2021"}), viewer=None)
        facet_ms.append((time.perf_counter() - t) * 1000)
    http_error, http = "", {}
    try:
        http = http_times(args.rounds)
    except Exception as exc:  # report, do not hide: the selector figures stay valid
        http_error = f"{type(exc).__name__}: {exc}"[:300]
    http_ms = http.get("times", [])
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
        "http_processes": 2,
        "http_p50_ms": round(percentile(http_ms, 0.5), 1) if http_ms and not http_error else None,
        "http_p95_ms": round(percentile(http_ms, 0.95), 1) if http_ms and not http_error else None,
        "http_error": http_error or None,
        "rss_mb_per_process": round(max(http["rss"]), 1) if http.get("rss") else None,
        # of it the search's part: the growth from the process's size after serving the start page
        "search_rss_mb_per_process": (round(max(a - b for a, b in zip(http["rss"], http["base_rss"], strict=True)), 1)
                                      if http.get("rss") else None),
        "visible_ms": http.get("visible_ms"),
        "visible_ok": bool(http.get("visible_ms") is not None and http["visible_ms"] < 1000),
        "raw_p50_ms": round(percentile(raw_ms, 0.5), 1),
        "raw_p95_ms": round(raw_p95, 1),
        "ratio_to_raw": round(p95 / raw_p95, 2) if raw_p95 else None,
        "own_raw_p50_ms": round(percentile(own_raw_ms, 0.5), 2),
        "own_raw_p95_ms": round(percentile(own_raw_ms, 0.95), 2),
        "ratio_to_own_raw": round(p95 / percentile(own_raw_ms, 0.95), 2),
        "p50_cpu_ms": round(percentile(selector_cpu_ms, 0.5), 1),
        "p95_cpu_ms": round(percentile(selector_cpu_ms, 0.95), 1),
        "judged_queries": sets["own"]["queries"],
        "ndcg10": sets["own"]["ndcg10"],
        "ndcg10_plain": sets["own"]["ndcg10_plain"],
        "ndcg10_sets": sets,
        "ndcg10_unseen": round(unseen, 3),
        "load_average": [round(x, 1) for x in os.getloadavg()],
        "note": "wall-clock times on a shared 2-core machine (several engineers working at the same time); "
                "*_cpu_* = CPU time of this process (SQLite runs in-process; PostgreSQL server time is not in it)",
    }


if __name__ == "__main__":
    main()
