"""Fieldwork: distribution lists, personal links, invitation and reminder e-mails."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from panreflex.accounts.models import Membership, Organisation, Role, User
from panreflex.audit.services import audit_record
from panreflex.places.models import Place

from ..models import Invitation, Survey
from .questionnaire import SurveyError


def places_for_distribution(*, state_code: str = "05", min_population: int | None = None,
                            size_classes: list[str] | None = None):
    """Municipalities of a state (AGS prefix), optionally with a minimum population or size classes."""
    qs = Place.objects.filter(kind=Place.Kind.MUNICIPALITY, country_code="DE")
    if state_code:
        qs = qs.filter(ags__startswith=state_code)
    if min_population:
        qs = qs.filter(population__gte=min_population)
    places = list(qs.order_by("name"))
    if size_classes:
        places = [p for p in places if p.size_class in size_classes]
    return places


@transaction.atomic
def invitations_create(
    *, actor: User | None, survey: Survey, places=(), organisations=(), people=(), is_demo: bool = False,
) -> list[Invitation]:
    """One personal link per municipality, organisation or person; existing ones are kept (no duplicates).
    people: [(name, email), ...]."""
    if survey.status == Survey.Status.CLOSED:
        raise SurveyError(_("The survey is closed; no invitations can be added."))
    created: list[Invitation] = []
    have_places = set(survey.invitations.exclude(place=None).values_list("place_id", flat=True))
    have_orgs = set(survey.invitations.exclude(organisation=None).values_list("organisation_id", flat=True))
    have_mails = {e.lower() for e in survey.invitations.exclude(email="").values_list("email", flat=True)}
    org_by_place = {o.place_id: o for o in Organisation.objects.filter(place__in=[p.pk for p in places])}
    for place in places:
        org = org_by_place.get(place.pk)
        if place.pk in have_places or (org and org.pk in have_orgs):
            continue
        inv = Invitation(survey=survey, place=place, organisation=org, name=org.name if org else place.name, is_demo=is_demo)
        inv.full_clean(exclude=["token"])
        inv.save()
        have_places.add(place.pk)
        if org:
            have_orgs.add(org.pk)
        created.append(inv)
    for org in organisations:
        if org.pk in have_orgs or (org.place_id and org.place_id in have_places):
            continue
        inv = Invitation(survey=survey, organisation=org, place=org.place, name=org.name, is_demo=is_demo)
        inv.save()
        have_orgs.add(org.pk)
        if org.place_id:
            have_places.add(org.place_id)
        created.append(inv)
    for name, email in people:
        email = email.strip().lower()
        if not email or email in have_mails:
            continue
        inv = Invitation(survey=survey, name=(name or email)[:200], email=email, is_demo=is_demo)
        inv.full_clean(exclude=["token"])
        inv.save()
        have_mails.add(email)
        created.append(inv)
    if created:
        audit_record(actor=actor, action="update", obj=survey, changes={"invitations": [None, len(created)]})
    return created


def recipients(invitation: Invitation) -> list[str]:
    if invitation.email:
        return [invitation.email]
    if invitation.organisation_id:
        return sorted(
            Membership.objects.filter(organisation_id=invitation.organisation_id, role__in=[Role.EDITOR, Role.COORDINATOR],
                                      user__is_active=True).values_list("user__email", flat=True)
        )
    return []


def _mail(invitation: Invitation, template: str) -> bool:
    to = recipients(invitation)
    if not to:
        return False
    survey = invitation.survey
    with translation.override(settings.LANGUAGE_CODE):
        context = {"survey": survey, "invitation": invitation, "link": settings.SITE_URL + invitation.get_respond_url(),
                   "site_url": settings.SITE_URL}
        subject = " ".join(render_to_string(f"surveys/email/{template}_subject.txt", context).split())
        body = render_to_string(f"surveys/email/{template}_body.txt", context)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, to)
    return True


def invitations_send(*, survey: Survey, now=None) -> int:
    """Send the invitation e-mail to every invitation not sent yet. Returns the number sent."""
    now = now or timezone.now()
    sent = 0
    for inv in survey.invitations.filter(sent_at__isnull=True).select_related("survey"):
        if _mail(inv, "invitation"):
            Invitation.objects.filter(pk=inv.pk).update(sent_at=now)
            sent += 1
    return sent


def reminders_send(*, survey: Survey, now=None, min_days: int = 7) -> int:
    """Remind everyone invited who has not submitted, at most every `min_days` days, while the survey is open."""
    now = now or timezone.now()
    if not survey.is_open_at(now):
        return 0
    cutoff = now - timedelta(days=min_days)
    due = survey.invitations.filter(completed_at__isnull=True, sent_at__isnull=False, sent_at__lte=cutoff).filter(
        Q(reminded_at__isnull=True) | Q(reminded_at__lte=cutoff)
    ).select_related("survey")
    count = 0
    for inv in due:
        if _mail(inv, "reminder"):
            Invitation.objects.filter(pk=inv.pk).update(reminded_at=now, reminder_count=inv.reminder_count + 1)
            count += 1
    return count


def reminders_send_all(*, now=None, min_days: int = 7) -> dict[int, int]:
    return {s.pk: reminders_send(survey=s, now=now, min_days=min_days)
            for s in Survey.objects.filter(status=Survey.Status.FIELD)}
