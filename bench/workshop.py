"""Benchmark of the live room (issue #4): N simulated participants over real WebSockets on loopback.

    .venv/bin/python bench/workshop.py [--participants 100] [--cards 3] [--votes 3] [--spread 20]
                                       [--redis-url redis://127.0.0.1:6379/13] [--only memory|redis]

The bench creates a temporary SQLite database (migrate + 100 users, sessions and two workshops),
starts daphne itself and runs two scenarios:
1. layer "memory": one daphne process with the in-memory channel layer, all participants on it;
2. layer "redis": two daphne processes sharing the Redis channel layer, participants split across
   them (skipped with `"error"` in its JSON line when Redis does not answer).
Each participant connects (session cookie), then, spread over `--spread` seconds, adds `--cards`
cards and tries `--votes + 1` votes (the last one must be refused: the limit is `--votes`).
Latency of a write = time from sending it until its event has arrived at ALL other participants
(writes whose event did not reach everyone are left out of the percentiles and counted in
`events_dropped`: the channel layer drops messages for a connection that lags more than its capacity
behind; a client notices the gap in `seq` and reloads the state). `cards_lost` counts cards that a
participant has neither received as an event nor in its final state, plus acknowledged cards that
are not in the database; `votes_exact` is true when the database holds exactly the acknowledged votes,
every participant has exactly `--votes` dots and every refused vote was refused for the limit.
Prints one JSON object per scenario, one per line. Bounded: every step has a timeout.
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


def verify(workshop_id: int, acked_cards: set[str], acked_votes: dict[int, int], votes: int,
           participant_keys: list[str]) -> tuple[int, bool]:
    from django.db import connection

    from panreflex.workshops.models import Card, Vote

    connection.close()
    in_db = set(Card.objects.filter(workshop_id=workshop_id).values_list("text", flat=True))
    missing = sum(1 for text in acked_cards if text not in in_db)
    db_votes: dict[int, int] = {}
    per_voter: dict[str, int] = {}
    for card_id, voter_id in Vote.objects.filter(workshop_id=workshop_id).values_list("card_id", "voter_id"):
        db_votes[card_id] = db_votes.get(card_id, 0) + 1
        per_voter[f"u{voter_id}"] = per_voter.get(f"u{voter_id}", 0) + 1
    exact = db_votes == acked_votes and all(per_voter.get(k, 0) == votes for k in participant_keys)
    return missing, exact


class Participant:
    def __init__(self, key: str, session: str, url: str, origin: str):
        self.key, self.session, self.url, self.origin = key, session, url, origin
        self.ws = None
        self.refs: dict[str, asyncio.Future] = {}
        self.card_seen: dict[str, float] = {}  # client_id -> arrival
        self.vote_seen: dict[str, float] = {}  # "voter:used" -> arrival
        self.card_ids: list[int] = []
        self.counter = 0
        self.reader = None
        self.reconnects = 0
        self._websockets = None

    async def ensure_open(self) -> None:
        """Like the browser client: a connection the server closed (e.g. 1011 after a channel-layer
        error) is opened again; the state request afterwards brings the participant up to date."""
        from websockets.protocol import State

        if self.ws is None or self.ws.state is not State.OPEN:
            self.reconnects += 1
            await self.connect(self._websockets)

    async def connect(self, websockets):
        self._websockets = websockets
        self.ws = await websockets.connect(
            self.url, additional_headers={"Cookie": f"sessionid={self.session}", "Origin": self.origin},
            open_timeout=30, max_queue=None, ping_interval=None)
        hello = json.loads(await asyncio.wait_for(self.ws.recv(), 30))
        assert hello["type"] == "hello" and hello["me"] == self.key, hello
        self.reader = asyncio.create_task(self.read())

    async def read(self):
        try:
            async for raw in self.ws:
                now = time.perf_counter()
                msg = json.loads(raw)
                kind = msg.get("type")
                if kind == "event":
                    event, data = msg.get("event"), msg.get("data", {})
                    if event == "card.added":
                        self.card_seen.setdefault(data.get("client_id", ""), now)
                        self.card_ids.append(data["card"]["id"])
                    elif event == "vote.added":
                        self.vote_seen.setdefault(f"{data['voter']}:{data['used']}", now)
                elif kind in ("ack", "error", "state"):
                    future = self.refs.pop(msg.get("ref"), None)
                    if future is not None and not future.done():
                        future.set_result(msg)
        except Exception:  # connection closed at the end
            return

    async def state(self) -> set[str]:
        """The texts of all cards in the current state (what a client reloads after a gap)."""
        await self.ensure_open()
        future = asyncio.get_running_loop().create_future()
        ref = f"{self.key}-state"
        self.refs[ref] = future
        await self.ws.send(json.dumps({"action": "state", "ref": ref}))
        reply = await asyncio.wait_for(future, 120)
        return {c["text"] for c in reply["state"]["cards"]}

    async def request(self, action: str, data: dict) -> dict:
        await self.ensure_open()
        self.counter += 1
        ref = f"{self.key}-{self.counter}"
        future = asyncio.get_running_loop().create_future()
        self.refs[ref] = future
        await self.ws.send(json.dumps({"action": action, "data": data, "ref": ref}))
        return await asyncio.wait_for(future, 60)


async def run_scenario(layer: str, ports: list[int], info: dict, sessions: list, args) -> dict:
    import websockets

    workshop = info["workshops"][layer]
    people = []
    for i, (key, session) in enumerate(sessions[: args.participants]):
        port = ports[i % len(ports)]
        people.append(Participant(key, session, f"ws://127.0.0.1:{port}/ws/reflexionsraeume/{workshop['id']}/",
                                  f"http://127.0.0.1:{port}"))
    for i in range(0, len(people), 20):  # connect in batches
        await asyncio.gather(*(p.connect(websockets) for p in people[i:i + 20]))
    await asyncio.sleep(3.0)  # presence events settle
    sent_cards: dict[str, float] = {}
    sent_votes: dict[str, float] = {}
    acked_cards: set[str] = set()
    acked_votes: dict[int, int] = {}
    refusals_ok = True
    rng = random.Random(4)

    async def act(p: Participant):
        nonlocal refusals_ok
        per_action = args.spread / (args.cards + args.votes + 1)
        await asyncio.sleep(rng.uniform(0, per_action))
        for j in range(args.cards):
            client_id = f"{p.key}-c{j}"
            text = f"Karte {client_id}"
            sent_cards[client_id] = time.perf_counter()
            reply = await p.request("card.add", {"column": rng.choice(workshop["columns"]), "text": text,
                                                 "client_id": client_id})
            if reply["type"] == "ack":
                acked_cards.add(text)
            await asyncio.sleep(rng.uniform(0.5, 1.5) * per_action)
        used = 0
        for _j in range(args.votes + 1):
            while not p.card_ids:
                await asyncio.sleep(0.05)
            card = rng.choice(p.card_ids)
            key = f"{p.key}:{used + 1}"
            sent_votes[key] = time.perf_counter()
            reply = await p.request("vote.add", {"card": card})
            if reply["type"] == "ack":
                used += 1
                acked_votes[card] = acked_votes.get(card, 0) + 1
            else:
                sent_votes.pop(key, None)
                if reply.get("code") != "vote_limit" or used != args.votes:
                    refusals_ok = False
            await asyncio.sleep(rng.uniform(0.5, 1.5) * per_action)

    await asyncio.wait_for(asyncio.gather(*(act(p) for p in people)), args.spread * 6 + 120)
    await asyncio.sleep(2.0)  # stragglers
    # what a real client does after a gap in the event sequence: load the current state
    states = await asyncio.gather(*(p.state() for p in people))
    latencies, dropped, lost = [], 0, 0
    for client_id, t0 in sent_cards.items():
        others = [(p, st) for p, st in zip(people, states, strict=True) if not client_id.startswith(p.key + "-")]
        arrivals = [p.card_seen.get(client_id) for p, _st in others]
        dropped += sum(1 for a in arrivals if a is None)
        lost += sum(1 for (p, st), a in zip(others, arrivals, strict=True)
                    if a is None and f"Karte {client_id}" not in st)
        got = [a for a in arrivals if a is not None]
        if len(got) == len(others):
            latencies.append((max(got) - t0) * 1000)
    for key, t0 in sent_votes.items():
        voter = key.split(":")[0]
        got = [p.vote_seen.get(key) for p in people if p.key != voter]
        got = [a for a in got if a is not None]
        if got:
            latencies.append((max(got) - t0) * 1000)
    for p in people:
        await p.ws.close()
    missing_in_db, exact = await asyncio.to_thread(
        verify, workshop["id"], acked_cards, acked_votes, args.votes, [p.key for p in people])
    latencies.sort()
    return {
        "layer": layer, "processes": len(ports), "participants": len(people),
        "writes": len(latencies), "cards": len(sent_cards), "votes": sum(acked_votes.values()),
        "p50_ms": round(statistics.median(latencies), 1) if latencies else None,
        "p95_ms": round(latencies[int(0.95 * (len(latencies) - 1))], 1) if latencies else None,
        "max_ms": round(latencies[-1], 1) if latencies else None,
        "cards_lost": lost + missing_in_db + (len(sent_cards) - len(acked_cards)),
        "events_dropped": dropped,
        "reconnects": sum(p.reconnects for p in people),
        "votes_exact": bool(exact and refusals_ok),
    }


def start_daphne(env: dict, port: int, log: Path) -> subprocess.Popen:
    handle = open(log, "w")  # noqa: SIM115 - closed with the process
    proc = subprocess.Popen([sys.executable, "-m", "daphne", "-b", "127.0.0.1", "-p", str(port),
                             "config.asgi:application"], cwd=ROOT, env=env, stdout=handle, stderr=subprocess.STDOUT)
    deadline = time.time() + 60
    while time.time() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(log.read_text())
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return proc
        except OSError:
            time.sleep(0.2)
    proc.kill()
    raise RuntimeError(f"daphne did not start: {log.read_text()[-2000:]}")


def stop(procs: list[subprocess.Popen]) -> None:
    for proc in procs:
        proc.terminate()
    for proc in procs:
        try:
            proc.wait(timeout=10)
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
            ports = [free_port() for _ in range(1 if layer == "memory" else 2)]
            procs = [start_daphne(layer_env, port, data_dir / f"daphne-{layer}-{port}.log") for port in ports]
            result = asyncio.run(run_scenario(layer, ports, info, sessions, args))
            stop(procs)
            procs = []
            print(json.dumps(result), flush=True)
    except Exception:
        for log in sorted(data_dir.glob("daphne-*.log")):
            sys.stderr.write(f"--- {log.name}\n{log.read_text()[-3000:]}\n")
        raise
    finally:
        stop(procs)
        shutil.rmtree(data_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
