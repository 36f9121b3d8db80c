"""Issue 13: ids that name another object (an insight's source, the contributions page) are resolved
through the policy: another organisation's private object answers exactly like an id that does not
exist, and nothing is stored."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from panreflex.accounts.models import Visibility
from panreflex.evidence.models import Insight, InsightSource
from panreflex.evidence.services import insight_create
from panreflex.practices.tests.factories import make_practice
from panreflex.testing.walk import normalised
from panreflex.workshops.models import Card, Workshop
from panreflex.workshops.tests.factories import add_card, make_workshop

pytestmark = pytest.mark.django_db


@pytest.fixture
def koeln_private(personas):
    """A private workshop of Köln with a card, and a private draft of Köln."""
    ws = make_workshop(personas, organisation=personas.koeln, title="Geheimer Kölner Workshop",
                       facilitators=[personas.charlie], participants=[])
    card = add_card(ws, personas.charlie, text="Vertrauliche Kölner Karte")
    draft = make_practice(organisation=personas.koeln, author=personas.charlie, title="Kölner Entwurf")
    return {"workshop": ws, "workshop_card": card, "practice": draft}


def _missing_id(model) -> int:
    return (model.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1000


def _message(exc: ValidationError, object_id) -> str:
    return " ".join(exc.messages).replace(str(object_id), "<id>")


@pytest.mark.parametrize("kind", ["workshop", "workshop_card", "practice"])
def test_service_refuses_foreign_private_object_like_a_missing_one(personas, koeln_private, kind):
    foreign = koeln_private[kind]
    missing = _missing_id(type(foreign))
    answers = []
    for object_id in (foreign.pk, missing):
        with pytest.raises(ValidationError) as exc:
            insight_create(organisation=personas.dortmund, author=personas.alice, statement="Abgeschrieben",
                           kind="strength", sources=[{"kind": kind, "object_id": object_id, "quote": ""}])
        assert [e.code for e in exc.value.error_list] == ["dangling_source"]
        answers.append(_message(exc.value, object_id))
    assert answers[0] == answers[1]
    assert not Insight.objects.filter(statement="Abgeschrieben").exists()
    assert not InsightSource.objects.filter(label__contains="Köln").exists()


@pytest.mark.parametrize("kind", ["workshop", "workshop_card"])
def test_create_view_refuses_foreign_private_workshop_and_stores_nothing(client_for, personas, koeln_private, kind):
    client = client_for("alice")
    foreign = koeln_private[kind]
    bodies = []
    for object_id in (foreign.pk, _missing_id(type(foreign))):
        response = client.post(reverse("evidence:insight_create"), {
            "organisation": personas.dortmund.pk, "statement": "Kopiert", "kind": "strength",
            "visibility": "private", "source-kind": kind, "source-object_id": object_id,
        })
        assert response.status_code == 200
        bodies.append(normalised(response.content))
    assert bodies[0] == bodies[1]
    assert "Vertrauliche" not in bodies[0] and "Geheimer" not in bodies[0]
    assert not Insight.objects.filter(statement="Kopiert").exists()


def test_source_add_view_refuses_foreign_private_card(client_for, personas, koeln_private):
    insight = insight_create(organisation=personas.dortmund, author=personas.alice, statement="Eigene",
                             kind="strength", sources=[{"kind": "document", "label": "Protokoll"}])
    client = client_for("alice")
    url = reverse("evidence:insight_source_add", args=[insight.pk])
    card = koeln_private["workshop_card"]
    answers = []
    for object_id in (card.pk, _missing_id(Card)):
        response = client.post(url, {"kind": "workshop_card", "object_id": object_id}, follow=True)
        answers.append((response.status_code, normalised(response.content)))
    assert answers[0] == answers[1]
    assert insight.sources.count() == 1


def test_own_workshop_source_still_links(personas):
    ws = make_workshop(personas)
    insight = insight_create(organisation=personas.dortmund, author=personas.alice, statement="Aus dem Workshop",
                             kind="strength", sources=[{"kind": "workshop", "object_id": ws.pk}])
    assert insight.sources.get().label == str(ws)


def test_contributions_view_uses_the_workshop_rule(client_for, personas):
    """A Dortmund workshop, private, with charlie (Köln) as participant: charlie may see it, so its
    contributions page answers 200 (the generic rule said 404)."""
    ws = make_workshop(personas, visibility=Visibility.PRIVATE, participants=[personas.charlie])
    card = add_card(ws, personas.alice)
    url = reverse("evidence:contributions")
    for kind, obj in (("workshop", ws), ("workshop_card", card)):
        assert client_for("charlie").get(url, {"kind": kind, "id": obj.pk}).status_code == 200
        assert client_for("bob").get(url, {"kind": kind, "id": obj.pk}).status_code == 200
        # eve may not see it: the same 404 as for an id that does not exist
        assert client_for("eve").get(url, {"kind": kind, "id": obj.pk}).status_code == 404
        assert client_for("charlie").get(url, {"kind": kind, "id": _missing_id(type(obj))}).status_code == 404
    other = make_workshop(personas, title="Ohne Köln", participants=[])
    assert client_for("charlie").get(url, {"kind": "workshop", "id": other.pk}).status_code == 404
    assert Workshop.objects.count() == 2


@pytest.mark.parametrize("kind", ["insight", "practice", "recommendation"])
def test_recommendation_evidence_refuses_foreign_private_object_like_a_missing_one(personas, kind):
    from panreflex.evidence.services import recommendation_evidence_add
    from panreflex.evidence.tests.factories import InsightFactory, RecommendationFactory

    rec = RecommendationFactory(organisation=personas.dortmund, visibility="private")
    foreign = {
        "insight": lambda: InsightFactory(organisation=personas.koeln, visibility="private"),
        "practice": lambda: make_practice(organisation=personas.koeln, author=personas.charlie),
        "recommendation": lambda: RecommendationFactory(organisation=personas.koeln, visibility="private"),
    }[kind]()
    answers = []
    for object_id in (foreign.pk, _missing_id(type(foreign))):
        with pytest.raises(ValidationError) as exc:
            recommendation_evidence_add(recommendation=rec, actor=personas.alice, kind=kind, object_id=object_id)
        answers.append(_message(exc.value, object_id))
    assert answers[0] == answers[1]
    assert not rec.evidence.exists()
