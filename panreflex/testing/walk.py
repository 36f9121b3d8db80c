"""The persona walk: every URL of the platform requested as every persona, compared with what the
access rules say (issue #2). Each app lists its cases in `panreflex/<app>/tests/walk.py`:

    from panreflex.testing.walk import WalkCase, expect

    def cases(p):  # p: Personas, with data the app created in `setup(p)` if it defines one
        practice = ...
        return [
            WalkCase("practices:detail", kwargs={"pk": practice.pk}, expect=expect(public=200)),
            WalkCase("practices:edit", kwargs={"pk": practice.pk},
                     expect=expect(anonymous=302, default=404, alice=200, dora=200)),
        ]

`expect()` builds {persona: status}. `anonymous` is eve; `signed_in` applies to every signed-in
persona; `default` to every persona not named; names override. The central test
(panreflex/core/tests/test_persona_walk.py) fails when a named URL of the project has no case, so a new
view cannot be added without saying who may see it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

ALL = ("eve", "vera", "bob", "alice", "carla", "charlie", "dora")


def expect(*, default: int | None = None, anonymous: int | None = None, signed_in: int | None = None,
           public: int | None = None, **by_name: int) -> dict[str, int]:
    """Expected status per persona. `public=200` means everyone gets 200."""
    result: dict[str, int] = {}
    for name in ALL:
        status = public if public is not None else default
        if name == "eve" and anonymous is not None:
            status = anonymous
        if name != "eve" and signed_in is not None:
            status = signed_in
        if name in by_name:
            status = by_name[name]
        if status is None:
            raise ValueError(f"no expected status for persona {name}")
        result[name] = status
    return result


@dataclass
class WalkCase:
    url_name: str
    kwargs: dict = field(default_factory=dict)
    expect: dict[str, int] = field(default_factory=dict)
    query: str = ""
    method: str = "get"  # only safe methods are walked; POST rules are tested in the apps
    htmx: bool = False


# --- ids of other organisations' objects (issue 13) ------------------------------------------------
_CSRF = re.compile(r'(name="csrfmiddlewaretoken" value=|data-csrf=|csrf[-_]token["\']?\s*[:=]\s*)"[^"]*"', re.IGNORECASE)
_DIGITS = re.compile(r"\d+")


def normalised(body: bytes | str) -> str:
    """A response body with what differs between any two requests taken out (CSRF tokens) and every
    number blanked (the ids themselves), so that the answer to a forbidden id can be compared with the
    answer to an id that does not exist."""
    text = body.decode() if isinstance(body, bytes) else body
    return _DIGITS.sub("#", _CSRF.sub("", text))


MISSING_ID = 987_654_321  # an id no row has
FOREIGN = "FREMD"  # every foreign object's title starts with this; no answer may show it


@dataclass
class IdCase:
    """A form field, query parameter or JSON key of `url_name` that takes an object id. The walk submits
    `foreign` (another organisation's private object) and MISSING_ID as each of `personas` and expects the
    same answer (status, redirect, page with numbers blanked), no FREMD text in it, and nothing stored.
    A list `foreign` is a multiple choice whose last entry is the foreign id (the others stay).
    `data`: the rest of a valid submission; `where`: "form" (POST), "query" (GET) or "json" (POST body);
    `covers`: the form fields this case covers ("FormClass.field"), for the coverage test."""

    url_name: str
    field: str
    foreign: int | list
    kwargs: dict = field(default_factory=dict)
    data: dict = field(default_factory=dict)
    where: str = "form"
    personas: tuple = ("alice", "carla")
    covers: tuple = ()
    headers: dict = field(default_factory=dict)


def foreign_private(p) -> dict:
    """Private objects of Köln (charlie), one of each kind the walk submits as a foreign id (the central
    test creates them once per test, before the apps' `id_cases(p, f)`)."""
    from datetime import timedelta

    from django.utils import timezone

    from panreflex.accounts.models import Visibility
    from panreflex.evidence.tests.factories import InsightFactory, InsightSourceFactory, RecommendationFactory
    from panreflex.improvements.tests.factories import ActionItemFactory
    from panreflex.practices.services_lists import collection_create
    from panreflex.practices.tests.factories import make_practice
    from panreflex.vulnerability.tests.factories import AreaFactory, AreaSetFactory, IndicatorFactory
    from panreflex.workshops.models import WorkshopTemplate
    from panreflex.workshops.services import workshop_create
    from panreflex.workshops.tests.factories import add_card

    koeln = p.koeln
    starts = timezone.now() + timedelta(days=3)
    workshop = workshop_create(organisation=koeln, author=p.charlie, title=f"{FOREIGN}-Workshop",
                               template=WorkshopTemplate.objects.get(code="panreflex-debriefing"), starts_at=starts,
                               ends_at=starts + timedelta(hours=3), facilitators=[p.charlie], participants=[],
                               visibility=Visibility.PRIVATE)
    insight = InsightFactory(organisation=koeln, statement=f"{FOREIGN}-Erkenntnis", visibility=Visibility.PRIVATE)
    area_set = AreaSetFactory(organisation=koeln, name=f"{FOREIGN}-Gebiete")
    return dict(
        **_foreign_multilevel(p),
        practice=make_practice(organisation=koeln, author=p.charlie, title=f"{FOREIGN}-Praxis"),
        workshop=workshop,
        card=add_card(workshop, p.charlie, text=f"{FOREIGN}-Karte"),
        insight=insight,
        source=InsightSourceFactory(insight=insight, label=f"{FOREIGN}-Quelle", quote=f"{FOREIGN}-Zitat"),
        recommendation=RecommendationFactory(organisation=koeln, title=f"{FOREIGN}-Empfehlung",
                                             visibility=Visibility.PRIVATE),
        action_item=ActionItemFactory(organisation=koeln, title=f"{FOREIGN}-Massnahme",
                                      visibility=Visibility.PRIVATE),
        collection=collection_create(owner=p.charlie, title=f"{FOREIGN}-Sammlung"),
        area_set=area_set,
        area=AreaFactory(area_set=area_set, name=f"{FOREIGN}-Bezirk"),
        indicator=IndicatorFactory(area_set=area_set, name=f"{FOREIGN}-Indikator"),
    )


def _foreign_multilevel(p) -> dict:
    """Köln's private measure (linked to a shipped NRW rule), actors, a directive relation and a survey
    (whose answers the multi-level app can read as relations)."""
    from datetime import date

    from panreflex.multilevel.models import Event
    from panreflex.multilevel.services import actor_create, event_create, event_link_create, relation_create

    koeln, city = p.koeln, p.koeln.place
    event = event_create(organisation=koeln, author=p.charlie, municipality=city, title=f"{FOREIGN}-Allgemeinverfügung",
                         level="municipality", topic="masks", date_in_force=date(2020, 11, 4))
    link = event_link_create(higher=Event.objects.get(dataset="curated", key="nrw-2020-11-02"), lower=event,
                             actor=p.charlie)
    staff = actor_create(organisation=koeln, author=p.charlie, municipality=city, name=f"{FOREIGN}-Krisenstab",
                         level="municipality", kind="crisis_staff")
    office = actor_create(organisation=koeln, author=p.charlie, municipality=city, name=f"{FOREIGN}-Ordnungsamt",
                          level="municipality", kind="public_order")
    relation = relation_create(organisation=koeln, author=p.charlie, source=staff, target=office, kind="directs",
                               note=f"{FOREIGN}-Notiz")
    from panreflex.surveys.tests.factories import make_survey

    survey = make_survey(koeln, actor=p.charlie, title=f"{FOREIGN}-Befragung", visibility="private", fielded=False)
    return {"ml_event": event, "ml_link": link, "ml_actor": staff, "ml_relation": relation, "ml_survey": survey}


# Who submits a foreign id: everyone but charlie (Köln owns the foreign objects) and dora (staff sees all).
OUTSIDERS = ("eve", "vera", "bob", "alice", "carla")
