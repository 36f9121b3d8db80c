"""Shared pieces of the workshop services: refusals, the change counter and broadcasting on commit
(through the shared realtime layer, `panreflex.realtime.events`)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from panreflex.realtime import events
from panreflex.realtime.errors import Refused  # noqa: F401  (the workshops' refusals are the layer's)

from ..models import Workshop


class StaleEdit(Refused):
    """Someone else changed the card first; `data["card"]` holds the current state."""


def room_of(workshop: Workshop | int) -> events.Room:
    return events.Room("workshop", workshop if isinstance(workshop, int) else workshop.pk)


def lock_workshop(workshop: Workshop) -> Workshop:
    """Re-read the workshop with a row lock: serialises the writes of one workshop (vote limits, order)."""
    return Workshop.objects.select_for_update().get(pk=workshop.pk)


def changed(workshop: Workshop, event: str, data: dict[str, Any] | None = None, *, by: str = "",
            render: Callable[[], str] | None = None) -> int:
    """Count the change (the workshop row is locked by `lock_workshop`) and broadcast the event with
    its fragment (`render`, see `fragments.py`) to the room after the transaction commits."""
    workshop.seq += 1
    Workshop.objects.filter(pk=workshop.pk).update(seq=workshop.seq)
    events.emit(room_of(workshop), seq=workshop.seq, event=event, data=data, by=by, render=render)
    return workshop.seq
