"""Multi-level system in a real browser: a researcher opens Dortmund's chronology (federal and state rules,
the city's measures, the incidence beneath, lead and reaction times), zooms in, opens an event, reads the
actors network with its metrics, and the "who decides" navigator; an editor adds a measure and links it."""

import re

from e2e.conftest import check_a11y, login


def test_chronology_network_and_navigator(server, page):
    page.goto("/")
    page.get_by_role("link", name="Mehrebenensystem").first.click()
    page.wait_for_url(re.compile(r"/mehrebenen/$"))
    check_a11y(page, name="multilevel-index")
    page.get_by_role("link", name="Chronologie Dortmund").click()
    page.wait_for_url(re.compile(r"/mehrebenen/05913000/chronologie/"))
    assert page.locator("h1").inner_text() == "Chronologie Dortmund"
    svg = page.locator("svg.timeline-svg")
    for lane in ("Nationaler Wert (OxCGRT)", "Bund", "Land", "Kommune"):
        assert svg.locator("text.lane-label", has_text=lane).count() == 1
    assert svg.locator("polyline.series-incidence").count() == 1
    assert svg.locator("polyline.series-stringency").count() == 1
    assert "strengste Regel" in page.locator(".national-note").first.inner_text()
    assert "Blavatnik School of Government" in page.locator(".credits").inner_text()
    assert page.locator(".links-table tbody tr").count() >= 5  # demo measures linked to real rules
    check_a11y(page, name="multilevel-chronology")

    # zoom to one month (HTMX swaps the chart only; the address follows)
    marks_all = svg.locator("rect.ev").count()
    page.get_by_role("link", name="1 Monat").click()
    page.wait_for_url(re.compile(r"from=\d{4}-\d{2}-\d{2}&to="))
    page.locator(".zoom-bar .current", has_text="1 Monat").wait_for()
    assert page.locator("svg.timeline-svg rect.ev").count() < marks_all
    page.get_by_role("link", name="1 Woche").click()
    page.locator(".zoom-bar .current", has_text="1 Woche").wait_for()
    check_a11y(page, name="multilevel-chronology-week")

    # a mark opens its event; the demo measure shows its higher rule and the reaction time
    page.goto("/mehrebenen/05913000/chronologie/?from=2020-03-16&to=2020-03-31&level=municipality")
    page.locator("svg.timeline-svg rect.ev-own").first.click()
    page.wait_for_url(re.compile(r"/mehrebenen/ereignisse/\d+/$"))
    assert "[Demo]" in page.locator("h1").inner_text()
    assert "Reaktionszeit" in page.content()
    check_a11y(page, name="multilevel-event")

    # lessons for other crises: the reflections on the city's links, with practice examples and insights
    page.goto("/mehrebenen/05913000/chronologie/")
    page.get_by_role("link", name="Lehren für andere Krisen: die Reflexionen zu diesen Verknüpfungen").click()
    page.wait_for_url(re.compile(r"/mehrebenen/05913000/transfer/$"))
    card = page.locator(".transfer-list li", has_text="Bürgertelefon")
    assert "Düsseldorf: Infotelefon" in card.inner_text() and "Hitzewelle" in card.inner_text()
    check_a11y(page, name="multilevel-transfer")
    page.get_by_label("Übertragbar auf").select_option(label="Stromausfall")
    page.get_by_role("button", name="Anzeigen").click()
    page.wait_for_url(re.compile(r"crisis=power-failure"))
    assert page.locator(".transfer-list > li").count() == 1

    # the actors network across levels, its metrics, and the comparison with Köln
    page.goto("/mehrebenen/05913000/netzwerk/")
    assert page.locator("svg.network-svg g.node").count() == 13
    assert page.locator("svg.network-svg g.broker").count() >= 1
    rows = page.locator(".metrics-table tbody tr")
    assert rows.count() == 13
    assert "Krisenstab der Stadt" in rows.first.inner_text()  # highest betweenness first
    check_a11y(page, name="multilevel-network")

    # interaction (network.js): a focused actor highlights its partners, Enter pins it; zoom by button and key
    svg = page.locator("svg.network-svg")
    staff = svg.locator("g.node", has=page.locator("title", has_text="Krisenstab der Stadt")).first
    staff.focus()
    assert svg.evaluate("s => s.classList.contains('has-focus')")
    assert svg.locator("g.node.is-near").count() >= 2 and svg.locator("path.edge.is-near").count() >= 1
    assert page.locator(".nw-status").first.inner_text().startswith("Partner:")
    page.keyboard.press("Enter")
    assert staff.get_attribute("aria-pressed") == "true"
    page.keyboard.press("Escape")
    assert not svg.evaluate("s => s.classList.contains('has-focus')")
    before = svg.get_attribute("viewBox")
    page.get_by_role("button", name="Vergrößern").first.click()
    assert svg.get_attribute("viewBox") != before
    staff.focus()
    page.keyboard.press("0")
    assert svg.get_attribute("viewBox") == before
    check_a11y(page, name="multilevel-network-highlight")

    # a period instead of one day
    page.get_by_label("Zeitraum von").fill("2020-03-01")
    page.get_by_label("Zeitraum bis").fill("2020-02-01")
    page.get_by_role("button", name="Anzeigen").click()
    assert "liegt vor seinem Beginn" in page.locator("#error-summary").inner_text()
    check_a11y(page, name="multilevel-network-period-error")
    page.get_by_label("Zeitraum bis").fill("2020-12-31")
    page.get_by_role("button", name="Anzeigen").click()
    page.wait_for_url(re.compile(r"valid_from=2020-03-01&valid_to=2020-12-31"))
    assert "zwischen 01.03.2020 und 31.12.2020" in page.locator(".period-note").inner_text()
    page.get_by_label("Zeitraum von").fill("")
    page.get_by_label("Zeitraum bis").fill("")
    page.get_by_label("Vergleichen mit").select_option(label="Köln")
    page.get_by_role("button", name="Anzeigen").click()
    page.wait_for_url(re.compile(r"compare=05315000"))
    assert page.locator("svg.network-svg").count() == 2
    check_a11y(page, name="multilevel-network-compare")

    # the navigator for school closures: derived rows and the demo summary, events one click away
    page.goto("/mehrebenen/wer-entscheidet/")
    page.get_by_role("link", name="Schulschließungen").click()
    page.wait_for_url(re.compile(r"/wer-entscheidet/school-closures/"))
    assert page.locator(".navigator-table tbody tr").count() >= 1
    assert page.locator(".navigator-table tbody tr").first.locator("td").nth(1).inner_text() == "Land"
    check_a11y(page, name="multilevel-navigator")
    page.locator(".navigator-entries a").first.click()
    page.wait_for_url(re.compile(r"/mehrebenen/ereignisse/\d+/$"))
    assert "Closure of educational institutions" in page.locator("h1").inner_text()


