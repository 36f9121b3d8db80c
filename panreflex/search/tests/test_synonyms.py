"""The staff synonym pages: add, edit, delete with confirmation; search uses the change at once."""

import pytest
from django.urls import reverse

from panreflex.audit.models import AuditEntry
from panreflex.search import query
from panreflex.search.models import Synonym
from panreflex.search.query import SearchParams
from panreflex.search.tests.factories import practice, reindex


def found(q):
    return [h.practice.title for h in query.run(SearchParams.from_mapping({"q": q}), viewer=None).hits]


@pytest.mark.django_db
def test_staff_add_edit_delete_synonym(personas, client_for):
    practice(organisation=personas.dortmund, title="Lernpatenschaften", summary="Schüler*innen halfen Jüngeren.")
    reindex()
    assert found("Nachhilfe") == []
    client = client_for("dora")
    response = client.post(reverse("search:synonym_create"), {"terms": "Nachhilfe, Lernpatenschaften", "note": ""})
    assert response.status_code == 302
    synonym = Synonym.objects.get(terms="Nachhilfe, Lernpatenschaften")
    assert found("Nachhilfe") == ["Lernpatenschaften"]
    client.post(reverse("search:synonym_edit", kwargs={"pk": synonym.pk}), {"terms": "Nachhilfe; Lernhilfe", "note": "x"})
    synonym.refresh_from_db()
    assert synonym.terms == "Nachhilfe, Lernhilfe" and found("Nachhilfe") == []
    page = client.get(reverse("search:synonym_delete", kwargs={"pk": synonym.pk}))
    assert "Nachhilfe, Lernhilfe" in page.content.decode() and Synonym.objects.filter(pk=synonym.pk).exists()
    client.post(reverse("search:synonym_delete", kwargs={"pk": synonym.pk}))
    assert not Synonym.objects.filter(pk=synonym.pk).exists()
    assert list(AuditEntry.objects.filter(object_id=str(synonym.pk), content_type__model="synonym")
                .order_by("id").values_list("action", flat=True)) == ["create", "update", "delete"]


@pytest.mark.django_db
def test_synonym_needs_two_words(personas, client_for):
    response = client_for("dora").post(reverse("search:synonym_create"), {"terms": "Nachhilfe", "note": ""})
    assert response.status_code == 200
    assert "Geben Sie mindestens zwei verschiedene Wörter ein, durch Kommas getrennt." in response.content.decode()
    assert not Synonym.objects.filter(terms="Nachhilfe").exists()


@pytest.mark.django_db
def test_non_staff_cannot_change_synonyms(personas, client_for):
    synonym = Synonym.objects.first()
    for name in ("alice", "charlie"):
        assert client_for(name).post(reverse("search:synonym_delete", kwargs={"pk": synonym.pk})).status_code == 404
        assert client_for(name).post(reverse("search:synonym_create"), {"terms": "a, b"}).status_code == 404
    assert Synonym.objects.filter(pk=synonym.pk).exists()
