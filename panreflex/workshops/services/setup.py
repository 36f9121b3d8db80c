"""Setting a workshop up: templates, the workshop itself, agenda, guests and invitations."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from panreflex.audit.models import AuditEntry
from panreflex.audit.services import audit_record, diff, snapshot

from ..models import AgendaItem, Column, FindingKind, Guest, Workshop, WorkshopTemplate, hash_token
from .common import Refused

GUEST_LINK_DAYS = 14


# --- templates -------------------------------------------------------------------------------------
def _clean_questions(questions: Sequence[dict]) -> list[dict]:
    cleaned = []
    for q in questions:
        title = (q.get("title") or "").strip()
        if not title:
            continue
        finding = q.get("finding") or FindingKind.NOTE
        if finding not in FindingKind.values:
            finding = FindingKind.NOTE
        cleaned.append({"title": title[:300], "help": (q.get("help") or "").strip()[:500], "finding": finding})
    if not cleaned:
        raise ValidationError({"questions": _("A template needs at least one question.")})
    return cleaned


def _clean_phases(phases: Sequence[dict]) -> list[dict]:
    cleaned, keys = [], set()
    for p in phases:
        title = (p.get("title") or "").strip()
        if not title:
            continue
        key = slugify(p.get("key") or title)[:40] or f"phase-{len(cleaned) + 1}"
        while key in keys:
            key = f"{key[:36]}-{len(cleaned) + 1}"
        keys.add(key)
        cleaned.append({"key": key, "title": title[:200], "minutes": max(0, int(p.get("minutes") or 0))})
    if not cleaned:
        raise ValidationError({"phases": _("A template needs at least one phase.")})
    return cleaned


@transaction.atomic
def template_update(*, template: WorkshopTemplate, actor, name: str, description: str,
                    questions: Sequence[dict], phases: Sequence[dict]) -> WorkshopTemplate:
    before = snapshot(template)
    template.name = name.strip()
    template.description = description
    template.questions = _clean_questions(questions)
    template.phases = _clean_phases(phases)
    template.full_clean()
    template.save()
    audit_record(actor=actor, action=AuditEntry.Action.UPDATE, obj=template, changes=diff(before, snapshot(template)))
    return template


@transaction.atomic
def template_copy(*, template: WorkshopTemplate, actor, organisation) -> WorkshopTemplate:
    base = slugify(f"{organisation.slug}-{template.code}")[:60]
    code, n = base, 1
    while WorkshopTemplate.objects.filter(code=code).exists():
        n += 1
        code = f"{base}-{n}"
    copy = WorkshopTemplate(
        code=code, kind=template.kind, name=(_("%(name)s (copy)") % {"name": template.name})[:200],
        description=template.description, questions=list(template.questions), phases=list(template.phases),
        organisation=organisation, copied_from=template, created_by=actor,
    )
    copy.full_clean()
    copy.save()
    audit_record(actor=actor, action=AuditEntry.Action.CREATE, obj=copy, changes=diff({}, snapshot(copy)))
    return copy


# --- workshops -------------------------------------------------------------------------------------
def _check_times(starts_at: datetime, ends_at: datetime) -> None:
    if ends_at < starts_at:
        raise ValidationError({"ends_at": _("The end must not be before the start.")})


def _set_agenda(workshop: Workshop, agenda: Iterable[tuple[str, int]]) -> None:
    workshop.agenda.all().delete()
    AgendaItem.objects.bulk_create(
        [AgendaItem(workshop=workshop, position=i, title=t.strip()[:200], minutes=max(1, int(m or 1)))
         for i, (t, m) in enumerate(agenda) if t and t.strip()]
    )


@transaction.atomic
def workshop_create(
    *, organisation, author, title: str, template: WorkshopTemplate, starts_at: datetime, ends_at: datetime,
    mode: str = Workshop.Mode.ONSITE, location: str = "", online_url: str = "", description: str = "",
    themes=(), organisations=(), facilitators=(), participants=(), allow_anonymous: bool = False,
    votes_per_person: int = 5, visibility: str = "private", agenda: Iterable[tuple[str, int]] = (),
    is_demo: bool = False,
) -> Workshop:
    """Create a workshop from a template: its questions become the board's columns, its phases the
    workshop's phases (copied, so later edits of the template do not change this workshop)."""
    _check_times(starts_at, ends_at)
    phases = list(template.phases)
    workshop = Workshop(
        organisation=organisation, created_by=author, title=(title or "").strip(), template=template,
        kind=template.kind, description=description, starts_at=starts_at, ends_at=ends_at, mode=mode,
        location=location, online_url=online_url, allow_anonymous=allow_anonymous,
        votes_per_person=votes_per_person, visibility=visibility, phases=phases,
        phase=phases[0]["key"] if phases else "", is_demo=is_demo,
    )
    workshop.full_clean()
    workshop.save()
    Column.objects.bulk_create(
        [Column(workshop=workshop, position=i, title=q["title"], help=q.get("help", ""),
                finding=q.get("finding", FindingKind.NOTE)) for i, q in enumerate(template.questions)]
    )
    workshop.themes.set(list(themes))
    orgs = {o.pk: o for o in organisations}
    orgs.setdefault(organisation.pk, organisation)
    workshop.organisations.set(list(orgs.values()))
    workshop.facilitators.set(list(facilitators))
    workshop.participants.set(list(participants))
    _set_agenda(workshop, agenda)
    audit_record(actor=author, action=AuditEntry.Action.CREATE, obj=workshop, changes=diff({}, snapshot(workshop)))
    return workshop


