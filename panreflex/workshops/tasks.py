"""Background work of the workshops domain: invitation e-mails with a calendar entry (.ics)."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django_tasks import task

from .ical import workshop_ics
from .models import Guest, Workshop


def _send(*, workshop: Workshop, to: str, link: str, name: str, language: str, guest: bool) -> None:
    with translation.override(language or settings.LANGUAGE_CODE):
        context = {"workshop": workshop, "link": link, "name": name, "guest": guest, "site_url": settings.SITE_URL}
        subject = render_to_string("workshops/email/invitation_subject.txt", context).strip()
        body = render_to_string("workshops/email/invitation.txt", context)
    message = EmailMessage(subject=subject, body=body, to=[to])
    message.attach("reflexionsraum.ics", workshop_ics(workshop, attendee_emails=[to], url=link),
                   "text/calendar; method=REQUEST; charset=utf-8")
    message.send()


@task()
def send_workshop_invitations(*, workshop_id: int, user_ids: list[int]) -> int:
    workshop = Workshop.objects.filter(pk=workshop_id).first()
    if workshop is None:
        return 0
    link = settings.SITE_URL + reverse("workshops:detail", kwargs={"pk": workshop.pk})
    sent = 0
    for user in workshop.participants.model.objects.filter(pk__in=user_ids, is_active=True):
        _send(workshop=workshop, to=user.email, link=link, name=user.display_name, language=user.language,
              guest=False)
        sent += 1
    return sent


@task()
def send_guest_invitation(*, guest_id: int, token: str) -> int:
    guest = Guest.objects.select_related("workshop").filter(pk=guest_id).first()
    if guest is None or not guest.email:
        return 0
    link = settings.SITE_URL + reverse("workshops:guest_join", kwargs={"token": token})
    _send(workshop=guest.workshop, to=guest.email, link=link, name=guest.name, language="", guest=True)
    return 1
