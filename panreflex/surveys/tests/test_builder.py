"""Questionnaire building: services (validation, versions, freezing) and the builder UI."""

import pytest

from panreflex.audit.models import AuditEntry
from panreflex.surveys.models import Item, Survey
from panreflex.surveys.services import SurveyError
from panreflex.surveys.services import questionnaire as q

from .factories import make_survey

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english(english):
    """Every test of this module in English (see conftest)."""


def test_item_validation_messages(personas):
    survey = make_survey(personas.research, fielded=False)
    v = survey.versions.get()
    cases = [
        (dict(kind="text", name="1abc"), "name", "Use letters, digits, “_”, “-” or “.”, starting with a letter or “_”."),
        (dict(kind="text", name="q_single"), "name", "The name “q_single” is already used in this questionnaire."),
        (dict(kind="text", name="t", relevant="${nope} = 'x'"), "relevant",
         "The expression refers to unknown question(s): nope."),
        (dict(kind="text", name="t", relevant=". = 'x'"), "relevant", "“.” (the current answer) can only be used in a validation rule."),
        (dict(kind="integer", name="t", constraint="regex(., 'x')"), "constraint", "The function “regex()” is not supported."),
        (dict(kind="integer", name="t", min_value=5, max_value=1), "max_value", "The maximum must not be below the minimum."),
        (dict(kind="single", name="t"), "choices", "Give at least one answer option."),
        (dict(kind="text", name="t", allow_other=True), "allow_other", "“Other, namely” is only possible for single and multiple choice."),
    ]
    for kwargs, field, message in cases:
        with pytest.raises(SurveyError) as info:
            q.item_create(actor=None, version=v, labels={"de": "x"}, **kwargs)
        assert info.value.message_dict[field] == [message], kwargs
    matrix = Item.objects.get(version=v, name="m")
    with pytest.raises(SurveyError) as info:
        q.item_create(actor=None, version=v, kind="text", name="t", parent=matrix, labels={"de": "x"})
    assert info.value.message_dict["kind"] == ["A Likert matrix contains only Likert rows."]


def test_frozen_version_and_new_version(personas):
    survey = make_survey(personas.research)
    v1 = survey.versions.get()
    assert v1.is_frozen
    with pytest.raises(SurveyError) as info:
        q.item_create(actor=None, version=v1, kind="text", name="neu", labels={"de": "Neu"})
    assert "frozen" in info.value.messages[0]
    v2 = q.version_new(actor=personas.dora, survey=survey)
    assert v2.number == 2 and not v2.is_frozen
    assert Item.objects.filter(version=v2).count() == Item.objects.filter(version=v1).count()
    copied = Item.objects.get(version=v2, name="m_a")
    assert copied.parent.name == "m" and copied.parent.version == v2 and copied.choice_list.version == v2
    q.item_create(actor=None, version=v2, kind="text", name="neu", labels={"de": "Neu"})
    assert not Item.objects.filter(version=v1, name="neu").exists()
    # respondents keep answering version 1 until version 2 is published
    assert q.fielded_version(survey) == v1
    q.survey_start_fieldwork(actor=None, survey=survey)
    assert q.fielded_version(Survey.objects.get(pk=survey.pk)).number == 2


def test_delete_refuses_when_referenced(personas):
    survey = make_survey(personas.research, fielded=False)
    v = survey.versions.get()
    with pytest.raises(SurveyError) as info:
        q.item_delete(actor=None, item=Item.objects.get(version=v, name="q_yesno"))
    assert info.value.messages == ["“q_follow” refers to “q_yesno” in its relevant; change that first."]
    q.item_delete(actor=None, item=Item.objects.get(version=v, name="q_follow"))
    q.item_delete(actor=None, item=Item.objects.get(version=v, name="q_yesno"))
    assert not Item.objects.filter(version=v, name__in=["q_yesno", "q_follow"]).exists()


def test_start_requires_questions_and_audit(personas):
    survey = q.survey_create(actor=personas.dora, organisation=personas.research, title="Leer")
    with pytest.raises(SurveyError) as info:
        q.survey_start_fieldwork(actor=None, survey=survey)
    assert info.value.messages == ["The questionnaire has no questions yet."]
    assert AuditEntry.objects.filter(object_id=str(survey.pk), action="create").exists()
    from django.utils import timezone

    now = timezone.now()
    with pytest.raises(SurveyError) as info:
        q.survey_update(actor=None, survey=survey, starts_at=now, ends_at=now)
    assert info.value.message_dict == {"ends_at": ["The end must be after the start."]}


