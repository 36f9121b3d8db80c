"""Improvement plan in a real browser: filter the demo plan, add an action item, export it."""

import csv
import io
import re

from e2e.conftest import check_a11y, login


def test_plan_filter_create_and_export(server, page):
    login(page, "redaktion@dortmund.example")
    page.get_by_role("link", name="Maßnahmenplan").first.click()
    page.wait_for_url(re.compile(r"/massnahmen/"))
    assert "Maßnahmenplan" in page.locator("h1").inner_text()
    rows = page.locator(".plan-table tbody tr")
    assert rows.count() >= 4
    check_a11y(page, name="improvements-plan")

    # filter: only overdue items (the demo has one open item past its due date); said in words, not colour only
    page.get_by_label("nur überfällige").check()
    page.get_by_role("button", name="Filter anwenden").click()
    page.wait_for_url(re.compile(r"overdue=on"))
    page.wait_for_load_state("networkidle")
    assert page.locator(".plan-table tbody tr").count() == 1
    assert "überfällig" in page.locator(".plan-table tbody tr").first.inner_text()
    check_a11y(page, name="improvements-plan-overdue")

    # a due date before the start date is refused with a clear message
    page.goto("/massnahmen/")
    page.get_by_role("link", name="Maßnahme hinzufügen").click()
    check_a11y(page, name="improvements-create")
    page.get_by_label("Korrekturmaßnahme").fill("Alarmierungsliste des Krisenstabs digitalisieren")
    page.get_by_label("Fähigkeit oder Bereich").fill("Alarmierung")
    page.get_by_label("Startdatum").fill("2026-05-01")
    page.get_by_label("Fertigstellungsdatum (fällig)").fill("2026-04-01")
    page.get_by_role("button", name="Speichern").click()
    assert "Das Fertigstellungsdatum darf nicht vor dem Startdatum liegen." in page.content()
    check_a11y(page, name="improvements-create-error")
    page.get_by_label("Fertigstellungsdatum (fällig)").fill("2027-09-30")
    page.get_by_label("Verantwortliches Benutzerkonto").select_option(label="Bernd Mitglied")
    page.get_by_role("button", name="Speichern").click()
    page.wait_for_url(re.compile(r"/massnahmen/\d+/$"))
    assert page.locator("h1").inner_text() == "Alarmierungsliste des Krisenstabs digitalisieren"
    check_a11y(page, name="improvements-detail")

    # export of the plan as CSV (German Excel: semicolon, UTF-8 with BOM)
    page.goto("/massnahmen/")
    with page.expect_download() as info:
        page.get_by_role("link", name="Als CSV exportieren").click()
    data = open(info.value.path(), "rb").read().decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(data), delimiter=";"))
    assert rows[0][1] == "Korrekturmaßnahme"
    assert any(r[1] == "Alarmierungsliste des Krisenstabs digitalisieren" for r in rows[1:])
    with page.expect_download() as info:
        page.get_by_role("link", name="Fälligkeiten als Kalender (iCalendar)").click()
    assert b"BEGIN:VCALENDAR" in open(info.value.path(), "rb").read()


def test_responsible_member_updates_progress(server, page):
    login(page, "mitglied@dortmund.example")
    page.goto("/massnahmen/?responsible=me&organisation=dortmund")
    page.locator(".plan-table tbody tr a").first.click()
    page.get_by_role("link", name="Status und Fortschritt aktualisieren").click()
    check_a11y(page, name="improvements-progress")
    page.get_by_label("Fortschritt (%)").fill("80")
    page.get_by_role("button", name="Speichern").click()
    assert "Status und Fortschritt wurden gespeichert." in page.content()
    assert "80 %" in page.content()
    # the dashboard panel lists the member's open items
    page.get_by_role("link", name="Meine Startseite").click()
    assert "Meine offenen Maßnahmen" in page.content()
    check_a11y(page, name="improvements-dashboard")


def test_edit_and_delete_pages_and_narrow_plan(server, new_page):
    page = new_page()
    login(page, "redaktion@dortmund.example")
    page.goto("/massnahmen/")
    page.locator(".plan-table tbody tr a").first.click()
    page.get_by_role("link", name="Bearbeiten").click()
    check_a11y(page, name="improvements-edit")
    page.go_back()
    page.get_by_role("link", name="Löschen").click()
    assert "wirklich löschen" in page.content()
    check_a11y(page, name="improvements-delete")
    narrow = new_page(viewport={"width": 360, "height": 740})
    login(narrow, "redaktion@dortmund.example")
    narrow.goto("/massnahmen/")
    assert narrow.evaluate("document.documentElement.scrollWidth") <= 360
    check_a11y(narrow, name="improvements-plan-360")
