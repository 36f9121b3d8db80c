import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from panreflex.evidence import services
from panreflex.evidence.chain import evidence_chain, recommendation_strengths
from panreflex.evidence.graph import render_svg
from panreflex.evidence.models import Feedback, Recommendation, RecommendationEvidence
from panreflex.improvements.models import ActionItem
from panreflex.testing.factories import MembershipFactory, OrganisationFactory, UserFactory

from .factories import InsightFactory, InsightSourceFactory, RecommendationFactory, make_practice

pytestmark = pytest.mark.django_db


@pytest.fixture
def rec(personas):
    return services.recommendation_create(
        organisation=personas.research, author=personas.dora, title="Krisenstab üben",
        statement="Krisenstäbe sollten jährlich gemeinsam mit Partnern üben.", addressees=["crisis_staff"],
        visibility="network",
    )


def test_create_saves_first_version(rec):
    assert rec.status == "draft" and rec.version == 1
    assert rec.versions.get().data["title"] == "Krisenstab üben"


def test_unknown_addressee_refused(personas):
    with pytest.raises(ValidationError) as exc:
        services.recommendation_create(organisation=personas.research, author=personas.dora, title="X",
                                       statement="Y", addressees=["mayor"])
    assert exc.value.message_dict["addressees"] == ["Unbekannte Adressat*innen: mayor."]


def test_update_creates_version_and_frozen_when_agreed(rec, personas):
    rec = services.recommendation_update(recommendation=rec, actor=personas.dora, data={"title": "Neu"})
    assert rec.version == 2 and rec.versions.count() == 2
    services.recommendation_transition(recommendation=rec, actor=personas.dora, to="in_review")
    rec = services.recommendation_transition(recommendation=rec, actor=personas.dora, to="agreed")
    with pytest.raises(ValidationError) as exc:
        services.recommendation_update(recommendation=rec, actor=personas.dora, data={"title": "Zu spät"})
    assert exc.value.messages == [
        "Eine Handlungsempfehlung mit dem Status „abgestimmt“ kann nicht geändert werden. Setzen Sie sie zuerst auf Entwurf zurück."]


def test_evidence_bad_input(rec, personas):
    with pytest.raises(ValidationError) as exc:
        services.recommendation_evidence_add(recommendation=rec, actor=personas.dora, kind="insight", object_id=98765)
    assert exc.value.messages == ["Das verknüpfte Objekt (Erkenntnis) Nr. 98765 existiert nicht."]
    with pytest.raises(ValidationError) as exc:
        services.recommendation_evidence_add(recommendation=rec, actor=personas.dora, kind="recommendation",
                                             object_id=rec.pk)
    assert exc.value.messages == ["Eine Handlungsempfehlung kann nicht auf sich selbst beruhen."]
    other = RecommendationFactory(organisation=personas.research)
    services.recommendation_evidence_add(recommendation=other, actor=personas.dora, kind="recommendation",
                                         object_id=rec.pk)
    with pytest.raises(ValidationError) as exc:
        services.recommendation_evidence_add(recommendation=rec, actor=personas.dora, kind="recommendation",
                                             object_id=other.pk)
    assert exc.value.messages == [f"Zirkuläre Evidenz: „{other.title}“ beruht bereits auf dieser Handlungsempfehlung."]
    insight = InsightFactory(organisation=personas.research)
    services.recommendation_evidence_add(recommendation=rec, actor=personas.dora, kind="insight", object_id=insight.pk)
    with pytest.raises(ValidationError) as exc:
        services.recommendation_evidence_add(recommendation=rec, actor=personas.dora, kind="insight",
                                             object_id=insight.pk)
    assert exc.value.messages == ["Diese Evidenz ist bereits verknüpft."]
    target = InsightFactory(organisation=personas.research)
    dup = InsightFactory(organisation=personas.research)
    services.insight_merge(target=target, duplicates=[dup], actor=personas.dora)
    with pytest.raises(ValidationError) as exc:
        services.recommendation_evidence_add(recommendation=rec, actor=personas.dora, kind="insight", object_id=dup.pk)
    assert "zusammengeführt" in exc.value.messages[0]


