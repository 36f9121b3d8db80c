"""Browser test: an editor imports practice examples from a German Excel CSV (Windows-1252, `;`), reads
the dry-run report, imports, finds the example and exports the search result as XLSX.

Every page visited gets an axe check and a screenshot in e2e/screenshots/practices-transfer-*.png.
Selectors use ids and structure, so the test holds before and after the German catalogue is merged.
"""

from __future__ import annotations

import io

from openpyxl import load_workbook

from e2e.conftest import check_a11y, login

CSV = (
    "Titel;Zusammenfassung;Kommune;Themen;Zielgruppen;Beginn;Ende;Quellen\n"
    "Hitzetelefon für Ältere (E2E);Ehrenamtliche rufen ältere Menschen bei Hitze an.;05913000;T3;"
    "Ältere Menschen;2022-06;2022-08;Pressemitteilung <https://www.dortmund.de/> (2022-06-01)\n"
    "Übersetzte Aushänge (E2E);Aushänge in fünf Sprachen.;Dortmund;T2|T3;;2021-03;;\n"
).replace("\n", "\r\n").encode("cp1252")
BAD_CSV = "Titel;Zusammenfassung;Themen\nA;a;T9\n".encode("cp1252")


def test_editor_imports_a_csv_and_exports_the_search_result(page, server):
    login(page, "redaktion@dortmund.example")
    page.goto("/praxisbeispiele/import/")
    check_a11y(page, name="practices-transfer-import")

    # a file with an unknown theme: a report of problems, nothing stored
    page.locator("#id_file").set_input_files({"name": "fehler.csv", "mimeType": "text/csv", "buffer": BAD_CSV})
    page.locator("form[enctype] button[type=submit]").click()
    errors = page.locator("#import-errors")
    assert "T9" in errors.inner_text()
    assert errors.locator("tbody tr").count() == 1
    check_a11y(page, name="practices-transfer-errors")

    # the real file: dry run first (the box is ticked by default)
    page.locator("#id_file").set_input_files({"name": "liste.csv", "mimeType": "text/csv", "buffer": CSV})
    assert page.locator("#id_dry_run").is_checked()
    page.locator("form[enctype] button[type=submit]").click()
    rows = page.locator("#import-rows tbody tr")
    assert rows.count() == 2
    assert "Hitzetelefon für Ältere (E2E)" in rows.nth(0).inner_text()
    assert "Übersetzte Aushänge (E2E)" in rows.nth(1).inner_text()
    assert "cp1252" in page.locator(".import-report").inner_text()
    assert page.locator("#import-errors").count() == 0
    check_a11y(page, name="practices-transfer-dryrun")

    # import without choosing the file again
    page.locator(".import-report form button[type=submit]").click()
    assert page.locator(".message-success").count() == 1
    link = page.locator("#import-rows a", has_text="Hitzetelefon für Ältere (E2E)")
    assert link.count() == 1
    check_a11y(page, name="practices-transfer-imported")

    # find it and export the search result as XLSX
    page.goto("/praxisbeispiele/?q=Hitzetelefon")
    check_a11y(page, name="practices-transfer-search")
    with page.expect_download() as info:
        page.locator(".export-links a", has_text="XLSX").click()
    download = info.value
    assert download.suggested_filename.endswith(".xlsx")
    sheet = load_workbook(io.BytesIO(open(download.path(), "rb").read())).active
    titles = [row[2] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert "Hitzetelefon für Ältere (E2E)" in titles
    header = [c.value for c in sheet[1]]
    assert header[2] in ("Titel", "title")


def test_the_default_content_imports_idempotently(server):
    first = server.manage("import-practices", "panreflex/practices/data/practices.json")
    second = server.manage("import-practices", "panreflex/practices/data/practices.json")
    assert "36 skipped" in second.stdout, second.stdout + second.stderr
    assert first.returncode == 0


def test_import_page_at_360_px(new_page):
    page = new_page(viewport={"width": 360, "height": 800})
    login(page, "redaktion@koeln.example")
    page.goto("/praxisbeispiele/import/")
    page.locator(".format-help summary").click()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    check_a11y(page, name="practices-transfer-import-360")
