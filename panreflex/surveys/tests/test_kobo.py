"""A Kobo-style form end to end (without a browser): imported with its CSV attachment, answered in
Turkish with cascading selects, a calculation, a repeat and a loop, analysed, exported back."""

import io

import openpyxl
import pytest

from panreflex.surveys import exports, selectors
from panreflex.surveys.models import Answer, Choice, Item, Response
from panreflex.surveys.services import answers as svc
from panreflex.surveys.services.fieldwork import invitations_create
from panreflex.surveys.services.questionnaire import survey_start_fieldwork
from panreflex.surveys.services.xlsform import (
    XLSFormError,
    export_attachments,
    export_xlsform,
    import_xlsform,
    normalised,
    version_signature,
    xform_of,
)

from .kobo_form import kobo_attachments, kobo_workbook

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english(english):
    """In English (see conftest)."""


@pytest.fixture
def kobo(personas):
    return import_xlsform(data=kobo_workbook(), filename="lage.xlsx", actor=None, organisation=personas.research,
                          attachments=kobo_attachments()).survey


def test_imported_with_every_construct(kobo):
    version = kobo.versions.get()
    assert version.languages == [["de", "Deutsch (de)"], ["en", "English (en)"], ["tr", "Türkçe (tr)"],
                                 ["uk", "Українська (uk)"]]
    assert version.settings["sheet"]["instance_name"] == "concat(${district}, '-', ${households})"
    items = {i.name: i for i in Item.objects.filter(version=version)}
    assert items["per_household"].kind == Item.Kind.CALCULATE
    assert items["per_household"].calculation == "round(${persons} div ${households}, 1)"
    assert items["district"].choice_filter == "state=${state}"
    assert items["priority"].choice_filter == "selected(${needs}, name)"
    assert items["shelters"].kind == Item.Kind.REPEAT and items["beds"].parent == items["shelters"]
    assert items["season"].kind == Item.Kind.LOOP and items["season"].choice_list.name == "seasons"
    assert items["confidence"].kind == Item.Kind.RANGE and (items["confidence"].min_value, items["confidence"].max_value) == (1, 5)
    assert items["consent"].kind == Item.Kind.ACKNOWLEDGE and items["source"].kind == Item.Kind.HIDDEN
    assert items["office"].default == "Rathaus"
    assert items["start"].is_metadata and not items["start"].is_question
    assert items["state"].labels == {"de": "Bundesland", "en": "State", "tr": "Eyalet", "uk": "Земля"}
    districts = Choice.objects.filter(choice_list=items["district"].choice_list)
    assert [c.name for c in districts] == ["mitte", "nord", "mitte"]  # the same name in two states
    assert [c.filters for c in districts] == [{"state": "nw"}, {"state": "nw"}, {"state": "by"}]
    shelter_types = items["shelter_type"].choice_list
    assert shelter_types.source_file == "shelter_types.csv"
    assert [c.labels["tr"] for c in shelter_types.choices.all()] == ["Okul", "Spor salonu"]


def test_missing_attachment_is_refused_precisely(personas):
    with pytest.raises(XLSFormError) as info:
        import_xlsform(data=kobo_workbook(), filename="lage.xlsx", actor=None, organisation=personas.research)
    assert info.value.messages == ["Row 19 (name “shelter_type”, type “select_one_from_file shelter_types.csv”): "
                                   "the choices come from the file “shelter_types.csv”; upload it together with the form."]
    assert not Item.objects.exists()


def test_export_writes_it_back_unchanged(kobo, personas):
    version = kobo.versions.get()
    exported = export_xlsform(version=version)
    assert export_attachments(version=version) == kobo_attachments()
    assert normalised(xform_of(exported, "lage.xlsx")) == normalised(xform_of(kobo_workbook(), "lage.xlsx"))
    again = import_xlsform(data=exported, filename="lage.xlsx", actor=None, organisation=personas.research,
                           attachments=export_attachments(version=version))
    assert version_signature(again.survey.versions.get()) == version_signature(version)
    header = [c.value for c in openpyxl.load_workbook(io.BytesIO(exported))["survey"][1]]
    assert "label::Türkçe (tr)" in header and "choice_filter" in header and "calculation" in header


