"""Chronology and network as files: CSV/XLSX (the import's columns), iCalendar, GraphML.

Each chronology file holds one dataset only, because the licences differ (CCCSL's CC BY-SA must not be
merged into the CC BY data); the licence and credit line go into every row."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from panreflex.core.datasources import DATASETS
from panreflex.lib.tabular import write_csv, write_xlsx

from .models import DATASET_CREDIT_KEY, Event, Relation
from .services import EVENT_COLUMNS, NETWORK_COLUMNS

EVENT_HEADERS = [*EVENT_COLUMNS, "jurisdiction", "dataset", "licence", "credit"]


def _licence(event: Event) -> tuple[str, str]:
    key = DATASET_CREDIT_KEY.get(event.dataset)
    if key is None:
        return "", event.organisation.name if event.organisation_id else ""
    return str(DATASETS[key].licence), DATASETS[key].credit


def event_rows(events: Iterable[Event]) -> Iterable[list]:
    for e in events:
        licence, credit = _licence(e)
        yield [
            e.key or f"panreflex-{e.pk}", e.date_announced.isoformat() if e.date_announced else "",
            e.date_in_force.isoformat() if e.date_in_force else "", e.date_end.isoformat() if e.date_end else "",
            e.level, e.topic, e.title, e.legal_basis, e.kind, e.source_ref, e.source_url, e.note, e.jurisdiction,
            e.dataset, licence, credit,
        ]


def events_csv(events) -> bytes:
    return write_csv(EVENT_HEADERS, event_rows(events))


def events_xlsx(events) -> bytes:
    return write_xlsx([(str(_("Chronology"))[:31], EVENT_HEADERS, list(event_rows(events)))])


def events_ics(events, *, name: str) -> bytes:
    from icalendar import Calendar
    from icalendar import Event as IcsEvent

    cal = Calendar()
    cal.add("prodid", "-//PanReflex//Chronology//DE")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", name)
    stamp = timezone.now()
    host = settings.SITE_URL.split("://", 1)[-1].split("/")[0].split(":")[0] or "panreflex"
    for e in events:
        item = IcsEvent()
        item.add("uid", f"multilevel-event-{e.pk}@{host}")
        item.add("dtstamp", stamp)
        item.add("dtstart", e.start)
        item.add("dtend", (e.date_end or e.start) + timedelta(days=1))
        item.add("summary", e.title)
        licence, credit = _licence(e)
        lines = [f"{e.get_level_display()} · {e.get_topic_display()}"]
        if e.legal_basis:
            lines.append(e.legal_basis)
        if e.date_announced:
            lines.append(_("announced %(date)s") % {"date": e.date_announced.isoformat()})
        if credit:
            lines.append(credit)
        item.add("description", "\n".join(lines))
        item.add("url", settings.SITE_URL + e.get_absolute_url())
        cal.add_component(item)
    return cal.to_ical()


def relation_rows(relations: Iterable[Relation]) -> Iterable[list]:
    for r in relations:
        yield [r.source.name, r.source.level, r.source.kind, r.kind, r.target.name, r.target.level, r.target.kind,
               r.valid_from.isoformat() if r.valid_from else "", r.valid_to.isoformat() if r.valid_to else "",
               r.topic, r.source_ref, r.note]


def network_csv(relations) -> bytes:
    return write_csv(list(NETWORK_COLUMNS), relation_rows(relations))