@transaction.atomic
def workshop_update(*, workshop: Workshop, actor, data: dict[str, Any],
                    agenda: Iterable[tuple[str, int]] | None = None) -> Workshop:
    """Change the set-up. `data` holds model fields and the many-to-many fields themes,
    organisations, facilitators and participants."""
    workshop = Workshop.objects.select_for_update().get(pk=workshop.pk)
    before = snapshot(workshop)
    m2m = {k: data.pop(k) for k in ("themes", "organisations", "facilitators", "participants") if k in data}
    for key, value in data.items():
        setattr(workshop, key, value)
    _check_times(workshop.starts_at, workshop.ends_at)
    workshop.full_clean()
    workshop.save()
    for key, values in m2m.items():
        values = list(values)
        if key == "organisations" and workshop.organisation not in values:
            values.append(workshop.organisation)
        getattr(workshop, key).set(values)
    if agenda is not None:
        _set_agenda(workshop, agenda)
    changes = diff(before, snapshot(workshop))
    if changes:
        audit_record(actor=actor, action=AuditEntry.Action.UPDATE, obj=workshop, changes=changes)
    return workshop


@transaction.atomic
def workshop_delete(*, workshop: Workshop, actor) -> None:
    audit_record(actor=actor, action=AuditEntry.Action.DELETE, obj=workshop, changes=diff(snapshot(workshop), {}))
    workshop.delete()


# --- guests ------------------------------------------------------------------------------------------
@transaction.atomic
def guest_invite(*, workshop: Workshop, actor, email: str = "", name: str = "",
                 valid_days: int = GUEST_LINK_DAYS, send: bool = True) -> tuple[Guest, str]:
    """Create a guest link (the token is returned once; only its hash is stored) and, with an e-mail
    address, send the invitation with the calendar entry."""
    token, token_hash = Guest.new_token()
    guest = Guest(workshop=workshop, email=email.strip().lower(), name=name.strip(), token_hash=token_hash,
                  expires_at=timezone.now() + timedelta(days=valid_days), invited_by=actor)
    guest.full_clean()
    guest.save()
    audit_record(actor=actor, action=AuditEntry.Action.CREATE, obj=guest,
                 changes={"email": [None, guest.email], "expires_at": [None, guest.expires_at.isoformat()]})
    if send and guest.email:
        from ..tasks import send_guest_invitation

        transaction.on_commit(lambda: send_guest_invitation.enqueue(guest_id=guest.pk, token=token))
    return guest, token


def guest_for_token(token: str) -> Guest:
    guest = Guest.objects.select_related("workshop").filter(token_hash=hash_token(token or "")).first()
    if guest is None or guest.revoked_at is not None:
        raise Refused(_("This invitation link is not valid. Please ask the facilitators for a new link."),
                      code="invalid_link")
    if guest.is_expired:
        raise Refused(_("This invitation link has expired. Please ask the facilitators for a new link."),
                      code="expired_link")
    return guest


@transaction.atomic
def guest_join(*, token: str, name: str, consent: bool) -> Guest:
    """A guest accepts the invitation: name and consent to the data processing are required."""
    guest = guest_for_token(token)
    guest = Guest.objects.select_for_update().get(pk=guest.pk)
    if not consent:
        raise Refused(_("Please agree to the processing of your data; without consent you cannot take part."),
                      code="consent_missing")
    name = (name or "").strip()
    if not name:
        raise Refused(_("Please enter the name shown to the other participants."), code="name_missing")
    guest.name = name[:150]
    guest.consented_at = guest.consented_at or timezone.now()
    guest.save(update_fields=["name", "consented_at"])
    audit_record(actor=None, action=AuditEntry.Action.UPDATE, obj=guest, changes={"consented_at": [None, "yes"]},
                 note=f"guest {guest.pk} joined")
    return guest


@transaction.atomic
def guest_revoke(*, guest: Guest, actor) -> None:
    guest.revoked_at = timezone.now()
    guest.save(update_fields=["revoked_at"])
    audit_record(actor=actor, action=AuditEntry.Action.UPDATE, obj=guest, changes={"revoked_at": [None, "now"]})


def invitations_send(*, workshop: Workshop, actor) -> int:
    """E-mail every facilitator and participant an invitation with the calendar entry (.ics)."""
    from ..tasks import send_workshop_invitations

    recipients = {u.pk for u in workshop.participants.all()} | {u.pk for u in workshop.facilitators.all()}
    if recipients:
        send_workshop_invitations.enqueue(workshop_id=workshop.pk, user_ids=sorted(recipients))
    return len(recipients)
