"""Writing the audit trail. Domain services call `audit_record` inside their transaction."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models

from .models import AuditEntry


def _plain(value: Any) -> Any:
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, (list, tuple, set)):
        return [_plain(v) for v in value]
    return value


def snapshot(obj: models.Model, *, fields: list[str] | None = None) -> dict[str, Any]:
    """The concrete field values of `obj` as JSON-friendly data (for diffs)."""
    data: dict[str, Any] = {}
    for field in obj._meta.concrete_fields:
        if fields is not None and field.name not in fields:
            continue
        if field.name in {"id", "updated_at", "created_at"}:
            continue
        data[field.name] = _plain(getattr(obj, field.attname))
    for field in obj._meta.many_to_many:
        if fields is not None and field.name not in fields:
            continue
        if obj.pk:
            data[field.name] = sorted(str(v) for v in getattr(obj, field.name).all())
    return data


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    """{field: [old, new]} for every field whose value changed."""
    keys = sorted(set(before) | set(after))
    return {k: [before.get(k), after.get(k)] for k in keys if before.get(k) != after.get(k)}


def audit_record(
    *,
    actor,
    action: str,
    obj: models.Model,
    changes: dict[str, Any] | None = None,
    note: str = "",
) -> AuditEntry:
    actor_obj = actor if getattr(actor, "is_authenticated", False) else None
    return AuditEntry.objects.create(
        actor=actor_obj,
        actor_label=str(actor_obj) if actor_obj else "system",
        action=action,
        content_type=ContentType.objects.get_for_model(obj, for_concrete_model=False),
        object_id=str(obj.pk),
        object_repr=str(obj)[:300],
        organisation_id=getattr(obj, "organisation_id", None),
        changes=changes or {},
        note=note[:300],
    )


def audit_forget_actor(*, user) -> int:
    """After a person's data was deleted (DSGVO): the trail keeps who did what only as a pseudonym."""
    return AuditEntry.objects.filter(actor=user).update(actor_label=f"deleted user #{user.pk}")
