import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from panreflex.audit.models import AuditEntry
from panreflex.evidence import services
from panreflex.evidence.models import Insight, InsightSource
from panreflex.evidence.selectors import insights_from
from panreflex.improvements.tests.factories import ActionItemFactory

from .factories import InsightFactory, InsightSourceFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def practice(personas):
    from panreflex.practices.models import Practice

    return Practice.objects.create(organisation=personas.dortmund, title="Impfbus Nordstadt", summary="Kurz",
                                   visibility="public", status="published")


def test_create_with_sources_and_insights_from(personas, practice):
    insight = services.insight_create(
        organisation=personas.dortmund, author=personas.alice, statement="Mobile Angebote erreichen mehr Menschen.",
        kind="strength", sources=[{"kind": "practice", "object_id": practice.pk, "quote": "ohne Termin"},
                                  {"kind": "document", "label": "Ratsvorlage 2021", "url": "https://example.org/r"}],
    )
    sources = list(insight.sources.all())
    assert [s.kind for s in sources] == ["practice", "document"]
    assert sources[0].label == "Impfbus Nordstadt" and sources[0].url == practice.get_absolute_url()
    assert list(insights_from(source_kind="practice", object_ids=[practice.pk])) == [insight]
    assert AuditEntry.objects.filter(object_id=str(insight.pk), action="create").exists()


def test_dangling_source_refused(personas):
    with pytest.raises(ValidationError) as exc:
        services.insight_create(organisation=personas.dortmund, author=personas.alice, statement="X", kind="strength",
                                sources=[{"kind": "practice", "object_id": 999999}])
    assert exc.value.messages == ["Das verknüpfte Objekt (Praxisbeispiel) Nr. 999999 existiert nicht."]
    assert not Insight.objects.exists()


def test_unknown_source_kind_and_missing_label_refused(personas):
    with pytest.raises(ValidationError):
        services.insight_create(organisation=personas.dortmund, author=personas.alice, statement="X",
                                kind="strength", sources=[{"kind": "rumour", "label": "x"}])
    with pytest.raises(ValidationError) as exc:
        services.insight_create(organisation=personas.dortmund, author=personas.alice, statement="X",
                                kind="strength", sources=[{"kind": "document", "label": " "}])
    assert exc.value.messages == ["Jede Quelle braucht eine Bezeichnung."]


def test_merge_keeps_all_sources_and_records(personas):
    target = InsightFactory(organisation=personas.dortmund)
    InsightSourceFactory(insight=target, label="A")
    dup = InsightFactory(organisation=personas.dortmund)
    InsightSourceFactory(insight=dup, label="B")
    InsightSourceFactory(insight=dup, label="A")  # same as target's → not duplicated
    services.insight_merge(target=target, duplicates=[dup], actor=personas.alice)
    dup.refresh_from_db()
    assert dup.merged_into == target and dup.merged_at is not None
    assert sorted(target.sources.values_list("label", flat=True)) == ["A", "B"]
    assert dup.sources.count() == 2  # the duplicate keeps its own record
    assert AuditEntry.objects.filter(object_id=str(dup.pk), note="als Duplikat zusammengeführt").exists() or \
        AuditEntry.objects.filter(object_id=str(dup.pk)).exists()
    with pytest.raises(ValidationError):
        services.insight_update(insight=dup, actor=personas.alice, data={"statement": "neu"})


def test_merge_bad_input(personas):
    a = InsightFactory(organisation=personas.dortmund)
    other = InsightFactory(organisation=personas.koeln)
    with pytest.raises(ValidationError) as exc:
        services.insight_merge(target=a, duplicates=[a], actor=personas.alice)
    assert exc.value.messages == ["Eine Erkenntnis kann nicht mit sich selbst zusammengeführt werden."]
    with pytest.raises(ValidationError) as exc:
        services.insight_merge(target=a, duplicates=[other], actor=personas.alice)
    assert exc.value.messages == ["Nur Erkenntnisse derselben Organisation können zusammengeführt werden."]


def test_split_moves_sources(personas):
    insight = InsightFactory(organisation=personas.dortmund, statement="A und B")
    s1 = InsightSourceFactory(insight=insight, label="zu A")
    s2 = InsightSourceFactory(insight=insight, label="zu B")
    new = services.insight_split(insight=insight, actor=personas.alice, statement="B", source_ids=[s2.pk])
    assert new.split_from == insight
    assert list(new.sources.all()) == [s2] and list(insight.sources.all()) == [s1]
    with pytest.raises(ValidationError) as exc:
        services.insight_split(insight=insight, actor=personas.alice, statement="C", source_ids=[s1.pk])
    assert exc.value.messages == ["Lassen Sie mindestens eine Quelle bei der ursprünglichen Erkenntnis."]
    with pytest.raises(ValidationError):
        services.insight_split(insight=insight, actor=personas.alice, statement="C", source_ids=[s2.pk])


