"""The live room over WebSockets (Django Channels).

A client connects to `/ws/reflexionsraeume/<pk>/`; it must be allowed to see the workshop (signed-in
user or consenting guest, via the session from AuthMiddlewareStack), else the handshake is refused.
It then sends intents `{"action": "card.add", "data": {...}, "ref": "..."}`; the consumer applies
them through `intents.apply` (services: atomic, broadcast on commit) and answers the sender with
`{"type": "ack", "ref"}` or `{"type": "error", "ref", "message", "code"}`. Every committed change
reaches every connection of the room as `{"type": "event", "seq", "event", "data", "by"}`.
`{"action": "state"}` answers with the full state (what a reconnecting client loads first).
"""

from __future__ import annotations

import asyncio
import functools
import logging
from concurrent.futures import ThreadPoolExecutor

from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connections
from django.utils import translation

from panreflex.accounts import access
from panreflex.accounts.policy import can_view

from . import intents, selectors
from .actors import Actor
from .models import Guest, Workshop
from .services import common, presence_join, presence_leave
from .services.common import Refused, group_name

log = logging.getLogger(__name__)
GUEST_SESSION_KEY = "workshop_guest_{pk}"


# All database work of the room runs in ONE worker thread per process that keeps its database
# connection between intents. `database_sync_to_async` would open and close a connection for every
# card; with SQLite that means re-reading the schema and checkpointing the WAL each time, which costs
# more than the write itself. One thread also serialises the writes of a process (SQLite has a single
# writer anyway; the services lock the workshop row for PostgreSQL). When the last room connection of
# the process closes, the thread's connection is closed too.
_executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="workshop-db")
_open_consumers = 0


def _guarded(func, *args, **kwargs):
    try:
        return func(*args, **kwargs)
    finally:
        for conn in connections.all(initialized_only=True):
            if conn.errors_occurred and not conn.is_usable():
                conn.close()


async def run_db(func, *args, **kwargs):
    loop = asyncio.get_running_loop()
    common.set_main_loop(loop)
    return await loop.run_in_executor(_executor, functools.partial(_guarded, func, *args, **kwargs))


def _close_connections() -> None:
    for conn in connections.all(initialized_only=True):
        conn.close()


def actor_from(user, session, workshop_id: int) -> Actor:
    if user is not None and getattr(user, "is_authenticated", False) and user.is_active:
        return Actor(user=user)
    guest_id = session.get(GUEST_SESSION_KEY.format(pk=workshop_id)) if session is not None else None
    if guest_id:
        guest = Guest.objects.filter(pk=guest_id, workshop_id=workshop_id).first()
        if guest is not None:
            return Actor(guest=guest)
    return Actor()


class RoomConsumer(AsyncJsonWebsocketConsumer):
    workshop_id: int | None = None

    def _load(self):
        workshop = Workshop.objects.select_related("organisation").filter(pk=self.workshop_id).first()
        if workshop is None:
            return None, Actor()
        user = self.scope.get("user")
        actor = actor_from(user, self.scope.get("session"), workshop.pk)
        if not can_view(actor, workshop):
            return None, actor
        return workshop, actor

    async def connect(self):
        try:
            self.workshop_id = int(self.scope["url_route"]["kwargs"]["pk"])
        except (KeyError, TypeError, ValueError):
            await self.close()
            return
        workshop, actor = await run_db(self._load)
        if workshop is None:
            await self.close()  # not found or not visible: refuse the handshake (no existence leak)
            return
        self.group = group_name(workshop.pk)
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()
        global _open_consumers
        _open_consumers += 1
        self.counted = True
        people = await run_db(presence_join, workshop=workshop, actor=actor, channel_name=self.channel_name)
        await self.send_json({"type": "hello", "me": actor.key, "seq": workshop.seq, "presence": people})

    async def disconnect(self, code):
        if getattr(self, "group", None):
            await self.channel_layer.group_discard(self.group, self.channel_name)
            await run_db(presence_leave, workshop_id=self.workshop_id, channel_name=self.channel_name)
        if getattr(self, "counted", False):
            global _open_consumers
            _open_consumers -= 1
            self.counted = False
            if _open_consumers == 0:
                await run_db(_close_connections)

    def _apply(self, action: str, data: dict) -> dict:
        cookies = self.scope.get("cookies") or {}
        language = cookies.get(settings.LANGUAGE_COOKIE_NAME) or settings.LANGUAGE_CODE
        with translation.override(language):
            user = self.scope.get("user")
            if user is not None and getattr(user, "is_authenticated", False):
                access.forget_cached_roles(user)  # roles may have changed since the last intent
            actor = actor_from(user, self.scope.get("session"), self.workshop_id)
            not_found = {"type": "error", "code": "not_found",
                         "message": translation.gettext("This workshop does not exist.")}
            if action == "state":
                workshop = Workshop.objects.filter(pk=self.workshop_id).first()
                if workshop is None or not can_view(actor, workshop):
                    return not_found
                state = selectors.room_state(workshop=workshop, actor=actor)
                return {"type": "state", "state": selectors.state_json(state)}
            try:
                # the services lock the workshop row and check every rule themselves
                intents.apply(action, workshop=Workshop(pk=self.workshop_id), actor=actor, data=data)
            except Workshop.DoesNotExist:
                return not_found
            except Refused as exc:
                return {"type": "error", "code": exc.code, "message": exc.message, "data": exc.data}
            except ValidationError as exc:
                return {"type": "error", "code": "invalid", "message": " ".join(exc.messages)}
            return {"type": "ack"}

    async def receive_json(self, content, **kwargs):
        """Handle the intent in its own task, so that this connection keeps receiving the room's
        events while its write waits for the database thread (intents still run in arrival order:
        the worker thread is FIFO)."""
        if not isinstance(content, dict):
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
        reply = await run_db(self._apply, action, data)
        if "ref" in content:
            reply["ref"] = content["ref"]
        try:
            await self.send_json(reply)
        except Exception:  # the connection closed meanwhile; the write itself is committed or refused
            log.debug("reply to a closed connection dropped")

    async def room_event(self, message):
        await self.send(text_data='{"type": "event", ' + message["text"][1:])
