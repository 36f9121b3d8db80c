"""The access rules of the multi-level app, registered with `accounts.policy` (called only through it).

- Event: the shipped reference rows (no organisation: OxCGRT, CCCSL, the curated NRW list) are public
  and read-only for everyone, staff included; an organisation's own measures follow the visibility
  contract; editors of the owning organisation and staff change and delete them.
- EventDocument (a source document of an event): seen, changed and deleted with its event.
- EventLink (higher rule → local measure): seen by whoever sees both events; changed and deleted
  (reflection, insight, unlink) by whoever may change the local measure and sees the higher rule.
- Actor: OwnedContent, the visibility contract; editors of the owner and staff change it.
- Relation: OwnedContent, seen when the relation and both its actors are visible; changed by editors of
  the owner (and staff) who see both actors.
- NavigatorEntry: public when published, drafts seen by staff; only staff change entries.
- Series (the curves under the timeline) is public reference data and registers no rule.
"""

from __future__ import annotations

from django.db.models import Q

from panreflex.accounts import policy

from .models import Actor, Event, EventDocument, EventLink, NavigatorEntry, Relation


# --- Event --------------------------------------------------------------------------------------------
def event_view_q(subject, *, prefix: str = "") -> Q:
    user = policy.user_of(subject)
    if policy.is_staff(user):
        return Q()
    return Q(**{f"{prefix}organisation__isnull": True}) | policy.owned_view_q(user, prefix=prefix)


def can_view_event(subject, event: Event) -> bool:
    return event.organisation_id is None or policy.owned_can_view(policy.user_of(subject), event)


def event_change_q(subject, *, prefix: str = "") -> Q:
    user = policy.user_of(subject)
    return Q(**{f"{prefix}organisation__isnull": False}) & policy.owned_change_q(user, prefix=prefix)


def can_change_event(subject, event: Event) -> bool:
    return event.organisation_id is not None and policy.can_edit_for(policy.user_of(subject), event.organisation_id)


# --- EventLink ----------------------------------------------------------------------------------------
def link_view_q(subject) -> Q:
    return event_view_q(subject, prefix="higher__") & event_view_q(subject, prefix="lower__")


def can_view_link(subject, link: EventLink) -> bool:
    return can_view_event(subject, link.higher) and can_view_event(subject, link.lower)


def link_change_q(subject) -> Q:
    return link_view_q(subject) & event_change_q(subject, prefix="lower__")


def can_change_link(subject, link: EventLink) -> bool:
    return can_view_link(subject, link) and can_change_event(subject, link.lower)


# --- Relation -----------------------------------------------------------------------------------------
def _ends_visible_q(user) -> Q:
    return policy.owned_view_q(user, prefix="source__") & policy.owned_view_q(user, prefix="target__")


def relation_view_q(subject) -> Q:
    user = policy.user_of(subject)
    return policy.owned_view_q(user) & _ends_visible_q(user)


def can_view_relation(subject, relation: Relation) -> bool:
    user = policy.user_of(subject)
    return (policy.owned_can_view(user, relation) and policy.owned_can_view(user, relation.source)
            and policy.owned_can_view(user, relation.target))


def relation_change_q(subject) -> Q:
    user = policy.user_of(subject)
    return policy.owned_change_q(user) & _ends_visible_q(user)


def can_change_relation(subject, relation: Relation) -> bool:
    user = policy.user_of(subject)
    return (policy.owned_can_change(user, relation) and policy.owned_can_view(user, relation.source)
            and policy.owned_can_view(user, relation.target))


# --- NavigatorEntry -----------------------------------------------------------------------------------
def entry_view_q(subject) -> Q:
    return Q() if policy.is_staff(policy.user_of(subject)) else Q(is_published=True)


def can_view_entry(subject, entry: NavigatorEntry) -> bool:
    return entry.is_published or policy.is_staff(policy.user_of(subject))


OWNED = {"view": "contract", "change": "editors of the owner", "delete": "editors of the owner",
         "review": "staff", "export": "as view"}


def register() -> None:
    policy.register(
        Event, kind="multilevel_event",
        view=policy.Rule(q=event_view_q, check=can_view_event),
        change=policy.Rule(q=event_change_q, check=can_change_event),
        summary={**OWNED, "view": "reference rows: everyone; an organisation's measures: contract",
                 "change": "editors of the owner (reference rows: nobody)",
                 "delete": "editors of the owner (reference rows: nobody)"},
    )
    policy.register_child(EventDocument, parent="event", parent_model=Event, kind="multilevel_document")
    policy.register(
        EventLink,
        view=policy.Rule(q=link_view_q, check=can_view_link),
        change=policy.Rule(q=link_change_q, check=can_change_link),
        summary={"view": "who sees both events", "change": "who may change the local measure",
                 "delete": "who may change the local measure", "review": "staff", "export": "as view"},
    )
    policy.register_owned(Actor, kind="multilevel_actor", summary=OWNED)
    policy.register_owned(
        Relation, kind="multilevel_relation",
        view=policy.Rule(q=relation_view_q, check=can_view_relation),
        change=policy.Rule(q=relation_change_q, check=can_change_relation),
        summary={**OWNED, "view": "contract, and both actors visible",
                 "change": "editors of the owner who see both actors",
                 "delete": "editors of the owner who see both actors"},
    )
    policy.register(
        NavigatorEntry,
        view=policy.Rule(q=entry_view_q, check=can_view_entry), change=policy.STAFF_ONLY,
        summary={"view": "published: everyone; drafts: staff", "change": "staff", "delete": "staff",
                 "review": "staff", "export": "as view"},
    )
