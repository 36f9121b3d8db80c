"""Benchmark of the chronology page (issue #18): one city with 5,000 events and 5 series of 1,200 days.

A throwaway SQLite database (or `<name>_bench` on DATABASE_URL's PostgreSQL server) is migrated and filled,
a daphne server is started on loopback, and the page is requested `--rounds` times (the whole crisis
window: every event is drawn in the SVG, the table shows its first 100 rows). Printed as JSON:

- `events`: events of the city in the window; `series`, `series_days`;
- `server_ms`: p50/p95 of the full response time on loopback (request sent → last byte);
- `payload_kb`, `payload_kb_gzip`: the HTML page as sent and gzip-compressed (level 6, as a proxy would);
- `zoom_ms`: p95 of the HTMX zoom request (`part=chart`, the chart fragment only, one-year window), which is
  what a click on a zoom link costs; `zoom_kb_gzip` its size;
- `browser_zoom_ms` (unless `--no-browser`): in Debian's Chromium, the median time from a click on a zoom
  link ("1 Jahr", "3 Monate", "1 Woche", back to "3 Jahre") until the new chart is in the page, measured by
  Playwright around click → swapped element; the page itself stays interactive meanwhile (HTMX requests in
  the background, no script work but swapping one element).

Targets: server_ms p95 < 500, payload_kb_gzip < 1024.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _fill(n_events: int, n_series: int, days: int) -> str:
    import django

    django.setup()
    from django.core.management import call_command
    from django.utils import timezone

    call_command("migrate", "--no-input", verbosity=0)
    from panreflex.accounts.models import Organisation
    from panreflex.multilevel.models import Event, Series
    from panreflex.multilevel.selectors import city_events_q
    from panreflex.places.models import Place

    city = Place.objects.get(kind="municipality", ags="05913000")
    org, _ = Organisation.objects.get_or_create(slug="bench-dortmund", defaults={
        "name": "Bench Dortmund", "kind": Organisation.Kind.MUNICIPALITY, "place": city})
    reference = Event.objects.filter(city_events_q(city)).count()
    rng = random.Random(18)
    start = date(2020, 1, 1)
    now = timezone.now()
    levels = ["federal", "state", "district", "municipality", "municipality"]
    topics = ["masks", "testing", "school-closures", "contact-restrictions", "vaccination", "public-events"]
    batch = []
    for i in range(max(0, n_events - reference)):
        day = start + timedelta(days=rng.randrange(days))
        end = day + timedelta(days=rng.randrange(1, 60)) if i % 3 else None
        batch.append(Event(
            dataset="own", key=f"bench-{i}", organisation=org, visibility="public", released_at=now, municipality=city,
            level=levels[i % len(levels)], jurisdiction="05913000", kind="measure", topic=topics[i % len(topics)],
            title=f"Maßnahme {i}: Regelung zu {topics[i % len(topics)]} im Stadtgebiet, Fassung {i % 17}",
            date_in_force=day, date_announced=day - timedelta(days=rng.randrange(0, 5)), date_end=end, start=day,
            source_ref="bench",
        ))
    Event.objects.bulk_create(batch, batch_size=1000)
    Series.objects.filter(municipality=city).delete()
    Series.objects.filter(municipality__isnull=True).delete()
    for k in range(n_series):
        values = [round(abs(500 * (1 + (i % 97) / 97) * (k + 1) / n_series + rng.random() * 30), 1) for i in range(days)]
        Series.objects.create(municipality=city if k else None, kind="stringency" if k == 0 else "other",
                              label="" if k == 0 else f"Reihe {k}", credit="bench", start=start, values=values)
    return city.ags


def _get(url: str, headers: dict | None = None) -> tuple[float, bytes]:
    request = urllib.request.Request(url, headers=headers or {})
    t0 = time.perf_counter()
    with urllib.request.urlopen(request, timeout=60) as response:
        body = response.read()
    return (time.perf_counter() - t0) * 1000, body


def _p(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))], 1)


def _browser_zoom(url: str) -> dict:
    from panreflex.lib.chromium import CHROMIUM, CHROMIUM_ARGS

    if not Path(CHROMIUM).exists():
        return {"browser_zoom_ms": None}
    from playwright.sync_api import sync_playwright

    times, load_ms = [], None
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_context(viewport={"width": 1280, "height": 900}, locale="de-DE").new_page()
        t0 = time.perf_counter()
        page.goto(url)
        page.locator("svg.timeline-svg").wait_for()
        load_ms = (time.perf_counter() - t0) * 1000
        for _ in range(3):
            for label in ("1 Jahr", "3 Monate", "1 Woche", "3 Jahre"):
                t0 = time.perf_counter()
                page.get_by_role("link", name=label, exact=True).click()
                page.locator(".zoom-bar .current", has_text=label).wait_for()
                times.append((time.perf_counter() - t0) * 1000)
        browser.close()
    return {"browser_load_ms": round(load_ms, 1), "browser_zoom_ms": round(statistics.median(times), 1),
            "browser_zoom_ms_max": round(max(times), 1)}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=5000)
    parser.add_argument("--series", type=int, default=5)
    parser.add_argument("--days", type=int, default=1200)
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--no-browser", action="store_true")
    args = parser.parse_args()

    from benchdb import setup_database

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.update({"DEBUG": "0", "HTTPS": "0", "ALLOWED_HOSTS": "127.0.0.1,localhost"})
    engine, cleanup = setup_database()
    port = _free_port()
    os.environ["SITE_URL"] = f"http://127.0.0.1:{port}"
    proc = None
    try:
        ags = _fill(args.events, args.series, args.days)
        proc = subprocess.Popen([sys.executable, "-m", "daphne", "-b", "127.0.0.1", "-p", str(port),
                                 "config.asgi:application"], cwd=ROOT, env=dict(os.environ),
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                    break
            except OSError:
                time.sleep(0.2)
        base = f"http://127.0.0.1:{port}/mehrebenen/{ags}/chronologie/"
        _get(base)  # warm-up (imports, template compilation)
        times, body = [], b""
        for _ in range(args.rounds):
            ms, body = _get(base)
            times.append(ms)
        html = body.decode()
        zoom_url = base + "?from=2021-01-01&to=2021-12-31&part=chart"
        zoom_times, zoom_body = [], b""
        for _ in range(args.rounds):
            ms, zoom_body = _get(zoom_url, {"HX-Request": "true"})
            zoom_times.append(ms)
        browser = {} if args.no_browser else _browser_zoom(base)
        marks = html.count('class="ev ')
        caption = html.split('class="table events-table">', 1)[1].split("<caption>", 1)[1].split(" ", 1)[0]
        print(json.dumps({
            "benchmark": "timeline", "database": engine, "events": int(caption.replace(".", "").replace(",", "")),
            "marks_drawn": marks, "series": args.series, "series_days": args.days, "rounds": args.rounds,
            "server_ms": _p(times, 0.95), "server_ms_p50": _p(times, 0.5),
            "payload_kb": round(len(body) / 1024, 1), "payload_kb_gzip": round(len(gzip.compress(body, 6)) / 1024, 1),
            "zoom_ms": _p(zoom_times, 0.95), "zoom_kb_gzip": round(len(gzip.compress(zoom_body, 6)) / 1024, 1),
            **browser, "targets": {"server_ms": 500, "payload_kb_gzip": 1024},
        }))
    finally:
        if proc is not None:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
        cleanup()


if __name__ == "__main__":
    main()
