"""The autosave hot path: one UPSERT per answer, token and state checks inside the write transaction,
rules read from the referenced answers only, a bounded number of queries, and the threads that keep
their database connection under ASGI."""

import datetime as dt

import pytest
from asgiref.sync import async_to_sync
from django.db import connection, connections
from django.template.loader import render_to_string
from django.test import AsyncClient, AsyncRequestFactory
from django.utils import timezone, translation

from panreflex.surveys.models import Answer, Response, Survey
from panreflex.surveys.services import answers as svc
from panreflex.surveys.services import autosave_sql
from panreflex.surveys.services import questionnaire as q
from panreflex.surveys.services.fieldwork import invitations_create
from panreflex.surveys.threads import ConnectionKeepingThreads, autosave_threads, page_threads
from panreflex.surveys.views.respond import blank_page_html, build_pages

from .factories import answer, make_survey, post

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english(english):
    """Every test of this module in English (see conftest)."""


@pytest.fixture
def opened(client, survey, personas):
    """(invitation, response, form) after the respondent opened the link."""
    inv = invitations_create(actor=None, survey=survey, organisations=[personas.dortmund])[0]
    assert client.get(f"/befragungen/t/{inv.token}/").status_code == 200
    r = Response.objects.get(invitation=inv)
    return inv, r, svc.form_for(r.version)


def _save(client, token, fd, name, value, instance=0):
    item = fd.by_name[name]
    data = {"item": item.pk, "instance": instance, **post(fd, {name: value}, instance).dict()}
    if isinstance(value, list):
        data[svc.field_name(item, instance)] = value
    return client.post(f"/befragungen/t/{token}/speichern/", data)


def test_saving_again_replaces_the_answer_in_place(client, opened):
    inv, r, fd = opened
    assert _save(client, inv.token, fd, "q_single", "a").status_code == 200
    first = Answer.objects.get(response=r, item=fd.by_name["q_single"])
    assert _save(client, inv.token, fd, "q_single", "b").status_code == 200
    again = Answer.objects.get(response=r, item=fd.by_name["q_single"])
    assert again.pk == first.pk and again.code == "b" and again.updated_at >= first.updated_at
    # a number replaces every other value column of the row (nothing stale is left behind)
    assert _save(client, inv.token, fd, "q_num", "42").status_code == 200
    assert _save(client, inv.token, fd, "q_multi", ["x", "z"]).status_code == 200
    assert _save(client, inv.token, fd, "q_multi", ["y"]).status_code == 200
    multi = Answer.objects.get(response=r, item=fd.by_name["q_multi"])
    assert (multi.codes, multi.code, multi.text, multi.number) == (" y ", "", "", None)
    assert Answer.objects.get(response=r, item=fd.by_name["q_num"]).number == 42
    assert Answer.objects.filter(response=r).count() == 3
    # an emptied answer is removed
    assert _save(client, inv.token, fd, "q_single", "").status_code == 200
    assert not Answer.objects.filter(response=r, item=fd.by_name["q_single"]).exists()


def test_repeat_entries_are_separate_rows(client, opened):
    inv, r, fd = opened
    for instance, text in ((0, "A"), (1, "B"), (1, "B2")):
        assert _save(client, inv.token, fd, "r_name", text, instance).status_code == 200
    rows = Answer.objects.filter(response=r, item=fd.by_name["r_name"]).order_by("instance")
    assert [(a.instance, a.text) for a in rows] == [(0, "A"), (1, "B2")]


def test_save_endpoint_query_count(client, opened, django_assert_max_num_queries):
    inv, r, fd = opened
    _save(client, inv.token, fd, "q_single", "a")  # questionnaire cached
    # link state, (savepoint), state re-read under lock, answers the rules refer to, upsert, (release)
    with django_assert_max_num_queries(6):
        assert _save(client, inv.token, fd, "q_yesno", "yes").status_code == 200
    with django_assert_max_num_queries(6):
        assert _save(client, inv.token, fd, "q_single", "b").status_code == 200


def r_answers(inv) -> dict:
    from panreflex.surveys.models import Answer

    return {a.item.name: a.text for a in Answer.objects.filter(response__invitation=inv).select_related("item")}


@pytest.fixture
def without_rules(client, personas):
    """(invitation, form) of an opened link to a one-question survey without skip logic or rules."""
    survey = q.survey_create(actor=None, organisation=personas.research, title="Ohne Regeln")
    q.item_create(actor=None, version=survey.versions.get(), kind="text", name="t", labels={"en": "T"})
    survey = q.survey_start_fieldwork(actor=None, survey=survey)
    inv = invitations_create(actor=None, survey=survey, people=[("A", "a@example.org")])[0]
    client.get(f"/befragungen/t/{inv.token}/")
    return inv, svc.form_for(survey.versions.get())


