"""Who has a room open (deltas to the room: a room of 100 would otherwise send 100 × 100 lists while
people arrive). The rows live in the database, so every server process sees everyone."""

from __future__ import annotations

from django.db import transaction

from . import events
from .models import Presence


def presence_list(*, room: events.Room) -> list[dict]:
    seen: dict[str, dict] = {}
    for person, label in Presence.objects.filter(room=room.key).order_by("label", "id").values_list("person", "label"):
        seen.setdefault(person, {"key": person, "label": label})
    return list(seen.values())


@transaction.atomic
def presence_join(*, room: events.Room, channel_name: str, person: str, label: str) -> list[dict]:
    """Record the connection; tell the room (`presence.joined`) only when the person was not there yet."""
    first = not Presence.objects.filter(room=room.key, person=person).exists()
    Presence.objects.update_or_create(channel_name=channel_name,
                                      defaults={"room": room.key, "person": person, "label": label[:200]})
    if first:
        events.notify(room, "presence.joined", {"key": person, "label": label})
    return presence_list(room=room)


@transaction.atomic
def presence_leave(*, room: events.Room, channel_name: str) -> None:
    row = Presence.objects.filter(channel_name=channel_name).first()
    if row is None:
        return
    row.delete()
    if not Presence.objects.filter(room=room.key, person=row.person).exists():
        events.notify(room, "presence.left", {"key": row.person})
