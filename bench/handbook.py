"""Benchmark of the handbook (issue #5). Prints ONE JSON object.

    .venv/bin/python bench/handbook.py [--recommendations 150] [--insights 1500]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/pr_evidence .venv/bin/python bench/handbook.py

Works in a throwaway database: a temporary SQLite file by default; with DATABASE_URL a fresh PostgreSQL
database named "<name>_bench" on that server, dropped afterwards. The demo database is never touched.

Generates N published recommendations (titled "Benchmark-Empfehlung …": generated benchmark data, not real
content), each resting on M/N insights with two quoted sources each, puts them in chapters of ten into one
edition and then measures:
- html_s: publishing the edition (freezing recommendations, evidence and appendix into the edition) plus
  rendering the public HTML page of the edition through the Django test client;
- pdf_s: rendering the PDF (WeasyPrint: table of contents with page numbers, evidence appendix);
- html_cpu_s, pdf_cpu_s: the CPU time of the same steps (wall time on a shared machine is inflated by
  other processes; load_avg_1m says how busy the machine was);
- peak_mb: the peak resident memory of the whole process (ru_maxrss) after the PDF, an upper bound that
  includes Python, Django and WeasyPrint.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


from benchdb import setup_database as _setup_database  # noqa: E402


def generate(n_recs: int, n_insights: int):
    from django.utils import timezone

    from panreflex.accounts.models import Organisation, User
    from panreflex.evidence.models import (
        Insight,
        InsightSource,
        Recommendation,
        RecommendationEvidence,
    )
    from panreflex.taxonomy.models import Term

    org = Organisation.objects.create(name="Benchmark-Projektteam", slug="bench-team", kind="research")
    user = User.objects.create_user(email="bench@example.org", password=None, is_staff=True)
    now = timezone.now()
    levers = list(Term.objects.filter(vocabulary="lever"))
    insights = Insight.objects.bulk_create(
        Insight(organisation=org, statement=f"Benchmark-Erkenntnis Nr. {i + 1}: Abstimmung zwischen Krisenstab und "
                f"Fachämtern braucht feste Ansprechpersonen und klare Meldewege.", kind="improvement",
                visibility="public", released_at=now, is_demo=True)
        for i in range(n_insights)
    )
    InsightSource.objects.bulk_create(
        InsightSource(insight=ins, kind=kind, label=f"{label} zu Erkenntnis {n + 1}", position=p,
                      quote="Generiertes Benchmark-Zitat: Wir wussten anfangs nicht, wer im Amt zuständig war, "
                            "und haben viel Zeit mit Rückfragen verloren.")
        for n, ins in enumerate(insights)
        for p, (kind, label) in enumerate((("workshop_card", "Workshop-Karte"), ("document", "Protokoll")))
    )
    recs = Recommendation.objects.bulk_create(
        Recommendation(organisation=org, title=f"Benchmark-Empfehlung {r + 1}",
                       statement="Kommunen sollten feste Ansprechpersonen für jede Krisenaufgabe benennen und "
                                 "die Meldewege jährlich üben.",
                       explanation="Generierter Benchmark-Text. " * 20, steps="1. Benennen\n2. Üben\n3. Auswerten",
                       addressees=["crisis_staff"], lever=levers[r % len(levers)] if levers else None,
                       status="published", visibility="public", released_at=now, published_at=now, is_demo=True)
        for r in range(n_recs)
    )
    per = max(1, n_insights // n_recs)
    RecommendationEvidence.objects.bulk_create(
        RecommendationEvidence(recommendation=rec, kind="insight", insight=insights[(r * per + k) % n_insights],
                               position=k)
        for r, rec in enumerate(recs) for k in range(per)
    )
    return user, recs


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--recommendations", type=int, default=150)
    parser.add_argument("--insights", type=int, default=1500)
    args = parser.parse_args()
    backend, cleanup = _setup_database()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client

    settings.ALLOWED_HOSTS = ["testserver"]
    settings.SECURE_SSL_REDIRECT = False
    try:
        call_command("migrate", verbosity=0, interactive=False)
        from panreflex.evidence import handbook, services

        user, recs = generate(args.recommendations, args.insights)
        edition = services.handbook_edition_create(actor=user, title="Benchmark-Handbuch", introduction="Einleitung")
        for start in range(0, len(recs), 10):
            chapter = services.handbook_chapter_add(edition=edition, actor=user, title=f"Kapitel {start // 10 + 1}")
            for rec in recs[start:start + 10]:
                services.handbook_entry_add(chapter=chapter, actor=user, recommendation=rec)

        # a running server has Django's templates and WeasyPrint loaded already: warm both up first
        Client().get("/empfehlungen/handbuch/")
        import weasyprint  # noqa: F401

        t0, c0 = time.perf_counter(), time.process_time()
        edition = services.handbook_edition_publish(edition=edition, actor=user)
        response = Client().get(edition.get_absolute_url())
        html_s, html_cpu_s = time.perf_counter() - t0, time.process_time() - c0
        assert response.status_code == 200, response.status_code

        t0, c0 = time.perf_counter(), time.process_time()
        pdf = handbook.render_pdf(edition)
        pdf_s, pdf_cpu_s = time.perf_counter() - t0, time.process_time() - c0
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

        from io import BytesIO

        from pypdf import PdfReader

        pages = len(PdfReader(BytesIO(pdf)).pages)
        print(json.dumps({
            "database": backend,
            "recommendations": len(recs),
            "insights": args.insights,
            "appendix_entries": len(edition.content["appendix"]),
            "html_s": round(html_s, 2),
            "html_cpu_s": round(html_cpu_s, 2),
            "html_kb": round(len(response.content) / 1024, 1),
            "pdf_s": round(pdf_s, 2),
            "pdf_cpu_s": round(pdf_cpu_s, 2),
            "pdf_pages": pages,
            "pdf_kb": round(len(pdf) / 1024, 1),
            "peak_mb": round(peak_mb, 1),
            "load_avg_1m": round(os.getloadavg()[0], 1),
        }))
    finally:
        cleanup()


if __name__ == "__main__":
    main()
