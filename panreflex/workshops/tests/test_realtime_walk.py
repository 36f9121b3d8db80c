"""Issue 13 over a real WebSocket: every room intent that takes an object id answers another
organisation's private object exactly like an id that does not exist, stores nothing, and no event of
it reaches anyone; a socket opened on the foreign (private) room is refused like one on a missing room,
and the foreign room's own events never reach another room's sockets.

The cases are the persona walk's id cases of the room (workshops/tests/walk.py), sent as the browser's
client.js sends them (`{"action", "ref", "data"}`) instead of as HTTP posts."""

from __future__ import annotations

import pytest
from channels.db import database_sync_to_async

from panreflex.testing.walk import FOREIGN, MISSING_ID, foreign_private
from panreflex.workshops import services

from . import walk
from .factories import actor
from .test_realtime import communicator, connect, reference_data, run  # noqa: F401 - fixture

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def _stored() -> dict[str, int]:
    from django.apps import apps

    return {m._meta.label: m._default_manager.count() for m in apps.get_models()
            if m.__module__.startswith("panreflex.") and not m._meta.proxy}


async def _answer(comm, ref: str) -> dict:
    """The sender's answer to its intent (presence messages skipped): error or ack, without ref/seq."""
    while True:
        msg = await comm.receive_json_from(timeout=5)
        if msg.get("ref") == ref and msg["type"] in ("error", "ack"):
            return {k: v for k, v in msg.items() if k not in ("ref", "seq")}


async def _nothing_arrives(comm, seconds: float = 0.3) -> list[dict]:
    """What reaches the socket within `seconds` besides presence (receive_nothing does not end the
    application the way a timed-out receive does)."""
    got = []
    while not await comm.receive_nothing(timeout=seconds):
        msg = await comm.receive_json_from(timeout=1)
        if msg["type"] != "presence" and not str(msg.get("event", "")).startswith("presence."):
            got.append(msg)
    return got


def test_foreign_ids_over_the_socket_answer_like_missing_ones(personas):
    foreign = foreign_private(personas)
    walk.setup(personas)
    cases = [c for c in walk.id_cases(personas, foreign) if c.where != "json"]
    ws = walk.DATA["ws"]
    assert cases
    users = {"alice": personas.alice, "bob": personas.bob}
    foreign_column = foreign["workshop"].columns.first().pk

    async def scenario():
        observer = communicator(ws.pk, personas.vera)  # a Dortmund member who watches the room
        await connect(observer)
        foreign_room = communicator(foreign["workshop"].pk, personas.charlie)  # Köln, in its own room
        await connect(foreign_room)
        failures, count = [], 0
        for case in cases:
            action = case.kwargs["action"]
            missing = [*case.foreign[:-1], MISSING_ID] if isinstance(case.foreign, list) else MISSING_ID
            for name in case.personas:
                count += 1
                sender = communicator(ws.pk, users[name])
                await connect(sender)
                before = await database_sync_to_async(_stored)()
                await sender.send_json_to({"action": action, "ref": "f", "data": {**case.data, case.field: case.foreign}})
                forbidden = await _answer(sender, "f")
                await sender.send_json_to({"action": action, "ref": "m", "data": {**case.data, case.field: missing}})
                absent = await _answer(sender, "m")
                where = f"{name} {action} {case.field}"
                if forbidden != absent:
                    failures.append(f"{where}: {forbidden} vs {absent}")
                if forbidden["type"] != "error":
                    failures.append(f"{where}: accepted ({forbidden})")
                if FOREIGN in str(forbidden):
                    failures.append(f"{where}: the answer shows the foreign object")
                if await database_sync_to_async(_stored)() != before:
                    failures.append(f"{where}: stored something")
                seen = await _nothing_arrives(observer, 0.1)
                if seen:
                    failures.append(f"{where}: the room got {seen}")
                await sender.disconnect()
        # Köln's own room goes on; none of its events reach the Dortmund room
        await foreign_room.send_json_to({"action": "card.add", "ref": "k", "data": {
            "column": foreign_column, "text": f"{FOREIGN}-Neu"}})
        assert (await _answer(foreign_room, "k"))["type"] == "ack"
        leaked = [m for m in await _nothing_arrives(observer, 0.5) if FOREIGN in str(m)]
        await observer.disconnect()
        await foreign_room.disconnect()
        return failures, count, leaked

    failures, count, leaked = run(scenario)
    assert count >= 15
    assert not failures, "\n" + "\n".join(failures)
    assert not leaked


@pytest.mark.parametrize("who", ["alice", "bob", "vera", "anonymous"])
def test_foreign_private_room_refuses_the_handshake_like_a_missing_room(personas, who):
    foreign = foreign_private(personas)
    user = None if who == "anonymous" else getattr(personas, who)

    async def attempt(room_id):
        comm = communicator(room_id, user)
        connected, code = await comm.connect()
        if connected:
            first = await comm.receive_json_from(timeout=3)
            await comm.disconnect()
            return connected, first.get("type")
        return connected, code

    async def scenario():
        return await attempt(foreign["workshop"].pk), await attempt(MISSING_ID)

    forbidden, absent = run(scenario)
    assert forbidden == absent and forbidden[0] is False


def test_a_foreign_room_event_does_not_reach_a_participant_of_both_organisations_rooms(personas):
    """Bob takes part in Dortmund's room; Köln's private room adds a card: bob's socket gets nothing."""
    foreign = foreign_private(personas)
    walk.setup(personas)
    ws = walk.DATA["ws"]
    foreign_column = foreign["workshop"].columns.first().pk

    async def scenario():
        bob = communicator(ws.pk, personas.bob)
        await connect(bob)
        await database_sync_to_async(services.card_add)(
            workshop=foreign["workshop"], actor=actor(personas.charlie),
            column_id=foreign_column, text=f"{FOREIGN}-Karte-2")
        got = await _nothing_arrives(bob, 0.5)
        await bob.disconnect()
        return got

    assert run(scenario) == []