def test_editor_adds_and_links_a_measure(server, page):
    login(page, "redaktion@dortmund.example")
    page.goto("/mehrebenen/05913000/chronologie/")
    page.get_by_role("link", name="Maßnahme hinzufügen").click()
    check_a11y(page, name="multilevel-event-create")
    page.get_by_label("Titel").fill("Testzentrum am Hauptbahnhof (E2E)")
    page.get_by_label("Thema").select_option(label="Testen")
    page.get_by_label("In Kraft ab").fill("2021-03-10")
    page.get_by_label("Beendet").fill("2021-03-01")
    page.get_by_role("button", name="Speichern").click()
    assert "Das Ereignis endet, bevor es beginnt." in page.content()
    page.get_by_label("Beendet").fill("2021-06-30")
    page.get_by_role("button", name="Speichern").click()
    page.wait_for_url(re.compile(r"/mehrebenen/ereignisse/\d+/$"))
    page.get_by_label("Übergeordnete Regel").select_option(index=1)
    page.get_by_role("button", name="Verknüpfen", exact=True).click()
    assert "Die Verknüpfung mit der übergeordneten Regel wurde gespeichert." in page.content()
    assert "Reaktionszeit" in page.content()
    check_a11y(page, name="multilevel-event-linked")

    # a source document: an HTML page named .pdf is refused by its content; a real PDF is stored and downloads
    page.locator("input[type=file][name=file]").set_input_files(
        files=[{"name": "verfuegung.pdf", "mimeType": "application/pdf", "buffer": b"<html><script>x()</script></html>"}])
    page.get_by_role("button", name="Hochladen").click()
    assert "hat ihrem Inhalt nach keinen erlaubten Typ" in page.locator("#error-summary").inner_text()
    check_a11y(page, name="multilevel-document-refused")
    page.get_by_label("Titel des Dokuments").fill("Allgemeinverfügung Testzentrum (E2E)")
    page.locator("input[type=file][name=file]").set_input_files(
        files=[{"name": "verfuegung.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4\n%%EOF\n"}])
    page.get_by_role("button", name="Hochladen").click()
    page.wait_for_url(re.compile(r"/mehrebenen/ereignisse/\d+/$"))
    assert "Das Dokument wurde den Quellen des Ereignisses hinzugefügt." in page.content()
    with page.expect_download() as download:
        page.get_by_role("link", name="Allgemeinverfügung Testzentrum (E2E)").click()
    assert download.value.suggested_filename == "allgemeinverfugung-testzentrum-e2e.pdf"
    check_a11y(page, name="multilevel-event-document")

    # the reflection on the link, with the crises it would transfer to
    page.get_by_role("link", name="Reflexion", exact=True).click()
    check_a11y(page, name="multilevel-reflection")
    page.get_by_label("Was wurde improvisiert").fill("Testzentrum binnen einer Woche aus Zelten der Feuerwehr (E2E)")
    page.get_by_label("Hochwasser").check()
    page.get_by_role("button", name="Speichern").click()
    assert "Die Reflexion wurde gespeichert." in page.content()
    page.goto("/mehrebenen/05913000/transfer/?crisis=flood")
    assert "Zelten der Feuerwehr (E2E)" in page.locator(".transfer-list").inner_text()
