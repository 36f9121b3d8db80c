import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

ROOT = Path(__file__).resolve().parents[3]


@pytest.mark.django_db
def test_start_page_says_what_the_platform_is_in_german_by_default(client):
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="de">' in html
    assert "Reflexionsraum" in html or "Reflexion" in html
    assert 'href="#main"' in html  # skip link
    assert "<main" in html and "<nav" in html and "<footer" in html


@pytest.mark.django_db
def test_english_is_served_after_the_language_switch(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"}, follow=True)
    html = response.content.decode()
    assert '<html lang="en">' in html
    assert "Skip to main content" in html


@pytest.mark.django_db
def test_security_headers_and_csp_without_inline_script(client):
    response = client.get("/")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "'unsafe-inline'" not in csp.split("script-src")[1].split(";")[0]
    assert "frame-ancestors 'none'" in csp
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert "Permissions-Policy" in response.headers
    html = response.content.decode()
    # no inline script blocks and no event-handler attributes
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html)
    assert not re.search(r"\son[a-z]+=", html)
    # nothing from third-party hosts
    assert not re.search(r'(src|href)="https?://(?!127\.0\.0\.1|localhost)', html)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_security_headers_on_the_async_path():
    from asgiref.sync import async_to_sync
    from django.http import HttpResponse
    from django.test import AsyncClient

    from panreflex.core.middleware import SecurityHeadersMiddleware

    response = async_to_sync(AsyncClient().get)("/praxisbeispiele/")
    assert response.status_code == 200
    assert response.headers["Cross-Origin-Resource-Policy"] == "same-origin"
    assert "camera=()" in response.headers["Permissions-Policy"]

    async def inner(request):
        return HttpResponse("ok")

    middleware = SecurityHeadersMiddleware(inner)
    assert middleware.is_async  # no thread hop under ASGI
    assert async_to_sync(middleware)(None).headers["Cross-Origin-Resource-Policy"] == "same-origin"


def test_static_files_and_pages_through_the_async_middleware_chain(settings):
    from asgiref.sync import async_to_sync
    from django.core.handlers.asgi import ASGIHandler
    from django.test import AsyncClient

    from panreflex.core.middleware import StaticFilesMiddleware

    handler = ASGIHandler()
    handler.load_middleware(is_async=True)
    assert isinstance(handler, ASGIHandler)
    # every middleware of the chain is async capable: Django adds no thread hop between them
    from django.utils.module_loading import import_string

    assert all(getattr(import_string(m), "async_capable", False) for m in settings.MIDDLEWARE)
    css = async_to_sync(AsyncClient().get)("/static/css/panreflex.css")
    # served as an async stream: Django's handler needs no thread per chunk (nor warns about it)
    assert css.status_code == 200 and css.is_async

    async def body():
        return b"".join([chunk async for chunk in css.streaming_content])

    assert b"{" in async_to_sync(body)()
    assert StaticFilesMiddleware.async_capable


@pytest.mark.django_db
def test_datasources_page_shows_every_credit_line(client):
    from panreflex.core.datasources import DATASETS

    html = client.get(reverse("core:datasources")).content.decode()
    for dataset in DATASETS.values():
        assert dataset.credit.replace("&", "&amp;") in html or dataset.credit in html
    assert "GeoBasis-DE / BKG 2021" in html and "Daten verändert" in html


@pytest.mark.django_db
def test_dashboard_lists_memberships(client_for):
    html = client_for("alice").get(reverse("core:dashboard")).content.decode()
    assert "Stadt Dortmund" in html


