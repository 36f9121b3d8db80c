import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from panreflex.evidence import handbook, services
from panreflex.evidence.models import Recommendation

from .factories import InsightFactory, InsightSourceFactory, RecommendationFactory

pytestmark = pytest.mark.django_db


def _published_rec(personas, title="Üben", with_evidence=True):
    rec = RecommendationFactory(organisation=personas.research, title=title, visibility="public")
    if with_evidence:
        insight = InsightFactory(organisation=personas.research, visibility="public", released_at=timezone.now(),
                                 statement=f"Erkenntnis zu {title}")
        InsightSourceFactory(insight=insight, kind="workshop_card", label="Karte", quote="Zitat aus dem Workshop")
        services.recommendation_evidence_add(recommendation=rec, actor=personas.dora, kind="insight",
                                             object_id=insight.pk)
        private = InsightFactory(organisation=personas.dortmund, visibility="private", statement="Geheim")
        services.recommendation_evidence_add(recommendation=rec, actor=personas.dora, kind="insight",
                                             object_id=private.pk)
    Recommendation.objects.filter(pk=rec.pk).update(status="published", released_at=timezone.now())
    rec.refresh_from_db()
    return rec


@pytest.fixture
def edition(personas):
    edition = services.handbook_edition_create(actor=personas.dora, title="Handbuch Krisenmanagement",
                                               introduction="Einleitung")
    chapter = services.handbook_chapter_add(edition=edition, actor=personas.dora, title="Strategie")
    services.handbook_entry_add(chapter=chapter, actor=personas.dora, recommendation=_published_rec(personas))
    return edition


def test_publish_freezes_content(edition, personas):
    edition = services.handbook_edition_publish(edition=edition, actor=personas.dora)
    content = edition.content
    assert content["number"] == 1 and content["chapters"][0]["title"] == "Strategie"
    rec = content["chapters"][0]["recommendations"][0]
    assert rec["evidence"] == ["E1"] and rec["hidden_evidence"] == 1
    assert content["appendix"][0]["sources"][0]["quote"] == "Zitat aus dem Workshop"
    assert "Geheim" not in str(content)
    # later changes to the recommendation do not change the published edition
    Recommendation.objects.update(title="Später geändert")
    edition.refresh_from_db()
    assert edition.content["chapters"][0]["recommendations"][0]["title"] == "Üben"


def test_published_edition_is_immutable(edition, personas):
    services.handbook_edition_publish(edition=edition, actor=personas.dora)
    msg = "Ausgabe 1 ist veröffentlicht und kann nicht mehr geändert werden. Beginnen Sie stattdessen eine neue Ausgabe."
    with pytest.raises(ValidationError) as exc:
        services.handbook_edition_update(edition=edition, actor=personas.dora, title="X", introduction="")
    assert exc.value.messages == [msg]
    with pytest.raises(ValidationError):
        services.handbook_chapter_add(edition=edition, actor=personas.dora, title="Neu")
    with pytest.raises(ValidationError):
        services.handbook_chapter_delete(chapter=edition.chapters.first(), actor=personas.dora)
    with pytest.raises(ValidationError):
        services.handbook_edition_publish(edition=edition, actor=personas.dora)


def test_publish_refuses_without_evidence_and_empty(personas):
    empty = services.handbook_edition_create(actor=personas.dora, title="Leer")
    with pytest.raises(ValidationError) as exc:
        services.handbook_edition_publish(edition=empty, actor=personas.dora)
    assert exc.value.messages == ["Eine Ausgabe ohne Handlungsempfehlungen kann nicht veröffentlicht werden."]
    chapter = services.handbook_chapter_add(edition=empty, actor=personas.dora, title="K")
    rec = _published_rec(personas, title="Ohne Beleg", with_evidence=False)
    services.handbook_entry_add(chapter=chapter, actor=personas.dora, recommendation=rec)
    with pytest.raises(ValidationError) as exc:
        services.handbook_edition_publish(edition=empty, actor=personas.dora)
    assert exc.value.messages == [
        "Diese Handlungsempfehlungen beruhen auf keiner Evidenz und können nicht veröffentlicht werden: Ohne Beleg."]
    empty.refresh_from_db()
    assert empty.status == "draft"


