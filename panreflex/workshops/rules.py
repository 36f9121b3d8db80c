"""The access rules of workshops, registered with `accounts.policy` (and called only through it).

A subject is a user or an `Actor` (a user or a guest of one workshop).
- view: whoever the visibility contract allows, listed facilitators and participants, members of the
  organisations involved, and a guest (for the workshop of their link, after consent);
- change (manage the set-up), delete: editors of the owning organisation and staff;
- facilitate (phases, timer, voting, lock, clusters, deriving results): those who manage, and the listed
  facilitators;
- contribute (cards, votes, timeline, ratings, root causes): facilitators, listed participants, members
  (role member or higher) of the owning organisation, and consenting guests;
- export (report, results): as view;
- a contribution (card, timeline event, rating, root-cause note): seen with its workshop; changed by its author or whoever facilitates;
- a workshop template: platform templates are seen by everyone who may set up workshops and changed by
  staff; an organisation's templates by its members, changed by its editors.
"""

from __future__ import annotations

from django.db.models import Q

from panreflex.accounts import policy
from panreflex.accounts.models import Role

from .actors import Actor, as_actor
from .models import Card, Rating, RootCause, TimelineEvent, Workshop, WorkshopTemplate

NOTHING = Q(pk__in=[])


def _listed(actor: Actor, workshop: Workshop, relation: str) -> bool:
    if actor.user is None or not policy.is_authenticated(actor.user):
        return False
    key = (relation, workshop.pk)
    if key not in actor._cache:
        actor._cache[key] = getattr(workshop, relation).filter(pk=actor.user.pk).exists()
    return actor._cache[key]


def _member_of_involved(actor: Actor, workshop: Workshop) -> bool:
    if actor.user is None:
        return False
    ids = set(policy.organisation_ids(actor.user))
    if not ids:
        return False
    key = ("involved", workshop.pk)
    if key not in actor._cache:
        actor._cache[key] = workshop.organisations.filter(pk__in=ids).exists()
    return actor._cache[key]


def guest_ok(actor: Actor, workshop: Workshop) -> bool:
    g = actor.guest
    return g is not None and g.workshop_id == workshop.pk and g.is_active


def _guest_q(actor: Actor) -> Q:
    g = actor.guest
    return Q(pk=g.workshop_id) if g is not None and g.is_active else NOTHING


# --- workshops ---------------------------------------------------------------------------------------
def can_view(subject, workshop: Workshop) -> bool:
    actor = as_actor(subject)
    if actor.user is not None:
        return (
            policy.owned_can_view(actor.user, workshop)
            or _listed(actor, workshop, "facilitators")
            or _listed(actor, workshop, "participants")
            or _member_of_involved(actor, workshop)
        )
    return guest_ok(actor, workshop)


def view_q(subject) -> Q:
    actor = as_actor(subject)
    user = actor.user
    if user is None:
        return _guest_q(actor)
    q = policy.owned_view_q(user)
    if policy.is_authenticated(user) and not policy.is_staff(user):
        q |= Q(facilitators=user) | Q(participants=user) | Q(organisations__in=policy.organisation_ids(user))
    return q


def can_manage(subject, workshop: Workshop) -> bool:
    actor = as_actor(subject)
    return actor.user is not None and policy.owned_can_change(actor.user, workshop)


def manage_q(subject) -> Q:
    user = as_actor(subject).user
    return policy.owned_change_q(user) if user is not None else NOTHING


def can_facilitate(subject, workshop: Workshop) -> bool:
    actor = as_actor(subject)
    return can_manage(actor, workshop) or _listed(actor, workshop, "facilitators")


def facilitate_q(subject) -> Q:
    user = as_actor(subject).user
    if user is None or not policy.is_authenticated(user):
        return NOTHING
    if policy.is_staff(user):  # Q() means "all rows"; OR-ing it with more would narrow it again
        return Q()
    return manage_q(subject) | Q(facilitators=user)


def can_contribute(subject, workshop: Workshop) -> bool:
    actor = as_actor(subject)
    if actor.user is not None:
        return (
            can_facilitate(actor, workshop)
            or _listed(actor, workshop, "participants")
            or policy.can_contribute_for(actor.user, workshop.organisation_id)
        )
    return guest_ok(actor, workshop)


