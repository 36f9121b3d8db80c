"""Answering: autosave, section posts, skip logic, resume, submit once, closed surveys, anonymity."""

import datetime as dt

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from panreflex.surveys.models import Answer, Response, Survey
from panreflex.surveys.services import answers as svc
from panreflex.surveys.services.fieldwork import invitations_create

from .factories import answer, make_survey, post

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english(english):
    """Every test of this module in English (see conftest)."""


@pytest.fixture
def invitation(survey, personas):
    return invitations_create(actor=None, survey=survey, organisations=[personas.dortmund])[0]


def _save(client, inv, fd, name, value, instance=0):
    data = {"item": fd.by_name[name].pk, "instance": instance}
    data.update(post(fd, {name: value}, instance).dict() if not isinstance(value, list) else {})
    if isinstance(value, list):
        data[svc.field_name(fd.by_name[name], instance)] = value
    return client.post(f"/befragungen/t/{inv.token}/speichern/", data, HTTP_ACCEPT_LANGUAGE="en")


def test_first_visit_opens_and_records_municipality(client, invitation):
    response = client.get(f"/befragungen/t/{invitation.token}/")
    assert response.status_code == 200
    invitation.refresh_from_db()
    assert invitation.opened_at is not None
    r = Response.objects.get(invitation=invitation)
    assert r.place.ags == "05913000" and r.size_class == "xl" and r.state_code == "05"


def test_autosave_stores_each_answer_and_returns_visibility(client, invitation):
    client.get(f"/befragungen/t/{invitation.token}/")
    r = Response.objects.get(invitation=invitation)
    fd = svc.form_for(r.version)
    resp = _save(client, invitation, fd, "q_yesno", "yes")
    assert resp.status_code == 200 and resp.json()["ok"] is True
    assert resp.json()["visible"][str(fd.by_name["q_follow"].pk)] is True
    resp = _save(client, invitation, fd, "q_multi", ["x", "z"])
    assert Answer.objects.get(response=r, item=fd.by_name["q_multi"]).codes == " x z "
    resp = _save(client, invitation, fd, "q_yesno", "no")
    assert resp.json()["visible"][str(fd.by_name["q_follow"].pk)] is False
    assert Answer.objects.filter(response=r).count() == 2


@pytest.mark.parametrize("name,value,message", [
    ("q_num", "101", "Please enter a number from 0 to 100."),
    ("q_num", "-1", "Please enter a number from 0 to 100."),
    ("q_num", "2,5", "Please enter a whole number."),
    ("q_num", "viele", "“viele” is not a number."),
    ("q_single", "zzz", "“zzz” is not one of the answer options."),
    ("q_single", "other", "Please say what “other” means."),
    ("q_date", "31.02.2024", "“31.02.2024” is not a date (DD.MM.YYYY)."),
    ("q_muni", "99999999", "“99999999” is not a municipality of the list."),
    ("q_rank", {"r1": 1, "r2": 1}, "Each rank can be given only once."),
    ("q_rank", {"r1": 4}, "Ranks go from 1 to 3."),
])
def test_answers_outside_what_is_allowed_are_refused(client, invitation, name, value, message):
    client.get(f"/befragungen/t/{invitation.token}/")
    r = Response.objects.get(invitation=invitation)
    fd = svc.form_for(r.version)
    data = {"item": fd.by_name[name].pk, "instance": 0, **post(fd, {name: value}).dict()}
    resp = client.post(f"/befragungen/t/{invitation.token}/speichern/", data)
    assert resp.status_code == 400
    assert resp.json() == {"ok": False, "error": message}
    assert not Answer.objects.filter(response=r).exists()


def test_constraint_message_is_used(client, invitation):
    client.get(f"/befragungen/t/{invitation.token}/")
    r = Response.objects.get(invitation=invitation)
    fd = svc.form_for(r.version)
    _save(client, invitation, fd, "q_num", "10")
    data = {"item": fd.by_name["q_dec"].pk, "instance": 0, **post(fd, {"q_dec": "12,5"}).dict()}
    resp = client.post(f"/befragungen/t/{invitation.token}/speichern/", data)
    assert resp.json()["error"] == "At most q_num."
    data = {"item": fd.by_name["q_dec"].pk, "instance": 0, **post(fd, {"q_dec": "7,5"}).dict()}
    assert client.post(f"/befragungen/t/{invitation.token}/speichern/", data).status_code == 200
    assert str(Answer.objects.get(item=fd.by_name["q_dec"]).number.normalize()) == "7.5"


