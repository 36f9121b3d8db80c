"""Benchmark of the live room (issues #4, #15): N simulated participants over real WebSockets on loopback.

    .venv/bin/python bench/workshop.py [--participants 100] [--cards 3] [--votes 3] [--spread 20]
                                       [--redis-url redis://127.0.0.1:6379/13] [--only memory|redis]
                                       [--deflate]

The bench creates a temporary SQLite database (migrate + N users, sessions and two workshops),
starts the server as production runs it (uvicorn, README "Running in production") and runs two
scenarios:
1. layer "memory": one uvicorn process with the in-memory channel layer, all participants on it;
2. layer "redis": uvicorn with `--workers 2` sharing the Redis channel layer (the kernel spreads the
   connections over the two processes), skipped with `"error"` in its JSON line when Redis does not
   answer.
Each participant connects (session cookie, the browser's WebSocket offer incl. permessage-deflate;
the server accepts it only with `--deflate`), then, spread over `--spread` seconds, adds `--cards`
cards and tries `--votes + 1` votes (the last one must be refused: the limit is `--votes`).

The simulated client does on every message what the browser client does (static/realtime/client.js):
it applies events strictly in the order of `seq` (an early event waits for the missing ones; the
fragments are kept by element id as the browser swaps them in), and when a gap does not close within
1.5 s (a gap: an event or the acknowledgement of an own write showed a higher `seq`), or the hello
after a reconnect shows missed events, it GETs the room's state partial
(`<pk>/raum/zustand/`, the same request as the browser) ONCE and goes on from its `data-seq`.

Figures:
- latency of a write = from sending it until its event (matched by the `seq` in the author's
  acknowledgement) has arrived at ALL other participants; `p50_ms`, `p95_ms`, `max_ms` over the
  writes that reached everyone as an event; `ack_p95_ms` = sending to the author's acknowledgement;
- `events_dropped` = (event, participant) pairs that never arrived as an event (the participant then
  fetched the state); `requests_per_write` = HTTP requests of all clients during the run per write;
- `cards_lost` = acknowledged cards that a participant shows neither from an event nor from a fetched
  state, plus acknowledged cards not in the database, plus refused cards; `votes_exact` = the
  database holds exactly the acknowledged votes, every participant has exactly `--votes` dots and
  every refused vote was refused for the limit;
- `server_cpu_s` = CPU seconds (user + system) of the server processes from the first connection to
  the end of the scenario (`client_cpu_s`: the same for the simulated clients); `loadavg` = the machine's load average at the end.
Prints one JSON object per scenario, one per line. Bounded: every step has a timeout.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def base_env(data_dir: Path) -> dict:
    env = {**os.environ}
    env.pop("DATABASE_URL", None)
    env.pop("REDIS_URL", None)
    env.update({
        "DJANGO_SETTINGS_MODULE": "config.settings", "PANREFLEX_DATA_DIR": str(data_dir), "DEBUG": "0",
        "HTTPS": "0", "ALLOWED_HOSTS": "127.0.0.1,localhost", "AXES_ENABLED": "0", "LOG_LEVEL": "ERROR",
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "TASKS_BACKEND": "django_tasks.backends.immediate.ImmediateBackend", "PYTHONUNBUFFERED": "1",
    })
    return env


def setup_database(data_dir: Path, participants: int, votes: int) -> dict:
    """Runs in this process: migrate, create users, sessions and two workshops; returns their keys."""
    os.environ.update(base_env(data_dir))
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    call_command("migrate", verbosity=0, interactive=False)
    from panreflex.accounts.models import Membership, Organisation, User
    from panreflex.workshops.actors import Actor
    from panreflex.workshops.models import WorkshopTemplate
    from panreflex.workshops.services import voting_configure, workshop_create

    org = Organisation.objects.create(name="Bench-Stadt", slug="bench", kind="municipality")
    users = []
    for i in range(participants):
        user = User(email=f"p{i}@bench.example", full_name=f"Teilnehmer*in {i}")
        user.set_unusable_password()
        users.append(user)
    User.objects.bulk_create(users)
    users = list(User.objects.filter(email__endswith="@bench.example").order_by("id"))
    Membership.objects.bulk_create([Membership(user=u, organisation=org, role="member") for u in users])
    facilitator = User.objects.create_user(email="mod@bench.example", full_name="Moderation")
    Membership.objects.create(user=facilitator, organisation=org, role="editor")
    template = WorkshopTemplate.objects.get(code="panreflex-debriefing")
    workshops = {}
    for layer in ("memory", "redis"):
        ws = workshop_create(organisation=org, author=facilitator, title=f"Bench {layer}", template=template,
                             starts_at=timezone.now(), ends_at=timezone.now(), participants=users,
                             facilitators=[facilitator])
        voting_configure(workshop=ws, actor=Actor(user=facilitator), votes_per_person=votes, voting_open=True)
        workshops[layer] = {"id": ws.pk, "columns": list(ws.columns.values_list("pk", flat=True))}
    sessions = []
    for user in users:
        store = SessionStore()
        store[SESSION_KEY] = str(user.pk)
        store[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[-1]
        store[HASH_SESSION_KEY] = user.get_session_auth_hash()
        store.create()
        sessions.append((f"u{user.pk}", store.session_key))
    connection.close()
    return {"workshops": workshops, "sessions": sessions}


def verify(workshop_id: int, acked_cards: dict[int, str], acked_votes: dict[int, int], votes: int,
           participant_keys: list[str]) -> tuple[int, bool]:
    from django.db import connection

    from panreflex.workshops.models import Card, Vote

    connection.close()
    in_db = set(Card.objects.filter(workshop_id=workshop_id).values_list("pk", flat=True))
    missing = sum(1 for pk in acked_cards if pk not in in_db)
    db_votes: dict[int, int] = {}
    per_voter: dict[str, int] = {}
    for card_id, voter_id in Vote.objects.filter(workshop_id=workshop_id).values_list("card_id", "voter_id"):
        db_votes[card_id] = db_votes.get(card_id, 0) + 1
        per_voter[f"u{voter_id}"] = per_voter.get(f"u{voter_id}", 0) + 1
    exact = db_votes == acked_votes and all(per_voter.get(k, 0) == votes for k in participant_keys)
    return missing, exact


GAP_S = 1.5  # as GAP_MS in static/realtime/client.js
CARD_ID = re.compile(rb'<article class="wcard[^"]*" id="card-(\d+)"')
STATE_SEQ = re.compile(rb'id="room-state" data-seq="(\d+)"')


async def http_get(host: str, port: int, path: str, cookie: str) -> bytes:
    """One GET as the browser sends it for the state (HTTP/1.1, connection closed afterwards)."""
    reader, writer = await asyncio.open_connection(host, port)
    writer.write((f"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\nCookie: {cookie}\r\nHX-Request: true\r\n"
                  "Accept-Language: de\r\nConnection: close\r\n\r\n").encode())
    data = await asyncio.wait_for(reader.read(-1), 120)
    writer.close()
    head, _sep, body = data.partition(b"\r\n\r\n")
    if not head.startswith(b"HTTP/1.1 200"):
        raise RuntimeError(head[:200])
    if b"transfer-encoding: chunked" in head.lower():
        out, rest = b"", body
        while rest:
            size_line, _sep, rest = rest.partition(b"\r\n")
            size = int(size_line.split(b";")[0], 16)
            if size == 0:
                break
            out, rest = out + rest[:size], rest[size + 2:]
        body = out
    return body


class Participant:
    """A browser in the room, reduced to what it does with the messages (see the module docstring)."""

    def __init__(self, key: str, session: str, port: int, workshop_id: int):
        self.key, self.session, self.port, self.workshop_id = key, session, port, workshop_id
        self.url = f"ws://127.0.0.1:{port}/ws/reflexionsraeume/{workshop_id}/"
        self.origin = f"http://127.0.0.1:{port}"
        self.state_path = f"/reflexionsraeume/{workshop_id}/raum/zustand/"
        self.ws = None
        self.refs: dict[str, asyncio.Future] = {}
        self.seq = 0
        self.early: dict[int, dict] = {}
        self.known = 0  # the highest seq known to exist (event or acknowledgement), as client.js
        self.arrived: dict[int, float] = {}  # seq -> arrival of its event
        self.fragments: dict[str, str] = {}  # what the browser would swap in, by element id
        self.cards: set[int] = set()  # card ids the page shows
        self.counter = 0
        self.reader = None
        self.reconnects = 0
        self.requests = 0
        self.fetching: asyncio.Task | None = None
        self.gap_timer: asyncio.TimerHandle | None = None
        self.closing = False
        self._websockets = None

    async def connect(self, websockets):
        self._websockets = websockets
        self.ws = await websockets.connect(
            self.url, additional_headers={"Cookie": f"sessionid={self.session}", "Origin": self.origin},
            open_timeout=30, max_queue=None, ping_interval=None, max_size=None)
        hello = json.loads(await asyncio.wait_for(self.ws.recv(), 30))
        assert hello["type"] == "hello" and hello["me"] == self.key, hello
        if hello["seq"] != self.seq:
            if self.seq == 0 and not self.cards:
                self.seq = hello["seq"]  # the page was just loaded at this seq (as a browser's first page)
            else:
                self.fetch_state()
        self.reader = asyncio.create_task(self.read())

    async def ensure_open(self) -> None:
        """Like the browser client: a connection the server closed is opened again."""
        from websockets.protocol import State

        if self.ws is None or self.ws.state is not State.OPEN:
            self.reconnects += 1
            await self.connect(self._websockets)

    # --- what client.js does -------------------------------------------------------------------
    def on_event(self, msg: dict, now: float) -> None:
        seq = msg.get("seq")
        if seq is None:
            return  # presence: the list is redrawn
        if seq <= self.seq or seq in self.early:
            return
        self.arrived[seq] = now
        self.known = max(self.known, seq)
        self.early[seq] = msg
        if self.fetching is None:
            self.apply_in_order()

    def apply_in_order(self) -> None:
        while self.seq + 1 in self.early:
            msg = self.early.pop(self.seq + 1)
            self.seq += 1
            if msg.get("refetch"):
                self.fetch_state()
                return
            self.apply(msg)
        behind = bool(self.early) or self.known > self.seq
        if behind and self.gap_timer is None:
            self.gap_timer = asyncio.get_running_loop().call_later(GAP_S, self.gap_expired)
        elif not behind and self.gap_timer is not None:
            self.gap_timer.cancel()
            self.gap_timer = None

    def gap_expired(self) -> None:
        self.gap_timer = None
        if self.early or self.known > self.seq:
            self.fetch_state()

    def apply(self, msg: dict) -> None:
        html = msg.get("html")
        if html:
            # the browser parses the fragment and swaps it in by id; here: keep it by id
            for match in re.finditer(r'<(?:article|div|span|details) (?:class="[^"]*" )?id="([^"]+)"', html):
                self.fragments[match.group(1)] = html
        data = msg.get("data") or {}
        if msg.get("event") == "card.added":
            self.cards.add(data["card"]["id"])
        elif msg.get("event") == "card.deleted":
            self.cards.discard(data["id"])

    def fetch_state(self) -> None:
        if self.fetching is None and not self.closing:
            self.fetching = asyncio.create_task(self._fetch())

    async def _fetch(self) -> None:
        try:
            self.requests += 1
            body = await http_get("127.0.0.1", self.port, self.state_path, f"sessionid={self.session}")
            seq = int(STATE_SEQ.search(body).group(1))
            self.cards = {int(x) for x in CARD_ID.findall(body)}
            self.seq = max(self.seq, seq)
        finally:
            self.fetching = None
        for k in [k for k in self.early if k <= self.seq]:
            del self.early[k]
        self.apply_in_order()

    async def read(self):
        try:
            async for raw in self.ws:
                now = time.perf_counter()
                msg = json.loads(raw)
                kind = msg.get("type")
                if kind == "event":
                    self.on_event(msg, now)
                elif kind in ("ack", "error", "state"):
                    future = self.refs.pop(msg.get("ref"), None)
                    if future is not None and not future.done():
                        future.set_result((msg, now))
                    if kind == "ack" and isinstance(msg.get("seq"), int) and msg["seq"] > self.seq:
                        self.known = max(self.known, msg["seq"])
                        if self.fetching is None:
                            self.apply_in_order()
        except Exception:  # connection closed at the end
            return

    async def request(self, action: str, data: dict) -> tuple[dict, float]:
        await self.ensure_open()
        self.counter += 1
        ref = f"{self.key}-{self.counter}"
        future = asyncio.get_running_loop().create_future()
        self.refs[ref] = future
        await self.ws.send(json.dumps({"action": action, "data": data, "ref": ref}))
        return await asyncio.wait_for(future, 60)


async def run_scenario(layer: str, port: int, pids_of, info: dict, sessions: list, args) -> dict:
    import websockets

    workshop = info["workshops"][layer]
    people = [Participant(key, session, port, workshop["id"]) for key, session in sessions[: args.participants]]
    cpu0, client0 = server_cpu(pids_of()), time.process_time()
    for i in range(0, len(people), 20):  # connect in batches
        await asyncio.gather(*(p.connect(websockets) for p in people[i:i + 20]))
    await asyncio.sleep(3.0)  # presence events settle
    for p in people:
        p.requests = 0
    writes: list[tuple[str, float, int]] = []  # (author key, sent at, seq of its event)
    ack_ms: list[float] = []
    acked_cards: dict[int, str] = {}
    acked_votes: dict[int, int] = {}
    refused_cards = 0
    refusals_ok = True
    rng = random.Random(4)

    async def act(p: Participant):
        nonlocal refusals_ok, refused_cards
        per_action = args.spread / (args.cards + args.votes + 1)
        await asyncio.sleep(rng.uniform(0, per_action))
        for j in range(args.cards):
            text = f"Karte {p.key}-c{j}"
            t0 = time.perf_counter()
            reply, t1 = await p.request("card.add", {"column": rng.choice(workshop["columns"]), "text": text})
            ack_ms.append((t1 - t0) * 1000)
            if reply["type"] == "ack":
                acked_cards[reply["data"]["card"]] = text
                p.cards.add(reply["data"]["card"])
                writes.append((p.key, t0, reply["seq"]))
            else:
                refused_cards += 1
            await asyncio.sleep(rng.uniform(0.5, 1.5) * per_action)
        used = 0
        for _j in range(args.votes + 1):
            while not p.cards:
                await asyncio.sleep(0.05)
            card = rng.choice(sorted(p.cards))
            t0 = time.perf_counter()
            reply, t1 = await p.request("vote.add", {"card": card})
            ack_ms.append((t1 - t0) * 1000)
            if reply["type"] == "ack":
                used += 1
                acked_votes[card] = acked_votes.get(card, 0) + 1
                writes.append((p.key, t0, reply["seq"]))
            elif reply.get("code") != "vote_limit" or used != args.votes:
                refusals_ok = False
            await asyncio.sleep(rng.uniform(0.5, 1.5) * per_action)

    await asyncio.wait_for(asyncio.gather(*(act(p) for p in people)), args.spread * 6 + 120)
    await asyncio.sleep(GAP_S + 1.0)  # stragglers; open gaps are fetched
    for p in people:
        if p.fetching is not None:
            await p.fetching
    cpu1, client1 = server_cpu(pids_of()), time.process_time()
    latencies, dropped = [], 0
    for author, t0, seq in writes:
        got = [p.arrived.get(seq) for p in people if p.key != author]
        dropped += sum(1 for a in got if a is None)
        if all(a is not None for a in got):
            latencies.append((max(got) - t0) * 1000)
    lost = sum(1 for p in people for pk in acked_cards if pk not in p.cards)
    requests = sum(p.requests for p in people)
    for p in people:
        p.closing = True
        await p.ws.close()
    missing_in_db, exact = await asyncio.to_thread(
        verify, workshop["id"], acked_cards, acked_votes, args.votes, [p.key for p in people])
    latencies.sort()
    ack_ms.sort()
    return {
        "layer": layer, "processes": 1 if layer == "memory" else 2, "participants": len(people),
        "writes": len(writes), "cards": len(acked_cards) + refused_cards, "votes": sum(acked_votes.values()),
        "p50_ms": round(statistics.median(latencies), 1) if latencies else None,
        "p95_ms": round(latencies[int(0.95 * (len(latencies) - 1))], 1) if latencies else None,
        "max_ms": round(latencies[-1], 1) if latencies else None,
        "ack_p95_ms": round(ack_ms[int(0.95 * (len(ack_ms) - 1))], 1) if ack_ms else None,
        "cards_lost": lost + missing_in_db + refused_cards,
        "events_dropped": dropped,
        "reconnects": sum(p.reconnects for p in people),
        "requests_per_write": round(requests / len(writes), 3) if writes else None,
        "server_cpu_s": round(cpu1 - cpu0, 2),
        "client_cpu_s": round(client1 - client0, 2),
        "votes_exact": bool(exact and refusals_ok),
        "deflate": bool(args.deflate),
        "loadavg": [round(x, 2) for x in os.getloadavg()],
    }


def process_tree(pid: int) -> list[int]:
    """The pid and its descendants (uvicorn's worker processes), from /proc."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as f:
                    ppid = int(f.read().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(entry))
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        todo.extend(children.get(p, []))
    return out


def server_cpu(pids: list[int]) -> float:
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])  # utime, stime
        except (OSError, IndexError, ValueError):
            continue
    return total / ticks


