"""Presence: who has a live room open right now."""

from __future__ import annotations

from django.db import models
from django.utils import timezone


class Presence(models.Model):
    """One row per WebSocket connection, shared by all app processes. `room` is `"<kind>:<id>"`
    (e.g. `workshop:12`), `person` the person's key in that room (`u<user id>`, `g<guest id>`)."""

    room = models.CharField(max_length=100, db_index=True)
    channel_name = models.CharField(max_length=200, unique=True)
    person = models.CharField(max_length=100)
    label = models.CharField(max_length=200)
    connected_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["label", "id"]
        indexes = [models.Index(fields=["room", "person"], name="realtime_presence_person")]

    def __str__(self) -> str:
        return self.label
