"""Shared pieces of the workshop services: refusals, the change counter and broadcasting on commit."""

from __future__ import annotations

import asyncio
import json
import logging
from typing import Any

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction
from django.db.models import F

from ..models import Workshop

log = logging.getLogger(__name__)


class Refused(Exception):
    """A request that the rules refuse. `message` is shown to the user as it is (translated)."""

    def __init__(self, message: str, *, code: str = "refused", data: dict | None = None):
        super().__init__(str(message))
        self.message = str(message)
        self.code = code
        self.data = data or {}


class StaleEdit(Refused):
    """Someone else changed the card first; `data["card"]` holds the current state."""


def group_name(workshop_id: int) -> str:
    return f"workshop-{workshop_id}"


_main_loop: asyncio.AbstractEventLoop | None = None


def set_main_loop(loop: asyncio.AbstractEventLoop) -> None:
    """The consumers' event loop; the room's database thread hands its broadcasts to it."""
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
        # from the room's worker thread (or any thread of the server): hand over to the consumers'
        # loop without waiting (scheduling is FIFO, so events leave in the order of the commits; the
        # worker thread goes on with the next write instead of waiting for the fan-out)
        future = asyncio.run_coroutine_threadsafe(layer.group_send(group, message), loop)
        future.add_done_callback(_log_failure)
    else:
        async_to_sync(layer.group_send)(group, message)


def _log_failure(future) -> None:
    if not future.cancelled() and future.exception() is not None:
        log.error("broadcast failed: %s", future.exception())


def broadcast(workshop_id: int, payload: dict[str, Any]) -> None:
    layer = get_channel_layer()
    if layer is None:
        return
    # serialised once here, not once per connection in the consumer
    message = {"type": "room.event", "text": json.dumps(payload, ensure_ascii=False)}
    try:
        _send(layer, group_name(workshop_id), message)
    except Exception:  # a broken channel layer must not break a committed write
        log.exception("broadcast to workshop %s failed", workshop_id)


def lock_workshop(workshop: Workshop) -> Workshop:
    """Re-read the workshop with a row lock: serialises the writes of one workshop (vote limits, order)."""
    return Workshop.objects.select_for_update().get(pk=workshop.pk)


def changed(workshop: Workshop, event: str, data: dict[str, Any] | None = None, *, by: str = "") -> int:
    """Count the change and broadcast the event to the room after the transaction commits."""
    Workshop.objects.filter(pk=workshop.pk).update(seq=F("seq") + 1)
    seq = Workshop.objects.values_list("seq", flat=True).get(pk=workshop.pk)
    workshop.seq = seq
    payload = {"seq": seq, "event": event, "data": data or {}, "by": by}
    transaction.on_commit(lambda: broadcast(workshop.pk, payload))
    return seq


def notify(workshop_id: int, event: str, data: dict[str, Any]) -> None:
    """An event that is not a change of the room's content (presence): no counter, still after commit."""
    payload = {"seq": None, "event": event, "data": data, "by": ""}
    transaction.on_commit(lambda: broadcast(workshop_id, payload))
