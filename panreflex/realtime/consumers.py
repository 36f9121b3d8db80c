"""The WebSocket consumer base of the live rooms.

Protocol (JSON text frames):
- server → client on connect: `{"type": "hello", "me", "seq", "presence"}`; `seq` is read after the
  connection has joined the room's group, so every later change reaches it as an event;
- client → server: `{"action": "card.add", "data": {...}, "ref": "r1"}`; the author gets
  `{"type": "ack", "ref", "seq", "data"}` as soon as the write has committed (`seq` of the event it
  caused, `data` person-specific results) or `{"type": "error", "ref", "code", "message", "data"}`;
  `{"action": "state"}` answers `{"type": "state", "state"}` (the room as data);
- server → every connection of the room: the event envelope of `events.py`.

Each intent runs in its own task, so a connection keeps receiving the room's events while its own
write waits for the database thread (intents still run in arrival order: the thread is FIFO). The
fan-out does not wait for anyone: the database thread hands each event to the event loop and the
channel layer queues it per connection.

A subclass sets `room_kind` and implements, all running in the database thread:
`authorize(room_id) -> Member | None` (None refuses the handshake: missing and forbidden look the
same), `current_seq()`, `perform(action, data) -> dict` (raise `Refused`), `state() -> dict`.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field
from typing import Any

from channels.consumer import get_handler_name
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation.trans_real import parse_accept_lang_header

from . import db, events
from .errors import Refused
from .presence import presence_join, presence_leave

log = logging.getLogger(__name__)


@dataclass
class Member:
    """Who is connected: `key` (e.g. `u7`, `g3`), the label shown in the presence list, and whatever
    the app needs later (`context`, e.g. the workshop's `Actor`)."""

    key: str
    label: str
    context: dict[str, Any] = field(default_factory=dict)


def scope_language(scope) -> str:
    """The language of the connection, as LocaleMiddleware picks it for pages: cookie, then
    Accept-Language, then the default."""
    cookies = scope.get("cookies") or {}
    code = cookies.get(settings.LANGUAGE_COOKIE_NAME)
    if code:
        return events.group_language(code)
    for name, value in scope.get("headers") or []:
        if name == b"accept-language":
            for accept, _q in parse_accept_lang_header(value.decode("latin-1")):
                if accept != "*" and events.group_language(accept) == accept.split("-")[0].lower():
                    return events.group_language(accept)
    return settings.LANGUAGE_CODE


class RoomConsumer(AsyncJsonWebsocketConsumer):
    room_kind = ""
    room: events.Room | None = None
    member: Member | None = None

    # --- hooks (run in the database thread) ------------------------------------------------------
    def authorize(self, room_id: int) -> Member | None:
        raise NotImplementedError

    def current_seq(self) -> int:
        raise NotImplementedError

    def perform(self, action: str, data: dict) -> dict | None:
        raise NotImplementedError

    def state(self) -> dict:
        raise NotImplementedError

    def not_found_message(self) -> str:
        return translation.gettext("This room does not exist.")

    # --- connection ------------------------------------------------------------------------------
    async def connect(self):
        try:
            room_id = int(self.scope["url_route"]["kwargs"]["pk"])
        except (KeyError, TypeError, ValueError):
            await self.close()
            return
        self.language = scope_language(self.scope)
        self.room = events.Room(self.room_kind, room_id)
        member = await db.run_db(self._in_language, self.authorize, room_id)
        if member is None:
            await self.close()  # not found or not visible: refuse the handshake (no existence leak)
            return
        self.member = member
        self.group = self.room.group(self.language)
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()
        await db.opened()
        self.counted = True
        seq, people = await db.run_db(self._join)
        await self.send_json({"type": "hello", "me": member.key, "seq": seq, "presence": people})

    def _join(self):
        people = presence_join(room=self.room, channel_name=self.channel_name, person=self.member.key,
                               label=self.member.label)
        return self.current_seq(), people

    async def disconnect(self, code):
        if getattr(self, "group", None):
            await self.channel_layer.group_discard(self.group, self.channel_name)
            await db.run_db(presence_leave, room=self.room, channel_name=self.channel_name)
        if getattr(self, "counted", False):
            self.counted = False
            await db.closed()

    def _in_language(self, func, *args):
        with translation.override(self.language):
            return func(*args)

    # --- intents ---------------------------------------------------------------------------------
    def _apply(self, action: str, data: dict) -> dict:
        with translation.override(self.language):
            if action == "state":
                state = self.state()
                if state is None:
                    return {"type": "error", "code": "not_found", "message": self.not_found_message()}
                return {"type": "state", "state": state}
            try:
                with events.capture() as emitted:
                    result = self.perform(action, data) or {}
            except Refused as exc:
                return {"type": "error", "code": exc.code, "message": exc.message, "data": exc.data}
            except ValidationError as exc:
                return {"type": "error", "code": "invalid", "message": " ".join(exc.messages)}
            seqs = [e["seq"] for e in emitted if e["seq"] is not None]
            return {"type": "ack", "seq": seqs[-1] if seqs else None, "data": result}

    async def receive_json(self, content, **kwargs):
        if not isinstance(content, dict) or self.member is None:
            return
        if not hasattr(self, "tasks"):
            self.tasks = set()
        task = asyncio.create_task(self._handle(content))
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)

    async def _handle(self, content: dict) -> None:
        action = str(content.get("action", ""))
        data = content.get("data") or {}
        if not isinstance(data, dict):
            data = {}
        reply = await db.run_db(self._apply, action, data)
        if "ref" in content:
            reply["ref"] = content["ref"]
        try:
            await self.send_json(reply)
        except Exception:  # the connection closed meanwhile; the write itself is committed or refused
            log.debug("reply to a closed connection dropped")

    async def dispatch(self, message):
        """As channels' dispatch, without its `aclose_old_connections()` before every message: that is
        a hop to a worker thread per message (per event and connection: the largest cost of the
        fan-out in the benchmark's profile). The rooms touch the database only in their own thread
        (`db.py`), which looks after its connection itself."""
        handler = getattr(self, get_handler_name(message), None)
        if handler is None:
            raise ValueError(f"No handler for message type {message['type']}")
        await handler(message)

    async def rt_event(self, message):
        await self.send(text_data=message["text"])