def test_forged_and_malformed_tokens(client, invitation):
    for token in ("forged-token", "x" * 70):
        resp = client.get(f"/befragungen/t/{token}/")
        assert resp.status_code == 404
        assert "This survey link is not valid." in resp.content.decode()
        resp = client.post(f"/befragungen/t/{token}/speichern/", {"item": 1})
        assert resp.status_code == 404
    assert not Response.objects.exists()


def test_section_post_without_js_is_all_or_nothing(client, invitation):
    url = f"/befragungen/t/{invitation.token}/"
    client.get(url)
    r = Response.objects.get(invitation=invitation)
    fd = svc.form_for(r.version)
    data = post(fd, {"q_single": "a", "q_num": "500"}).dict()
    resp = client.post(url + "?seite=1", {**data, "seite": "1", "nav": "next"})
    assert resp.status_code == 400
    assert "Please enter a number from 0 to 100." in resp.content.decode()
    assert not Answer.objects.filter(response=r).exists()
    data = post(fd, {"q_single": "a", "q_num": "50", "q_yesno": "yes"}).dict()
    resp = client.post(url + "?seite=1", {**data, "seite": "1", "nav": "next"})
    # q_follow appeared through the answer: the same page is shown again
    assert resp.status_code == 302 and resp["Location"].endswith("?seite=1")
    data = post(fd, {"q_single": "a", "q_num": "50", "q_yesno": "yes", "q_follow": "Text"}).dict()
    resp = client.post(url + "?seite=1", {**data, "seite": "1", "nav": "next"})
    assert resp.status_code == 302 and resp["Location"].endswith("?seite=2")
    assert Answer.objects.filter(response=r).count() == 4


def test_resume_from_another_device_with_the_link(client, invitation, client_for):
    client.get(f"/befragungen/t/{invitation.token}/")
    r = Response.objects.get(invitation=invitation)
    fd = svc.form_for(r.version)
    _save(client, invitation, fd, "q_single", "b")
    other = client_for("eve")
    page = other.get(f"/befragungen/t/{invitation.token}/")
    assert page.status_code == 200
    assert 'value="b" checked' in page.content.decode()
    assert Response.objects.count() == 1


