"""The shared realtime layer on its own: broadcasts only after commit, the ack's seq, the in-memory
layer's fan-out (order, a full queue drops only for that connection), language groups."""

from __future__ import annotations

import pytest
from asgiref.sync import async_to_sync
from django.db import transaction

from panreflex.realtime import events
from panreflex.realtime.consumers import scope_language
from panreflex.realtime.layers import InMemoryChannelLayer


def test_emit_broadcasts_after_commit_only(monkeypatch, django_db_blocker):
    sent = []
    monkeypatch.setattr(events, "broadcast", lambda room, payload, render: sent.append(payload))
    room = events.Room("exercise", 7)
    with django_db_blocker.unblock():
        with events.capture() as emitted:
            with transaction.atomic():
                events.emit(room, seq=1, event="inject.released", data={"id": 3})
                assert sent == []
        assert [p["seq"] for p in emitted] == [1] and sent[0]["room"] == "exercise:7"
        try:
            with transaction.atomic():
                events.emit(room, seq=2, event="inject.released")
                raise RuntimeError
        except RuntimeError:
            pass
    assert [p["seq"] for p in sent] == [1]  # the rolled-back change was never sent


def test_broadcast_renders_once_per_language(monkeypatch, settings):
    from django.utils import translation

    settings.LANGUAGES = [("de", "Deutsch"), ("en", "English")]
    calls, sent = [], []
    monkeypatch.setattr(events, "_send", lambda layer, group, message: sent.append((group, message["text"])))
    events.broadcast(events.Room("workshop", 1), {"type": "event", "seq": 5, "event": "x", "data": {}, "by": ""},
                     lambda: calls.append(translation.get_language()) or f"<p id='a'>{translation.get_language()}</p>")
    assert calls == ["de", "en"]
    assert [g for g, _t in sent] == ["rt.workshop.1.de", "rt.workshop.1.en"]
    assert "<p id='a'>de</p>" in sent[0][1] and "<p id='a'>en</p>" in sent[1][1]


def test_in_memory_layer_keeps_order_and_drops_only_for_a_full_queue():
    layer = InMemoryChannelLayer(capacity=3)

    async def scenario():
        await layer.group_add("rt.room.1.de", "a")
        await layer.group_add("rt.room.1.de", "b")
        for i in range(3):
            await layer.group_send("rt.room.1.de", {"type": "rt.event", "text": str(i)})
        got_a = [(await layer.receive("a"))["text"] for _ in range(3)]
        await layer.group_send("rt.room.1.de", {"type": "rt.event", "text": "3"})  # b is full: dropped for b
        got_a.append((await layer.receive("a"))["text"])
        got_b = [(await layer.receive("b"))["text"] for _ in range(3)]
        return got_a, got_b, layer.channels.get("b")

    got_a, got_b, rest_b = async_to_sync(scenario)()
    assert got_a == ["0", "1", "2", "3"] and got_b == ["0", "1", "2"] and (rest_b is None or rest_b.empty())


@pytest.mark.parametrize(("scope", "expected"), [
    ({"cookies": {"panreflex_language": "en"}}, "en"),
    ({"cookies": {}, "headers": [(b"accept-language", b"en-GB,en;q=0.8")]}, "en"),
    ({"cookies": {}, "headers": [(b"accept-language", b"fr")]}, "de"),
    ({}, "de"),
])
def test_connection_language(scope, expected, settings):
    settings.LANGUAGE_CODE = "de"
    assert scope_language(scope) == expected
