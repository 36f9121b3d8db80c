"""Events of a live room: the envelope, sequence numbers and broadcasting after commit.

A service changes data inside `transaction.atomic`, counts the change in the room's own sequence
number (a column of the room's model, e.g. `Workshop.seq`, updated under the room's row lock) and
calls `emit`. After the commit the event is sent once to the room's group: the envelope

    {"type": "event", "room": "workshop:12", "seq": 41, "event": "card.added", "data": {...},
     "by": "u7", "html": "<article id=\"card-9\" data-into=\"column-3-cards\">..."}

`data` is a small JSON patch; `html` (optional) holds out-of-band fragments that the browser swaps
in by id (see static/realtime/client.js). The fragments are rendered by the `render` callable once
per event and language (each connection listens on the group of its language), never once per
connection, and never per person: person-specific parts (own cards, own dots) stay in the page and
in the acknowledgement of the author's own write. Events without content (`presence.*`) carry
`seq: null`.
"""

from __future__ import annotations

import asyncio
import json
import logging
import threading
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.conf import settings
from django.db import transaction
from django.utils import translation

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Room:
    """A live room: `kind` names the app's room type (`workshop`, later `exercise`, ...)."""

    kind: str
    id: int

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.id}"

    def group(self, language: str) -> str:
        # channel-layer group names allow only ASCII letters, digits, hyphens, underscores and periods
        return f"rt.{self.kind}.{self.id}.{language.replace('-', '_')}"


def languages() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


def group_language(language: str | None) -> str:
    """The language group a connection joins: the language itself if offered, else the default."""
    codes = languages()
    if language in codes:
        return language
    base = (language or "").split("-")[0]
    return base if base in codes else settings.LANGUAGE_CODE


# --- capturing what a write emitted (for the acknowledgement to its author) --------------------------
_local = threading.local()


@contextmanager
def capture():
    """Collects the envelopes emitted in this thread while the block runs (the consumer puts the last
    `seq` into the author's acknowledgement)."""
    previous = getattr(_local, "emitted", None)
    _local.emitted = emitted = []
    try:
        yield emitted
    finally:
        _local.emitted = previous


def emit(room: Room, *, seq: int, event: str, data: dict[str, Any] | None = None, by: str = "",
         render: Callable[[], str] | None = None) -> dict:
    """Broadcast `event` to the room after the transaction commits (nothing if it rolls back).
    `render()` returns the event's out-of-band HTML; it is called after commit once per language."""
    payload = {"type": "event", "room": room.key, "seq": seq, "event": event, "data": data or {}, "by": by}
    emitted = getattr(_local, "emitted", None)
    if emitted is not None:
        emitted.append(payload)
    transaction.on_commit(lambda: broadcast(room, payload, render))
    return payload


def notify(room: Room, event: str, data: dict[str, Any]) -> None:
    """An event that changes no content of the room (presence): no sequence number, still after commit."""
    transaction.on_commit(lambda: broadcast(room, {"type": "event", "room": room.key, "seq": None, "event": event,
                                                  "data": data, "by": ""}, None))


def broadcast(room: Room, payload: dict, render: Callable[[], str] | None) -> None:
    layer = get_channel_layer()
    if layer is None:
        return
    text = None
    for language in languages():
        if render is not None:
            try:
                with translation.override(language):
                    html = render()
            except Exception:  # a broken fragment must not lose the event: clients then fetch the state
                log.exception("rendering %s for %s failed", payload["event"], room.key)
                html = None
            text = json.dumps({**payload, "html": html, "refetch": html is None}, ensure_ascii=False)
        elif text is None:
            text = json.dumps(payload, ensure_ascii=False)  # serialised once, not once per connection
        try:
            _send(layer, room.group(language), {"type": "rt.event", "text": text})
        except Exception:  # a broken channel layer must not break a committed write
            log.exception("broadcast to %s failed", room.key)


# --- handing broadcasts from the database thread to the event loop ---------------------------------
_main_loop: asyncio.AbstractEventLoop | None = None


def set_main_loop(loop: asyncio.AbstractEventLoop) -> None:
    """The consumers' event loop; the database thread hands its broadcasts to it."""
    global _main_loop
    _main_loop = loop


def _send(layer, group: str, message: dict) -> None:
    loop = _main_loop
    in_loop_thread = False
    try:
        in_loop_thread = asyncio.get_running_loop() is loop
    except RuntimeError:
        pass
    if loop is not None and loop.is_running() and not in_loop_thread:
        # hand over without waiting: scheduling is FIFO, so the events of one process leave in the
        # order of the commits, and the database thread goes on with the next write
        future = asyncio.run_coroutine_threadsafe(layer.group_send(group, message), loop)
        future.add_done_callback(_log_failure)
    elif in_loop_thread:
        loop.create_task(layer.group_send(group, message))
    else:
        async_to_sync(layer.group_send)(group, message)


def _log_failure(future) -> None:
    if not future.cancelled() and future.exception() is not None:
        log.error("broadcast failed: %s", future.exception())