def start_server(env: dict, port: int, workers: int, deflate: bool, log: Path) -> subprocess.Popen:
    """uvicorn as in production (README): `--workers` processes on one port."""
    handle = open(log, "w")  # noqa: SIM115 - closed with the process
    profile = os.environ.get("BENCH_PROFILE")  # a path: the server runs under cProfile (one process)
    cmd = [sys.executable, *(["-m", "cProfile", "-o", profile] if profile else []), "-m", "uvicorn", "config.asgi:application", "--host", "127.0.0.1", "--port", str(port),
           "--no-access-log", "--log-level", "warning", "--ws-per-message-deflate", "true" if deflate else "false"]
    if workers > 1:
        cmd += ["--workers", str(workers)]
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=handle, stderr=subprocess.STDOUT)
    deadline = time.time() + 90
    answered = 0
    while time.time() < deadline and answered < 4 * workers:
        if proc.poll() is not None:
            raise RuntimeError(log.read_text())
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5) as s:
                s.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
                if s.recv(12).startswith(b"HTTP/1.1"):
                    answered += 1
        except OSError:
            time.sleep(0.3)
    if answered < 4 * workers:
        proc.kill()
        raise RuntimeError(f"uvicorn did not start: {log.read_text()[-2000:]}")
    time.sleep(1.0 if workers > 1 else 0.2)
    return proc