def test_merge_repoints_recommendation_links(rec, personas):
    target = InsightFactory(organisation=personas.research)
    dup = InsightFactory(organisation=personas.research)
    services.recommendation_evidence_add(recommendation=rec, actor=personas.dora, kind="insight", object_id=dup.pk)
    services.insight_merge(target=target, duplicates=[dup], actor=personas.dora)
    assert list(rec.evidence.values_list("insight_id", flat=True)) == [target.pk]


def test_publish_needs_evidence_and_releases(rec, personas):
    services.recommendation_transition(recommendation=rec, actor=personas.dora, to="in_review")
    services.recommendation_transition(recommendation=rec, actor=personas.dora, to="agreed")
    with pytest.raises(ValidationError) as exc:
        services.recommendation_transition(recommendation=rec, actor=personas.dora, to="published")
    assert exc.value.messages == [
        "Eine Handlungsempfehlung ohne Evidenz kann nicht veröffentlicht werden. Verknüpfen Sie mindestens eine "
        "Erkenntnis oder ein Praxisbeispiel."]
    rec.refresh_from_db()
    assert rec.status == "agreed"
    with pytest.raises(ValidationError):
        services.recommendation_transition(recommendation=rec, actor=personas.dora, to="withdrawn")
    rec.status = "draft"
    rec.save()
    practice = make_practice(personas.dortmund)
    services.recommendation_evidence_add(recommendation=rec, actor=personas.dora, kind="practice",
                                         object_id=practice.pk)
    for to in ("in_review", "agreed"):
        services.recommendation_transition(recommendation=rec, actor=personas.dora, to=to)
    rec = services.recommendation_transition(recommendation=rec, actor=personas.dora, to="published",
                                             comment="Freigegeben")
    assert rec.is_public and rec.published_at
    assert rec.comments.get().transition == "Abgestimmt → Veröffentlicht"


def test_chain_strength_and_gaps(rec, personas):
    chain = evidence_chain(viewer=personas.dora, recommendation=rec)
    assert chain.gaps == ["no_evidence"]
    press = make_practice(personas.dortmund, strength="press")
    services.recommendation_evidence_add(recommendation=rec, actor=personas.dora, kind="practice", object_id=press.pk)
    assert evidence_chain(viewer=personas.dora, recommendation=rec).gaps == ["press_only"]
    insight = InsightFactory(organisation=personas.research)
    InsightSourceFactory(insight=insight, kind="workshop_card", label="Karte")
    services.recommendation_evidence_add(recommendation=rec, actor=personas.dora, kind="insight", object_id=insight.pk)
    chain = evidence_chain(viewer=personas.dora, recommendation=rec)
    assert chain.gaps == [] and chain.root.strength == "documented"
    assert [n.strength for n in chain.links] == ["press", "documented"]
    assert recommendation_strengths([rec])[rec.pk] == ("documented", 2, [])
    svg = render_svg(chain)
    assert svg.startswith("<svg") and "Pressebericht" in svg and "<script" not in svg


def test_chain_hides_invisible_evidence(rec, personas):
    private = InsightFactory(organisation=personas.dortmund, visibility="private", statement="Intern")
    services.recommendation_evidence_add(recommendation=rec, actor=personas.dora, kind="insight", object_id=private.pk)
    chain = evidence_chain(viewer=personas.charlie, recommendation=rec)
    assert chain.links == [] and chain.hidden == 1 and chain.gaps == ["press_only"]


def test_graph_escapes_labels(personas):
    rec = RecommendationFactory(organisation=personas.research, title="<script>alert(1)</script>")
    svg = render_svg(evidence_chain(viewer=personas.dora, recommendation=rec))
    assert "<script>" not in svg and "&lt;script&gt;" in svg