def test_learned_needs_evidence(personas):
    insight = InsightFactory(organisation=personas.dortmund)
    with pytest.raises(ValidationError) as exc:
        services.insight_mark_learned(insight=insight, actor=personas.alice)
    assert exc.value.messages == [
        "Eine Erkenntnis kann nur mit einem Nachweis der Umsetzung als gelernt markiert werden: Verknüpfen Sie "
        "eine erledigte Maßnahme oder beschreiben Sie das Übungsergebnis oder Dokument."
    ]
    open_item = ActionItemFactory(organisation=personas.dortmund, status="open")
    with pytest.raises(ValidationError) as exc:
        services.insight_mark_learned(insight=insight, actor=personas.alice, action_item=open_item)
    assert exc.value.messages == ["Die verknüpfte Maßnahme ist noch nicht erledigt (Status: Offen)."]
    insight.refresh_from_db()
    assert insight.status == "identified"
    done = ActionItemFactory(organisation=personas.dortmund, status="done")
    insight = services.insight_mark_learned(insight=insight, actor=personas.alice, action_item=done)
    assert insight.status == "learned" and insight.learned_action_item == done
    other = InsightFactory(organisation=personas.dortmund)
    other = services.insight_mark_learned(insight=other, actor=personas.alice, evidence="Übung 2025: Ablauf klappte")
    assert other.status == "learned"


def test_list_view_filters_and_queries(client_for, personas, django_assert_max_num_queries):
    for n in range(30):
        i = InsightFactory(organisation=personas.dortmund, visibility="network", kind="strength" if n % 2 else "improvement")
        InsightSourceFactory(insight=i)
    InsightFactory(organisation=personas.koeln, statement="Geheim in Köln", visibility="private")
    client = client_for("alice")
    with django_assert_max_num_queries(12):
        response = client.get(reverse("evidence:insight_list"), {"kind": "strength"})
    html = response.content.decode()
    assert "15 Erkenntnisse" in html and "Geheim in Köln" not in html
    assert "Geheim in Köln" not in client_for("eve").get(reverse("evidence:insight_list")).content.decode()


def test_detail_shows_typed_quoted_sources(client_for, personas, practice):
    insight = services.insight_create(
        organisation=personas.dortmund, author=personas.alice, statement="Mobile Angebote wirken.", kind="strength",
        sources=[{"kind": "practice", "object_id": practice.pk, "quote": "ohne Termin"}])
    html = client_for("bob").get(insight.get_absolute_url()).content.decode()
    assert "Praxisbeispiel" in html and "ohne Termin" in html and practice.get_absolute_url() in html


def test_create_view_with_first_source(client_for, personas):
    response = client_for("alice").post(reverse("evidence:insight_create"), {
        "organisation": personas.dortmund.pk, "statement": "Neue Erkenntnis", "kind": "strength",
        "visibility": "private", "source-kind": "document", "source-label": "Protokoll", "source-quote": "Zitat",
    })
    insight = Insight.objects.get()
    assert response.status_code == 302 and insight.sources.get().label == "Protokoll"


def test_create_view_refuses_foreign_organisation(client_for, personas):
    response = client_for("alice").post(reverse("evidence:insight_create"), {
        "organisation": personas.koeln.pk, "statement": "X", "kind": "strength", "visibility": "private"})
    assert response.status_code == 200 and not Insight.objects.exists()


def test_learned_view_refuses_without_evidence(client_for, personas):
    insight = InsightFactory(organisation=personas.dortmund)
    response = client_for("alice").post(reverse("evidence:insight_learned", args=[insight.pk]), {})
    assert "Nachweis der Umsetzung" in response.content.decode()
    insight.refresh_from_db()
    assert insight.status == "identified"


def test_source_add_and_remove_views(client_for, personas, practice):
    insight = InsightFactory(organisation=personas.dortmund)
    client = client_for("alice")
    client.post(reverse("evidence:insight_source_add", args=[insight.pk]),
                {"kind": "practice", "practice": practice.pk, "quote": "Zitat"})
    source = insight.sources.get()
    assert source.object_id == practice.pk
    bad = client.post(reverse("evidence:insight_source_add", args=[insight.pk]), {"kind": "practice"}, follow=True)
    assert "Wählen Sie das Praxisbeispiel" in bad.content.decode()
    assert client_for("charlie").post(reverse("evidence:insight_source_delete", args=[insight.pk, source.pk])
                                      ).status_code == 404
    client.post(reverse("evidence:insight_source_delete", args=[insight.pk, source.pk]))
    assert not InsightSource.objects.exists()


def test_merge_and_split_views(client_for, personas):
    target = InsightFactory(organisation=personas.dortmund)
    dup = InsightFactory(organisation=personas.dortmund)
    client = client_for("alice")
    client.post(reverse("evidence:insight_merge", args=[target.pk]), {"duplicates": [dup.pk]})
    dup.refresh_from_db()
    assert dup.merged_into == target
    html = client.get(dup.get_absolute_url()).content.decode()
    assert "als Duplikat zusammengeführt" in html
    s = InsightSourceFactory(insight=target)
    InsightSourceFactory(insight=target)
    response = client.post(reverse("evidence:insight_split", args=[target.pk]),
                           {"statement": "Teil B", "kind": "innovation", "sources": [s.pk]})
    new = Insight.objects.get(statement="Teil B")
    assert response["Location"] == new.get_absolute_url() and list(new.sources.all()) == [s]