def test_builder_ui_create_survey_and_questions(personas, client_for):
    client = client_for("alice")
    resp = client.post("/befragungen/neu/", {
        "title": "Umfrage", "title_en": "", "description": "", "organisation": personas.dortmund.pk,
        "visibility": "private", "starts_at": "", "ends_at": "",
    })
    survey = Survey.objects.get(title="Umfrage")
    assert resp.status_code == 302 and survey.organisation == personas.dortmund
    url = f"/befragungen/{survey.pk}/fragen/neu/"
    resp = client.post(url, {"kind": "group", "name": "teil1", "label_de": "Teil 1"})
    group = Item.objects.get(name="teil1")
    resp = client.post(url, {"kind": "single", "name": "f1", "parent": group.pk, "label_de": "Wer?", "label_en": "Who?",
                             "choices": "a | Krisenstab | Crisis staff\nb | Gesundheitsamt", "required": "on",
                             "allow_other": "on", "randomize": "on"})
    assert resp.status_code == 302
    f1 = Item.objects.get(name="f1")
    assert f1.parent == group and f1.required and f1.allow_other and f1.randomize
    assert [(c.name, c.labels) for c in f1.choice_list.choices.all()] == [
        ("a", {"de": "Krisenstab", "en": "Crisis staff"}), ("b", {"de": "Gesundheitsamt"})]
    resp = client.post(url, {"kind": "integer", "name": "f2", "label_de": "Wie viele?", "min_value": "0", "max_value": "10",
                             "unit": "Personen", "relevant": "${f1} = 'a'"})
    assert resp.status_code == 302
    resp = client.post(url, {"kind": "text", "name": "f3", "label_de": "x", "relevant": "${zz} = 1"})
    assert resp.status_code == 200 and "unknown question(s): zz" in resp.content.decode()
    resp = client.post(url, {"kind": "likert", "name": "f4", "label_de": "Zustimmung"})
    assert Item.objects.get(name="f4").choice_list.choices.count() == 5
    edit = f"/befragungen/{survey.pk}/fragen/{f1.pk}/"
    assert client.get(edit).status_code == 200
    resp = client.post(edit, {"kind": "single", "name": "f1", "parent": group.pk, "label_de": "Wer genau?",
                              "choices": "a | Krisenstab\nb | Gesundheitsamt\nc | Feuerwehr"})
    f1.refresh_from_db()
    assert f1.labels == {"de": "Wer genau?"} and f1.choice_list.choices.count() == 3
    client.post(f"/befragungen/{survey.pk}/fragen/{Item.objects.get(name='f4').pk}/verschieben/", {"direction": "up"})
    detail = client.get(f"/befragungen/{survey.pk}/")
    assert detail.status_code == 200 and "Wer genau?" in detail.content.decode()
    assert client.get(f"/befragungen/{survey.pk}/vorschau/").status_code == 200
    xlsx = client.get(f"/befragungen/{survey.pk}/xlsform/")
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
    resp = client.post(f"/befragungen/{survey.pk}/fragen/{f1.pk}/loeschen/")
    assert resp.status_code == 200 and "refers to “f1”" in resp.content.decode()


def test_builder_access(personas, client_for):
    survey = make_survey(personas.dortmund, fielded=False, visibility="private")
    item = Item.objects.filter(version__survey=survey).first()
    for name, status in (("alice", 200), ("carla", 200), ("dora", 200), ("bob", 404), ("charlie", 404)):
        assert client_for(name).get(f"/befragungen/{survey.pk}/fragen/{item.pk}/").status_code == status, name
    assert client_for("eve").get("/befragungen/neu/").status_code == 302
    assert client_for("bob").get("/befragungen/neu/").status_code == 404
    assert client_for("charlie").get(f"/befragungen/{survey.pk}/").status_code == 404


def test_list_query_count(personas, client_for, django_assert_max_num_queries):
    for i in range(5):
        make_survey(personas.research, fielded=i % 2 == 0, title=f"S{i}")
    client = client_for("dora")
    client.get("/befragungen/")
    with django_assert_max_num_queries(12):
        resp = client.get("/befragungen/")
    assert resp.status_code == 200 and resp.content.decode().count("/befragungen/") > 5