def _published(personas):
    rec = RecommendationFactory(organisation=personas.research, status="published", visibility="public")
    from django.utils import timezone

    Recommendation.objects.filter(pk=rec.pk).update(released_at=timezone.now())
    rec.refresh_from_db()
    return rec


def test_feedback_planned_creates_action_item(personas):
    rec = _published(personas)
    fb = services.feedback_set(recommendation=rec, user=personas.bob, organisation=personas.dortmund,
                               answer="planned", note="Im Herbst", create_action_item=True)
    item = ActionItem.objects.get()
    assert fb.action_item == item and item.source_kind == "recommendation" and item.source_id == rec.pk
    assert item.organisation == personas.dortmund
    services.feedback_set(recommendation=rec, user=personas.bob, organisation=personas.dortmund,
                          answer="planned", create_action_item=True)
    assert ActionItem.objects.count() == 1 and Feedback.objects.count() == 1


def test_feedback_bad_input(personas):
    rec = _published(personas)
    loner = UserFactory()
    with pytest.raises(ValidationError) as exc:
        services.feedback_set(recommendation=rec, user=loner, organisation=personas.dortmund, answer="planned")
    assert exc.value.messages == [
        "Nur Mitglieder einer Organisation können Rückmeldung geben; Ihr Konto gehört zu keiner Organisation."]
    with pytest.raises(ValidationError) as exc:
        services.feedback_set(recommendation=rec, user=personas.charlie, organisation=personas.dortmund,
                              answer="planned")
    assert exc.value.messages == ["Sie können nur für eine Organisation antworten, der Sie angehören."]
    with pytest.raises(ValidationError):
        services.feedback_set(recommendation=rec, user=personas.vera, organisation=personas.dortmund, answer="planned")
    with pytest.raises(ValidationError) as exc:
        services.feedback_set(recommendation=rec, user=personas.bob, organisation=personas.dortmund,
                              answer="in_place", create_action_item=True)
    assert exc.value.messages == ["Eine Maßnahme kann nur für die Antwort „geplant“ angelegt werden."]
    assert not Feedback.objects.exists()


def test_adoption_counts_only_from_five(client_for, personas):
    rec = _published(personas)
    url = rec.get_absolute_url()
    for _n in range(4):
        org = OrganisationFactory()
        user = UserFactory()
        MembershipFactory(user=user, organisation=org, role="member")
        services.feedback_set(recommendation=rec, user=user, organisation=org, answer="in_place")
    html = client_for("eve").get(url).content.decode()
    assert "sobald mindestens fünf Organisationen" in html and "(anonymisiert)" not in html
    services.feedback_set(recommendation=rec, user=personas.bob, organisation=personas.dortmund, answer="planned")
    html = client_for("eve").get(url).content.decode()
    assert "Antworten von 5 Organisationen (anonymisiert)" in html
    assert "Stadt Dortmund" not in html.split('id="feedback"')[1].split("</section>")[0]


def test_feedback_view_from_user_without_organisation(client, personas):
    rec = _published(personas)
    loner = UserFactory()
    client.force_login(loner)
    html = client.get(rec.get_absolute_url()).content.decode()
    assert "Ihr Konto gehört zu keiner Organisation" in html
    response = client.post(reverse("evidence:recommendation_feedback", args=[rec.pk]),
                           {"answer": "planned", "organisation": personas.dortmund.pk}, follow=True)
    assert "Ihr Konto gehört zu keiner Organisation" in response.content.decode()
    assert not Feedback.objects.exists()


def test_feedback_view_creates_item(client_for, personas):
    rec = _published(personas)
    response = client_for("bob").post(reverse("evidence:recommendation_feedback", args=[rec.pk]), {
        "organisation": personas.dortmund.pk, "answer": "planned", "note": "", "create_action_item": "on"},
        follow=True)
    assert "Maßnahme in Ihrem Maßnahmenplan" in response.content.decode()
    assert ActionItem.objects.filter(organisation=personas.dortmund, source_kind="recommendation").exists()