def test_form_without_rules_reads_no_answers(client, without_rules, django_assert_num_queries):
    inv, fd = without_rules
    assert fd.dependencies == frozenset()
    if connection.vendor == "postgresql":  # link state; lock + check + upsert in one statement
        expected = 2
    else:  # link state, savepoint, locked state, upsert, release
        expected = 5
    with django_assert_num_queries(expected):
        resp = _save(client, inv.token, fd, "t", "Text")
    assert r_answers(inv) == {"t": "Text"}
    assert resp.json()["visible"] == {str(fd.by_name["t"].pk): True}


def test_visibility_from_referenced_answers_equals_the_full_evaluation(opened):
    inv, r, fd = opened
    answer(r, {"q_single": "a", "q_num": "5", "q_yesno": "no", "q_long": "x"}, submit=False)
    full = svc.values_for(fd, svc.answers_by_key(r))
    assert fd.dependencies == {"q_yesno", "q_num"}
    assert fd.visibility(svc.rule_values(fd, r.pk)) == {i.pk: fd.is_relevant(i, full) for i in fd.items}
    assert fd.visibility(svc.rule_values(fd, r.pk))[fd.by_name["q_follow"].pk] is False


def test_forged_long_and_foreign_tokens(client, opened, survey, personas):
    inv, r, fd = opened
    for token in ("forged", "x" * 65, r.token + "x"):
        resp = client.post(f"/befragungen/t/{token}/speichern/", {"item": fd.by_name["q_single"].pk,
                                                                  svc.field_name(fd.by_name["q_single"]): "a"})
        assert resp.status_code == 404 and resp.json()["ok"] is False
    # a question of another survey's questionnaire is refused
    other = make_survey(personas.research, title="Andere")
    foreign = svc.form_for(other.versions.get()).by_name["q_single"]
    resp = client.post(f"/befragungen/t/{inv.token}/speichern/", {"item": foreign.pk, svc.field_name(foreign): "a"})
    assert resp.status_code == 400
    assert resp.json()["error"] == "This question does not belong to the questionnaire."
    resp = client.post(f"/befragungen/t/{inv.token}/speichern/", {"item": "x"})
    assert resp.status_code == 400 and resp.json()["error"] == "The request is not valid."
    assert not Answer.objects.exists()


def test_open_link_response_token_saves(client, survey):
    q.survey_update(actor=None, survey=survey, open_link=True)
    survey.refresh_from_db()
    location = client.post(f"/befragungen/offen/{survey.open_token}/")["Location"]
    r = Response.objects.get()
    assert location == f"/befragungen/t/{r.token}/"
    fd = svc.form_for(r.version)
    assert _save(client, r.token, fd, "q_single", "c").status_code == 200
    assert Answer.objects.get(response=r).code == "c"


def test_first_save_before_the_page_was_opened_creates_the_response(client, survey, personas):
    inv = invitations_create(actor=None, survey=survey, organisations=[personas.koeln])[0]
    fd = svc.form_for(survey.versions.get())
    assert _save(client, inv.token, fd, "q_single", "a").status_code == 200
    r = Response.objects.get(invitation=inv)
    assert r.place.ags == "05315000" and Answer.objects.get(response=r).code == "a"


def test_two_first_visits_at_once_share_one_response(survey, personas):
    inv = invitations_create(actor=None, survey=survey, organisations=[personas.dortmund])[0]
    link = svc.resolve_token(inv.token)  # read before the other tab created the response
    other_tab = svc.response_start(link=svc.resolve_token(inv.token))
    assert svc.response_start(link=link) == other_tab and not link.created
    assert Response.objects.filter(invitation=inv).count() == 1
    inv.refresh_from_db()
    assert inv.opened_at is not None


def test_no_save_after_submission_closing_or_the_end_date(client, opened, survey):
    inv, r, fd = opened
    answer(r, {"q_single": "a"})
    resp = _save(client, inv.token, fd, "q_single", "b")
    assert resp.status_code == 409 and "already submitted" in resp.json()["error"]
    assert Answer.objects.get(response=r, item=fd.by_name["q_single"]).code == "a"

    other = invitations_create(actor=None, survey=survey, people=[("B", "b@example.org")])[0]
    client.get(f"/befragungen/t/{other.token}/")
    Survey.objects.filter(pk=survey.pk).update(ends_at=timezone.now() - dt.timedelta(minutes=1))
    resp = _save(client, other.token, fd, "q_single", "b")
    assert resp.status_code == 410 and resp.json()["error"].startswith("This survey closed on")
    Survey.objects.filter(pk=survey.pk).update(ends_at=None, status=Survey.Status.CLOSED)
    assert _save(client, other.token, fd, "q_single", "b").status_code == 410
    Survey.objects.filter(pk=survey.pk).update(status=Survey.Status.FIELD, starts_at=timezone.now() + dt.timedelta(days=1))
    resp = _save(client, other.token, fd, "q_single", "b")
    assert resp.status_code == 403 and resp.json()["error"].startswith("This survey starts on")
    assert not Answer.objects.filter(response__invitation=other).exists()


