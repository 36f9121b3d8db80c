"""Risk and crisis communication in a real browser (issue 17): the press office of Dortmund opens its
heat-wave plan (matrix with gaps, one gap becomes an action item), drafts a message with live
readability in German, Leichte Sprache and two more languages, the approver approves it, and a CAP
warning for the city area is composed from the boundaries and exported schema-valid. axe-core checks
every page visited."""

from __future__ import annotations

import io
import re

import xmlschema
from playwright.sync_api import expect

from e2e.conftest import check_a11y, login
from panreflex.communication.cap import SCHEMA_PATH

PLAN = "[Demo] Hitzewelle – Kommunikationsplan des Presseamts"


def test_plan_matrix_message_with_live_readability_and_approval(server, new_page):
    page = new_page()
    login(page, "redaktion@dortmund.example")
    page.goto("/kommunikation/")
    assert "Risiko- und Krisenkommunikation" in page.locator("h1").inner_text()
    check_a11y(page, name="communication-overview")

    page.get_by_role("link", name=PLAN).click()
    matrix = page.locator("table.matrix-table")
    assert matrix.is_visible()
    assert "Allgemeine Öffentlichkeit" in matrix.inner_text()
    gaps = page.locator(".gap-list li")
    assert gaps.count() >= 3
    assert "Keine Botschaft für „Allgemeine Öffentlichkeit“ auf Türkisch." in page.content()
    check_a11y(page, name="communication-plan-matrix")
    gaps.filter(has_text="Türkisch").get_by_role("button", name="Als Maßnahme übernehmen").click()
    assert "Die Lücke ist jetzt eine Maßnahme im Maßnahmenplan" in page.content()
    assert gaps.filter(has_text="Türkisch").get_by_role("link", name="Maßnahme").count() == 1

    # draft a message: the readability panel updates while typing (HTMX), without saving
    page.get_by_role("link", name="Botschaft schreiben").first.click()
    page.get_by_label("Titel").fill("Hitzewelle: Schutz für alle")
    page.get_by_label("Zielgruppe").select_option(label="Allgemeine Öffentlichkeit")
    text = page.locator("#id_text")
    text.fill("Die Hitzewarnung wird heute veröffentlicht. Trinken Sie viel Wasser und bleiben Sie im Schatten.")
    text.press("End")
    page.wait_for_selector('#readability-result [data-score="flesch"]')
    panel = page.locator("#readability-result")
    assert "Lesbarkeitsindex nach Flesch (Amstad)" in panel.inner_text()
    assert "Erste Wiener Sachtextformel" in panel.inner_text()
    assert "Passiv" in panel.inner_text()
    check_a11y(page, name="communication-message-live-readability")
    page.get_by_role("button", name="Als Entwurf speichern").click()
    page.wait_for_url(re.compile(r"/kommunikation/botschaften/\d+/$"))
    check_a11y(page, name="communication-message-detail")

    # Leichte Sprache: the checkable rules show up live
    page.get_by_role("link", name="Leichte Sprache", exact=True).click()
    easy = page.locator("#id_text")
    easy.fill("Es ist heiß, und Sie sollen viel trinken, weil Hitzeschutzmaßnahmen wichtig sind.")
    easy.press("End")
    page.wait_for_selector("#readability-result .hint-compound")
    assert "Mehr als eine Aussage im Satz" in page.locator("#readability-result").inner_text()
    check_a11y(page, name="communication-version-easy")
    easy.fill("Es ist heiß.\nTrinken Sie viel Wasser.\nBleiben Sie im Schatten.")
    page.get_by_role("button", name="Fassung speichern").click()
    for language, body in (("Englisch", "It is very hot. Drink a lot of water. Stay in the shade."),
                           ("Türkisch", "Hava çok sıcak. Bol su için. Gölgede kalın.")):
        page.get_by_role("link", name=language, exact=True).click()
        page.locator("#id_text").fill(body)
        page.get_by_role("button", name="Fassung speichern").click()
        assert "Die Sprachfassung wurde gespeichert." in page.content()
    assert page.locator("section.message-version").count() == 4
    page.get_by_role("button", name="Auf „In Prüfung“ setzen").click()
    assert "In Prüfung" in page.locator("main").inner_text()
    message_url = page.url

    # the approver of the chain approves; the versions are frozen
    approver = new_page()
    login(approver, "koordination@dortmund.example")
    approver.goto(message_url)
    approver.get_by_role("button", name="Auf „Freigegeben“ setzen").click()
    assert "die freigegebenen Fassungen sind eingefroren" in approver.content()
    check_a11y(approver, name="communication-message-approved")