def test_check_deploy_is_clean_with_a_production_configuration(tmp_path):
    env = {
        **os.environ,
        "SECRET_KEY": "x" * 60 + "production-secret-for-the-check",
        "ALLOWED_HOSTS": "panreflex.example.org",
        "DEBUG": "0",
        "PANREFLEX_DATA_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "config.settings",
    }
    result = subprocess.run(
        [sys.executable, "-m", "panreflex", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_refuses_the_development_secret_key(tmp_path):
    env = {**os.environ, "ALLOWED_HOSTS": "panreflex.example.org", "DEBUG": "0", "PANREFLEX_DATA_DIR": str(tmp_path)}
    env.pop("SECRET_KEY", None)
    result = subprocess.run(
        [sys.executable, "-m", "panreflex", "check", "--deploy"], cwd=ROOT, env=env, capture_output=True,
        text=True, timeout=120,
    )
    assert result.returncode != 0
    assert "panreflex.E001" in result.stdout + result.stderr


def test_console_command_accepts_hyphenated_names(tmp_path):
    env = {**os.environ, "PANREFLEX_DATA_DIR": str(tmp_path)}
    result = subprocess.run(
        [sys.executable, "-m", "panreflex", "load-demo", "--help"], cwd=ROOT, env=env, capture_output=True,
        text=True, timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "demo" in result.stdout.lower()


@pytest.mark.django_db
def test_navigation_marks_only_the_most_specific_area(client_for):
    html = client_for("alice").get("/vokabular/theme/").content.decode()
    assert len(re.findall(r'<a [^>]*aria-current="page"', html)) == 1
    assert 'href="/vokabular/" aria-current="page"' in html


def _thread_hops(monkeypatch, path: str) -> tuple[int, object]:
    """(sync_to_async wrappers created, response) for one request through the ASGI handler."""
    from asgiref import sync
    from asgiref.sync import async_to_sync
    from django.test import AsyncClient

    created = []
    original = sync.SyncToAsync.__init__

    def counting(self, func, *args, **kwargs):
        created.append(getattr(func, "__qualname__", repr(func)))
        original(self, func, *args, **kwargs)

    monkeypatch.setattr(sync.SyncToAsync, "__init__", counting)
    response = async_to_sync(AsyncClient().get)(path, HTTP_ACCEPT_LANGUAGE="de")
    return len(created), response, created


@pytest.mark.urls("panreflex.core.tests.async_urls")
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_async_view_needs_no_thread_hop_in_the_middleware(monkeypatch, settings):
    hops, response, names = _thread_hops(monkeypatch, "/ping/")
    assert response.status_code == 200 and response.content == b"pong"
    assert response.headers["X-Frame-Options"] == "DENY" and "Content-Security-Policy" in response.headers
    # only the request_started/request_finished signals (database connection housekeeping) hop
    assert hops <= 2, names
    # Django's own middleware classes hop once per hook: the test would see it
    settings.MIDDLEWARE = [m.replace("panreflex.core.middleware", {
        "SecurityMiddleware": "django.middleware.security", "CSPMiddleware": "csp.middleware",
        "SessionMiddleware": "django.contrib.sessions.middleware", "LocaleMiddleware": "django.middleware.locale",
        "CommonMiddleware": "django.middleware.common", "CsrfViewMiddleware": "django.middleware.csrf",
        "AuthenticationMiddleware": "django.contrib.auth.middleware",
        "MessageMiddleware": "django.contrib.messages.middleware",
        "XFrameOptionsMiddleware": "django.middleware.clickjacking"}.get(m.rsplit(".", 1)[1], "panreflex.core.middleware"))
        for m in settings.MIDDLEWARE]
    stock_hops, _response, _names = _thread_hops(monkeypatch, "/ping/")
    assert stock_hops >= hops + 10


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_login_through_the_async_chain_saves_the_session_and_messages(personas):
    from panreflex.testing.personas import PASSWORD

    """The hooks that may do I/O (saving a modified session, storing messages) still run in a thread."""
    from asgiref.sync import async_to_sync
    from django.test import AsyncClient

    client = AsyncClient()
    page = async_to_sync(client.get)(reverse("accounts:login"))
    assert page.status_code == 200
    csrf = page.cookies["csrftoken"].value
    response = async_to_sync(client.post)(reverse("accounts:login"), {
        "username": "alice@example.org", "password": PASSWORD, "csrfmiddlewaretoken": csrf})
    assert response.status_code == 302, response.content[:500]
    assert "sessionid" in response.cookies
    dashboard = async_to_sync(client.get)(reverse("core:dashboard"))
    assert dashboard.status_code == 200 and "Stadt Dortmund" in dashboard.content.decode()


def test_the_security_middleware_check_accepts_subclasses_only(settings):
    from panreflex.core.checks import middleware_check

    assert middleware_check(None) == []
    settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if not m.endswith("CsrfViewMiddleware")]
    assert [w.id for w in middleware_check(None)] == ["panreflex.W003"]


async def _asgi_get(app, path: str, query: bytes = b"") -> tuple[int, bytes]:
    from asgiref.testing import ApplicationCommunicator

    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "GET", "scheme": "http",
             "path": path, "raw_path": path.encode(), "query_string": query, "root_path": "",
             "headers": [(b"host", b"testserver")], "client": ("127.0.0.1", 1), "server": ("testserver", 80)}
    comm = ApplicationCommunicator(app, scope)
    await comm.send_input({"type": "http.request", "body": b"", "more_body": False})
    start = await comm.receive_output(5)
    body = b""
    while True:
        message = await comm.receive_output(5)
        body += message.get("body", b"")
        if not message.get("more_body"):
            break
    await comm.wait(5)
    return start["status"], body


@pytest.mark.urls("panreflex.core.tests.async_urls")
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_request_threads_are_kept_one_request_per_thread_at_a_time(settings):
    import asyncio

    from asgiref.sync import async_to_sync

    from panreflex.core.asgi import PooledASGIHandler

    settings.ALLOWED_HOSTS = ["testserver"]
    app = PooledASGIHandler()

    async def returned():
        # an executor returns to the pool after its fence call ran on its thread
        for _ in range(200):
            if app.pool.idle:
                return
            await asyncio.sleep(0.01)

    async def scenario():
        first = await _asgi_get(app, "/thread/")
        await returned()
        second = await _asgi_get(app, "/thread/")
        assert first[0] == second[0] == 200 and first[1] == second[1]  # the same, kept thread
        assert first[1].startswith(b"request") and app.pool.created == 1
        await returned()
        # two requests at once never share a thread
        both = await asyncio.gather(_asgi_get(app, "/thread/", b"sleep=0.2"), _asgi_get(app, "/thread/", b"sleep=0.2"))
        assert {b for _s, b in both} and len({b for _s, b in both}) == 2
        assert app.pool.created == 2
        assert (await _asgi_get(app, "/ping/")) == (200, b"pong")

    async_to_sync(scenario)()


def test_the_asgi_application_uses_the_pooled_handler():
    from config.asgi import application, django_asgi_app
    from panreflex.core.asgi import PooledASGIHandler

    assert isinstance(django_asgi_app, PooledASGIHandler)
    assert application.application_mapping["http"] is django_asgi_app


def test_the_csrf_check_parses_uploads_in_a_thread():
    from django.test import RequestFactory

    from panreflex.core.middleware import CsrfViewMiddleware

    async def inner(request):
        return None

    middleware = CsrfViewMiddleware(inner)
    factory = RequestFactory()
    assert middleware.view_needs_io(factory.post("/", {"f": "x"}))  # multipart: files may be written
    assert not middleware.view_needs_io(factory.post("/", "a=1", content_type="application/x-www-form-urlencoded"))
    assert not middleware.view_needs_io(factory.get("/"))