def test_anonymous_submission_then_save_with_the_invitation_link(client, personas):
    survey = make_survey(personas.research, anonymous=True)
    inv = invitations_create(actor=None, survey=survey, organisations=[personas.dortmund])[0]
    client.get(f"/befragungen/t/{inv.token}/")
    r = Response.objects.get(invitation=inv)
    answer(r, {"q_single": "a"})
    fd = svc.form_for(r.version)
    resp = _save(client, inv.token, fd, "q_single", "b")
    assert resp.status_code == 409
    assert Response.objects.count() == 1 and Answer.objects.get().code == "a"


def test_submission_between_reading_the_link_and_writing_wins(client, opened, monkeypatch):
    """The state is read again inside the write transaction: a save whose link was read just before
    the respondent submitted (another tab) stores nothing."""
    inv, r, fd = opened
    stale = autosave_sql.link_state(inv.token)
    answer(r, {"q_single": "a"})
    monkeypatch.setattr(autosave_sql, "link_state", lambda token: stale)
    resp = _save(client, inv.token, fd, "q_single", "b")
    assert resp.status_code == 409
    assert Answer.objects.get(response=r, item=fd.by_name["q_single"]).code == "a"


def test_link_state_converts_like_the_orm(opened):
    inv, r, fd = opened
    state = autosave_sql.link_state(inv.token)
    r.refresh_from_db()
    assert state.response_id == r.pk and state.version_id == r.version_id and state.survey_id == r.survey_id
    assert state.frozen_at == r.version.frozen_at and timezone.is_aware(state.frozen_at)
    assert state.survey_updated_at == r.survey.updated_at
    assert state.invitation_id == inv.pk and state.invitation_completed_at is None
    assert autosave_sql.link_state(r.token) is not None  # the response's own token
    assert autosave_sql.link_state("nope") is None
    # the frozen questionnaire comes from the cache, without a query
    assert svc.form_for_id(state.version_id, state.frozen_at) is fd


def test_upsert_stores_values_like_the_orm(opened):
    inv, r, fd = opened
    item = fd.by_name["q_dec"]
    autosave_sql.upsert_answer(response_id=r.pk, item_id=item.pk, instance=0, number=svc.parse_answer(
        fd, item, post(fd, {"q_dec": "7,25"}), None)["number"])
    date_item = fd.by_name["q_date"]
    autosave_sql.upsert_answer(response_id=r.pk, item_id=date_item.pk, instance=0, date=dt.date(2024, 2, 29))
    stored = {a.item_id: a for a in Answer.objects.filter(response=r)}
    assert str(stored[item.pk].number.normalize()) == "7.25"
    assert stored[date_item.pk].date == dt.date(2024, 2, 29)
    assert timezone.is_aware(stored[item.pk].updated_at)