def test_cap_composer_exports_a_schema_valid_warning_for_the_city_area(server, page):
    login(page, "redaktion@dortmund.example")
    page.goto("/kommunikation/warnungen/neu/?organisation=dortmund")
    check_a11y(page, name="communication-cap-composer")
    page.get_by_label("Status").select_option("Exercise")
    page.locator("[name=info-0-event]").fill("Hitze")
    page.locator("[name=info-0-headline]").fill("Übung: Hitzewarnung für Dortmund")
    page.locator("[name=info-0-instruction]").fill("Trinken Sie viel Wasser. (Übung)")
    page.locator("[name=info-1-language]").select_option("en-GB")
    page.locator("[name=info-1-event]").fill("Heat")
    page.locator("[name=info-1-headline]").fill("Exercise: heat warning for Dortmund")
    page.get_by_label("Gebietsbeschreibung").fill("Stadtgebiet Dortmund")
    page.get_by_label("Gebiet übernehmen aus").select_option(label="Dortmund")
    expect(page.locator("#id_polygon")).to_have_value(re.compile(r"^\d+\.\d+,\d+\.\d+ .+"))  # filled by the map script
    polygon = page.locator("#id_polygon").input_value().split()
    assert len(polygon) >= 4 and polygon[0] == polygon[-1]
    page.get_by_role("button", name="Speichern und prüfen").click()
    page.wait_for_url(re.compile(r"/kommunikation/warnungen/\d+/$"))
    assert "gültig nach dem Schema von CAP 1.2" in page.content()
    check_a11y(page, name="communication-cap-detail")
    with page.expect_download() as info:
        page.get_by_role("link", name="CAP-XML herunterladen").click()
    data = open(info.value.path(), "rb").read()
    xmlschema.XMLSchema(str(SCHEMA_PATH)).validate(io.BytesIO(data))
    assert b"<polygon>" in data and b"en-GB" in data

    # an update references the warning
    page.get_by_role("link", name="Diese Warnung aktualisieren").click()
    check_a11y(page, name="communication-cap-update")
    page.get_by_role("button", name="Speichern und prüfen").click()
    page.wait_for_url(re.compile(r"/kommunikation/warnungen/\d+/$"))
    assert "Aktualisierung" in page.content() and "Bezüge" in page.content()
    page.goto("/kommunikation/warnungen/")
    check_a11y(page, name="communication-cap-register")


def test_rumour_is_logged_answered_with_the_message_and_summarised(server, page):
    login(page, "redaktion@dortmund.example")
    page.goto("/kommunikation/geruechte/?organisation=dortmund")
    assert page.locator("figure.chart svg").count() == 1
    check_a11y(page, name="communication-rumours")
    page.get_by_role("link", name="Gerücht erfassen").click()
    page.get_by_label("Kategorie").select_option("misinformation")
    claim = page.get_by_label("Behauptung oder Frage")
    claim.fill("Kühle Räume in der Stadt gibt es bei Hitze nicht")
    claim.press("End")
    page.wait_for_selector("#similar-result li")  # the demo question about cool rooms is proposed as a duplicate
    check_a11y(page, name="communication-rumour-form")
    page.get_by_label("wo zuerst gesehen").fill("Messenger-Gruppe (Test)")
    page.get_by_label("Wahrscheinlichkeit der Verbreitung (1–5)").fill("4")
    page.get_by_label("Schaden (1–5)").fill("4")
    page.get_by_label("Faktencheck", exact=True).fill("Der Demo-Plan nennt kühle Räume auf der Dark Site. (Test)")
    page.get_by_label("Antwort (Botschaft)").select_option(label="[Demo] Hitzehinweis für alle")
    page.get_by_role("button", name="Speichern").click()
    page.wait_for_url(re.compile(r"/kommunikation/geruechte/\d+/$"))
    main = page.locator("main").inner_text()
    assert "Beantwortet" in main and "16 = 4 × 4" in main and "[Demo] Hitzehinweis für alle" in main
    check_a11y(page, name="communication-rumour-detail")
    page.get_by_role("link", name="Gerüchte und Falschinformationen").click()
    page.get_by_role("button", name="Wochenbericht dieser Woche erstellen (PDF)").click()
    with page.expect_download() as info:
        page.get_by_role("link", name=re.compile(r"Woche ab .* \(PDF\)")).first.click()
    assert open(info.value.path(), "rb").read(4) == b"%PDF"


