"""Who may do what in a workshop. Built only from `panreflex.accounts.access` plus the workshop's own
lists (facilitators, participants, guests), so the visibility contract stays in one place.

- see: whoever `access.can_view` allows (OwnedContent), listed facilitators and participants, members
  of the organisations involved, and a guest (for the workshop of their link, after consent);
- manage the set-up: editors of the owning organisation and staff (`access.can_edit`);
- facilitate (phases, timer, voting, lock, clusters, deriving results): those who manage, and the
  listed facilitators;
- contribute (cards, votes, timeline, ratings, root causes): facilitators, listed participants,
  members (role member or higher) of the owning organisation, and consenting guests.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Q, QuerySet

from panreflex.accounts import access

from .models import Guest, Workshop


@dataclass
class Actor:
    """The person acting in a workshop: a signed-in user or a guest of one workshop."""

    user: object | None = None
    guest: Guest | None = None
    _cache: dict = field(default_factory=dict, repr=False)

    @property
    def key(self) -> str:
        if self.user is not None:
            return f"u{self.user.pk}"
        if self.guest is not None:
            return f"g{self.guest.pk}"
        return "anon"

    @property
    def label(self) -> str:
        if self.user is not None:
            return self.user.display_name
        if self.guest is not None:
            return str(self.guest)
        return ""

    @property
    def audit_actor(self):
        return self.user

    def author_fields(self) -> dict:
        return {"author": self.user, "author_guest": self.guest}


def _listed(actor: Actor, workshop: Workshop, relation: str) -> bool:
    if actor.user is None or not access.is_authenticated(actor.user):
        return False
    key = (relation, workshop.pk)
    if key not in actor._cache:
        actor._cache[key] = getattr(workshop, relation).filter(pk=actor.user.pk).exists()
    return actor._cache[key]


def _member_of_involved(actor: Actor, workshop: Workshop) -> bool:
    if actor.user is None:
        return False
    ids = set(access.organisation_ids(actor.user))
    if not ids:
        return False
    key = ("involved", workshop.pk)
    if key not in actor._cache:
        actor._cache[key] = workshop.organisations.filter(pk__in=ids).exists()
    return actor._cache[key]


def guest_ok(actor: Actor, workshop: Workshop) -> bool:
    g = actor.guest
    return g is not None and g.workshop_id == workshop.pk and g.is_active


def can_view(actor: Actor, workshop: Workshop) -> bool:
    if actor.user is not None:
        return (
            access.can_view(actor.user, workshop)
            or _listed(actor, workshop, "facilitators")
            or _listed(actor, workshop, "participants")
            or _member_of_involved(actor, workshop)
        )
    return guest_ok(actor, workshop)


def can_manage(actor: Actor, workshop: Workshop) -> bool:
    return actor.user is not None and access.can_edit(actor.user, workshop)


def can_facilitate(actor: Actor, workshop: Workshop) -> bool:
    return can_manage(actor, workshop) or _listed(actor, workshop, "facilitators")


def can_contribute(actor: Actor, workshop: Workshop) -> bool:
    if actor.user is not None:
        return (
            can_facilitate(actor, workshop)
            or _listed(actor, workshop, "participants")
            or access.can_contribute_for(actor.user, workshop.organisation_id)
        )
    return guest_ok(actor, workshop)


def can_edit_contribution(actor: Actor, workshop: Workshop, item) -> bool:
    """Authors change their own cards, events and notes; facilitators change everything."""
    return item.is_by(actor) or can_facilitate(actor, workshop)


def visible_q(user) -> Q:
    """Workshops a signed-in user (or anyone, for public ones) may see."""
    q = access.visible_q(user)
    if access.is_authenticated(user) and not access.is_staff(user):
        q |= Q(facilitators=user) | Q(participants=user) | Q(organisations__in=access.organisation_ids(user))
    return q


def filter_visible(user, queryset: QuerySet[Workshop]) -> QuerySet[Workshop]:
    ids = queryset.model.objects.filter(visible_q(user)).values("pk")
    return queryset.filter(pk__in=ids)


def can_create_workshop(user) -> bool:
    return access.editable_organisations(user).exists()


def can_edit_template(user, template) -> bool:
    if template.organisation_id is None:
        return access.is_staff(user)
    return access.can_edit_for(user, template.organisation_id)