def contribute_q(subject) -> Q:
    actor = as_actor(subject)
    user = actor.user
    if user is None:
        return _guest_q(actor)
    if not policy.is_authenticated(user):
        return NOTHING
    if policy.is_staff(user):
        return Q()
    return (facilitate_q(actor) | Q(participants=user)
            | Q(organisation_id__in=policy.organisation_ids(user, Role.MEMBER)))


# --- cards and other contributions -------------------------------------------------------------------------------------------
def _workshops(q: Q) -> Q:
    return Q(workshop_id__in=Workshop.objects.filter(q).values("pk")) if q else Q()


def can_view_contribution(subject, card) -> bool:
    return can_view(subject, card.workshop)


def can_change_contribution(subject, card) -> bool:
    """Authors change their own contributions; facilitators change everything."""
    actor = as_actor(subject)
    return (card.is_by(actor) and can_view(actor, card.workshop)) or can_facilitate(actor, card.workshop)


def contribution_change_q(subject) -> Q:
    actor = as_actor(subject)
    if policy.is_staff(actor.user):
        return Q()
    if actor.user is not None and policy.is_authenticated(actor.user):
        mine = Q(author=actor.user)
    elif actor.guest is not None:
        mine = Q(author_guest=actor.guest)
    else:
        return NOTHING
    return (mine & _workshops(view_q(actor))) | _workshops(facilitate_q(actor))


# --- templates ---------------------------------------------------------------------------------------
def can_view_template(subject, template: WorkshopTemplate) -> bool:
    user = policy.user_of(subject)
    if template.organisation_id is None:
        return True
    return policy.is_staff(user) or policy.role_in(user, template.organisation_id) is not None


def template_view_q(subject) -> Q:
    user = policy.user_of(subject)
    if policy.is_staff(user):
        return Q()
    return Q(organisation__isnull=True) | Q(organisation_id__in=policy.organisation_ids(user))


def can_edit_template(subject, template: WorkshopTemplate) -> bool:
    user = policy.user_of(subject)
    if template.organisation_id is None:
        return policy.is_staff(user)
    return policy.can_edit_for(user, template.organisation_id)


def template_change_q(subject) -> Q:
    user = policy.user_of(subject)
    if policy.is_staff(user):
        return Q()
    return Q(organisation_id__in=policy.organisation_ids(user, Role.EDITOR))


def register() -> None:
    view = policy.Rule(q=view_q, check=can_view, distinct=True)
    policy.register(
        Workshop, kind="workshop",
        view=view,
        change=policy.Rule(q=manage_q, check=can_manage),
        facilitate=policy.Rule(q=facilitate_q, check=can_facilitate, distinct=True),
        contribute=policy.Rule(q=contribute_q, check=can_contribute, distinct=True),
        summary={
            "view": "contract + facilitators, participants, involved organisations, the guest of the link",
            "change": "editors of the owner", "delete": "editors of the owner", "review": "staff",
            "export": "as view", "facilitate": "managers + listed facilitators",
            "contribute": "facilitators, participants, members of the owner, consenting guests",
        },
    )
    for model, kind in ((Card, "workshop_card"), (TimelineEvent, ""), (Rating, ""), (RootCause, "")):
        policy.register(
            model, kind=kind,
            view=policy.Rule(q=lambda s: _workshops(view_q(s)), check=can_view_contribution),
            change=policy.Rule(q=contribution_change_q, check=can_change_contribution),
            summary={"view": "as its workshop", "change": "its author (who sees the workshop), facilitators",
                     "delete": "as change", "review": "staff", "export": "as view"},
        )
    policy.register(
        WorkshopTemplate,
        view=policy.Rule(q=template_view_q, check=can_view_template),
        change=policy.Rule(q=template_change_q, check=can_edit_template),
        summary={"view": "platform templates: everyone; an organisation's: its members",
                 "change": "platform: staff; an organisation's: its editors", "delete": "as change",
                 "review": "staff", "export": "as view"},
    )
