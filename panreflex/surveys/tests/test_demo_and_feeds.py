"""Demo loader (idempotent, marked as demo), navigation, feed and dashboard panel."""

import pytest
from django.utils import translation

from panreflex.accounts.demo import load_demo_accounts
from panreflex.accounts.models import User
from panreflex.core.registry import demo_loaders, nav_entries
from panreflex.surveys.demo import load_demo_surveys
from panreflex.surveys.feeds import survey_feed, survey_panel
from panreflex.surveys.models import Answer, Invitation, Response, Survey

pytestmark = pytest.mark.django_db


def test_demo_survey_is_idempotent_and_marked():
    load_demo_accounts()
    load_demo_surveys()
    survey = Survey.objects.get(is_demo=True)
    assert survey.title.startswith("Demo:") and survey.status == Survey.Status.FIELD
    assert survey.organisation.slug == "projektteam"
    assert Invitation.objects.filter(survey=survey, is_demo=True).count() == 5
    assert Response.objects.filter(survey=survey, status="complete", is_demo=True).count() == 3
    assert Response.objects.filter(survey=survey, status="partial").count() == 1
    counts = (Survey.objects.count(), Invitation.objects.count(), Response.objects.count(), Answer.objects.count())
    load_demo_surveys()
    assert (Survey.objects.count(), Invitation.objects.count(), Response.objects.count(), Answer.objects.count()) == counts


def test_registered_in_the_shell():
    assert ("surveys" in [name for _o, name, _f in demo_loaders()])
    assert [o for o, name, _f in demo_loaders() if name == "surveys"] == [60]
    entry = next(e for e in nav_entries() if e.url_name == "surveys:list")
    assert entry.order == 50
    with translation.override("de"):
        assert str(entry.label) == "Befragungen"


def test_feed_and_panel_respect_visibility():
    load_demo_accounts()
    load_demo_surveys()
    member = User.objects.get(email="redaktion@dortmund.example")
    assert [i.title for i in survey_feed(viewer=member, limit=5)] == [Survey.objects.get().display_title]
    from django.contrib.auth.models import AnonymousUser

    assert survey_feed(viewer=AnonymousUser(), limit=5) == []  # network visibility: not public
    assert survey_panel(user=AnonymousUser()) is None
    koeln = User.objects.get(email="redaktion@koeln.example")
    panel = survey_panel(user=koeln)
    assert panel.items == []  # Köln has submitted: nothing left to answer
    gelsenkirchen = User.objects.get(email="redaktion@gelsenkirchen.example")
    labels = [label for label, _url in survey_panel(user=gelsenkirchen).items]
    assert any(label.startswith("Zu beantworten") or label.startswith("To answer") for label in labels)
