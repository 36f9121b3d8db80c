"""Walk every named URL as every persona and compare with the access rules (see testing/walk.py).

One test checks that every URL of the project has a case; one test per app walks that app's cases
(parametrised, so that pytest-xdist spreads the apps over the workers)."""

from __future__ import annotations

import importlib
import json

import pytest
from django.apps import apps
from django.test import Client
from django.urls import get_resolver, reverse

from panreflex.testing.walk import ALL, FOREIGN, MISSING_ID, IdCase, WalkCase, foreign_private, normalised

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
    """Every case as every persona; besides the status, no answer to anyone but Köln (charlie) and staff
    shows Köln's private objects (pages, lists, search, facets, feeds, CSV/XLSX/DOCX/JSON/ICS/PDF exports)."""
    foreign_private(personas)
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
            if name not in ("charlie", "dora") and FOREIGN in _readable(response):
                failures.append(f"{name:8} {case.method.upper()} {url}: shows another organisation's private object")
    assert not failures, "\n" + "\n".join(failures)


def _readable(response) -> str:
    """The text of an answer: a page, CSV, JSON, ICS, the XML inside an XLSX/DOCX file, or a PDF's text."""
    content = b"".join(response.streaming_content) if response.streaming else response.content
    if content[:5] == b"%PDF-":
        import io

        from pypdf import PdfReader
        from pypdf.errors import PdfReadError

        try:
            return " ".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(content)).pages)
        except PdfReadError:  # an uploaded file that only starts like a PDF: read its bytes
            return content.decode("utf-8", "replace")
    if content[:2] == b"PK":
        import io
        import zipfile

        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            return " ".join(archive.read(n).decode("utf-8", "replace") for n in archive.namelist() if n.endswith(".xml"))
    return content.decode("utf-8", "replace")


# --- ids of another organisation's private objects (issue 13) ------------------------------------
def _stored() -> dict[str, int]:
    """Rows per model of the project's apps: a refused submission must leave every count as it was."""
    return {m._meta.label: m._default_manager.count() for m in apps.get_models()
            if m.__module__.startswith("panreflex.") and not m._meta.proxy}


def _submit(client, case: IdCase, url: str, value):
    data = {**case.data, case.field: value}
    if case.where == "query":
        return client.get(url, data, follow=True, **case.headers)
    if case.where == "json":
        return client.post(url, json.dumps(data), content_type="application/json", follow=True, **case.headers)
    return client.post(url, data, follow=True, **case.headers)


def _answer(response) -> tuple:
    chain = [(normalised(u), s) for u, s in getattr(response, "redirect_chain", [])]
    return response.status_code, chain, normalised(response.content)


def _id_cases(module, personas, foreign) -> list[IdCase]:
    _cases(module, personas)
    return module.id_cases(personas, foreign) if hasattr(module, "id_cases") else []


@pytest.mark.django_db
@pytest.mark.parametrize("app_label", sorted(label for label, m in _walk_modules().items() if hasattr(m, "id_cases")))
def test_foreign_ids_are_refused_like_missing_ones(app_label, personas):
    foreign = foreign_private(personas)
    failures, count = [], 0
    for case in _id_cases(_walk_modules()[app_label], personas, foreign):
        url = reverse(case.url_name, kwargs=case.kwargs)
        # in a list the foreign id comes last; the other entries stay
        missing = [*case.foreign[:-1], MISSING_ID] if isinstance(case.foreign, list) else MISSING_ID
        for name in case.personas:
            count += 1
            client = Client()
            user = personas.user(name)
            if user is not None:
                client.force_login(user)
            before = _stored()
            forbidden = _answer(_submit(client, case, url, case.foreign))
            absent = _answer(_submit(client, case, url, missing))
            where = f"{name:8} {case.where} {case.field} → {url}"
            if forbidden != absent:
                failures.append(f"{where}: answers differ (status {forbidden[0]} vs {absent[0]})")
            if FOREIGN in forbidden[2]:
                failures.append(f"{where}: the answer shows the foreign object")
            after = _stored()
            if after != before:
                changed = {k: (before[k], after[k]) for k in before if before[k] != after[k]}
                failures.append(f"{where}: stored {changed}")
    assert count, "no cases"
    assert not failures, "\n" + "\n".join(failures)


def all_id_cases(personas) -> list[IdCase]:
    foreign = foreign_private(personas)
    return [c for m in _walk_modules().values() for c in _id_cases(m, personas, foreign)]


def _id_fields_of_forms() -> set[str]:
    """Form fields of the project that choose an object of restricted content ("FormClass.field")."""
    import importlib as il
    import inspect
    import pkgutil

    from django import forms

    import panreflex

    public = {"Organisation", "Term", "Place", "User", "WorkshopTemplate"}  # public or reference data
    found = set()
    for info in pkgutil.walk_packages(panreflex.__path__, "panreflex."):
        if "form" not in info.name.rsplit(".", 1)[-1] or ".tests" in info.name:
            continue
        module = il.import_module(info.name)
        for cls_name, cls in inspect.getmembers(module, inspect.isclass):
            if not (issubclass(cls, forms.BaseForm) and cls.__module__ == info.name):
                continue
            for field_name, f in cls.base_fields.items():
                if isinstance(f, forms.ModelChoiceField):
                    model = getattr(f.queryset, "model", None)
                    name = model.__name__ if model is not None else "?"
                    if name not in public:
                        found.add(f"{cls_name}.{field_name}")
                elif isinstance(f, forms.IntegerField) and field_name.endswith("_id"):
                    found.add(f"{cls_name}.{field_name}")
    return found


# Fields that take an id but need no foreign-id case, and why.
ID_FIELDS_WITHOUT_CASE = {
    "EditionForm.copy_from": "handbook editions: staff only, and published editions are public",
    "AreaSetImportForm.organisation": "organisations are public; the choices are the user's own",
    "PracticeImportForm.organisation": "organisations are public; the choices are the user's own",
    "NavigatorEntryForm.events": "navigator entries: staff only, and staff see every event",
}


@pytest.mark.django_db
def test_every_id_field_has_a_foreign_id_case(personas):
    covered = {c for case in all_id_cases(personas) for c in case.covers}
    missing = sorted(_id_fields_of_forms() - covered - set(ID_FIELDS_WITHOUT_CASE))
    assert not missing, f"form fields taking object ids without a foreign-id case: {missing}"


@pytest.mark.django_db
def test_the_walk_reads_the_text_of_a_pdf(personas):
    """The walk's leak check reads PDFs too: Köln's own PDF of its private draft shows the marker to Köln."""
    foreign = foreign_private(personas)
    client = Client()
    client.force_login(personas.charlie)
    response = client.get(reverse("practices:pdf", kwargs={"pk": foreign["practice"].pk}))
    assert response.status_code == 200 and response.content[:5] == b"%PDF-"
    assert FOREIGN in _readable(response)
