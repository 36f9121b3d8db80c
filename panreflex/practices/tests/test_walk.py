"""Run this app's persona-walk cases on their own (the central walk runs all apps together)."""

import pytest
from django.test import Client
from django.urls import reverse

from panreflex.testing.walk import ALL

from . import walk


@pytest.mark.django_db
def test_practice_urls_as_every_persona(personas):
    walk._data.clear()
    walk.setup(personas)
    failures = []
    for case in walk.cases(personas):
        url = reverse(case.url_name, kwargs=case.kwargs) + (f"?{case.query}" if case.query else "")
        for name in ALL:
            client = Client()
            user = personas.user(name)
            if user is not None:
                client.force_login(user)
            headers = {"HTTP_HX_REQUEST": "true"} if case.htmx else {}
            response = getattr(client, case.method)(url, **headers)
            if response.status_code != case.expect[name]:
                failures.append(f"{name:8} {url}: {response.status_code}, expected {case.expect[name]}")
    assert not failures, "\n" + "\n".join(failures)
