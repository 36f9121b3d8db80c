"""The live room of a workshop over WebSockets: the first user of the shared realtime layer
(`panreflex.realtime.consumers.RoomConsumer`, protocol described there and in docs/realtime.md).

A client connects to `/ws/reflexionsraeume/<pk>/`; it must be allowed to see the workshop (signed-in
user or consenting guest, via the session from AuthMiddlewareStack), else the handshake is refused.
Intents (`card.add`, `vote.add`, ...) go through `intents.apply` (services: atomic, broadcast on
commit); the author's acknowledgement carries what only the author should learn (the id of an own
anonymous card, the own dots).
"""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import translation

from panreflex.accounts import access
from panreflex.accounts.policy import can_view
from panreflex.realtime.consumers import Member
from panreflex.realtime.consumers import RoomConsumer as BaseRoomConsumer

from . import intents, selectors
from .actors import Actor
from .models import Guest, Vote, Workshop

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


def own_votes(workshop: Workshop, actor: Actor, card_id) -> dict:
    """What the voter's page shows of its own dots after a vote: used in total, and on the card."""
    voter = {"voter": actor.user} if actor.user is not None else {"voter_guest": actor.guest}
    mine = Vote.objects.filter(workshop=workshop, card_id=card_id, **voter).count()
    used = Vote.objects.filter(workshop=workshop, **voter).count()
    html = render_to_string("workshops/_dots_mine.html", {"mine": mine})
    return {"card": int(card_id), "used": used, "mine": mine, "mine_html": html}


class RoomConsumer(BaseRoomConsumer):
    room_kind = "workshop"

    def _actor(self) -> Actor:
        user = self.scope.get("user")
        if user is not None and getattr(user, "is_authenticated", False):
            access.forget_cached_roles(user)  # roles may have changed since the last intent
        return actor_from(user, self.scope.get("session"), self.room.id)

    def authorize(self, room_id: int) -> Member | None:
        workshop = Workshop.objects.select_related("organisation").filter(pk=room_id).first()
        if workshop is None:
            return None
        actor = actor_from(self.scope.get("user"), self.scope.get("session"), workshop.pk)
        if not can_view(actor, workshop):
            return None
        return Member(key=actor.key, label=actor.label)

    def current_seq(self) -> int:
        return Workshop.objects.values_list("seq", flat=True).get(pk=self.room.id)

    def not_found_message(self) -> str:
        return translation.gettext("This workshop does not exist.")

    def state(self) -> dict | None:
        actor = self._actor()
        workshop = Workshop.objects.filter(pk=self.room.id).first()
        if workshop is None or not can_view(actor, workshop):
            return None
        return selectors.state_json(selectors.room_state(workshop=workshop, actor=actor))

    def perform(self, action: str, data: dict) -> dict:
        actor = self._actor()
        workshop = Workshop(pk=self.room.id)
        try:
            # the services lock the workshop row and check every rule themselves
            result = intents.apply(action, workshop=workshop, actor=actor, data=data)
        except Workshop.DoesNotExist:
            from .services.common import Refused

            raise Refused(self.not_found_message(), code="not_found") from None
        if action in ("vote.add", "vote.remove"):
            return own_votes(workshop, actor, data.get("card"))
        if action == "card.add":
            return {"card": result.pk}
        return {}