def test_jargon_list_is_searched_extended_and_cleaned_up(server, page):
    login(page, "redaktion@dortmund.example")
    page.goto("/kommunikation/fachwoerter/")
    assert page.locator("h1").inner_text() == "Fachwortliste"
    check_a11y(page, name="communication-jargon-list")
    page.get_by_role("link", name="Wort hinzufügen").click()
    page.locator("#id_word").fill("Hitze Ereignis")
    page.get_by_role("button", name="Speichern").click()
    assert "ein einzelnes Wort ohne Leer- und Satzzeichen" in page.locator("main").inner_text()
    check_a11y(page, name="communication-jargon-form-error")
    page.locator("#id_word").fill("Hitzeereignis")
    page.locator("#id_suggestion").fill("große Hitze")
    page.get_by_role("button", name="Speichern").click()
    assert "„Hitzeereignis“ wurde in die Fachwortliste aufgenommen." in page.content()
    page.locator("#id_q").fill("hitzeereig")
    page.get_by_role("button", name=re.compile(r"^Such")).click()
    table = page.locator("main table")
    assert "Hitzeereignis" in table.inner_text() and "große Hitze" in table.inner_text()
    page.screenshot(path="/tmp/wt17-jargon-list.png", full_page=True)
    page.get_by_role("link", name=re.compile(r"Löschen\W*Hitzeereignis")).click()
    assert "wirklich aus der Fachwortliste entfernen" in page.locator("main").inner_text()
    check_a11y(page, name="communication-jargon-delete")
    page.get_by_role("button", name="Löschen").click()
    assert "„Hitzeereignis“ wurde aus der Fachwortliste entfernt." in page.content()


def test_cap_polygon_is_edited_point_by_point(server, page):
    login(page, "redaktion@dortmund.example")
    page.goto("/kommunikation/warnungen/neu/?organisation=dortmund")
    page.wait_for_selector("#cap-map.leaflet-container")
    page.locator("#cap-map").scroll_into_view_if_needed()
    box = page.locator("#cap-map").bounding_box()
    for fx, fy in [(0.3, 0.3), (0.7, 0.3), (0.7, 0.7), (0.3, 0.7)]:
        page.mouse.click(box["x"] + box["width"] * fx, box["y"] + box["height"] * fy)
    vertices = page.locator(".cap-vertex")
    expect(vertices).to_have_count(4)
    polygon = page.locator("#id_polygon")
    before = polygon.input_value().split()
    assert len(before) == 5 and before[0] == before[-1]
    # drag the first point: the polygon follows and stays closed
    first = vertices.nth(0).bounding_box()
    page.mouse.move(first["x"] + 7, first["y"] + 7)
    page.mouse.down()
    page.mouse.move(first["x"] + 47, first["y"] + 37, steps=8)
    page.mouse.up()
    moved = polygon.input_value().split()
    assert len(moved) == 5 and moved[0] != before[0] and moved[0] == moved[-1] and moved[1:4] == before[1:4]
    # click a point to remove it, then remove the last one with the button: under three points, no polygon
    vertices.nth(1).click()
    expect(vertices).to_have_count(3)
    assert len(polygon.input_value().split()) == 4
    check_a11y(page, name="communication-cap-polygon-edit")
    page.get_by_role("button", name="Letzten Punkt entfernen").click()
    expect(vertices).to_have_count(2)
    assert polygon.input_value() == ""
    page.screenshot(path="/tmp/wt17-cap-edit.png", full_page=False)
