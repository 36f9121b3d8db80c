"""The accounts part of the persona walk on its own (the central walk covers every app together)."""

import pytest
from django.test import Client
from django.urls import reverse

from panreflex.accounts.tests import walk
from panreflex.testing.walk import ALL


@pytest.mark.django_db
def test_accounts_urls_as_every_persona(personas):
    walk.setup(personas)
    failures = []
    for case in walk.cases(personas):
        url = reverse(case.url_name, kwargs=case.kwargs) + (f"?{case.query}" if case.query else "")
        for name in ALL:
            client = Client()
            user = personas.user(name)
            if user is not None:
                client.force_login(user)
            response = getattr(client, case.method)(url)
            if response.status_code != case.expect[name]:
                failures.append(f"{name:8} {url}: {response.status_code}, expected {case.expect[name]}")
    assert not failures, "\n" + "\n".join(failures)
