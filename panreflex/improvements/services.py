"""Writes of the improvement plan. Every change is validated, audited and atomic."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from panreflex.audit.models import AuditEntry
from panreflex.audit.services import audit_record, diff, snapshot

from .models import ActionItem

EDITABLE_FIELDS = (
    "title", "description", "capability", "responsible_organisation", "responsible_person", "responsible_user",
    "point_of_contact", "start_date", "due_date", "status", "progress", "notes", "theme", "visibility",
)
PROGRESS_FIELDS = ("status", "progress", "notes")


def _check_dates(start_date: date | None, due_date: date | None) -> None:
    if start_date and due_date and due_date < start_date:
        raise ValidationError(
            {"due_date": pgettext("improvements", "The completion date must not be before the start date.")}, code="dates_order"
        )


def _sync_completion(item: ActionItem) -> None:
    """Done items are 100 % and carry their completion time; reopened items lose it."""
    if item.status == ActionItem.Status.DONE:
        item.progress = 100
        if item.completed_at is None:
            item.completed_at = timezone.now()
    else:
        item.completed_at = None


def _validate(item: ActionItem) -> None:
    _check_dates(item.start_date, item.due_date)
    if item.progress is not None and item.progress > 100:
        raise ValidationError({"progress": _("Progress is a percentage between 0 and 100.")}, code="progress")
    item.full_clean()


@transaction.atomic
def action_item_create(
    *,
    organisation,
    author,
    title: str,
    description: str = "",
    source_kind: str = "manual",
    source_id: int | None = None,
    source_label: str = "",
    source_url: str = "",
    capability: str = "",
    responsible_organisation=None,
    responsible_person: str = "",
    start_date: date | None = None,
    due_date: date | None = None,
    theme=None,
    responsible_user=None,
    point_of_contact: str = "",
    status: str = ActionItem.Status.OPEN,
    progress: int = 0,
    notes: str = "",
    visibility: str = "private",
    is_demo: bool = False,
) -> ActionItem:
    """Create an action item in `organisation`'s improvement plan (used by workshops, recommendations,
    assessments and exercises, too). Raises ValidationError with a clear message on bad input."""
    item = ActionItem(
        organisation=organisation,
        created_by=author if getattr(author, "is_authenticated", False) else None,
        title=(title or "").strip(),
        description=description,
        source_kind=source_kind,
        source_id=source_id,
        source_label=source_label[:300],
        source_url=source_url[:500],
        capability=capability,
        responsible_organisation=responsible_organisation,
        responsible_person=responsible_person,
        responsible_user=responsible_user,
        point_of_contact=point_of_contact,
        start_date=start_date,
        due_date=due_date,
        theme=theme,
        status=status,
        progress=progress,
        notes=notes,
        visibility=visibility,
        is_demo=is_demo,
    )
    _sync_completion(item)
    _validate(item)
    item.save()
    audit_record(actor=author, action=AuditEntry.Action.CREATE, obj=item, changes=diff({}, snapshot(item)))
    return item


@transaction.atomic
def action_item_update(*, item: ActionItem, actor, data: dict[str, Any]) -> ActionItem:
    """Change the editable fields given in `data` (an editor's full edit)."""
    unknown = set(data) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"Not editable: {sorted(unknown)}")
    return _apply(item=item, actor=actor, data=data)


@transaction.atomic
def action_item_update_progress(
    *, item: ActionItem, actor, status: str, progress: int, notes: str
) -> ActionItem:
    """The responsible person's update: status, progress and notes only."""
    return _apply(item=item, actor=actor, data={"status": status, "progress": progress, "notes": notes})


def _apply(*, item: ActionItem, actor, data: dict[str, Any]) -> ActionItem:
    item = ActionItem.objects.select_for_update().get(pk=item.pk)
    before = snapshot(item)
    old_status = item.status
    for key, value in data.items():
        setattr(item, key, value)
    _sync_completion(item)
    _validate(item)
    item.save()
    changes = diff(before, snapshot(item))
    if changes:
        action = AuditEntry.Action.STATUS if item.status != old_status else AuditEntry.Action.UPDATE
        audit_record(actor=actor, action=action, obj=item, changes=changes)
    return item


@transaction.atomic
def action_item_delete(*, item: ActionItem, actor) -> None:
    audit_record(actor=actor, action=AuditEntry.Action.DELETE, obj=item, changes=diff(snapshot(item), {}))
    item.delete()


# --- reminders ------------------------------------------------------------------------------------
REMINDER_DAYS_BEFORE = 7


def _recipients(item: ActionItem) -> list:
    """The responsible user; else the author; else the organisation's editors and coordinators — each
    only while the policy lets them see the item (someone who left the organisation since is skipped:
    a reminder quotes the item's title)."""
    from panreflex.accounts import policy
    from panreflex.accounts.models import Membership, Role

    for user in (item.responsible_user, item.created_by):
        if user is not None and user.is_active and user.email and policy.can_view(user, item):
            return [user]
    memberships = Membership.objects.filter(
        organisation_id=item.organisation_id, role__in=[Role.EDITOR, Role.COORDINATOR], user__is_active=True
    ).select_related("user")
    return [m.user for m in memberships if m.user.email and policy.can_view(m.user, item)]


def _send_reminder(item: ActionItem, kind: str, today: date, recipients: list) -> None:
    from django.conf import settings
    from django.core.mail import send_mail
    from django.template.loader import render_to_string
    from django.utils import translation

    for user in recipients:
        with translation.override(user.language or settings.LANGUAGE_CODE):
            context = {
                "item": item, "user": user, "kind": kind, "today": today,
                "days": abs((item.due_date - today).days),
                "url": settings.SITE_URL + item.get_absolute_url(),
            }
            subject = render_to_string("improvements/email/reminder_subject.txt", context).strip()
            body = render_to_string("improvements/email/reminder.txt", context)
        send_mail(subject, body, None, [user.email])


def action_item_reminders_send(*, today: date | None = None, days_before: int = REMINDER_DAYS_BEFORE
                               ) -> dict[str, int]:
    """Send the reminders that are due: `days_before` days before the due date (or later, but before it)
    and once after it has passed. Each (item, kind, due date) is reminded once; the record is written
    in the same transaction as the sending, so a failed send is retried next time."""
    from django.db import IntegrityError

    from .models import ActionItemReminder
    from .selectors import reminder_candidates

    today = today or timezone.localdate()
    soon, overdue = reminder_candidates(today=today, days_before=days_before)
    counts = {"before": 0, "after": 0, "skipped": 0}
    for kind, items in ((ActionItemReminder.Kind.BEFORE, soon), (ActionItemReminder.Kind.AFTER, overdue)):
        for item in items:
            recipients = _recipients(item)
            if not recipients:
                counts["skipped"] += 1
                continue
            try:
                with transaction.atomic():
                    ActionItemReminder.objects.create(
                        item=item, kind=kind, due_date=item.due_date,
                        recipients=", ".join(u.email for u in recipients),
                    )
                    _send_reminder(item, kind, today, recipients)
            except IntegrityError:
                counts["skipped"] += 1  # another worker sent it already
                continue
            counts[kind] += 1
    return counts
