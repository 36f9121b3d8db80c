"""Issue 13: every project view declares what it loads from its URL (`accounts.policy.loads`), and the
objects it declares are fetched through the policy before the view runs."""

from __future__ import annotations

import pytest
from django.core.checks import run_checks
from django.test import RequestFactory

from panreflex.accounts import policy
from panreflex.core.checks import undeclared_view_arguments


def test_every_url_argument_is_declared():
    assert undeclared_view_arguments() == []
    assert not [e for e in run_checks() if e.id == "panreflex.E013"]


def test_an_undeclared_view_is_reported(settings):
    settings.ROOT_URLCONF = "panreflex.core.tests.urls_undeclared"
    problems = undeclared_view_arguments()
    assert problems == ["bare: the view does not declare what it loads (policy.loads)",
                        "half: URL argument 'other' is not declared"]


@pytest.mark.django_db
def test_declared_objects_are_loaded_through_the_policy(personas):
    from django.http import Http404

    from panreflex.practices.models import Practice
    from panreflex.practices.tests.factories import make_practice

    draft = make_practice(organisation=personas.koeln, author=personas.charlie)

    @policy.loads(pk=Practice)
    def view(request, pk):
        return request.loaded["pk"]

    request = RequestFactory().get("/")
    request.user = personas.charlie
    assert view(request, pk=draft.pk) == draft
    request = RequestFactory().get("/")
    request.user = personas.alice
    with pytest.raises(Http404):
        view(request, pk=draft.pk)
    with pytest.raises(Http404):
        view(request, pk=draft.pk + 1000)
