import importlib

import pytest
from django.test import Client
from django.urls import reverse

from panreflex.testing.walk import ALL


@pytest.mark.django_db
def test_walk_mine(personas):
    failures = []
    for app in ("improvements", "evidence"):
        m = importlib.import_module(f"panreflex.{app}.tests.walk")
        m.setup(personas)
        for case in m.cases(personas):
            url = reverse(case.url_name, kwargs=case.kwargs) + (f"?{case.query}" if case.query else "")
            for name in ALL:
                c = Client()
                u = personas.user(name)
                if u is not None:
                    c.force_login(u)
                h = {"HTTP_HX_REQUEST": "true"} if case.htmx else {}
                r = getattr(c, case.method)(url, **h)
                if r.status_code != case.expect[name]:
                    failures.append(f"{name} {url} {r.status_code} != {case.expect[name]}")
    assert not failures, "\n".join(failures)
