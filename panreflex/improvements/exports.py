"""The improvement plan as CSV, XLSX (HSEEP improvement plan columns) and iCalendar (due dates)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from panreflex.lib.tabular import write_csv, write_xlsx

from .models import ActionItem


def headers() -> list[str]:
    return [
        _("No."), pgettext("improvements", "Corrective action"), _("Description"), _("Capability element"), _("Focus theme"),
        _("Source"), _("Responsible organisation"), _("Responsible person"), _("Point of contact"),
        _("Start date"), _("Completion date"), _("Status"), _("Progress (%)"), _("Overdue"), _("Notes"),
        _("Address"),
    ]


def rows(items: Iterable[ActionItem]) -> Iterable[list]:
    today = timezone.localdate()
    for item in items:
        source = item.get_source_kind_display() + (f": {item.source_label}" if item.source_label else "")
        yield [
            item.pk, item.title, item.description, item.capability, item.theme.label if item.theme else "",
            source, item.responsible_organisation.name if item.responsible_organisation else "",
            item.responsible_person or (str(item.responsible_user) if item.responsible_user else ""),
            item.point_of_contact, item.start_date.isoformat() if item.start_date else "",
            item.due_date.isoformat() if item.due_date else "", item.get_status_display(), item.progress,
            _("yes") if item.is_overdue(today) else _("no"), item.notes,
            settings.SITE_URL + item.get_absolute_url(),
        ]


def plan_csv(items: Iterable[ActionItem]) -> bytes:
    return write_csv(headers(), rows(items))


def plan_xlsx(items: Iterable[ActionItem], *, organisation_name: str) -> bytes:
    return write_xlsx([(pgettext("improvements", "Improvement plan")[:31], headers(), list(rows(items)))])


def plan_ics(items: Iterable[ActionItem], *, organisation_name: str) -> bytes:
    """One all-day event per due date (items without a due date are left out)."""
    from icalendar import Calendar, Event

    cal = Calendar()
    cal.add("prodid", "-//PanReflex//Improvement plan//DE")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", f"{pgettext('improvements', 'Improvement plan')} {organisation_name}")
    stamp = timezone.now()
    host = settings.SITE_URL.split("://", 1)[-1].split("/")[0].split(":")[0] or "panreflex"
    for item in items:
        if not item.due_date:
            continue
        event = Event()
        event.add("uid", f"action-item-{item.pk}-due@{host}")
        event.add("dtstamp", stamp)
        event.add("dtstart", item.due_date)
        event.add("dtend", item.due_date + timedelta(days=1))
        event.add("summary", f"{_('Due')}: {item.title}")
        description = [
            f"{_('Status')}: {item.get_status_display()} ({item.progress} %)",
        ]
        if item.responsible_person or item.responsible_user:
            description.append(f"{_('Responsible person')}: {item.responsible_person or item.responsible_user}")
        if item.description:
            description.append(item.description)
        event.add("description", "\n".join(description))
        event.add("url", settings.SITE_URL + item.get_absolute_url())
        event.add("last-modified", item.updated_at if isinstance(item.updated_at, datetime) else stamp)
        cal.add_component(event)
    return cal.to_ical()
