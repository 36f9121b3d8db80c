import pytest
from django.urls import reverse
from django.utils import translation

from panreflex.taxonomy.models import Term
from panreflex.taxonomy.selectors import term_by_code_or_label


@pytest.mark.django_db
def test_shipped_vocabularies():
    assert list(Term.objects.of("theme").values_list("code", flat=True)) == ["T1", "T2", "T3"]
    assert Term.objects.of("phase").count() == 6
    assert Term.objects.of("lever").count() == 7
    assert Term.objects.of("level").count() == 8
    assert Term.objects.of("subtopic").filter(parent__code="T3").exists()
    t1 = Term.objects.get(vocabulary="theme", code="T1")
    with translation.override("de"):
        assert t1.label == "Krisenmanagement in Mehrebenensystemen"
    with translation.override("en"):
        assert t1.label == "Crisis management in multi-level systems"


@pytest.mark.django_db
def test_lookup_by_code_or_label():
    assert term_by_code_or_label(vocabulary="target_group", value="Wohnungslose Menschen").code == "homeless"
    assert term_by_code_or_label(vocabulary="target_group", value="homeless people").code == "homeless"
    assert term_by_code_or_label(vocabulary="phase", value="ACUTE").code == "acute"
    assert term_by_code_or_label(vocabulary="phase", value="nonsense") is None


@pytest.mark.django_db
def test_staff_edits_labels_but_not_codes(client_for, personas):
    term = Term.objects.get(vocabulary="target_group", code="homeless")
    url = reverse("taxonomy:term_edit", kwargs={"vocabulary": "target_group", "pk": term.pk})
    response = client_for("dora").post(url, {"code": "changed", "label_de": "Obdachlose Menschen", "label_en": "Homeless people",
                                             "description_de": "", "description_en": "", "position": 4, "is_active": "on"})
    assert response.status_code == 302
    term.refresh_from_db()
    assert term.code == "homeless" and term.label_de == "Obdachlose Menschen"
    # an editor of a city may not
    assert client_for("alice").post(url, {"label_de": "x"}).status_code == 404


@pytest.mark.django_db
def test_duplicate_code_is_refused(client_for, personas):
    url = reverse("taxonomy:term_create", kwargs={"vocabulary": "phase"})
    response = client_for("dora").post(url, {"code": "acute", "label_de": "x", "label_en": "x", "position": 0, "is_active": "on"})
    assert response.status_code == 200
    assert Term.objects.filter(vocabulary="phase", code="acute").count() == 1
    assert "error-summary" in response.content.decode()
