"""The room over real WebSocket connections (channels.testing.WebsocketCommunicator): broadcasts after
commit reach everyone, refusals reach only the sender and change nothing, invisible rooms refuse the
handshake. Database transactions are real here (transaction=True), as under uvicorn."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest
from asgiref.sync import async_to_sync
from channels.db import database_sync_to_async
from channels.routing import URLRouter
from channels.testing import WebsocketCommunicator
from django.utils import timezone

from config.routing import websocket_urlpatterns
from panreflex.realtime.models import Presence
from panreflex.workshops import services
from panreflex.workshops.consumers import GUEST_SESSION_KEY
from panreflex.workshops.models import Card, Vote

from .factories import actor, add_card, make_workshop

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
APP = URLRouter(websocket_urlpatterns)


@pytest.fixture(autouse=True)
def reference_data(transactional_db):
    """A transactional test ends with a flush of every table (Django's TransactionTestCase); the
    reference data loaded by data migrations is then gone for the next one. Reload what these tests
    need (cheap upserts; pytest-django runs transactional tests after all others)."""
    from panreflex.places.models import Place
    from panreflex.places.reference import load_reference_places
    from panreflex.taxonomy.models import Term
    from panreflex.taxonomy.seed import load_vocabularies
    from panreflex.workshops.models import WorkshopTemplate
    from panreflex.workshops.seed import seed_templates

    if not Place.objects.filter(ags="05913000").exists():
        load_reference_places(Place)
    if not Term.objects.filter(vocabulary="theme").exists():
        load_vocabularies(Term)
    if not WorkshopTemplate.objects.exists():
        seed_templates(WorkshopTemplate)


def communicator(workshop_id, user=None, session=None):
    comm = WebsocketCommunicator(APP, f"/ws/reflexionsraeume/{workshop_id}/")
    comm.scope["user"] = user
    comm.scope["session"] = session or {}
    return comm


async def connect(comm):
    connected, _sub = await comm.connect()
    assert connected
    hello = await comm.receive_json_from(timeout=3)
    assert hello["type"] == "hello"
    return hello


async def next_of(comm, kind, *, event=None, timeout=3):
    """Skip other messages (presence) until one of the wanted type arrives."""
    while True:
        msg = await comm.receive_json_from(timeout=timeout)
        if msg["type"] == kind and (event is None or msg.get("event") == event):
            return msg


def run(coro_fn):
    return async_to_sync(coro_fn)()


def test_card_added_over_socket_reaches_everyone_after_commit(personas):
    ws = make_workshop(personas)
    column = ws.columns.first()

    async def scenario():
        alice, bob = communicator(ws.pk, personas.alice), communicator(ws.pk, personas.bob)
        await connect(alice)
        hello = await connect(bob)
        assert hello["me"] == f"u{personas.bob.pk}"
        await bob.send_json_to({"action": "card.add", "ref": "1",
                                "data": {"column": column.pk, "text": "<b>live</b>", "client_id": "c1"}})
        ack = await next_of(bob, "ack")
        assert ack["ref"] == "1"
        event = await next_of(alice, "event", event="card.added")
        assert event["data"]["card"]["text"] == "<b>live</b>"
        assert event["data"]["client_id"] == "c1" and event["seq"] == 1
        assert event["by"] == f"u{personas.bob.pk}"
        # a reconnecting client first loads the state
        await alice.send_json_to({"action": "state", "ref": "s"})
        state = await next_of(alice, "state")
        assert [c["text"] for c in state["state"]["cards"]] == ["<b>live</b>"] and state["state"]["seq"] == 1
        labels = {p["label"] for p in state["state"]["presence"]}
        assert labels == {"Alice", "Bob"}
        await alice.disconnect()
        await bob.disconnect()

    run(scenario)
    assert Card.objects.filter(author=personas.bob).count() == 1
    assert Presence.objects.count() == 0


def test_refusals_over_socket_reach_only_sender_and_change_nothing(personas):
    ws = make_workshop(personas)
    card = add_card(ws, personas.alice, "von Alice")
    services.voting_configure(workshop=ws, actor=actor(personas.alice), votes_per_person=1, voting_open=True)
    other = make_workshop(personas, title="Anderer")
    foreign = add_card(other, personas.alice, "fremd")

    async def scenario():
        bob, alice = communicator(ws.pk, personas.bob), communicator(ws.pk, personas.alice)
        await connect(bob)
        await connect(alice)
        # editing another's card
        await bob.send_json_to({"action": "card.edit", "ref": "e",
                                "data": {"card": card.pk, "text": "übernommen", "version": 1}})
        err = await next_of(bob, "error")
        assert err["message"] == "You can only change your own cards." and err["ref"] == "e"
        # forged card id (of another workshop)
        await bob.send_json_to({"action": "vote.add", "ref": "f", "data": {"card": foreign.pk}})
        err = await next_of(bob, "error")
        assert err["message"] == "The card does not exist in this workshop."
        # voting over the limit
        await bob.send_json_to({"action": "vote.add", "ref": "v1", "data": {"card": card.pk}})
        await next_of(bob, "ack")
        vote_event = await next_of(alice, "event", event="vote.added")
        assert "total" not in vote_event["data"]  # hidden until revealed
        await bob.send_json_to({"action": "vote.add", "ref": "v2", "data": {"card": card.pk}})
        err = await next_of(bob, "error")
        assert err["code"] == "vote_limit"
        assert err["message"] == "You have used all your 1 votes. Take a dot back from another card first."
        # unknown action
        await bob.send_json_to({"action": "drop.tables", "ref": "u", "data": {}})
        err = await next_of(bob, "error")
        assert err["message"] == "Unknown action."
        # lock by a non-facilitator is refused, by the facilitator it works, then editing is refused
        await bob.send_json_to({"action": "lock.set", "ref": "l", "data": {"locked": True}})
        assert (await next_of(bob, "error"))["message"] == "Only the facilitators can do this."
        await alice.send_json_to({"action": "lock.set", "ref": "l2", "data": {"locked": True}})
        await next_of(alice, "ack")
        await next_of(bob, "event", event="lock.changed")
        await alice.send_json_to({"action": "card.edit", "ref": "e2",
                                  "data": {"card": card.pk, "text": "nach Sperre", "version": 1}})
        err = await next_of(alice, "error")
        assert err["code"] == "locked"
        assert err["message"].startswith("The workshop is locked")
        await bob.disconnect()
        await alice.disconnect()

    run(scenario)
    card.refresh_from_db()
    foreign.refresh_from_db()
    assert card.text == "von Alice" and card.version == 1 and foreign.text == "fremd"
    assert Vote.objects.count() == 1


def test_stale_edit_over_socket(personas):
    ws = make_workshop(personas, participants=[personas.bob])
    card = add_card(ws, personas.bob, "Ursprung")

    async def scenario():
        alice, bob = communicator(ws.pk, personas.alice), communicator(ws.pk, personas.bob)
        await connect(alice)
        await connect(bob)
        await alice.send_json_to({"action": "card.edit", "ref": "a",
                                  "data": {"card": card.pk, "text": "Alice", "version": 1}})
        await next_of(alice, "ack")
        changed = await next_of(bob, "event", event="card.changed")
        assert changed["data"]["card"]["version"] == 2
        await bob.send_json_to({"action": "card.edit", "ref": "b",
                                "data": {"card": card.pk, "text": "Bob", "version": 1}})
        err = await next_of(bob, "error")
        assert err["code"] == "stale" and err["data"]["card"]["text"] == "Alice"
        await alice.disconnect()
        await bob.disconnect()

    run(scenario)
    card.refresh_from_db()
    assert card.text == "Alice"


def test_script_in_card_is_stored_as_text(personas):
    ws = make_workshop(personas)

    async def scenario():
        bob = communicator(ws.pk, personas.bob)
        await connect(bob)
        await bob.send_json_to({"action": "card.add", "ref": "x", "data": {
            "column": (await database_sync_to_async(lambda: ws.columns.first().pk)()),
            "text": "<script>alert(1)</script>"}})
        await next_of(bob, "ack")
        await bob.disconnect()

    run(scenario)
    assert Card.objects.get().text == "<script>alert(1)</script>"


@pytest.mark.parametrize("who", ["eve", "charlie"])
def test_handshake_refused_for_who_may_not_see(personas, who):
    ws = make_workshop(personas)
    from django.contrib.auth.models import AnonymousUser

    user = personas.user(who) or AnonymousUser()

    async def scenario():
        comm = communicator(ws.pk, user)
        connected, _ = await comm.connect()
        assert not connected
        forged = communicator(999999, personas.alice)
        connected, _ = await forged.connect()
        assert not connected

    run(scenario)


def test_guest_over_socket_and_expired_link(personas):
    ws = make_workshop(personas)
    guest, token = services.guest_invite(workshop=ws, actor=personas.alice, name="Gast", send=False)
    services.guest_join(token=token, name="Gabi", consent=True)
    column = ws.columns.first()
    session = {GUEST_SESSION_KEY.format(pk=ws.pk): guest.pk}
    from django.contrib.auth.models import AnonymousUser

    async def scenario():
        comm = communicator(ws.pk, AnonymousUser(), session)
        hello = await connect(comm)
        assert hello["me"] == f"g{guest.pk}"
        await comm.send_json_to({"action": "card.add", "ref": "g", "data": {"column": column.pk, "text": "vom Gast"}})
        await next_of(comm, "ack")
        # the link expires while connected: the next write is refused, nothing changes
        await database_sync_to_async(
            lambda: type(guest).objects.filter(pk=guest.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
        )()
        await comm.send_json_to({"action": "card.add", "ref": "h", "data": {"column": column.pk, "text": "zu spät"}})
        err = await next_of(comm, "error")
        assert err["message"] == "This workshop does not exist."
        await comm.disconnect()
        again = communicator(ws.pk, AnonymousUser(), session)
        connected, _ = await again.connect()
        assert not connected

    run(scenario)
    assert list(Card.objects.values_list("text", flat=True)) == ["vom Gast"]


def test_concurrent_votes_respect_the_limit(personas):
    """Many intents at once through several connections: the workshop row lock keeps the count exact."""
    ws = make_workshop(personas)
    card = add_card(ws, personas.alice, "A")
    services.voting_configure(workshop=ws, actor=actor(personas.alice), votes_per_person=3, voting_open=True)

    async def scenario():
        comms = [communicator(ws.pk, personas.bob) for _ in range(3)]
        for comm in comms:
            await connect(comm)
        for i, comm in enumerate(comms):
            for j in range(2):
                await comm.send_json_to({"action": "vote.add", "ref": f"{i}-{j}", "data": {"card": card.pk}})
        replies = []
        for comm in comms:
            for _ in range(2):
                msg = await next_of_any(comm, ("ack", "error"))
                replies.append(msg["type"])
        for comm in comms:
            await comm.disconnect()
        return replies

    async def next_of_any(comm, kinds):
        while True:
            msg = await comm.receive_json_from(timeout=5)
            if msg["type"] in kinds:
                return msg

    replies = run(scenario)
    assert replies.count("ack") == 3 and replies.count("error") == 3
    assert Vote.objects.filter(voter=personas.bob).count() == 3
    assert asyncio is not None


def test_events_carry_their_fragment_once_per_language_and_the_ack_its_seq(personas):
    """The card arrives as HTML rendered in the receiver's language; the author's ack names the seq."""
    ws = make_workshop(personas, allow_anonymous=True)
    column = ws.columns.first()

    async def scenario():
        alice, bob = communicator(ws.pk, personas.alice), communicator(ws.pk, personas.bob)
        alice.scope["cookies"] = {"panreflex_language": "de"}
        bob.scope["cookies"] = {"panreflex_language": "en"}
        await connect(alice)
        await connect(bob)
        await bob.send_json_to({"action": "card.add", "ref": "1",
                                "data": {"column": column.pk, "text": "geheim", "anonymous": True}})
        got = {}
        while len(got) < 2:  # the author's own event and acknowledgement, in either order
            msg = await bob.receive_json_from(timeout=3)
            if msg["type"] == "ack" or msg.get("event") == "card.added":
                got[msg["type"]] = msg
        ack, en = got["ack"], got["event"]
        de = await next_of(alice, "event", event="card.added")
        assert ack["seq"] == de["seq"] == en["seq"] == 1 and ack["data"]["card"] == de["data"]["card"]["id"]
        assert f'id="card-{ack["data"]["card"]}"' in de["html"] and f'data-into="column-{column.pk}-cards"' in de["html"]
        assert "Bearbeiten" in de["html"] and ">Edit<" in en["html"]
        # an anonymous card does not tell the room who wrote it
        assert de["by"] == "" and "data-author" not in de["html"] and f"u{personas.bob.pk}" not in de["html"]
        assert "csrfmiddlewaretoken" not in de["html"]  # rendered for everyone, no person's token
        await alice.disconnect()
        await bob.disconnect()

    run(scenario)


def test_votes_are_secret_until_revealed(personas):
    ws = make_workshop(personas)
    card = add_card(ws, personas.alice, "A")
    services.voting_configure(workshop=ws, actor=actor(personas.alice), votes_per_person=3, voting_open=True)

    async def scenario():
        alice, bob = communicator(ws.pk, personas.alice), communicator(ws.pk, personas.bob)
        await connect(alice)
        await connect(bob)
        await bob.send_json_to({"action": "vote.add", "ref": "v", "data": {"card": card.pk}})
        ack = await next_of(bob, "ack")
        assert ack["data"]["used"] == 1 and ack["data"]["mine"] == 1 and "1 of mine" in ack["data"]["mine_html"]
        hidden = await next_of(alice, "event", event="vote.added")
        assert hidden["data"] == {} and hidden["by"] == "" and not hidden.get("html")  # not even which card
        await alice.send_json_to({"action": "voting.reveal", "ref": "r", "data": {"revealed": "1"}})
        revealed = await next_of(bob, "event", event="voting.revealed")
        assert f'id="card-{card.pk}-total">1 dot</span>' in revealed["html"]
        await bob.send_json_to({"action": "vote.add", "ref": "w", "data": {"card": card.pk}})
        shown = await next_of(alice, "event", event="vote.added")
        assert shown["data"] == {"card": card.pk, "total": 2} and shown["by"] == ""
        assert "2 dots" in shown["html"]
        await alice.disconnect()
        await bob.disconnect()

    run(scenario)


def test_writes_from_many_connections_arrive_everywhere_in_seq_order(personas):
    """Per-room ordering is exact: every connection sees 1, 2, 3, ... without a gap or a swap."""
    ws = make_workshop(personas)
    column = ws.columns.first()
    services.voting_configure(workshop=ws, actor=actor(personas.alice), votes_per_person=5, voting_open=True)
    start = type(ws).objects.get(pk=ws.pk).seq

    async def scenario():
        comms = [communicator(ws.pk, personas.alice if i % 2 else personas.bob) for i in range(4)]
        for comm in comms:
            await connect(comm)
        for i, comm in enumerate(comms):
            for j in range(3):
                await comm.send_json_to({"action": "card.add", "ref": f"{i}-{j}",
                                         "data": {"column": column.pk, "text": f"Karte {i}-{j}"}})
        seen = {id(c): [] for c in comms}
        for comm in comms:
            while len(seen[id(comm)]) < 12:
                msg = await comm.receive_json_from(timeout=5)
                if msg["type"] == "event" and msg["seq"] is not None:
                    seen[id(comm)].append(msg["seq"])
        for comm in comms:
            await comm.disconnect()
        return list(seen.values())

    for seqs in run(scenario):
        assert seqs == list(range(start + 1, start + 13))
