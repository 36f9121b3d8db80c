"""Ten people in ten Chromium pages in one live room (issue #15): each adds a card and gives a dot;
every page must show every card and every vote without a reload (no navigation, and not a single
state request: the events carry their change). Checked with axe-core like every page."""

from __future__ import annotations

import json
import re

import pytest
from playwright.sync_api import expect

from e2e.conftest import check_a11y

pytestmark = pytest.mark.e2e

PEOPLE = 10
LIVE = 20000  # ms: ten browsers and a server on a shared machine
COLUMN = "Was lief gut?"

SETUP = """
import json
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.utils import timezone
from panreflex.accounts.models import Membership, Organisation, User
from panreflex.workshops.models import WorkshopTemplate
from panreflex.workshops.actors import Actor
from panreflex.workshops.services import voting_configure, votes_reveal, workshop_create

org = Organisation.objects.get(slug="dortmund")
lead = User.objects.get(email="redaktion@dortmund.example")
people = []
for i in range(%(n)d):
    user, _ = User.objects.get_or_create(email=f"live{i}@dortmund.example", defaults={"full_name": f"Live Person {i}"})
    Membership.objects.get_or_create(user=user, organisation=org, defaults={"role": "member"})
    people.append(user)
ws = workshop_create(organisation=org, author=lead, title="Live-Raum mit zehn Personen (E2E)",
                     template=WorkshopTemplate.objects.get(code="panreflex-debriefing"),
                     starts_at=timezone.now(), ends_at=timezone.now(), participants=people, facilitators=[lead])
voting_configure(workshop=ws, actor=Actor(user=lead), votes_per_person=3, voting_open=True)
votes_reveal(workshop=ws, actor=Actor(user=lead), revealed=True)
sessions = []
for user in people:
    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[-1]
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    sessions.append(store.session_key)
print(json.dumps({"workshop": ws.pk, "sessions": sessions}))
"""


def _card(page, text: str):
    return page.locator("article.wcard").filter(has=page.locator(".wcard-text", has_text=text))


def test_ten_pages_see_every_card_and_vote_without_reload(new_page, server):
    info = json.loads(server.manage("shell", "-c", SETUP % {"n": PEOPLE}).stdout.strip().splitlines()[-1])
    room = f"/reflexionsraeume/{info['workshop']}/raum/"
    pages, state_requests = [], []
    for session in info["sessions"]:
        page = new_page()
        page.set_default_timeout(LIVE)
        page.context.add_cookies([{"name": "sessionid", "value": session, "url": server.url}])
        page.on("request", lambda request: state_requests.append(request.url) if "/raum/zustand/" in request.url else None)
        page.goto(room)
        pages.append(page)
    for page in pages:
        expect(page.locator("#room-status.live")).to_be_visible(timeout=LIVE)
        page.evaluate("window.__notReloaded = true")
    check_a11y(pages[0], name="workshops-room-ten")

    texts = [f"Karte von Person {i} (E2E live)" for i in range(PEOPLE)]
    for page, text in zip(pages, texts, strict=True):
        col = page.locator("section.board-column").filter(has=page.get_by_role("heading", name=re.compile(re.escape(COLUMN))))
        col.get_by_label(f"Neue Karte: {COLUMN}").fill(text)
        col.get_by_role("button", name="Karte anlegen").click()
    for page in pages:
        for text in texts:
            expect(_card(page, text)).to_be_visible(timeout=LIVE)

    # each person gives one dot to the next person's card
    for i, page in enumerate(pages):
        _card(page, texts[(i + 1) % PEOPLE]).get_by_role("button", name=re.compile(r"^\+1")).click()
        expect(_card(page, texts[(i + 1) % PEOPLE])).to_contain_text("1 von mir", timeout=LIVE)
    for page in pages:
        for text in texts:
            expect(_card(page, text).locator(".dots-total")).to_have_text("1 Punkt", timeout=LIVE)
        expect(page.locator("section.board-column").filter(
            has=page.get_by_role("heading", name=re.compile(re.escape(COLUMN)))).locator("h3 .count")).to_have_text(f"({PEOPLE})")
        expect(page.locator("#voting-status")).to_contain_text("Sie haben noch 2 von 3 Punkten")
        assert page.evaluate("window.__notReloaded === true"), "the page was reloaded"
    assert state_requests == [], f"pages fetched the state instead of applying events: {state_requests[:3]}"
    check_a11y(pages[-1], name="workshops-room-ten-after")