# --- under ASGI: the connection-keeping threads -------------------------------------------------
@pytest.fixture
def threads_on(settings):
    settings.SURVEYS_AUTOSAVE_THREADS = 2
    settings.SURVEYS_PAGE_THREADS = 1
    yield
    autosave_threads.close()
    page_threads.close()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_asgi_requests_run_on_the_threads_with_kept_connections(personas, threads_on):
    survey = make_survey(personas.research)
    inv = invitations_create(actor=None, survey=survey, organisations=[personas.dortmund])[0]
    fd = svc.form_for(survey.versions.get())
    client = AsyncClient()

    async def run():
        page = await client.get(f"/befragungen/t/{inv.token}/", headers={"accept-language": "en"})
        assert page.status_code == 200
        item = fd.by_name["q_single"]
        replies = []
        for code in ("a", "b"):
            replies.append(await client.post(f"/befragungen/t/{inv.token}/speichern/",
                                             {"item": item.pk, "instance": 0, svc.field_name(item): code},
                                             headers={"accept-language": "en"}))
        de = await client.post(f"/befragungen/t/{inv.token}/speichern/",
                               {"item": item.pk, "instance": 0, svc.field_name(item): "c"},
                               headers={"accept-language": "de"})
        return replies, de

    replies, de = async_to_sync(run)()
    assert [r.status_code for r in replies] == [200, 200]
    assert replies[0].json()["message"].startswith("Saved at")  # the request's language travels along
    assert de.json()["message"].startswith("Gespeichert um")
    assert Answer.objects.get(item=fd.by_name["q_single"]).code == "c"


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_threads_keep_and_check_their_connection(settings, monkeypatch):
    settings.TEST_THREADS = 1
    threads = ConnectionKeepingThreads("test", "TEST_THREADS", 1)
    request = AsyncRequestFactory().get("/")

    def view(request):
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return connection.connection  # the driver's connection object

    try:
        first = async_to_sync(threads.run)(view, request)
        assert async_to_sync(threads.run)(view, request) is first  # the same connection, kept

        def fail(request):
            connection.errors_occurred = True  # as after a dropped server connection
            return None

        async_to_sync(threads.run)(fail, request)
        assert async_to_sync(threads.run)(view, request) is first  # checked: still usable, kept
        wrapper = type(connections["default"])
        closed = []
        original_close = wrapper.close
        monkeypatch.setattr(wrapper, "is_usable", lambda self: False)
        monkeypatch.setattr(wrapper, "close", lambda self: closed.append(self) or original_close(self))
        async_to_sync(threads.run)(fail, request)
        async_to_sync(threads.run)(view, request)
        assert len(closed) == 1  # checked: broken, closed (and opened anew; in-memory SQLite ignores close)
    finally:
        threads.close()


# --- the blank page, rendered once per frozen questionnaire and language ------------------------
def test_blank_page_is_rendered_once_and_equals_the_rendered_page(client, opened, survey):

    inv, r, fd = opened  # opened: the first visit rendered page 1 of a response without answers
    page = build_pages(fd, response=r, answers={}, seed=r.pk)[0]
    cached = blank_page_html(fd, page)
    assert cached is not None and cached is blank_page_html(fd, page)
    context = {"survey": survey, "response": r, "page": page, "number": 1, "n_pages": 3, "token": inv.token,
               "errors": {}, "is_first": True, "is_last": False, "resume_url": "/"}
    assert (render_to_string("surveys/respond.html", {**context, "nodes_html": cached})
            == render_to_string("surveys/respond.html", {**context, "nodes_html": None}))
    with translation.override("de"):
        german = blank_page_html(fd, page)
    assert "Frage q_single" in german and "Question q_single" in cached

    # answered: the page shows the answers (not the blank page)
    assert _save(client, inv.token, fd, "q_single", "b").status_code == 200
    html = client.get(f"/befragungen/t/{inv.token}/").content.decode()
    assert 'value="b" checked' in html


def test_no_blank_page_for_random_order_or_unfrozen_versions(personas):

    survey = make_survey(personas.research, fielded=False)
    fd = svc.form_for(survey.versions.get())
    page = build_pages(fd, response=None, answers={}, seed=1)[0]
    assert blank_page_html(fd, page) is None  # not frozen: the builder may still change it
    group = fd.by_name["g1"]
    q.item_update(actor=None, item=group, randomize=True)
    survey = q.survey_start_fieldwork(actor=None, survey=survey)
    fd = svc.form_for(survey.versions.get())
    pages = build_pages(fd, response=None, answers={}, seed=1)
    assert blank_page_html(fd, pages[0]) is None  # questions in random order per respondent
    assert blank_page_html(fd, pages[1]) is not None


def test_form_without_rules_refuses_a_save_after_submission(client, without_rules):
    """The one-statement save (PostgreSQL) and the transaction (SQLite) both refuse a submitted response."""
    inv, fd = without_rules
    assert _save(client, inv.token, fd, "t", "before").status_code == 200
    response = Response.objects.get(invitation=inv)
    if connection.vendor == "postgresql":
        assert autosave_sql.upsert_answer_unless_submitted(
            response_id=response.pk, item_id=fd.by_name["t"].pk, instance=0, text="again") is True
    Response.objects.filter(pk=response.pk).update(status=Response.Status.COMPLETE, submitted_at=timezone.now())
    refused = _save(client, inv.token, fd, "t", "after")
    assert refused.status_code == 409 and "only once" in refused.content.decode()
    assert r_answers(inv)["t"] in ("before", "again")
    if connection.vendor == "postgresql":
        assert autosave_sql.upsert_answer_unless_submitted(
            response_id=response.pk, item_id=fd.by_name["t"].pk, instance=0, text="x") is False
        assert autosave_sql.upsert_answer_unless_submitted(
            response_id=10**9, item_id=fd.by_name["t"].pk, instance=0, text="x") is False
