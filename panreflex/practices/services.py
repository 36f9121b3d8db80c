"""Writes of practice examples: create, update, snapshots (versions).

The review workflow lives in `services_workflow.py`, watch list and collections in
`services_lists.py`, attachments in `services_attachments.py`; this module holds the contract that the
importer (`services_transfer.py`) and the search index rely on.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from panreflex.accounts.models import Visibility
from panreflex.audit.services import audit_record
from panreflex.audit.services import diff as audit_diff

from .models import Practice, PracticeSource, PracticeVersion

# Many-to-many fields a caller may set through `m2m`.
M2M_FIELDS = (
    "places", "themes", "subtopics", "phases", "levels", "target_groups", "innovation_kinds",
    "actor_organisations",
)

# Concrete content fields a caller may set through `data` (workflow fields are set by the workflow).
CONTENT_FIELDS = (
    "title", "title_en", "summary", "summary_en", "description", "period_start", "period_end",
    "actors_text", "challenge", "measures", "resources_staff", "resources_cost", "results", "went_well",
    "went_less_well", "good_practice", "transfer_crises", "transfer_municipalities", "transfer_conditions",
    "adaptation_germany", "evidence_strength", "uncertainty_notes", "contact_name", "contact_email",
    "contact_consent", "visibility", "draft_shared",
)
SOURCE_KEYS = ("title", "url", "published_on", "accessed_on")


def _iso(value: Any) -> Any:
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    return value


def _month(value: date | None) -> date | None:
    """Period values have month precision: always the first of the month."""
    if value is None:
        return None
    if isinstance(value, datetime):
        value = value.date()
    return value.replace(day=1)


def practice_snapshot(practice: Practice) -> dict[str, Any]:
    """A JSON-friendly picture of a practice example: concrete fields, m2m as [{id, label}], sources.

    Used for versions (diffs) and by the exporter. Labels are the German/English label of the active
    language at the time of the snapshot.
    """
    data: dict[str, Any] = {}
    for name in CONTENT_FIELDS:
        if name == "evidence_strength":
            term = practice.evidence_strength
            data[name] = {"id": term.pk, "code": term.code, "label": term.label} if term else None
            continue
        data[name] = _iso(getattr(practice, name))
    data["status"] = str(practice.status)
    data["organisation"] = {"id": practice.organisation_id, "label": str(practice.organisation)}
    data["external_key"] = practice.external_key
    for name in M2M_FIELDS:
        items = []
        for obj in getattr(practice, name).all():
            item = {"id": obj.pk, "label": str(obj)}
            if hasattr(obj, "code"):
                item["code"] = obj.code
            if hasattr(obj, "ags"):
                item["ags"] = obj.ags
                item["country_code"] = obj.country_code
            items.append(item)
        data[name] = sorted(items, key=lambda i: i["label"])
    data["sources"] = [
        {k: _iso(getattr(s, k)) for k in SOURCE_KEYS} for s in practice.sources.all().order_by("position", "id")
    ]
    return data


def _apply(practice: Practice, *, data: dict, m2m: dict | None, sources: list[dict] | None) -> None:
    """Set fields, validate, save, then m2m and sources. Caller holds the transaction."""
    unknown = set(data) - set(CONTENT_FIELDS)
    if unknown:
        raise ValueError(f"Unknown practice fields: {sorted(unknown)}")
    for name, value in data.items():
        if name in ("period_start", "period_end"):
            value = _month(value)
        if name == "good_practice":
            value = [
                {"criterion": str(c.get("criterion", "")).strip(), "justification": str(c.get("justification", "")).strip()}
                for c in (value or [])
                if str(c.get("criterion", "")).strip()
            ]
        if isinstance(value, str) and name not in ("description",):
            value = value.strip()
        setattr(practice, name, value)
    practice.full_clean()
    practice.save()
    for name, values in (m2m or {}).items():
        if name not in M2M_FIELDS:
            raise ValueError(f"Unknown practice relation: {name}")
        getattr(practice, name).set(values)
    if sources is not None:
        practice.sources.all().delete()
        for position, src in enumerate(sources):
            source = PracticeSource(
                practice=practice,
                position=position,
                **{k: src.get(k) or ("" if k in ("title", "url") else None) for k in SOURCE_KEYS},
            )
            source.full_clean()
            source.save()


def _release_if_published(practice: Practice) -> None:
    now = timezone.now()
    if practice.status == Practice.Status.PUBLISHED:
        if practice.published_at is None:
            practice.published_at = now
        if practice.visibility == Visibility.PUBLIC:
            practice.released_at = practice.released_at or now
        else:
            practice.released_at = None
    else:
        practice.released_at = None
    practice.save(update_fields=["published_at", "released_at", "updated_at"])


def version_write(
    *, practice: Practice, author, note: str = "", snapshot: dict | None = None, status: str = ""
) -> PracticeVersion:
    last = practice.versions.order_by("-number").values_list("number", flat=True).first() or 0
    return PracticeVersion.objects.create(
        practice=practice,
        number=last + 1,
        snapshot=snapshot if snapshot is not None else practice_snapshot(practice),
        status=status or practice.status,
        created_by=author if getattr(author, "is_authenticated", False) else None,
        note=note[:300],
    )


def _announce(practice_id: int, *, deleted: bool) -> None:
    from .signals import practice_changed

    transaction.on_commit(lambda: practice_changed.send(sender=Practice, practice_id=practice_id, deleted=deleted))


def schedule_index(practice_id: int) -> None:
    """Announce a created or changed example after commit (`signals.practice_changed`; the search indexes it)."""
    _announce(practice_id, deleted=False)


def schedule_unindex(practice_id: int) -> None:
    """Announce a deleted example after commit."""
    _announce(practice_id, deleted=True)


def practice_create(
    *,
    organisation,
    author,
    data: dict,
    m2m: dict | None = None,
    sources: list[dict] | None = None,
    status: str = Practice.Status.DRAFT,
    visibility: str = Visibility.PRIVATE,
    external_key: str = "",
    is_demo: bool = False,
    index: bool = True,
) -> Practice:
    """Create a practice example with its relations, version 1 and an audit entry."""
    data = dict(data)
    data.setdefault("visibility", visibility)
    with transaction.atomic():
        practice = Practice(
            organisation=organisation,
            created_by=author if getattr(author, "is_authenticated", False) else None,
            status=status,
            external_key=external_key,
            is_demo=is_demo,
        )
        _apply(practice, data=data, m2m=m2m, sources=sources or [])
        _release_if_published(practice)
        snap = practice_snapshot(practice)
        version_write(practice=practice, author=author, note="created", snapshot=snap)
        audit_record(actor=author, action="create", obj=practice, changes={"status": [None, practice.status]})
        if index:
            schedule_index(practice.pk)
    return practice


def practice_update(
    *,
    practice: Practice,
    author,
    data: dict,
    m2m: dict | None = None,
    sources: list[dict] | None = None,
    note: str = "",
) -> Practice:
    """Change a practice example directly (the row), write a new version and an audit entry.

    This does not go through review: the editing UI uses `services_workflow.practice_edit`, which stages
    changes to a published example for review instead.
    """
    with transaction.atomic():
        before = practice_snapshot(practice)
        _apply(practice, data=data, m2m=m2m, sources=sources)
        _release_if_published(practice)
        after = practice_snapshot(practice)
        changes = audit_diff(before, after)
        version_write(practice=practice, author=author, note=note or "updated", snapshot=after)
        audit_record(actor=author, action="update", obj=practice, changes=changes, note=note)
        schedule_index(practice.pk)
    return practice
