"""Three people in three browsers run a debriefing in the demo workshop of Dortmund (issue #4):
prepare cards, build the timeline, cluster, vote, rate, derive an insight and an action item, and
download the report. Every change made in one browser must appear in the others without a reload
(live over WebSockets); every page visited is checked with axe-core."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from e2e.conftest import check_a11y, login

pytestmark = pytest.mark.e2e

DEMO_TITLE = "Debriefing Krisenkommunikation (Demo)"
LIVE = 8000  # ms: a change must show up in the other browsers within this time without reload
WORSE = "Was lief weniger gut?"


def _column(page, title: str):
    return page.locator("section.board-column").filter(has=page.get_by_role("heading", name=re.compile(re.escape(title))))


def _card(page, text: str):
    return page.locator("article.wcard").filter(has=page.locator(".wcard-text", has_text=text))


def _add_card(page, column: str, text: str) -> None:
    col = _column(page, column)
    col.get_by_label(f"Neue Karte: {column}").fill(text)
    col.get_by_role("button", name="Karte anlegen").click()


def _live(page) -> None:
    expect(page.locator("#room-status.live")).to_be_visible(timeout=15000)


def test_three_people_run_a_debriefing(new_page, server):
    alina, bernd, karla = new_page(), new_page(), new_page()
    for page in (alina, bernd, karla):  # three browsers against one server on a shared machine
        page.set_default_timeout(45000)
        page.set_default_navigation_timeout(60000)
    login(alina, "redaktion@dortmund.example")
    login(bernd, "mitglied@dortmund.example")
    login(karla, "koordination@dortmund.example")

    alina.goto("/reflexionsraeume/")
    expect(alina.get_by_role("heading", name="Reflexionsräume", level=1)).to_be_visible()
    check_a11y(alina, name="workshops-list")
    alina.get_by_role("link", name=DEMO_TITLE).first.click()
    expect(alina.get_by_role("heading", name=DEMO_TITLE, level=1)).to_be_visible()
    check_a11y(alina, name="workshops-detail")
    alina.get_by_role("link", name="Raum betreten").click()
    _live(alina)
    room_url = alina.url
    bernd.goto(room_url)
    karla.goto(room_url)
    _live(bernd)
    _live(karla)
    check_a11y(alina, name="workshops-room-facilitator")
    check_a11y(bernd, name="workshops-room-participant")
    check_a11y(karla, name="workshops-room-karla")
    expect(alina.locator("#presence")).to_contain_text("Bernd Mitglied", timeout=LIVE)
    expect(alina.locator("#presence")).to_contain_text("Karla Koordination", timeout=LIVE)

    # 1. prepare cards (each sees the others' cards live)
    _add_card(bernd, WORSE, "Übersetzungen kamen zu spät (E2E)")
    _add_card(karla, WORSE, "Keine Texte in Leichter Sprache vorbereitet (E2E)")
    _add_card(alina, "Was lief gut?", "Tägliche FAQ mit dem Gesundheitsamt (E2E)")
    for page in (alina, bernd, karla):
        expect(_card(page, "Übersetzungen kamen zu spät (E2E)")).to_be_visible(timeout=LIVE)
        expect(_card(page, "Keine Texte in Leichter Sprache vorbereitet (E2E)")).to_be_visible(timeout=LIVE)
        expect(_card(page, "Tägliche FAQ mit dem Gesundheitsamt (E2E)")).to_be_visible(timeout=LIVE)

    # 2. timeline: computed wave peaks from the RKI series, plus an event added by hand
    alina.get_by_role("button", name="Aus den COVID-19-Zahlen der Kommune vorbelegen").click()
    expect(bernd.locator(".timeline-list")).to_contain_text("Erster gemeldeter COVID-19-Fall in Dortmund", timeout=LIVE)
    expect(bernd.locator(".timeline-list")).to_contain_text("Wellenhöhepunkt 2 in Dortmund: 7-Tage-Inzidenz 230,0")
    karla.locator("#timeline-add > summary").click()
    karla.get_by_label("Datum").fill("2020-03-16")
    karla.get_by_label("Ereignis", exact=True).fill("Schließung der Schulen (E2E)")
    karla.get_by_role("button", name="Ereignis eintragen").click()
    expect(alina.locator(".timeline-list")).to_contain_text("Schließung der Schulen (E2E)", timeout=LIVE)

    # 3. cluster (facilitator)
    col = _column(alina, WORSE)
    col.locator("details > summary", has_text="Karten zu einem Cluster gruppieren").click()
    col.get_by_label("Titel des Clusters").fill("Sprache und Übersetzung")
    col.get_by_role("checkbox", name="Übersetzungen kamen zu spät (E2E)").check()
    col.get_by_role("checkbox", name="Keine Texte in Leichter Sprache vorbereitet (E2E)").check()
    col.get_by_role("button", name="Cluster bilden").click()
    expect(_column(bernd, WORSE).locator(".cluster h4")).to_have_text("Sprache und Übersetzung", timeout=LIVE)

    # 4. dot voting: facilitator opens it, votes are hidden until revealed
    alina.locator("#facilitation > summary").click()
    alina.get_by_label("Punkte pro Person").fill("2")
    alina.get_by_label("Abstimmung offen").check()
    alina.get_by_role("button", name="Übernehmen").click()
    expect(bernd.locator(".room-bar")).to_contain_text("Sie haben noch 2 von 2 Punkten", timeout=LIVE)
    _card(bernd, "Übersetzungen kamen zu spät").get_by_role("button", name=re.compile(r"^\+1")).click()
    expect(_card(bernd, "Übersetzungen kamen zu spät")).to_contain_text("1 von mir", timeout=LIVE)
    _card(karla, "Übersetzungen kamen zu spät").get_by_role("button", name=re.compile(r"^\+1")).click()
    expect(_card(karla, "Übersetzungen kamen zu spät")).to_contain_text("1 von mir", timeout=LIVE)
    expect(_card(alina, "Übersetzungen kamen zu spät")).not_to_contain_text("Punkte")
    alina.get_by_role("button", name="Abstimmungsergebnis aufdecken").click()
    expect(_card(bernd, "Übersetzungen kamen zu spät")).to_contain_text("2 Punkte", timeout=LIVE)

    # 5. rating and a root cause
    karla.locator("#rating-add > summary").click()
    karla.get_by_label("Fähigkeit oder Bereich", exact=True).fill("Mehrsprachige Information (E2E)")
    karla.get_by_label("M – mit großen Schwierigkeiten bewältigt").check()
    karla.get_by_label("Begründung").fill("Übersetzungen lagen oft erst Tage später vor.")
    karla.get_by_role("button", name="Bewertung speichern").click()
    expect(alina.get_by_role("row", name=re.compile("Mehrsprachige Information"))).to_contain_text(
        "M – mit großen Schwierigkeiten bewältigt", timeout=LIVE)
    card = _card(bernd, "Übersetzungen kamen zu spät")
    card.locator("details > summary", has_text="Ursache").click()
    card.get_by_label("Warum?").fill("Kein Übersetzungspool vorhanden (E2E)")
    card.get_by_role("button", name="Ursache hinzufügen").click()
    expect(_card(alina, "Übersetzungen kamen zu spät")).to_contain_text("Kein Übersetzungspool vorhanden (E2E)",
                                                                      timeout=LIVE)
    check_a11y(bernd, name="workshops-room-after")

    # 6. results: an insight and an action item from the cards, then the report
    alina.get_by_role("link", name="Ergebnisse und Bericht").click()
    expect(alina.get_by_role("heading", level=1)).to_contain_text("Ergebnisse")
    check_a11y(alina, name="workshops-results")
    form = alina.locator("form[action$='erkenntnis/']")
    form.get_by_label("Erkenntnis (identifizierte Lehre)").fill(
        "Übersetzungen und Leichte Sprache brauchen vorbereitete Bausteine (E2E)")
    form.get_by_label("Art").select_option(label="Verbesserungsbedarf")
    form.get_by_role("checkbox", name=re.compile("Übersetzungen kamen zu spät")).check()
    form.get_by_role("button", name="Erkenntnis speichern").click()
    expect(alina.locator(".messages")).to_contain_text("Die Erkenntnis wurde mit Verweisen auf ihre Karten gespeichert.")
    form = alina.locator("form[action$='massnahme/']")
    form.get_by_role("textbox", name=re.compile(r"^Maßnahme")).fill("Übersetzungspool aufbauen (E2E)")
    form.get_by_role("checkbox", name=re.compile("Übersetzungen kamen zu spät")).check()
    form.get_by_label("Fähigkeit oder Bereich").fill("Krisenkommunikation")
    form.get_by_label("Verantwortliche Organisation").select_option(label="Stadt Dortmund")
    form.get_by_label("Abschluss (fällig)").fill("2027-06-30")
    form.get_by_role("button", name="In den Verbesserungsplan aufnehmen").click()
    expect(alina.locator(".messages")).to_contain_text("Verbesserungsplan der Organisation aufgenommen")
    expect(alina.locator("main")).to_contain_text("Übersetzungspool aufbauen (E2E)")
    check_a11y(alina, name="workshops-results-after")

    with alina.expect_download() as info:
        alina.get_by_role("link", name="Bericht (PDF)").click()
    pdf = info.value
    assert pdf.suggested_filename.endswith("bericht.pdf")
    assert open(pdf.path(), "rb").read(4) == b"%PDF"
    with alina.expect_download() as info:
        alina.get_by_role("link", name="Bericht (Word, bearbeitbar)").click()
    assert open(info.value.path(), "rb").read(2) == b"PK"

    # 7. the action item is in the organisation's improvement plan
    alina.goto("/massnahmen/")
    expect(alina.locator("main")).to_contain_text("Übersetzungspool aufbauen (E2E)")
    check_a11y(alina, name="workshops-improvement-plan")