def _save(client, token, fd, name, value, instance=0):
    item = fd.by_name[name]
    key = svc.field_name(item, instance)
    return client.post(f"/befragungen/t/{token}/speichern/", {"item": item.pk, "instance": instance, key: value})


def test_answered_in_turkish_with_cascades_calculation_repeat_and_loop(kobo, personas, client):
    survey_start_fieldwork(actor=None, survey=kobo)
    invitation = invitations_create(actor=None, survey=kobo, organisations=[personas.dortmund])[0]
    token = invitation.token
    page = client.get(f"/befragungen/t/{token}/?sprache=tr")
    html = page.content.decode()
    assert page.status_code == 200 and "Eyalet" in html and 'lang="tr"' in html and "Türkçe" in html
    assert client.cookies["befragung_sprache"].value == "tr"
    assert "Kuzey Ren-Vestfalya" in html
    response = Response.objects.get(invitation=invitation)
    fd = svc.form_for(response.version)
    district = fd.by_name["district"]
    reply = _save(client, token, fd, "state", "nw").json()
    assert reply["choices"][str(district.pk)] == [0, 1]  # positions: Mitte (Dortmund), Nord
    reply = _save(client, token, fd, "state", "by").json()
    assert reply["choices"][str(district.pk)] == [2]  # Mitte (München): the same code "mitte"
    refused = _save(client, token, fd, "district", "nord")
    assert refused.status_code == 400 and "not one of the answer options" in refused.json()["error"]
    assert _save(client, token, fd, "district", "mitte").status_code == 200
    _save(client, token, fd, "households", "4")
    _save(client, token, fd, "persons", "10")
    _save(client, token, fd, "shelter_name", "Gesamtschule", 0)
    _save(client, token, fd, "beds", "40", 0)
    _save(client, token, fd, "shelter_name", "Turnhalle Nord", 1)
    _save(client, token, fd, "beds", "25", 1)
    data = {"item": fd.by_name["needs"].pk, "instance": 0, svc.field_name(fd.by_name["needs"]): ["water", "food"]}
    reply = client.post(f"/befragungen/t/{token}/speichern/", data).json()
    assert reply["choices"][str(fd.by_name["priority"].pk)] == [0, 1]  # water, food
    assert _save(client, token, fd, "priority", "blankets").status_code == 400
    _save(client, token, fd, "priority", "food")
    _save(client, token, fd, "incidents", "3", 0)  # winter
    _save(client, token, fd, "incidents", "1", 1)  # summer
    assert _save(client, token, fd, "confidence", "7").status_code == 400
    _save(client, token, fd, "confidence", "4")
    _save(client, token, fd, "consent", "OK")
    page = client.get(f"/befragungen/t/{token}/?seite=1").content.decode()
    assert "Hane başına kişi: 2.5" in page  # the calculation piped into the note, in Turkish
    submitted = client.post(f"/befragungen/t/{token}/absenden/")
    assert submitted.status_code == 302, submitted.content.decode()[:2000]
    stored = {(a.item.name, a.instance): a for a in Answer.objects.filter(response=response).select_related("item")}
    assert stored[("per_household", 0)].number == 2.5
    assert stored[("source", 0)].text == "kobo" and stored[("office", 0)].text == "Rathaus"
    assert stored[("start", 0)].text and stored[("end", 0)].text
    assert stored[("beds", 1)].number == 25 and stored[("incidents", 1)].number == 1

    base = selectors.response_base(kobo, response.version)
    results = {r.item.name: r for r in selectors.results(fd, base)}
    assert results["beds"].stats["entries"] == 2
    assert results["beds"].stats["per_entry"] == [("Entry 1", 1, 40.0), ("Entry 2", 1, 25.0)]
    assert [row[0] for row in results["incidents"].stats["per_entry"]] == ["Winter", "Summer"]
    assert results["per_household"].stats["mean"] == 2.5
    detail = selectors.question_result(fd, fd.by_name["beds"], base)
    assert detail.stats["entries"] == 2

    sheets = exports.build_sheets(fd, base)
    main = sheets[0]
    keys = [c.key for c in main.columns]
    row = dict(zip(keys, main.rows[0], strict=True))
    assert row["instance_name"] == "mitte-4" and row["per_household"] == 2.5
    long = {s.title: s for s in sheets[1:]}
    assert [r[1] for r in long["season"].rows] == ["winter", "summer"]
    assert len(long["shelters"].rows) == 2
    wide = exports.build_sheets(fd, base, wide=True)
    assert len(wide) == 1
    wide_row = dict(zip([c.key for c in wide[0].columns], wide[0].rows[0], strict=True))
    assert wide_row["beds_2"] == 25 and wide_row["incidents_winter"] == 3 and wide_row["incidents_summer"] == 1


