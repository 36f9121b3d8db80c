"""Walk every named URL as every persona and compare with the access rules (see testing/walk.py).

One test checks that every URL of the project has a case; one test per app walks that app's cases
(parametrised, so that pytest-xdist spreads the apps over the workers)."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps
from django.test import Client
from django.urls import get_resolver, reverse

from panreflex.testing.walk import ALL, WalkCase

# URL names the walk does not cover: framework views, tested elsewhere or not page-like.
EXCLUDED_PREFIXES = ("admin:", "set_language", "javascript-catalog")


def _project_url_names() -> set[str]:
    names: set[str] = set()

    def visit(resolver, namespace=""):
        for pattern in resolver.url_patterns:
            if hasattr(pattern, "url_patterns"):
                ns = pattern.namespace
                visit(pattern, f"{namespace}{ns}:" if ns else namespace)
            elif pattern.name:
                names.add(f"{namespace}{pattern.name}")

    visit(get_resolver())
    return {n for n in names if not n.startswith(EXCLUDED_PREFIXES)}


def _walk_modules() -> dict[str, object]:
    modules = {}
    for config in apps.get_app_configs():
        if not config.name.startswith("panreflex."):
            continue
        try:
            modules[config.label] = importlib.import_module(f"{config.name}.tests.walk")
        except ModuleNotFoundError as exc:
            if exc.name and exc.name.endswith(".walk"):
                continue
            raise
    return modules


def _cases(module, personas) -> list[WalkCase]:
    if hasattr(module, "setup"):
        module.setup(personas)
    return module.cases(personas)


@pytest.mark.django_db
def test_every_url_has_a_walk_case(personas):
    covered = {c.url_name for module in _walk_modules().values() for c in _cases(module, personas)}
    missing = sorted(_project_url_names() - covered)
    assert not missing, f"URLs without a persona-walk case: {missing}"


@pytest.mark.django_db
@pytest.mark.parametrize("app_label", sorted(_walk_modules()))
def test_persona_walk(app_label, personas):
    failures = []
    for case in _cases(_walk_modules()[app_label], personas):
        url = reverse(case.url_name, kwargs=case.kwargs) + (f"?{case.query}" if case.query else "")
        for name in ALL:
            client = Client()
            user = personas.user(name)
            if user is not None:
                client.force_login(user)
            headers = {"HTTP_HX_REQUEST": "true"} if case.htmx else {}
            response = getattr(client, case.method)(url, **headers)
            expected = case.expect[name]
            if response.status_code != expected:
                failures.append(f"{name:8} {case.method.upper()} {url}: {response.status_code}, expected {expected}")
    assert not failures, "\n" + "\n".join(failures)
