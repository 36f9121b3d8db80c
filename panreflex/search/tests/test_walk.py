"""Runs only the search and API walk cases (the central walk also needs every other app to be ready)."""

import pytest
from django.test import Client
from django.urls import reverse

from panreflex.api.tests import walk as api_walk
from panreflex.search.tests import walk as search_walk
from panreflex.testing.walk import ALL


@pytest.mark.django_db
@pytest.mark.parametrize("module", [search_walk, api_walk], ids=["search", "api"])
def test_walk_cases(personas, module):
    module.setup(personas)
    failures = []
    for case in module.cases(personas):
        url = reverse(case.url_name, kwargs=case.kwargs) + (f"?{case.query}" if case.query else "")
        for name in ALL:
            client = Client()
            if personas.user(name) is not None:
                client.force_login(personas.user(name))
            headers = {"HTTP_HX_REQUEST": "true"} if case.htmx else {}
            status = client.get(url, **headers).status_code
            if status != case.expect[name]:
                failures.append(f"{name} {url}: {status}, expected {case.expect[name]}")
    assert not failures, failures
