"""Benchmark of municipal surveys (issue #6): many respondents autosaving at once, then analysis at scale.

    .venv/bin/python bench/survey.py [--respondents 500] [--questions 40] [--think 2.0] [--stored 10000]
                                     [--timeout 600] [--workers 2] [--server uvicorn|daphne]

1. Creates a temporary SQLite database (or uses DATABASE_URL, which must point to an empty database),
   migrates, builds a survey with `--questions` questions (single/multiple choice, Likert, numbers,
   yes/no, text, dates) and one personal invitation per respondent, then starts the server the way
   production runs it (README, "Running in production"): uvicorn with `--workers` processes (one per
   core); `--server daphne` starts one daphne process instead, for comparison.
2. `--respondents` simulated respondents open their link at the same time (GET: CSRF cookie, response
   created; `open_p95_ms`) and answer every question through the autosave endpoint, one request per
   answer, waiting a random think time (0..2×`--think` s) between answers. Latency of a save = request
   to response. `answers_lost` = answers acknowledged but not in the database, plus saves refused with
   an error (must be 0); `answers_not_reached` = answers not yet given when `--timeout` stopped the
   respondents.
3. Adds stored responses up to `--stored` complete responses (bulk insert; on PostgreSQL followed by
   `ANALYZE`, as autovacuum would do), then times the full results page and the XLSX raw-data export
   over HTTP as the survey's owner.
4. Runs `bench/xlsform_forms.py` (every real XLSForm of ../shared/data/interop/xlsform and more/
   through import → export → import and pyxform's XForm comparison) and adds its counts:
   `xlsform_import_ok`, `xlsform_refused_precisely`, `xlsform_errors` (target 0).
Prints ONE JSON object (with the load average before and after). Bounded: every phase has a timeout,
the server is stopped at the end.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def percentile(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[int(p * (len(values) - 1))]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def base_env(data_dir: Path) -> dict:
    env = {**os.environ}
    env.update({
        "DJANGO_SETTINGS_MODULE": "config.settings", "PANREFLEX_DATA_DIR": str(data_dir), "DEBUG": "0",
        "HTTPS": "0", "ALLOWED_HOSTS": "127.0.0.1,localhost", "AXES_ENABLED": "0", "LOG_LEVEL": os.environ.get("LOG_LEVEL", "ERROR"),
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "TASKS_BACKEND": "django_tasks.backends.immediate.ImmediateBackend", "PYTHONUNBUFFERED": "1",
        "LANGUAGE_CODE": "de",
    })
    return env


KINDS = ["single", "multiple", "likert", "integer", "yesno", "text", "single", "decimal", "date", "single"]


def setup_database(data_dir: Path, respondents: int, questions: int) -> dict:
    os.environ.update(base_env(data_dir))
    import django

    django.setup()
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    from panreflex.accounts.models import Membership, Organisation, User
    from panreflex.surveys.services import questionnaire as q
    from panreflex.surveys.services.fieldwork import invitations_create

    org = Organisation.objects.create(name="Bench-Forschung", slug="bench-forschung", kind="research")
    user = User.objects.create_user(email="bench@example.org", password="bench-password-123", is_staff=True)
    Membership.objects.create(user=user, organisation=org, role="editor")
    survey = q.survey_create(actor=user, organisation=org, title="Bench-Befragung")
    version = survey.versions.get()
    opts = [(c, {"de": f"Antwort {c}"}) for c in ("a", "b", "c", "d")]
    plan = []
    group = None
    for i in range(questions):
        if i % 10 == 0:
            group = q.item_create(actor=user, version=version, kind="group", name=f"teil{i // 10 + 1}",
                                  labels={"de": f"Teil {i // 10 + 1}"})
        kind = KINDS[i % len(KINDS)]
        extra = {}
        if kind in ("single", "multiple"):
            extra["choices"] = opts
        if kind == "integer":
            extra.update(min_value=0, max_value=1000)
        q.item_create(actor=user, version=version, kind=kind, name=f"f{i + 1:02d}", parent=group,
                      labels={"de": f"Frage {i + 1} ({kind})"}, **extra)
        plan.append((f"f{i + 1:02d}", kind))
    survey = q.survey_start_fieldwork(actor=user, survey=survey)
    invs = invitations_create(actor=user, survey=survey, people=[(f"R{i}", f"r{i}@example.org") for i in range(respondents)])
    from panreflex.surveys.models import Item

    items = {i.name: i.pk for i in Item.objects.filter(version__survey=survey)}
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "panreflex.accounts.backends.EmailBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.save()
    return {"survey": survey.pk, "tokens": [i.token for i in invs], "plan": [(n, k, items[n]) for n, k in plan],
            "session": session.session_key}


def value_for(kind: str, rnd: random.Random):
    if kind == "single":
        return [rnd.choice("abcd")]
    if kind == "multiple":
        return rnd.sample("abcd", rnd.randint(1, 3))
    if kind == "likert":
        return [str(rnd.randint(1, 5))]
    if kind == "integer":
        return [str(rnd.randint(0, 1000))]
    if kind == "decimal":
        return [f"{rnd.uniform(0, 100):.2f}".replace(".", ",")]
    if kind == "yesno":
        return [rnd.choice(["yes", "no"])]
    if kind == "date":
        return [f"2021-{rnd.randint(1, 12):02d}-{rnd.randint(1, 28):02d}"]
    return [f"Antwort {rnd.randint(1, 10**6)} zum Krisenstab"]


# --- a minimal HTTP/1.1 keep-alive client on asyncio streams -----------------------------------
class Http:
    def __init__(self, port: int):
        self.port = port
        self.reader = self.writer = None
        self.cookies: dict[str, str] = {}

    async def _connect(self):
        self.reader, self.writer = await asyncio.open_connection("127.0.0.1", self.port)

    async def request(self, method: str, path: str, body: bytes = b"", headers: dict | None = None):
        for attempt in range(2):
            try:
                if self.writer is None:
                    await self._connect()
                return await self._request(method, path, body, headers or {})
            except (ConnectionError, asyncio.IncompleteReadError):
                self.writer = None
                if attempt:
                    raise

    async def _request(self, method, path, body, headers):
        cookie = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        lines = [f"{method} {path} HTTP/1.1", f"Host: 127.0.0.1:{self.port}", "Accept-Language: de",
                 f"Content-Length: {len(body)}", "Connection: keep-alive"]
        if cookie:
            lines.append(f"Cookie: {cookie}")
        lines += [f"{k}: {v}" for k, v in headers.items()]
        self.writer.write(("\r\n".join(lines) + "\r\n\r\n").encode() + body)
        await self.writer.drain()
        status_line = await self.reader.readline()
        if not status_line:
            raise ConnectionError("closed")
        status = int(status_line.split()[1])
        length, chunked, close = None, False, False
        while True:
            line = (await self.reader.readline()).decode("latin-1").strip()
            if not line:
                break
            name, _, value = line.partition(":")
            name, value = name.lower(), value.strip()
            if name == "content-length":
                length = int(value)
            elif name == "transfer-encoding" and "chunked" in value.lower():
                chunked = True
            elif name == "connection" and value.lower() == "close":
                close = True
            elif name == "set-cookie":
                k, _, rest = value.partition("=")
                self.cookies[k] = rest.split(";")[0]
        if chunked:
            data = b""
            while True:
                size = int((await self.reader.readline()).strip(), 16)
                if size == 0:
                    await self.reader.readline()
                    break
                data += await self.reader.readexactly(size)
                await self.reader.readline()
        elif length is not None:
            data = await self.reader.readexactly(length)
        else:
            data = await self.reader.read()
            close = True
        if close:
            self.writer.close()
            self.writer = None
        return status, data

    def close(self):
        if self.writer is not None:
            self.writer.close()


def urlencode(pairs) -> bytes:
    from urllib.parse import urlencode as enc

    return enc(pairs).encode()


async def respondent(port, token, plan, think, rnd, latencies, outcome):
    http = Http(port)
    try:
        t0 = time.perf_counter()
        status, html = await http.request("GET", f"/befragungen/t/{token}/")
        outcome["opens"].append((time.perf_counter() - t0) * 1000)
        outcome["opened_at"] = max(outcome["opened_at"], time.perf_counter())
        if status != 200:
            outcome["errors"].append(f"open {status}")
            return
        csrf = http.cookies.get("csrftoken", "")
        for _name, kind, item_pk in plan:
            await asyncio.sleep(rnd.uniform(0, 2 * think))
            values = value_for(kind, rnd)
            pairs = [("item", item_pk), ("instance", 0)] + [(f"q-{item_pk}-0", v) for v in values]
            body = urlencode(pairs)
            t0 = time.perf_counter()
            status, data = await http.request("POST", f"/befragungen/t/{token}/speichern/", body, {
                "Content-Type": "application/x-www-form-urlencoded", "X-CSRFToken": csrf,
                "Referer": f"http://127.0.0.1:{port}/befragungen/t/{token}/"})
            latencies.append((t0, (time.perf_counter() - t0) * 1000))
            outcome["attempted"] += 1
            if status == 200:
                outcome["acknowledged"] += 1
                outcome["acked"].add((token, item_pk))
            else:
                outcome["errors"].append(f"save {status} {data[:120]!r}")
    except Exception as exc:  # noqa: BLE001 - a bench counts failures instead of stopping
        outcome["errors"].append(f"{type(exc).__name__}: {exc}")
    finally:
        http.close()


async def run_respondents(port, tokens, plan, think, timeout):
    latencies: list[float] = []
    outcome = {"attempted": 0, "acknowledged": 0, "errors": [], "acked": set(), "opens": [], "opened_at": 0.0,
               "started_at": time.perf_counter()}
    tasks = [asyncio.create_task(respondent(port, t, plan, think, random.Random(i), latencies, outcome))
             for i, t in enumerate(tokens)]
    done, pending = await asyncio.wait(tasks, timeout=timeout)
    for task in pending:
        task.cancel()
    outcome["timed_out"] = len(pending)
    return latencies, outcome


def bulk_responses(survey_pk: int, target: int, seed: int = 7) -> int:
    """Bulk-insert complete responses until the survey has `target` of them."""
    from datetime import date
    from decimal import Decimal

    from django.utils import timezone

    from panreflex.places.models import Place
    from panreflex.surveys.models import Answer, Item, Response, Survey

    survey = Survey.objects.get(pk=survey_pk)
    version = survey.versions.get()
    items = list(Item.objects.filter(version=version).exclude(kind="group"))
    have = Response.objects.filter(survey=survey, status="complete").count()
    places = list(Place.objects.filter(kind="municipality", ags__startswith="05").exclude(population=None))
    rnd = random.Random(seed)
    now = timezone.now()
    batch = 500
    created = 0
    while have + created < target:
        n = min(batch, target - have - created)
        responses = []
        for _ in range(n):
            place = rnd.choice(places)
            responses.append(Response(survey=survey, version=version, status="complete", submitted_at=now,
                                      place=place, size_class=place.size_class, state_code="05"))
        Response.objects.bulk_create(responses)
        responses = list(Response.objects.filter(survey=survey).order_by("-pk")[:n])
        answers = []
        for r in responses:
            for item in items:
                kind = item.kind
                v = value_for(kind, rnd)
                a = Answer(response=r, item=item)
                if kind in ("single", "likert", "yesno"):
                    a.code = v[0]
                elif kind == "multiple":
                    a.codes = " " + " ".join(sorted(v)) + " "
                elif kind in ("integer", "decimal"):
                    a.number = Decimal(v[0].replace(",", "."))
                elif kind == "date":
                    a.date = date.fromisoformat(v[0])
                else:
                    a.text = v[0]
                answers.append(a)
        Answer.objects.bulk_create(answers, batch_size=2000)
        created += n
    return have + created


def server_command(server: str, workers: int, port: int) -> list[str]:
    """The server as production runs it (README, deployment): uvicorn with one worker process per core;
    `--server daphne` for comparison (one process)."""
    if server == "daphne":
        return [sys.executable, "-m", "daphne", "-b", "127.0.0.1", "-p", str(port), "config.asgi:application"]
    return [sys.executable, "-m", "uvicorn", "config.asgi:application", "--host", "127.0.0.1", "--port", str(port),
            "--workers", str(workers), "--no-access-log", "--log-level", "warning"]


def wait_for_server(port: int, workers: int, timeout: float = 60) -> None:
    """Until every worker process answers (each imports Django on its own)."""
    import http.client

    deadline = time.time() + timeout
    answered = 0
    while time.time() < deadline and answered < 4 * workers:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/befragungen/t/-/")  # a forged link: 404 from any worker, no writes
            conn.getresponse().read()
            conn.close()
            answered += 1
        except OSError:
            time.sleep(0.2)
    if answered < 4 * workers:
        raise RuntimeError("the server did not start")


def timed_get(port: int, path: str, session: str, timeout: float) -> tuple[float, int, int]:
    import http.client

    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    t0 = time.perf_counter()
    conn.request("GET", path, headers={"Cookie": f"sessionid={session}", "Accept-Language": "de"})
    resp = conn.getresponse()
    body = resp.read()
    elapsed = time.perf_counter() - t0
    conn.close()
    return elapsed, resp.status, len(body)


def xlsform_counts() -> dict:
    """`xlsform_import_ok`, `xlsform_refused_precisely`, `xlsform_errors` (and the number of forms):
    every real XLSForm through import, export and import again (`bench/xlsform_forms.py`, on its own
    temporary SQLite database, after the load test so as not to disturb it)."""
    done = subprocess.run([sys.executable, str(ROOT / "bench" / "xlsform_forms.py")], cwd=ROOT, capture_output=True,
                          text=True, timeout=600)
    try:
        return json.loads(done.stdout.strip().splitlines()[-1])
    except (IndexError, ValueError):
        return {"xlsform_errors": None, "xlsform_run_error": done.stderr.strip().splitlines()[-1:]}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--respondents", type=int, default=500)
    parser.add_argument("--questions", type=int, default=40)
    parser.add_argument("--think", type=float, default=2.0, help="mean think time between answers (s)")
    parser.add_argument("--stored", type=int, default=10000)
    parser.add_argument("--timeout", type=float, default=600)
    parser.add_argument("--server", choices=["uvicorn", "daphne"], default="uvicorn")
    parser.add_argument("--workers", type=int, default=2, help="uvicorn worker processes (one per core)")
    args = parser.parse_args()

    data_dir = Path(tempfile.mkdtemp(prefix="panreflex-bench-survey-"))
    env = base_env(data_dir)
    proc = None
    result: dict = {"respondents": args.respondents, "questions": args.questions,
                    "database": "postgresql" if os.environ.get("DATABASE_URL") else "sqlite",
                    "loadavg_before": [round(x, 2) for x in os.getloadavg()]}
    try:
        t0 = time.perf_counter()
        info = setup_database(data_dir, args.respondents, args.questions)
        result["setup_s"] = round(time.perf_counter() - t0, 1)
        port = free_port()
        log = open(data_dir / "server.log", "w")  # noqa: SIM115
        proc = subprocess.Popen(server_command(args.server, args.workers, port), cwd=ROOT, env=env, stdout=log,
                                stderr=subprocess.STDOUT)
        result["server"] = f"{args.server} x{args.workers}" if args.server == "uvicorn" else args.server
        wait_for_server(port, args.workers if args.server == "uvicorn" else 1)

        t0 = time.perf_counter()
        latencies, outcome = asyncio.run(run_respondents(port, info["tokens"], info["plan"], args.think, args.timeout))
        result["answering_s"] = round(time.perf_counter() - t0, 1)
        from panreflex.surveys.models import Answer

        expected = args.respondents * args.questions
        stored = set(Answer.objects.filter(response__survey_id=info["survey"]).values_list(
            "response__invitation__token", "item_id"))
        result["answers_expected"] = expected
        result["answers_attempted"] = outcome["attempted"]
        result["answers_acknowledged"] = outcome["acknowledged"]
        result["answers_stored"] = len(stored)
        # lost = acknowledged by the server but not in the database, or refused with an error
        result["answers_lost"] = len(outcome["acked"] - stored) + len(outcome["errors"])
        result["answers_not_reached"] = expected - outcome["attempted"]  # respondents stopped by --timeout
        result["save_errors"] = len(outcome["errors"])
        if outcome["errors"]:
            result["first_errors"] = outcome["errors"][:3]
        result["respondents_timed_out"] = outcome["timed_out"]
        if outcome["opens"]:  # all respondents open their link at the same moment
            opens = sorted(outcome["opens"])
            result["open_p95_ms"] = round(opens[int(0.95 * (len(opens) - 1))], 1)
        if latencies:
            # when the tail happens: p95 per 10 s of the run, and of the saves after the last link was open
            started, windows = outcome["started_at"], {}
            for at, ms in latencies:
                windows.setdefault(int((at - started) // 10), []).append(ms)
            result["save_p95_per_10s_ms"] = [round(percentile(v, 0.95)) for _k, v in sorted(windows.items())]
            after = [ms for at, ms in latencies if at > outcome["opened_at"]]
            if after:
                result["save_p95_after_opening_ms"] = round(percentile(after, 0.95), 1)
            result["opening_s"] = round(outcome["opened_at"] - started, 1)
            latencies = sorted(ms for _at, ms in latencies)
            result["save_p50_ms"] = round(statistics.median(latencies), 1)
            result["save_p95_ms"] = round(latencies[int(0.95 * (len(latencies) - 1))], 1)
            result["save_max_ms"] = round(latencies[-1], 1)
            result["saves_per_s"] = round(len(latencies) / max(result["answering_s"], 0.001), 1)

        t0 = time.perf_counter()
        total = bulk_responses(info["survey"], args.stored)
        result["stored_responses"] = total
        result["bulk_insert_s"] = round(time.perf_counter() - t0, 1)
        from django.db import connection

        if connection.vendor == "postgresql":
            # the statistics autovacuum gathers after such a load (responses arrive over weeks in reality);
            # without them PostgreSQL plans the results queries for empty tables
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
            result["analyzed"] = True
        timed_get(port, f"/befragungen/{info['survey']}/", info["session"], 60)  # warm-up
        elapsed, status, size = timed_get(port, f"/befragungen/{info['survey']}/ergebnisse/", info["session"], 120)
        result["results_s"] = round(elapsed, 2)
        result["results_status"] = status
        elapsed, status, size = timed_get(port, f"/befragungen/{info['survey']}/ergebnisse/daten.xlsx", info["session"], 300)
        result["export_s"] = round(elapsed, 2)
        result["export_status"] = status
        result["export_bytes"] = size
    except Exception as exc:  # noqa: BLE001
        result["error"] = f"{type(exc).__name__}: {exc}"
    finally:
        if result.get("save_errors") or "error" in result:
            log_path = data_dir / "server.log"
            if log_path.exists():
                tail = [ln for ln in log_path.read_text(errors="replace").splitlines() if "Error" in ln or "error" in ln]
                result["server_log_errors"] = tail[-5:]
        if proc is not None:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
        shutil.rmtree(data_dir, ignore_errors=True)
    result["loadavg_after"] = [round(x, 2) for x in os.getloadavg()]
    result.update(xlsform_counts())
    for key in ("answers_lost", "save_p95_ms", "results_s", "export_s"):
        result.setdefault(key, None)
    print(json.dumps(result))
    return 0 if result.get("answers_lost") == 0 and "error" not in result else 1


if __name__ == "__main__":
    sys.exit(main())
