"""Distribution lists, invitations, e-mails, reminders (task and command) and tracking."""

import datetime as dt
import io

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command

from panreflex.places.models import Place
from panreflex.surveys.models import Invitation, Survey
from panreflex.surveys.selectors import tracking
from panreflex.surveys.services import answers as svc
from panreflex.surveys.services.fieldwork import invitations_create, invitations_send, places_for_distribution
from panreflex.testing.factories import MembershipFactory, UserFactory

from .factories import answer, make_survey

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english(english):
    """Every test of this module in English (see conftest)."""


def test_nrw_cities_over_50000(personas):
    places = places_for_distribution(state_code="05", min_population=50000)
    expected = Place.objects.filter(kind="municipality", ags__startswith="05", population__gte=50000).count()
    assert len(places) == expected and expected > 70
    assert all(p.population >= 50000 and p.ags.startswith("05") for p in places)
    big = places_for_distribution(state_code="05", size_classes=["xl"])
    assert {p.name for p in big} >= {"Köln", "Düsseldorf", "Dortmund", "Essen"}


def test_one_invitation_per_municipality_or_organisation(personas):
    survey = make_survey(personas.research)
    places = places_for_distribution(state_code="05", min_population=50000)
    first = invitations_create(actor=personas.dora, survey=survey, places=places, organisations=[personas.dortmund],
                               people=[("Anna", "anna@example.org")])
    assert len(first) == len(places) + 1  # Dortmund's organisation is the Dortmund place's invitation
    again = invitations_create(actor=personas.dora, survey=survey, places=places, organisations=[personas.dortmund],
                               people=[("Anna", "ANNA@example.org")])
    assert again == []
    dortmund = Invitation.objects.get(survey=survey, place__ags="05913000")
    assert dortmund.organisation == personas.dortmund


def test_invitation_mails_go_to_editors_and_people(personas):
    survey = make_survey(personas.research)
    invitations_create(actor=None, survey=survey, organisations=[personas.dortmund], people=[("", "p@example.org")])
    assert invitations_send(survey=survey) == 2
    recipients = sorted(tuple(m.to) for m in mail.outbox)
    assert recipients == [("alice@example.org", "carla@example.org"), ("p@example.org",)]
    body = mail.outbox[0].body
    inv = Invitation.objects.get(organisation=personas.dortmund)
    assert f"/befragungen/t/{inv.token}/" in body
    assert invitations_send(survey=survey) == 0  # nothing twice


def test_reminders_task_and_command(personas):
    survey = make_survey(personas.research)
    invs = invitations_create(actor=None, survey=survey, people=[("A", "a@example.org"), ("B", "b@example.org")])
    with time_machine.travel(dt.datetime(2031, 3, 1, 8, tzinfo=dt.UTC), tick=False):
        invitations_send(survey=survey)
    r = svc.response_start(link=svc.resolve_token(invs[0].token))
    answer(r, {"q_single": "a"})
    mail.outbox.clear()
    with time_machine.travel(dt.datetime(2031, 3, 5, 8, tzinfo=dt.UTC), tick=False):
        out = io.StringIO()
        call_command("send_survey_reminders", stdout=out)
        assert "0 reminder(s) sent in all" in out.getvalue()  # not yet 7 days
    with time_machine.travel(dt.datetime(2031, 3, 9, 8, tzinfo=dt.UTC), tick=False):
        out = io.StringIO()
        call_command("send_survey_reminders", "--survey", str(survey.pk), stdout=out)
        assert f"survey {survey.pk}: 1 reminder(s) sent" in out.getvalue()
        assert [m.to for m in mail.outbox] == [["b@example.org"]]
        assert mail.outbox[0].subject == "Reminder: survey “Testbefragung”"
        from panreflex.surveys.tasks import send_survey_reminders

        send_survey_reminders.enqueue(survey.pk)  # immediate backend: not due again
        assert len(mail.outbox) == 1
    assert Invitation.objects.get(email="b@example.org").reminder_count == 1


def test_tracking_counts(personas, client_for):
    survey = make_survey(personas.research)
    invs = invitations_create(actor=None, survey=survey, people=[(str(i), f"t{i}@example.org") for i in range(4)])
    svc.response_start(link=svc.resolve_token(invs[0].token))  # opened
    r1 = svc.response_start(link=svc.resolve_token(invs[1].token))
    answer(r1, {"q_single": "a"}, submit=False)  # partial
    r2 = svc.response_start(link=svc.resolve_token(invs[2].token))
    answer(r2, {"q_single": "b"})  # complete
    t = tracking(survey)
    assert (t.invited, t.opened, t.partial, t.complete, t.rate) == (4, 3, 1, 1, 25.0)
    client = client_for("dora")
    resp = client.get(f"/befragungen/{survey.pk}/feldphase/stand/", HTTP_HX_REQUEST="true")
    assert resp.status_code == 200 and "25.0 %" in resp.content.decode() and "<html" not in resp.content.decode()


def test_fieldwork_view_start_distribute_send(personas, client_for):
    survey = make_survey(personas.research, fielded=False)
    client = client_for("dora")
    url = f"/befragungen/{survey.pk}/feldphase/"
    assert client.get(url).status_code == 200
    client.post(url, {"action": "start"})
    survey.refresh_from_db()
    assert survey.status == Survey.Status.FIELD and survey.versions.get().is_frozen
    resp = client.post(url, {"action": "distribute", "state": "05", "min_population": "500000", "send_now": "on"})
    assert resp.status_code == 302
    assert survey.invitations.count() == Place.objects.filter(kind="municipality", ags__startswith="05", population__gte=500000).count()
    # Dortmund and Köln have organisations with editors: their mails went out
    assert {tuple(m.to) for m in mail.outbox} == {("alice@example.org", "carla@example.org"), ("charlie@example.org",)}
    resp = client.post(url, {"action": "distribute", "people": "not-an-address"})
    assert resp.status_code == 200 and "Line 1: “not-an-address” is not an e-mail address." in resp.content.decode()
    csv = client.get(f"/befragungen/{survey.pk}/feldphase/links.csv")
    assert csv.status_code == 200 and "/befragungen/t/" in csv.content.decode("utf-8-sig")


def test_fieldwork_is_for_editors_only(personas, client_for):
    survey = make_survey(personas.dortmund)
    assert client_for("charlie").get(f"/befragungen/{survey.pk}/feldphase/").status_code == 404
    assert client_for("bob").post(f"/befragungen/{survey.pk}/feldphase/", {"action": "close"}).status_code == 404
    assert client_for("alice").get(f"/befragungen/{survey.pk}/feldphase/").status_code == 200
    member = UserFactory()
    MembershipFactory(user=member, organisation=personas.dortmund, role="member")
    assert Survey.objects.get(pk=survey.pk).status == Survey.Status.FIELD