def test_entry_rules(edition, personas):
    chapter = edition.chapters.first()
    draft = RecommendationFactory(organisation=personas.research, title="Entwurf")
    with pytest.raises(ValidationError):
        services.handbook_entry_add(chapter=chapter, actor=personas.dora, recommendation=draft)
    rec = chapter.entries.first().recommendation
    with pytest.raises(ValidationError) as exc:
        services.handbook_entry_add(chapter=chapter, actor=personas.dora, recommendation=rec)
    assert exc.value.messages == ["„Üben“ ist bereits in dieser Ausgabe."]


def test_new_edition_and_changes(edition, personas):
    edition = services.handbook_edition_publish(edition=edition, actor=personas.dora)
    second = services.handbook_edition_create(actor=personas.dora, title="Handbuch", copy_from=edition)
    assert second.number == 2 and second.chapters.get().entries.count() == 1
    chapter2 = services.handbook_chapter_add(edition=second, actor=personas.dora, title="Personal")
    services.handbook_entry_add(chapter=chapter2, actor=personas.dora, recommendation=_published_rec(personas, "Neu"))
    Recommendation.objects.filter(title="Üben").update(version=5, statement="Geänderte Empfehlung.")
    services.handbook_edition_publish(edition=second, actor=personas.dora)
    second.refresh_from_db()
    diff = handbook.changes(edition.content, second.content)
    assert diff["added"] == ["Neu"] and diff["removed"] == []
    assert diff["revised"][0]["new_version"] == 5 and diff["chapters_added"] == ["Personal"]


def test_views_public_edition_pdf_and_permalink(edition, personas, client_for):
    services.handbook_edition_publish(edition=edition, actor=personas.dora)
    eve = client_for("eve")
    html = eve.get(reverse("evidence:handbook_edition", args=[1])).content.decode()
    assert "Handbuch Krisenmanagement" in html and 'id="empfehlung-' in html and "Zitat aus dem Workshop" in html
    pdf = eve.get(reverse("evidence:handbook_pdf", args=[1]))
    body = b"".join(pdf.streaming_content)
    assert pdf["Content-Type"] == "application/pdf" and body.startswith(b"%PDF")
    from io import BytesIO

    from pypdf import PdfReader

    reader = PdfReader(BytesIO(body))
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert "Inhalt" in text and "Evidenzanhang" in text and f"2 / {len(reader.pages)}" in text
    rec_pk = edition.content["chapters"][0]["recommendations"][0]["pk"] if edition.content else None
    edition.refresh_from_db()
    rec_pk = edition.content["chapters"][0]["recommendations"][0]["pk"]
    assert eve.get(reverse("evidence:handbook_recommendation", args=[1, rec_pk])).status_code == 200
    assert eve.get(reverse("evidence:handbook_changes", args=[1])).status_code == 200


def test_draft_only_for_staff_and_editing_views(personas, client_for):
    edition = services.handbook_edition_create(actor=personas.dora, title="Entwurf")
    url = reverse("evidence:handbook_edition", args=[edition.number])
    assert client_for("alice").get(url).status_code == 404
    dora = client_for("dora")
    assert dora.get(url).status_code == 200
    structure = reverse("evidence:handbook_structure", args=[edition.number])
    dora.post(structure, {"action": "chapter_add", "title": "Kapitel A"})
    dora.post(structure, {"action": "chapter_add", "title": "Kapitel B"})
    b = edition.chapters.get(title="Kapitel B")
    dora.post(structure, {"action": "chapter_up", "chapter": b.pk})
    assert [c.title for c in edition.chapters.all()] == ["Kapitel B", "Kapitel A"]
    rec = _published_rec(personas)
    dora.post(structure, {"action": "entry_add", "chapter": b.pk, "recommendation": rec.pk})
    assert b.entries.count() == 1
    assert client_for("alice").post(structure, {"action": "chapter_add", "title": "X"}).status_code == 404
    dora.post(reverse("evidence:handbook_publish", args=[edition.number]))
    edition.refresh_from_db()
    assert edition.status == "published" and edition.pdf  # rendered by the background task
    response = dora.post(structure, {"action": "chapter_add", "title": "Zu spät"}, follow=True)
    assert "kann nicht mehr geändert werden" in response.content.decode()
    assert edition.chapters.count() == 2
    response = dora.get(reverse("evidence:handbook_edit", args=[edition.number]), follow=True)
    assert "kann nicht mehr geändert werden" in response.content.decode()


def test_handbook_list(personas, client_for, edition):
    assert "Handbuch Krisenmanagement" not in client_for("eve").get(reverse("evidence:handbook_list")).content.decode()
    assert "Handbuch Krisenmanagement" in client_for("dora").get(reverse("evidence:handbook_list")).content.decode()
