"""The workshop as an iCalendar event (RFC 5545), for invitation e-mails and the download link."""

from __future__ import annotations

from django.conf import settings
from icalendar import Calendar, Event, vCalAddress, vText

from .models import Workshop


def workshop_ics(workshop: Workshop, *, attendee_emails=(), url: str = "") -> bytes:
    cal = Calendar()
    cal.add("prodid", "-//PanReflex//Reflexionsraum//DE")
    cal.add("version", "2.0")
    cal.add("method", "REQUEST")
    event = Event()
    host = settings.SITE_URL.split("//", 1)[-1].split("/", 1)[0] or "panreflex"
    event.add("uid", f"workshop-{workshop.pk}@{host}")
    event.add("dtstamp", workshop.updated_at)
    event.add("dtstart", workshop.starts_at)
    event.add("dtend", workshop.ends_at)
    event.add("summary", workshop.title)
    location = workshop.location or workshop.online_url
    if location:
        event.add("location", location)
    link = url or settings.SITE_URL + workshop.get_absolute_url()
    event.add("url", link)
    description = "\n".join(x for x in (workshop.description, workshop.online_url, link) if x)
    event.add("description", description)
    for email in attendee_emails:
        attendee = vCalAddress(f"mailto:{email}")
        attendee.params["role"] = vText("REQ-PARTICIPANT")
        event.add("attendee", attendee, encode=0)
    cal.add_component(event)
    return cal.to_ical()