def test_submit_once_then_confirmation_and_pdf(client, invitation):
    url = f"/befragungen/t/{invitation.token}/"
    client.get(url)
    r = Response.objects.get(invitation=invitation)
    fd = svc.form_for(r.version)
    resp = client.post(url + "absenden/")
    assert resp.status_code == 400
    assert "Please answer the required questions: Question q_single." in resp.content.decode()
    _save(client, invitation, fd, "q_single", "a")
    resp = client.post(url + "absenden/")
    assert resp.status_code == 302 and resp["Location"] == url + "bestaetigung/"
    page = client.get(url + "bestaetigung/")
    assert "Option A" in page.content.decode()
    pdf = client.get(url + "bestaetigung.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    again = client.post(url + "absenden/")
    assert again.status_code == 302  # already submitted: shown the confirmation
    resp = _save(client, invitation, fd, "q_single", "b")
    assert resp.status_code == 409
    assert "already submitted on" in resp.json()["error"] and "only once" in resp.json()["error"]
    assert Answer.objects.get(response=r, item=fd.by_name["q_single"]).code == "a"
    invitation.refresh_from_db()
    assert invitation.completed_at is not None


def test_hidden_answers_are_dropped_on_submit(invitation):
    link = svc.resolve_token(invitation.token)
    r = svc.response_start(link=link)
    fd = svc.form_for(r.version)
    answer(r, {"q_single": "a", "q_yesno": "yes", "q_follow": "x"}, submit=False)
    answer(r, {"q_yesno": "no"}, submit=True)
    assert not Answer.objects.filter(response=r, item=fd.by_name["q_follow"]).exists()


def test_after_the_end_date_nothing_is_saved(client, survey, invitation):
    url = f"/befragungen/t/{invitation.token}/"
    client.get(url)
    r = Response.objects.get(invitation=invitation)
    fd = svc.form_for(r.version)
    end = timezone.make_aware(dt.datetime(2030, 1, 31, 18, 0))
    Survey.objects.filter(pk=survey.pk).update(ends_at=end)
    with time_machine.travel(dt.datetime(2030, 2, 1, 9, 0, tzinfo=dt.UTC), tick=False):
        resp = _save(client, invitation, fd, "q_single", "a")
        assert resp.status_code == 410
        assert resp.json()["error"].startswith("This survey closed on")
        page = client.get(url)
        assert page.status_code == 410
        assert client.post(url + "absenden/").status_code == 410
    assert not Answer.objects.exists()


def test_draft_survey_cannot_be_answered(client, personas):
    draft = make_survey(personas.research, fielded=False)
    inv = invitations_create(actor=None, survey=draft, organisations=[personas.koeln])[0]
    resp = client.get(f"/befragungen/t/{inv.token}/")
    assert resp.status_code == 403 and "has not started yet" in resp.content.decode()


def test_anonymous_mode_drops_the_link_on_submission(client, personas):
    survey = make_survey(personas.research, anonymous=True)
    inv = invitations_create(actor=None, survey=survey, organisations=[personas.dortmund])[0]
    r = svc.response_start(link=svc.resolve_token(inv.token))
    answer(r, {"q_single": "c"})
    r.refresh_from_db()
    assert r.invitation_id is None and r.place_id is None
    assert r.size_class == "xl"  # the coarse size class stays for breakdowns
    inv.refresh_from_db()
    assert inv.completed_at is not None
    resp = client.get(f"/befragungen/t/{inv.token}/")
    assert resp.status_code == 409 and "already submitted" in resp.content.decode()


def test_open_link_creates_a_resumable_response(client, personas):
    from panreflex.surveys.services import questionnaire as q

    survey = make_survey(personas.research)
    q.survey_update(actor=None, survey=survey, open_link=True)
    survey.refresh_from_db()
    url = f"/befragungen/offen/{survey.open_token}/"
    assert client.get(url).status_code == 200
    assert not Response.objects.exists()
    resp = client.post(url)
    r = Response.objects.get()
    assert resp["Location"] == f"/befragungen/t/{r.token}/"
    assert client.get(resp["Location"]).status_code == 200
    assert client.get("/befragungen/offen/nope/").status_code == 404


def test_repeat_entries_and_file_upload(client, invitation, settings, tmp_path):
    url = f"/befragungen/t/{invitation.token}/"
    client.get(url)
    r = Response.objects.get(invitation=invitation)
    fd = svc.form_for(r.version)
    rep = fd.by_name["r_name"]
    for inst, text in ((0, "Erste"), (1, "Zweite")):
        resp = client.post(url + "speichern/", {"item": rep.pk, "instance": inst, svc.field_name(rep, inst): text})
        assert resp.status_code == 200
    assert list(Answer.objects.filter(item=rep).order_by("instance").values_list("text", flat=True)) == ["Erste", "Zweite"]
    f = fd.by_name["q_file"]
    bad = SimpleUploadedFile("x.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    resp = client.post(url + "speichern/", {"item": f.pk, "instance": 0, svc.field_name(f, 0): bad})
    assert resp.status_code == 400 and "is not an allowed type by its content" in resp.json()["error"]
    good = SimpleUploadedFile("bericht.pdf", b"%PDF-1.4\n%\xe2\xe3\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n")
    resp = client.post(url + "speichern/", {"item": f.pk, "instance": 0, svc.field_name(f, 0): good})
    assert resp.status_code == 200
    assert Answer.objects.get(item=f).text == "bericht.pdf"


def test_instance_outside_repeat_is_refused(client, invitation):
    client.get(f"/befragungen/t/{invitation.token}/")
    r = Response.objects.get(invitation=invitation)
    fd = svc.form_for(r.version)
    item = fd.by_name["q_single"]
    resp = client.post(f"/befragungen/t/{invitation.token}/speichern/",
                       {"item": item.pk, "instance": 3, svc.field_name(item, 3): "a"})
    assert resp.status_code == 400 and resp.json()["error"] == "This entry does not exist."


def test_respond_page_query_count(client, invitation, django_assert_max_num_queries):
    client.get(f"/befragungen/t/{invitation.token}/")
    with django_assert_max_num_queries(20):
        assert client.get(f"/befragungen/t/{invitation.token}/?seite=2").status_code == 200

