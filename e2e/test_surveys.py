"""Surveys end to end: a researcher imports an XLSForm, sends it to NRW cities, a respondent answers on a
phone-sized screen, is interrupted, resumes with the link in a new browser context and submits; the
researcher sees the response rate, a chart and downloads the raw data as XLSX."""

from __future__ import annotations

import io
import re

import openpyxl
import pytest

from e2e.conftest import check_a11y, login

PHONE = {"width": 360, "height": 740}


def _xlsform(path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "survey"
    for row in [
        ["type", "name", "label::German (de)", "label::English (en)", "required", "relevant", "constraint",
         "constraint_message::German (de)"],
        ["begin_group", "lage", "Lage in Ihrer Kommune", "Situation", "", "", "", ""],
        ["select_one stab", "stab", "Gab es einen Verwaltungsstab?", "Was there an administrative staff?", "yes", "", "", ""],
        ["integer", "personen", "Wie viele Personen arbeiteten darin?", "How many people?", "", "${stab} = 'ja'",
         ". >= 1 and . <= 500", "Bitte 1 bis 500."],
        ["end_group", "", "", "", "", "", "", ""],
        ["begin_group", "lernen", "Nachbereitung", "Debriefing", "", "", "", ""],
        ["select_multiple formate", "formate", "Welche Formate der Nachbereitung gab es?", "Which formats?", "", "", "", ""],
        ["text", "hinweis", "Was möchten Sie uns noch mitteilen?", "Anything else?", "", "", "", ""],
        ["end_group", "", "", "", "", "", "", ""],
    ]:
        ws.append(row)
    cs = wb.create_sheet("choices")
    for row in [["list_name", "name", "label::German (de)", "label::English (en)"],
                ["stab", "ja", "Ja", "Yes"], ["stab", "nein", "Nein", "No"],
                ["formate", "workshop", "Workshop", "Workshop"], ["formate", "bericht", "Bericht", "Report"]]:
        cs.append(row)
    ss = wb.create_sheet("settings")
    ss.append(["form_title", "form_id"])
    ss.append(["E2E-Befragung Nachbereitung", "e2e_nachbereitung"])
    wb.save(path)


def test_import_send_answer_resume_submit_and_analyse(server, new_page, tmp_path):
    form = tmp_path / "nachbereitung.xlsx"
    _xlsform(form)

    # researcher imports the XLSForm in the UI
    page = new_page()
    login(page, "team@panreflex.example")
    page.goto("/befragungen/")
    check_a11y(page, name="surveys-list")
    page.get_by_role("link", name="XLSForm importieren").click()
    check_a11y(page, name="surveys-import")
    page.get_by_label("XLSForm-Datei (.xlsx oder .xls)").set_input_files(str(form))
    page.get_by_label("Gehört zu").select_option(label="PanReflex-Projektteam")
    page.get_by_role("button", name="Importieren").click()
    page.get_by_role("heading", level=1, name="E2E-Befragung Nachbereitung").wait_for()
    assert "Das Formular wurde vollständig importiert." in page.content()
    check_a11y(page, name="surveys-detail")
    survey_url = page.url

    # fieldwork: start and send to NRW cities over 50,000 inhabitants
    page.get_by_role("link", name="Feldphase und Einladungen").click()
    page.get_by_role("button", name="Feldphase starten (friert den Fragebogen ein)").click()
    page.get_by_label("Kommunen des Landes").select_option("05")
    page.get_by_label("mit mindestens … Einwohner*innen").fill("50000")
    page.get_by_role("button", name="Einladungen hinzufügen").click()
    page.get_by_text("Einladung(en) wurden hinzugefügt").wait_for()
    check_a11y(page, name="surveys-fieldwork")
    fieldwork_url = page.url

    mails = [m for m in server.mails() if "E2E-Befragung" in str(m["Subject"])
             and "redaktion@dortmund.example" in str(m["To"])]
    assert mails, "Dortmund's editors got no invitation"
    link = re.search(r"https?://\S+/befragungen/t/[\w-]+/", mails[-1].get_content()).group(0)

    # respondent on a phone-sized screen: answers the first page, is interrupted
    phone = new_page(viewport=PHONE)
    phone.goto(link)
    check_a11y(phone, name="surveys-respond-phone")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    phone.locator("form[data-autosave-ready]").wait_for(state="attached")
    phone.get_by_label("Ja", exact=True).check()
    personen = phone.get_by_label("Wie viele Personen arbeiteten darin?")
    personen.wait_for(state="visible")  # skip logic: shown after "Ja"
    personen.fill("900")
    phone.get_by_text("Bitte 1 bis 500.").wait_for()  # server-side rule, nothing stored
    personen.fill("45")
    phone.locator("#item-{}-0 [data-status]".format(personen.get_attribute("name").split("-")[1])).get_by_text(
        re.compile("Gespeichert um")).wait_for()
    phone.context.close()  # interrupted

    # resumes with the link in a new context (another device)
    phone2 = new_page(viewport=PHONE)
    phone2.goto(link)
    assert phone2.get_by_label("Ja", exact=True).is_checked()
    assert phone2.get_by_label("Wie viele Personen arbeiteten darin?").input_value() == "45"
    phone2.get_by_role("button", name="Weiter").click()
    phone2.get_by_label("Workshop").check()
    phone2.get_by_label("Was möchten Sie uns noch mitteilen?").fill("Demo-Test aus dem Browser")
    check_a11y(phone2, name="surveys-respond-page2")
    phone2.get_by_role("button", name="Prüfen und absenden").click()
    phone2.get_by_role("heading", name="Prüfen und absenden").wait_for()
    check_a11y(phone2, name="surveys-review")
    phone2.get_by_role("button", name="Antworten absenden").click()
    phone2.get_by_role("heading", name="Vielen Dank – Ihre Antworten wurden abgesendet").wait_for()
    assert "Demo-Test aus dem Browser" in phone2.content()
    assert phone2.get_by_role("link", name="Kopie herunterladen (PDF)").is_visible()
    check_a11y(phone2, name="surveys-confirmation")
    phone2.goto(link + "absenden/")
    assert "Vielen Dank" in phone2.content()  # submitted once: the confirmation, not the form

    # researcher: live response rate, chart, XLSX download
    page.goto(fieldwork_url)
    tracking = page.locator("#tracking")
    tracking.get_by_text(re.compile(r"1 von \d+ Eingeladenen haben abgesendet")).wait_for()
    page.goto(survey_url + "ergebnisse/")
    chart = page.locator("svg[role=img]").first
    chart.wait_for()
    assert "Gab es einen Verwaltungsstab?" in chart.locator("title").text_content()
    check_a11y(page, name="surveys-results")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Rohdaten XLSX (Codes)").click()
    wb = openpyxl.load_workbook(io.BytesIO(open(download_info.value.path(), "rb").read()))
    ws = wb.worksheets[0]
    header = [c.value for c in ws[1]]
    row = dict(zip(header, [c.value for c in ws[3]], strict=False))
    assert row["stab"] == "ja" and row["personen"] == 45 and row["formate/workshop"] == 1
    page.get_by_role("link", name=re.compile("Details und Aufschlüsselungen – Gab es")).click()
    check_a11y(page, name="surveys-question-result")


def test_demo_survey_results_page(server, page):
    login(page, "team@panreflex.example")
    page.goto("/befragungen/")
    page.get_by_role("link", name=re.compile("Demo: Kommunalbefragung")).click()
    page.get_by_role("link", name="Ergebnisse").first.click()
    assert "Demo-Antworten" in page.content()
    assert page.locator("svg[role=img]").count() >= 5
    check_a11y(page, name="surveys-demo-results")


@pytest.mark.parametrize("path,text", [("/befragungen/t/gefaelscht/", "Dieser Befragungslink ist ungültig.")])
def test_forged_link_message(page, path, text):
    page.goto(path)
    assert text in page.content()
    check_a11y(page, name="surveys-forged-link")


def test_kobo_form_four_languages_answered_in_turkish_repeat_analysed_exported_back(server, new_page, tmp_path):
    """A Kobo-style form (cascading selects with duplicate choice names, a calculation, a repeat, a loop,
    four languages, an external CSV choice list; written with openpyxl) is imported, seen in the
    builder, answered in Turkish, its repeat analysed, and exported back to an identical XForm."""
    import zipfile

    from panreflex.surveys.tests.kobo_form import kobo_attachments, kobo_workbook
    from panreflex.surveys.xform import normalised, xform_of

    form = tmp_path / "lage.xlsx"
    form.write_bytes(kobo_workbook())
    csv = tmp_path / "shelter_types.csv"
    csv.write_bytes(kobo_attachments()["shelter_types.csv"])

    page = new_page()
    login(page, "team@panreflex.example")
    page.goto("/befragungen/import/")
    page.get_by_label("XLSForm-Datei (.xlsx oder .xls)").set_input_files(str(form))
    page.get_by_label("CSV-Anhänge").set_input_files(str(csv))
    page.get_by_label("Gehört zu").select_option(label="PanReflex-Projektteam")
    page.get_by_role("button", name="Importieren").click()
    page.get_by_role("heading", level=1, name="Lage Notunterkünfte").wait_for()
    survey_url = page.url
    languages = page.locator("p.languages")
    for name in ("Deutsch", "English", "Türkçe", "Українська"):
        assert name in languages.text_content()
    assert "state=${state}" in page.content() and "round(${persons} div ${households}, 1)" in page.content()
    check_a11y(page, name="surveys-kobo-builder")
    page.get_by_role("link", name="Bearbeiten households").click()
    assert page.get_by_label("Wortlaut (Türkçe)").input_value() == "Kaç hane?"
    assert page.get_by_label("Wortlaut (Українська)").input_value() == "Скільки домогосподарств?"
    check_a11y(page, name="surveys-kobo-item-form")

    page.goto(survey_url)
    page.get_by_role("link", name="Feldphase und Einladungen").click()
    page.get_by_role("button", name="Feldphase starten (friert den Fragebogen ein)").click()
    page.get_by_label("Kommunen des Landes").select_option("05")
    page.get_by_label("mit mindestens … Einwohner*innen").fill("50000")
    page.get_by_role("button", name="Einladungen hinzufügen").click()
    page.get_by_text("Einladung(en) wurden hinzugefügt").wait_for()
    mails = [m for m in server.mails() if "Lage Notunterkünfte" in str(m["Subject"])
             and "redaktion@dortmund.example" in str(m["To"])]
    link = re.search(r"https?://\S+/befragungen/t/[\w-]+/", mails[-1].get_content()).group(0)

    # the respondent picks Turkish and answers
    phone = new_page(viewport=PHONE)
    phone.goto(link)
    phone.get_by_label("Sprache des Fragebogens").select_option(label="Türkçe")
    phone.get_by_role("button", name="In dieser Sprache zeigen").click()
    phone.get_by_text("Eyalet").wait_for()
    assert phone.locator(".questionnaire[lang=tr]").count() == 1
    phone.locator("form[data-autosave-ready]").wait_for(state="attached")
    check_a11y(phone, name="surveys-kobo-respond-tr")
    assert not phone.get_by_label("Kuzey (Dortmund)").is_visible()  # cascade: no state chosen yet
    phone.get_by_label("Kuzey Ren-Vestfalya").check()
    phone.get_by_label("Kuzey (Dortmund)").wait_for(state="visible")
    assert not phone.get_by_label("Merkez (Münih)").is_visible()
    phone.get_by_label("Kuzey (Dortmund)").check()
    phone.get_by_label("Kaç hane?").fill("4")
    phone.get_by_label("Kaç kişi?").fill("10")
    phone.get_by_role("button", name="Speichern").click()
    phone.get_by_text("Hane başına kişi: 2.5").wait_for()  # the calculation, in the Turkish note
    phone.get_by_role("button", name="Weiter").click()
    phone.get_by_label("Barınağın adı").first.fill("Gesamtschule")
    phone.get_by_label("Yatak sayısı").first.fill("40")
    phone.get_by_role("button", name="Eintrag hinzufügen").click()
    phone.get_by_label("Barınağın adı").nth(1).fill("Turnhalle Nord")
    phone.get_by_label("Yatak sayısı").nth(1).fill("25")
    check_a11y(phone, name="surveys-kobo-repeat")
    phone.get_by_role("button", name="Weiter").click()
    needs = phone.locator("fieldset", has_text="Neye ihtiyaç var?")
    needs.get_by_label("Su").check()
    needs.get_by_label("Yiyecek").check()
    priority = phone.locator("fieldset", has_text="Önce ne?")
    priority.get_by_label("Yiyecek").wait_for(state="visible")  # filtered by selected(${needs}, name)
    assert not priority.get_by_label("Battaniye").is_visible()
    priority.get_by_label("Yiyecek").check()
    phone.get_by_role("button", name="Weiter").click()
    phone.get_by_label("Olaylar").nth(0).fill("3")  # winter (Kış)
    phone.get_by_label("Olaylar").nth(1).fill("1")  # summer (Yaz)
    assert "Kış" in phone.content() and "Yaz" in phone.content()
    phone.get_by_role("button", name="Weiter").click()
    phone.get_by_label("Ne kadar emin?").fill("4")
    phone.get_by_label("Kabul ediyorum").check()
    phone.get_by_label("Okul").check()
    assert phone.get_by_label("Birim").input_value() == "Rathaus"  # the default
    check_a11y(phone, name="surveys-kobo-last-page")
    phone.get_by_role("button", name="Prüfen und absenden").click()
    phone.get_by_role("heading", name="Prüfen und absenden").wait_for()
    phone.get_by_role("button", name="Antworten absenden").click()
    phone.get_by_role("heading", name="Vielen Dank – Ihre Antworten wurden abgesendet").wait_for()

    # the researcher analyses the repeat and exports the form back
    page.goto(survey_url + "ergebnisse/")
    beds = page.locator("section.result", has=page.get_by_role("heading", name="Betten"))
    beds.get_by_role("rowheader", name="Eintrag 2").wait_for()
    assert "Eintrag 1" in beds.text_content() and "25" in beds.text_content()
    check_a11y(page, name="surveys-kobo-results")
    page.goto(survey_url)
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Als XLSForm exportieren").click()
    with zipfile.ZipFile(download_info.value.path()) as archive:
        names = archive.namelist()
        exported = archive.read(next(n for n in names if n.endswith(".xlsx")))
        assert archive.read("shelter_types.csv") == kobo_attachments()["shelter_types.csv"]
    assert normalised(xform_of(exported, "lage.xlsx")) == normalised(xform_of(kobo_workbook(), "lage.xlsx"))