def test_workflow_permissions_in_views(client_for, personas):
    rec = RecommendationFactory(organisation=personas.dortmund, visibility="network")
    url = reverse("evidence:recommendation_transition", args=[rec.pk])
    assert client_for("bob").post(url, {"to": "in_review"}).status_code == 404
    client_for("alice").post(url, {"to": "in_review"})
    rec.refresh_from_db()
    assert rec.status == "in_review"
    response = client_for("alice").post(url, {"to": "agreed"}, follow=True)
    assert "auf diesem Weg nicht ändern" in response.content.decode()
    client_for("dora").post(url, {"to": "agreed", "comment": "Passt"})
    rec.refresh_from_db()
    assert rec.status == "agreed" and rec.comments.count() == 1


def test_list_view_queries_and_flags(client_for, personas, django_assert_max_num_queries):
    for n in range(20):
        RecommendationFactory(organisation=personas.research, visibility="network", title=f"E{n:02}")
    with_evidence = RecommendationFactory(organisation=personas.research, visibility="network", title="A mit Evidenz")
    p = make_practice(personas.dortmund, strength="press")
    RecommendationEvidence.objects.create(recommendation=with_evidence, kind="practice", practice=p)
    client = client_for("alice")
    with django_assert_max_num_queries(16):
        response = client.get(reverse("evidence:recommendation_list"))
    html = response.content.decode()
    assert "nur Evidenz auf Presseniveau" in html and "keine Evidenz" in html
    assert "E00" not in client_for("eve").get(reverse("evidence:recommendation_list")).content.decode()


def test_detail_and_chain_views(client_for, personas, rec, django_assert_max_num_queries):
    insight = InsightFactory(organisation=personas.research, visibility="network")
    InsightSourceFactory(insight=insight, quote="Wörtliches Zitat")
    services.recommendation_evidence_add(recommendation=rec, actor=personas.dora, kind="insight", object_id=insight.pk)
    client = client_for("alice")
    with django_assert_max_num_queries(30):
        html = client.get(rec.get_absolute_url()).content.decode()
    assert "Wörtliches Zitat" in html
    chain_html = client.get(reverse("evidence:recommendation_chain", args=[rec.pk])).content.decode()
    assert "<svg" in chain_html and 'role="img"' in chain_html and "Wörtliches Zitat" in chain_html
    assert rec.title in client.get(insight.get_absolute_url()).content.decode()


def test_contributions_view(client_for, personas, rec):
    practice = make_practice(personas.dortmund)
    insight = services.insight_create(organisation=personas.research, author=personas.dora, statement="Mobil wirkt",
                                      kind="strength", visibility="network",
                                      sources=[{"kind": "practice", "object_id": practice.pk}])
    services.recommendation_evidence_add(recommendation=rec, actor=personas.dora, kind="insight", object_id=insight.pk)
    html = client_for("alice").get(reverse("evidence:contributions"), {"kind": "practice", "id": practice.pk}
                                   ).content.decode()
    assert "Mobil wirkt" in html and rec.title in html
    assert client_for("alice").get(reverse("evidence:contributions"), {"kind": "practice", "id": "x"}).status_code == 404


def test_create_and_edit_views(client_for, personas):
    from panreflex.taxonomy.models import Term

    lever = Term.objects.filter(vocabulary="lever").first()
    data = {"organisation": personas.dortmund.pk, "title": "Neu", "statement": "Tun.", "lever": lever.pk,
            "priority": "high", "effort": "low", "visibility": "private", "addressees": ["council"]}
    response = client_for("alice").post(reverse("evidence:recommendation_create"), data)
    rec = Recommendation.objects.get()
    assert response.status_code == 302 and rec.addressees == ["council"]
    data.pop("organisation")
    data["title"] = "Geändert"
    client_for("alice").post(reverse("evidence:recommendation_edit", args=[rec.pk]), data)
    rec.refresh_from_db()
    assert rec.title == "Geändert" and rec.version == 2
    assert client_for("charlie").post(reverse("evidence:recommendation_edit", args=[rec.pk]), data).status_code == 404
