"""ACCESS RULES of the multi-level app — every rule of who may see and change what, in this one file.

(To be registered in the central access policy when issue #13 lands: one queryset filter and one
object check per model, all built on `panreflex.accounts.access`.)

- Event: the shipped reference rows (no organisation) are public and read-only for everyone; an
  organisation's own measures follow the visibility contract (`access.visible_q` / `access.can_view`);
  editors of the owning organisation and staff change them.
- EventLink: visible when both events are visible; changed by whoever may change the lower (local) event.
- Actor, Relation: `OwnedContent` — the visibility contract; editors of the owner and staff change them.
- NavigatorEntry: public when published, staff see drafts; only staff change entries.
- Series: public reference data (credit lines shown with them).
- Creating a city's content (events, actors, relations, imports): editors of an organisation whose place
  is that municipality, and staff.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from panreflex.accounts import access
from panreflex.accounts.models import Organisation

from .models import Actor, Event, EventLink, NavigatorEntry, Relation


# --- Event --------------------------------------------------------------------------------------------
def event_q(user, *, prefix: str = "") -> Q:
    if access.is_staff(user):
        return Q()
    return Q(**{f"{prefix}organisation__isnull": True}) | access.visible_q(user, prefix=prefix)


def can_view_event(user, event: Event) -> bool:
    return event.organisation_id is None or access.can_view(user, event)


def can_edit_event(user, event: Event) -> bool:
    return event.organisation_id is not None and access.can_edit_for(user, event.organisation_id)


def get_event_or_404(user, pk) -> Event:
    qs = Event.objects.select_related("organisation", "municipality", "created_by")
    event = qs.filter(pk=pk).first() if str(pk).isdigit() else None
    access.require(event is not None and can_view_event(user, event))
    return event


def get_editable_event_or_404(user, pk) -> Event:
    event = get_event_or_404(user, pk)
    access.require(can_edit_event(user, event))
    return event


# --- EventLink ----------------------------------------------------------------------------------------
def link_q(user) -> Q:
    return event_q(user, prefix="higher__") & event_q(user, prefix="lower__")


def can_edit_link(user, link: EventLink) -> bool:
    return can_edit_event(user, link.lower)


def get_editable_link_or_404(user, pk) -> EventLink:
    link = EventLink.objects.select_related("higher", "lower").filter(pk=pk).first()
    access.require(link is not None and can_view_event(user, link.higher) and can_view_event(user, link.lower)
                   and can_edit_link(user, link))
    return link


# --- Actor, Relation ----------------------------------------------------------------------------------
def actor_q(user) -> Q:
    return access.visible_q(user)


def relation_q(user) -> Q:
    return access.visible_q(user) & access.visible_q(user, prefix="source__") & access.visible_q(user, prefix="target__")


def can_edit_actor(user, obj: Actor | Relation) -> bool:
    return access.can_edit(user, obj)


def get_editable_actor_or_404(user, pk) -> Actor:
    return access.get_editable_or_404(user, Actor.objects.select_related("municipality", "organisation"), pk=pk)


def get_editable_relation_or_404(user, pk) -> Relation:
    relation = access.get_editable_or_404(
        user, Relation.objects.select_related("source", "target", "organisation"), pk=pk)
    access.require(access.can_view(user, relation.source) and access.can_view(user, relation.target))
    return relation


def visible_actors(user, queryset: QuerySet[Actor]) -> QuerySet[Actor]:
    return queryset.filter(actor_q(user))


# --- NavigatorEntry -----------------------------------------------------------------------------------
def navigator_q(user) -> Q:
    return Q() if access.is_staff(user) else Q(is_published=True)


def can_edit_navigator(user) -> bool:
    return access.is_staff(user)


def get_editable_entry_or_404(user, pk) -> NavigatorEntry:
    access.require(can_edit_navigator(user))
    entry = NavigatorEntry.objects.filter(pk=pk).first()
    access.require(entry is not None)
    return entry


# --- a city's content ---------------------------------------------------------------------------------
def city_organisations(user, municipality) -> QuerySet[Organisation]:
    """Organisations the user may create content for in this municipality's chronology and network."""
    qs = Organisation.objects.filter(place=municipality).order_by("name")
    if access.is_staff(user):
        return qs
    return qs.filter(pk__in=[o for o in qs.values_list("pk", flat=True) if access.can_edit_for(user, o)])


def can_edit_city(user, municipality) -> bool:
    return city_organisations(user, municipality).exists()
