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

import logging

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import translation

from . import intents, selectors
from .models import Guest, Workshop
from .permissions import Actor, can_view
from .services import presence_join, presence_leave
from .services.common import Refused, group_name

log = logging.getLogger(__name__)
GUEST_SESSION_KEY = "workshop_guest_{pk}"


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

    @database_sync_to_async
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
        workshop, actor = await self._load()
        if workshop is None:
            await self.close()  # not found or not visible: refuse the handshake (no existence leak)
            return
        self.group = group_name(workshop.pk)
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()
        people = await database_sync_to_async(presence_join)(workshop=workshop, actor=actor,
                                                             channel_name=self.channel_name)
        await self.send_json({"type": "hello", "me": actor.key, "seq": workshop.seq, "presence": people})

    async def disconnect(self, code):
        if getattr(self, "group", None):
            await self.channel_layer.group_discard(self.group, self.channel_name)
            await database_sync_to_async(presence_leave)(workshop_id=self.workshop_id, channel_name=self.channel_name)

    @database_sync_to_async
    def _apply(self, action: str, data: dict) -> dict:
        cookies = self.scope.get("cookies") or {}
        language = cookies.get(settings.LANGUAGE_COOKIE_NAME) or settings.LANGUAGE_CODE
        with translation.override(language):
            workshop = Workshop.objects.filter(pk=self.workshop_id).first()
            actor = actor_from(self.scope.get("user"), self.scope.get("session"), self.workshop_id)
            if workshop is None or not can_view(actor, workshop):
                return {"type": "error", "code": "not_found",
                        "message": translation.gettext("This workshop does not exist.")}
            if action == "state":
                state = selectors.room_state(workshop=workshop, actor=actor)
                return {"type": "state", "state": selectors.state_json(state)}
            try:
                intents.apply(action, workshop=workshop, actor=actor, data=data)
            except Refused as exc:
                return {"type": "error", "code": exc.code, "message": exc.message, "data": exc.data}
            except ValidationError as exc:
                return {"type": "error", "code": "invalid", "message": " ".join(exc.messages)}
            return {"type": "ack"}

    async def receive_json(self, content, **kwargs):
        if not isinstance(content, dict):
            return
        action = str(content.get("action", ""))
        data = content.get("data") or {}
        if not isinstance(data, dict):
            data = {}
        reply = await self._apply(action, data)
        if "ref" in content:
            reply["ref"] = content["ref"]
        await self.send_json(reply)

    async def room_event(self, message):
        await self.send_json({"type": "event", **message["payload"]})
