"""Browser tests: a real PanReflex (uvicorn, the production ASGI server; demo data) driven by Playwright in Debian's Chromium,
with an axe-core check of every page visited.

The server uses its own SQLite file, or, when `E2E_DATABASE_URL` names a PostgreSQL server
(`postgres://user@host:port/name`), a database of its own on it (`<name>_e2e_<xdist worker>`, created
fresh and dropped afterwards): CI runs the browser tests on both.

Helpers for tests:
- `server` (session): base URL of the running platform; `server.manage(*args)` runs a panreflex
  command against its database; `server.mails()` returns the e-mails it sent (file backend).
- `browser` (session) and `page`/`new_page()`: fresh contexts, German by default.
- `check_a11y(page)`: axe-core; fails on serious or critical violations.
- `login(page, email, password)`.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from email import message_from_bytes, policy
from pathlib import Path

import pytest

from panreflex.lib.chromium import CHROMIUM, CHROMIUM_ARGS

ROOT = Path(__file__).resolve().parent.parent
SCREENSHOTS = ROOT / "e2e" / "screenshots"
DEMO_PASSWORD = "panreflex-demo"

pytestmark = pytest.mark.e2e


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _postgres_database(base_url: str) -> tuple[str, callable]:
    """A fresh PostgreSQL database for this test process: its URL and a function that drops it."""
    from urllib.parse import urlsplit, urlunsplit

    import psycopg

    parts = urlsplit(base_url)
    name = f"{parts.path.lstrip('/') or 'test'}_e2e_{os.environ.get('PYTEST_XDIST_WORKER', 'main')}"
    admin = urlunsplit(parts._replace(path="/postgres"))

    def run(sql: str) -> None:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(sql)

    run(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    run(f'CREATE DATABASE "{name}"')
    return urlunsplit(parts._replace(path=f"/{name}")), lambda: run(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


class Server:
    def __init__(self, url: str, env: dict, data_dir: Path):
        self.url = url
        self.env = env
        self.data_dir = data_dir

    def manage(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "panreflex", *args], cwd=ROOT, env=self.env, capture_output=True, text=True,
            check=check, timeout=600,
        )

    def mails(self) -> list:
        folder = self.data_dir / "mail"
        if not folder.exists():
            return []
        messages = []
        for path in sorted(folder.iterdir(), key=lambda p: p.stat().st_mtime):
            for chunk in path.read_bytes().split(b"\n" + b"-" * 79 + b"\n"):
                if chunk.strip():
                    messages.append(message_from_bytes(chunk.strip(), policy=policy.default))
        return messages


@pytest.fixture(scope="session")
def server():
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is not installed (make test installs Debian's chromium)")
    data_dir = Path(tempfile.mkdtemp(prefix="panreflex-e2e-"))
    port = _free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "PANREFLEX_DATA_DIR": str(data_dir),
        "DEBUG": "0",
        "HTTPS": "0",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SITE_URL": f"http://127.0.0.1:{port}",
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": str(data_dir / "mail"),
        "TASKS_BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
        "PYTHONUNBUFFERED": "1",
    }
    env.pop("DATABASE_URL", None)
    drop_database = None
    if os.environ.get("E2E_DATABASE_URL"):
        env["DATABASE_URL"], drop_database = _postgres_database(os.environ["E2E_DATABASE_URL"])
    srv = Server(f"http://127.0.0.1:{port}", env, data_dir)
    srv.manage("migrate", "--no-input", "-v0")
    srv.manage("load-demo")
    log = open(data_dir / "server.log", "w")  # noqa: SIM115
    proc = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "config.asgi:application", "--host", "127.0.0.1", "--port", str(port),
         "--no-access-log", "--ws-per-message-deflate", "false"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )
    deadline = time.time() + 30
    while time.time() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                break
        except OSError:
            time.sleep(0.2)
    else:
        proc.kill()
        raise RuntimeError((data_dir / "server.log").read_text())
    yield srv
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
    log.close()
    if drop_database:
        drop_database()
    shutil.rmtree(data_dir, ignore_errors=True)


@pytest.fixture(scope="session")
def playwright_instance():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        yield pw


@pytest.fixture(scope="session")
def browser(playwright_instance):
    browser = playwright_instance.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    yield browser
    browser.close()


@pytest.fixture
def new_page(browser, server):
    contexts = []

    def make(locale: str = "de-DE", viewport: dict | None = None):
        context = browser.new_context(
            base_url=server.url, locale=locale, viewport=viewport or {"width": 1280, "height": 900}
        )
        context.set_default_timeout(15000)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page):
    return new_page()


def check_a11y(page, *, name: str = "") -> None:
    """Run axe-core (WCAG 2.1 A/AA rules) on the current page; fail on serious or critical violations."""
    from axe_playwright_python.sync_playwright import Axe

    result = Axe().run(page, options={"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}})
    bad = [v for v in result.response["violations"] if v.get("impact") in ("serious", "critical")]
    if name:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
    assert not bad, f"axe violations on {page.url}:\n" + "\n".join(
        f"- {v['id']} ({v['impact']}): {v['help']} – {[n['target'] for n in v['nodes']][:5]}" for v in bad
    )


def login(page, email: str, password: str = DEMO_PASSWORD) -> None:
    page.goto("/konto/anmelden/")
    form = page.locator("main form")
    form.locator("input[name=username]").fill(email)
    form.locator("input[name=password]").fill(password)
    form.locator("button[type=submit]").click()
    page.wait_for_load_state("networkidle")
