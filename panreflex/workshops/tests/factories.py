"""Factories for workshop tests: a workshop set up through the service (so columns and phases exist)."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.utils import timezone

from panreflex.taxonomy.models import Term
from panreflex.workshops.actors import Actor
from panreflex.workshops.models import WorkshopTemplate
from panreflex.workshops.services import card_add, workshop_create


def make_workshop(p, *, organisation=None, title="Debriefing Kommunikation", facilitators=None, participants=None,
                  theme="T2", starts_at: datetime | None = None, **extra):
    organisation = organisation or p.dortmund
    starts_at = starts_at or timezone.now() + timedelta(days=3)
    themes = list(Term.objects.filter(vocabulary="theme", code=theme)) if theme else []
    return workshop_create(
        organisation=organisation, author=p.alice, title=title,
        template=WorkshopTemplate.objects.get(code="panreflex-debriefing"), starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=3), themes=themes,
        facilitators=facilitators if facilitators is not None else [p.alice],
        participants=participants if participants is not None else [p.bob], **extra,
    )


def actor(user=None, guest=None) -> Actor:
    return Actor(user=user, guest=guest)


def add_card(workshop, user, text="Eine Karte", column=0, **extra):
    col = list(workshop.columns.all())[column]
    return card_add(workshop=workshop, actor=Actor(user=user), column_id=col.pk, text=text, **extra)