def test_imported_in_the_ui_with_its_attachment_and_edited_in_every_language(client_for, personas):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = client_for("dora")
    response = client.post("/befragungen/import/", {
        "file": SimpleUploadedFile("lage.xlsx", kobo_workbook()), "organisation": personas.research.pk,
        "attachments": [SimpleUploadedFile("shelter_types.csv", kobo_attachments()["shelter_types.csv"])],
    })
    assert response.status_code == 302, response.content.decode()[:3000]
    from panreflex.surveys.models import Survey

    survey = Survey.objects.get()
    version = survey.versions.get()
    item = Item.objects.get(version=version, name="households")
    item.labels.pop("uk")
    item.save(update_fields=["labels"])
    page = client.get(f"/befragungen/{survey.pk}/").content.decode()
    assert "Türkçe" in page and "Українська" in page
    assert "Translation missing: Українська" in page and "1 item lacks translations" in page
    assert "state=${state}" in page and "round(${persons} div ${households}, 1)" in page
    edit = f"/befragungen/{survey.pk}/fragen/{item.pk}/"
    form = client.get(edit).content.decode()
    assert 'name="label_tr"' in form and 'name="label_uk"' in form and "Kaç hane?" in form
    response = client.post(edit, {"kind": "integer", "name": "households", "label_de": "Wie viele Haushalte?",
                                  "label_en": "How many households?", "label_tr": "Kaç hane var?",
                                  "label_uk": "Скільки домогосподарств?", "required": "on"})
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.labels == {"de": "Wie viele Haushalte?", "en": "How many households?", "tr": "Kaç hane var?",
                           "uk": "Скільки домогосподарств?"}
    district = Item.objects.get(version=version, name="district")
    form = client.get(f"/befragungen/{survey.pk}/fragen/{district.pk}/").content.decode()
    assert "mitte | Mitte (Dortmund) | Centre (Dortmund) | Merkez (Dortmund) | Центр (Дортмунд)" in form


def test_calculation_has_a_result_page_and_the_data_exports(kobo, personas, client_for):
    survey_start_fieldwork(actor=None, survey=kobo)
    client = client_for("dora")
    page = client.get(f"/befragungen/{kobo.pk}/ergebnisse/frage/per_household/")
    assert page.status_code == 200
    for fmt in ("csv", "sav"):
        assert client.get(f"/befragungen/{kobo.pk}/ergebnisse/daten.{fmt}").status_code == 200
    wide = client.get(f"/befragungen/{kobo.pk}/ergebnisse/daten.xlsx?form=wide")
    assert wide.status_code == 200
    header = [c.value for c in openpyxl.load_workbook(io.BytesIO(wide.content)).worksheets[0][1]]
    assert "instance_name" in header and "per_household" in header and "incidents_winter" in header
