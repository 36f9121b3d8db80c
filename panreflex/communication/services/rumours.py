"""The rumour and misinformation register and its weekly summary (a PDF the background worker renders)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from panreflex.audit.models import AuditEntry
from panreflex.audit.services import audit_record, diff, snapshot

from ..models import Channel, Rumour, WeeklySummary

RUMOUR_FIELDS = ("category", "claim", "first_seen_at", "first_seen_where", "channels", "reach", "audiences_note",
                 "likelihood", "harm", "fact_check", "sources", "response", "status", "duplicate_of", "visibility")


def _check(rumour: Rumour, groups) -> None:
    unknown = [c for c in rumour.channels or [] if c not in Channel.values]
    if unknown:
        raise ValidationError({"channels": _("Unknown channel: %(c)s") % {"c": ", ".join(unknown)}})
    if rumour.response_id and rumour.response.organisation_id != rumour.organisation_id:
        raise ValidationError({"response": _("Answer with a message of your own organisation.")})
    if rumour.duplicate_of_id and (rumour.duplicate_of.organisation_id != rumour.organisation_id
                                   or rumour.duplicate_of_id == rumour.pk):
        raise ValidationError({"duplicate_of": _("Choose another entry of your own register.")})
    if rumour.first_seen_at and rumour.first_seen_at > timezone.now() + timedelta(minutes=5):
        raise ValidationError({"first_seen_at": _("The first sighting cannot be in the future.")})
    if rumour.status == Rumour.Status.ANSWERED and not rumour.response_id:
        raise ValidationError({"response": _("An answered entry names the message that answered it.")})


def _sync_dates(rumour: Rumour) -> None:
    now = timezone.now()
    if rumour.status == Rumour.Status.ANSWERED and rumour.answered_at is None:
        rumour.answered_at = now
    if rumour.status == Rumour.Status.CLOSED and rumour.closed_at is None:
        rumour.closed_at = now
    if rumour.status in (Rumour.Status.OPEN, Rumour.Status.MONITORING):
        rumour.closed_at = None


@transaction.atomic
def rumour_create(*, organisation, author, groups=(), is_demo: bool = False, **data: Any) -> Rumour:
    unknown = set(data) - set(RUMOUR_FIELDS)
    if unknown:
        raise ValueError(f"Not editable: {sorted(unknown)}")
    rumour = Rumour(organisation=organisation, is_demo=is_demo,
                    created_by=author if getattr(author, "is_authenticated", False) else None, **data)
    if rumour.response_id and rumour.status == Rumour.Status.OPEN:
        rumour.status = Rumour.Status.ANSWERED
    _check(rumour, groups)
    _sync_dates(rumour)
    rumour.full_clean()
    rumour.save()
    rumour.groups.set(groups)
    audit_record(actor=author, action=AuditEntry.Action.CREATE, obj=rumour, changes=diff({}, snapshot(rumour)))
    return rumour


@transaction.atomic
def rumour_update(*, rumour: Rumour, actor, groups=None, **data: Any) -> Rumour:
    unknown = set(data) - set(RUMOUR_FIELDS)
    if unknown:
        raise ValueError(f"Not editable: {sorted(unknown)}")
    rumour = Rumour.objects.select_for_update().get(pk=rumour.pk)
    before = snapshot(rumour)
    for key, value in data.items():
        setattr(rumour, key, value)
    if "response" in data and rumour.response_id and rumour.status in (Rumour.Status.OPEN, Rumour.Status.MONITORING):
        rumour.status = Rumour.Status.ANSWERED
    _check(rumour, groups)
    _sync_dates(rumour)
    rumour.full_clean()
    rumour.save()
    if groups is not None:
        rumour.groups.set(groups)
    changes = diff(before, snapshot(rumour))
    if changes:
        audit_record(actor=actor, action=AuditEntry.Action.UPDATE, obj=rumour, changes=changes)
    return rumour


def week_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def weekly_summary_render(*, organisation, week_start: date) -> WeeklySummary:
    """Render (again) the weekly summary of `organisation`'s register for the week from `week_start`
    (a Monday) and keep the PDF. Called by the background task."""
    from django.core.files.base import ContentFile
    from django.utils import translation

    from panreflex.lib.pdf import render_pdf

    from ..selectors import weekly_summary_context

    week_start = week_of(week_start)
    with translation.override("de"):
        context = weekly_summary_context(organisation=organisation, week_start=week_start)
        pdf = render_pdf("communication/weekly_summary_pdf.html", context)
    with transaction.atomic():
        summary, _created = WeeklySummary.objects.select_for_update().get_or_create(
            organisation=organisation, week_start=week_start)
        if summary.pdf:
            summary.pdf.delete(save=False)
        summary.pdf.save(f"geruechte-{organisation.slug}-{week_start:%Y-%m-%d}.pdf", ContentFile(pdf), save=False)
        summary.save()
    return summary
