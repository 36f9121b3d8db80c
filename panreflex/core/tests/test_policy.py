"""Issue 13: the policy's queryset filter and object check agree, for every registered model, every
action and every persona, on the data the persona walk sets up (all apps) plus practice examples and
workshops in every state that matters."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ImproperlyConfigured

from panreflex.accounts import policy
from panreflex.accounts.models import Visibility
from panreflex.core.tests.test_persona_walk import _cases, _walk_modules
from panreflex.practices.models import Practice
from panreflex.practices.services_workflow import practice_submit
from panreflex.practices.tests.factories import make_practice
from panreflex.testing.walk import ALL
from panreflex.workshops.actors import Actor
from panreflex.workshops.services import room
from panreflex.workshops.tests.factories import add_card, make_workshop

S = Practice.Status


def _more_data(p):
    for org, author in ((p.dortmund, p.alice), (p.koeln, p.charlie)):
        for visibility in Visibility.values:
            for status in (S.DRAFT, S.PUBLISHED, S.ARCHIVED):
                make_practice(organisation=org, author=author, status=status, visibility=visibility,
                              title=f"{org.slug} {visibility} {status}")
            make_practice(organisation=org, author=author, visibility=visibility, draft_shared=True,
                          title=f"{org.slug} {visibility} shared")
            practice_submit(practice=make_practice(organisation=org, author=author, visibility=visibility,
                                                   title=f"{org.slug} {visibility} submitted"), actor=author)
    ws = make_workshop(p, organisation=p.koeln, facilitators=[p.charlie], participants=[p.bob])
    card = add_card(ws, p.bob)
    bob = Actor(user=p.bob)
    room.timeline_add(workshop=ws, actor=bob, date=date(2024, 6, 1), title="Warnung verschickt")
    room.rating_set(workshop=ws, actor=bob, capability="Warnung", level="S", justification="spät")
    room.root_cause_add(workshop=ws, actor=Actor(user=p.charlie), text="Zu wenig Personal", card_id=card.pk)
    other = make_workshop(p, organisation=p.koeln, facilitators=[p.charlie], participants=[],
                          visibility=Visibility.NETWORK)
    other.organisations.add(p.dortmund)
    add_card(other, p.charlie)
    _multilevel_data(p)


def _multilevel_data(p):
    """Measures, actors and relations of Dortmund and Köln in every visibility (public released or not),
    links between them and the shipped rules, relations whose actors are less visible than they are,
    and navigator entries published or not."""
    from django.utils import timezone

    from panreflex.multilevel.models import Actor, Event, NavigatorEntry, Relation
    from panreflex.multilevel.services import actor_create, event_create, event_link_create, relation_create

    reference = Event.objects.get(dataset="curated", key="nrw-2020-11-02")
    for org, author in ((p.dortmund, p.alice), (p.koeln, p.charlie)):
        actors = {}
        for visibility in Visibility.values:
            for released in (False, True):
                name = f"{org.slug} {visibility} {released}"
                event = event_create(organisation=org, author=author, municipality=org.place, title=name,
                                     level="municipality", topic="masks", date_in_force=date(2020, 11, 5),
                                     visibility=visibility)
                event_link_create(higher=reference, lower=event, actor=author)
                actors[(visibility, released)] = actor_create(
                    organisation=org, author=author, municipality=org.place, name=name, level="municipality",
                    kind="other", visibility=visibility)
                if released:
                    Event.objects.filter(pk=event.pk).update(released_at=timezone.now())
                    Actor.objects.filter(pk=actors[(visibility, released)].pk).update(released_at=timezone.now())
        state = event_create(organisation=org, author=author, municipality=org.place, title=f"{org.slug} district",
                             level="district", topic="masks", date_in_force=date(2020, 11, 3), visibility="network")
        for lower in Event.objects.filter(organisation=org, level="municipality")[:3]:
            event_link_create(higher=state, lower=lower, actor=author)
        ends = list(actors.values())
        for i, visibility in enumerate(Visibility.values):
            for source, target in ((ends[i], ends[-1 - i]), (ends[-1 - i], ends[(i + 2) % len(ends)])):
                relation = relation_create(organisation=org, author=author, source=source, target=target,
                                           kind="coordinates", visibility=visibility)
                Relation.objects.filter(pk=relation.pk, source__released_at__isnull=False).update(
                    released_at=timezone.now())
    NavigatorEntry.objects.create(topic="masks", period_start=date(2020, 4, 1), deciding_level="state",
                                  implementing_level="municipality", summary="Veröffentlicht", is_published=True)


@pytest.mark.django_db
def test_queryset_filter_and_object_check_agree(personas):
    for module in _walk_modules().values():
        _cases(module, personas)
    _more_data(personas)
    failures = []
    for entry in policy.registered():
        rows = list(entry.model._default_manager.all())
        assert rows, f"no {entry.model.__name__} rows to check the rules on"
        for name in ALL:
            user = personas.user(name)
            for action in entry.rules:
                by_query = set(policy.scope(user, entry.model._default_manager.all(), action).values_list("pk", flat=True))
                by_check = {o.pk for o in rows if policy.can(user, action, o)}
                if by_query != by_check:
                    failures.append(f"{entry.model.__name__}.{action} for {name}: only in the filter "
                                    f"{sorted(by_query - by_check)}, only in the check {sorted(by_check - by_query)}")
    assert not failures, "\n".join(failures)


@pytest.mark.django_db
def test_workshop_rules_agree_for_a_guest(personas):
    from datetime import timedelta

    from django.utils import timezone

    ws = make_workshop(personas)
    make_workshop(personas, title="Ein anderer")
    add_card(ws, personas.bob)
    guest = ws.guests.create(name="Gast", token_hash="x" * 64, expires_at=timezone.now() + timedelta(days=1),
                             consented_at=timezone.now())
    for actor in (Actor(guest=guest), Actor()):
        for entry in policy.registered():
            if not entry.model.__module__.startswith("panreflex.workshops"):
                continue
            for action in entry.rules:
                qs = entry.model._default_manager.all()
                by_query = set(policy.scope(actor, qs, action).values_list("pk", flat=True))
                by_check = {o.pk for o in qs if policy.can(actor, action, o)}
                assert by_query == by_check, (entry.model.__name__, action, actor.key)
    assert policy.can_view(Actor(guest=guest), ws) and policy.can(Actor(guest=guest), "contribute", ws)


def test_every_model_with_restricted_content_is_registered():
    from django.apps import apps

    from panreflex.accounts.models import OwnedContent

    missing = [m.__name__ for m in apps.get_models() if issubclass(m, OwnedContent) and not policy.is_registered(m)]
    assert not missing
    with pytest.raises(ImproperlyConfigured):
        policy.rules_for(type("Unregistered", (), {}))


@pytest.mark.django_db
def test_generic_links_resolve_only_through_the_policy(personas):
    draft = make_practice(organisation=personas.koeln, author=personas.charlie)
    assert policy.resolve(personas.charlie, "practice", draft.pk) == draft
    assert policy.resolve(personas.alice, "practice", draft.pk) is None
    assert policy.resolve(personas.alice, "practice", draft.pk + 1000) is None
    assert policy.resolve(personas.alice, "no-such-kind", draft.pk) is None
    assert policy.resolve(personas.alice, "practice", "not-a-number") is None


def test_the_architecture_page_lists_every_registered_model():
    from pathlib import Path

    from django.conf import settings

    text = (Path(settings.BASE_DIR) / "docs" / "architecture.md").read_text()
    missing = [f"{e.model._meta.app_label}.{e.model.__name__}" for e in policy.registered()
               if f"`{e.model._meta.app_label}.{e.model.__name__}`" not in text]
    assert not missing, f"docs/architecture.md: add the rules of {missing} to the table"