def stop(procs: list[subprocess.Popen]) -> None:
    for proc in procs:
        proc.send_signal(signal.SIGINT)  # uvicorn shuts down cleanly (closes connections, writes profiles)
    for proc in procs:
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()


def redis_ok(url: str) -> bool:
    try:
        host_port = url.split("//", 1)[1].split("/", 1)[0]
        host, _sep, port = host_port.partition(":")
        with socket.create_connection((host, int(port or 6379)), timeout=1) as s:
            s.sendall(b"PING\r\n")
            return s.recv(16).startswith(b"+PONG")
    except OSError:
        return False


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--participants", type=int, default=100)
    parser.add_argument("--cards", type=int, default=3)
    parser.add_argument("--votes", type=int, default=3)
    parser.add_argument("--spread", type=float, default=20.0, help="seconds over which each participant acts")
    parser.add_argument("--redis-url", default=os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/13"))
    parser.add_argument("--only", choices=["memory", "redis"])
    parser.add_argument("--deflate", action="store_true", help="let the server accept permessage-deflate")
    args = parser.parse_args()

    data_dir = Path(tempfile.mkdtemp(prefix="panreflex-bench-"))
    procs: list[subprocess.Popen] = []
    try:
        info = setup_database(data_dir, args.participants, args.votes)
        sessions = info["sessions"]
        env = base_env(data_dir)
        scenarios = [s for s in ("memory", "redis") if args.only in (None, s)]
        for layer in scenarios:
            if layer == "redis" and not redis_ok(args.redis_url):
                print(json.dumps({"layer": "redis", "participants": args.participants, "error":
                                  f"Redis at {args.redis_url} does not answer", "p50_ms": None, "p95_ms": None,
                                  "max_ms": None, "cards_lost": None, "votes_exact": None}), flush=True)
                continue
            layer_env = dict(env)
            if layer == "redis":
                layer_env["REDIS_URL"] = args.redis_url
                layer_env["REDIS_CHANNEL_PREFIX"] = f"bench-{os.getpid()}"  # pub/sub is shared by all dbs
            port = free_port()
            workers = 1 if layer == "memory" else 2
            procs = [start_server(layer_env, port, workers, args.deflate, data_dir / f"server-{layer}.log")]
            master = procs[0].pid
            result = asyncio.run(run_scenario(layer, port, lambda m=master: process_tree(m), info, sessions, args))
            stop(procs)
            procs = []
            print(json.dumps(result), flush=True)
    except Exception:
        for log in sorted(data_dir.glob("server-*.log")):
            sys.stderr.write(f"--- {log.name}\n{log.read_text()[-3000:]}\n")
        raise
    finally:
        stop(procs)
        shutil.rmtree(data_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
