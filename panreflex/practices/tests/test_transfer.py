"""Import service: formats, encodings, headers, vocabularies, every bad-input case with its message,
all-or-nothing, dry run."""

from __future__ import annotations

import io
import json
from datetime import date

import pytest
from django.utils import translation
from openpyxl import Workbook

from panreflex.lib.markdown import render_markdown
from panreflex.places.models import Place
from panreflex.practices.models import Practice
from panreflex.practices.transfer import columns
from panreflex.practices.transfer.importer import parse_month, practices_import

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def csv_bytes(text: str, encoding: str = "utf-8") -> bytes:
    return text.replace("\n", "\r\n").encode(encoding)


def run(data: bytes, personas, *, filename="x.csv", actor=None, org=None, dry_run=False):
    return practices_import(data=data, filename=filename, actor=actor, organisation=org or personas.dortmund,
                            dry_run=dry_run)


def errors(report) -> list[tuple[int, str, str]]:
    return [(e.row, e.column, e.message) for e in report.errors]


def xlsx_bytes(rows: list[list]) -> bytes:
    wb = Workbook()
    for row in rows:
        wb.active.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


# --- formats and encodings ----------------------------------------------------------------------------
def test_csv_utf8_comma_english_headers(personas):
    data = csv_bytes(
        "title,summary,municipality,themes,phases,period_start,period_end,target_groups,actors,visibility\n"
        '"Impfbus Nordstadt","Ein Bus impft ohne Termin.",05913000,"T3|T2",acute,2021-05,2021-07,'
        '"older-people;Geflüchtete","Stadt Köln;Caritas Dortmund",network\n'
    )
    report = run(data, personas, actor=personas.alice)
    assert report.ok, errors(report)
    assert (report.format, report.encoding, report.delimiter) == ("csv", "utf-8", ",")
    practice = Practice.objects.get(title="Impfbus Nordstadt")
    assert practice.organisation == personas.dortmund
    assert practice.created_by == personas.alice
    assert practice.status == Practice.Status.DRAFT
    assert practice.visibility == "network"
    assert sorted(t.code for t in practice.themes.all()) == ["T2", "T3"]
    assert [t.code for t in practice.phases.all()] == ["acute"]
    assert sorted(t.code for t in practice.target_groups.all()) == ["older-people", "refugees"]
    assert [p.ags for p in practice.places.all()] == ["05913000"]
    assert list(practice.actor_organisations.all()) == [personas.koeln]
    assert practice.actors_text == "Caritas Dortmund"
    assert (practice.period_start, practice.period_end) == (date(2021, 5, 1), date(2021, 7, 1))


def test_csv_windows_1252_semicolon_german_headers(personas):
    data = csv_bytes(
        "Titel;Zusammenfassung;Kommune;Themen;Zielgruppen;Übertragbarkeit;Beginn;Ende;Quellen\n"
        "Bürgertelefon für Ältere;Eine Hotline für Einkaufshilfe.;Köln;Risiko- und Krisenkommunikation;"
        "ältere menschen;Gut übertragbar auf Großstädte.;03/2020;04.2020;"
        "Stadt Köln, Pressemitteilung <https://www.stadt-koeln.de/x> (2020-03-20) (abgerufen 2024-01-05)\n",
        encoding="cp1252",
    )
    report = run(data, personas, actor=personas.charlie, org=personas.koeln)
    assert report.ok, errors(report)
    assert (report.encoding, report.delimiter) == ("cp1252", ";")
    practice = Practice.objects.get(title="Bürgertelefon für Ältere")
    assert practice.transfer_municipalities == "Gut übertragbar auf Großstädte."
    assert [p.name for p in practice.places.all()] == ["Köln"]
    assert [t.code for t in practice.themes.all()] == ["T2"]
    assert [t.code for t in practice.target_groups.all()] == ["older-people"]
    assert (practice.period_start, practice.period_end) == (date(2020, 3, 1), date(2020, 4, 1))
    source = practice.sources.get()
    assert (source.title, source.url, source.published_on, source.accessed_on) == (
        "Stadt Köln, Pressemitteilung", "https://www.stadt-koeln.de/x", date(2020, 3, 20), date(2024, 1, 5))


def test_xlsx_with_numeric_ags_and_dates(personas):
    data = xlsx_bytes([
        ["Titel", "Zusammenfassung", "Kommune", "Beginn", "Phasen", "Evidenzstärke"],
        ["Testzentrum", "Abstriche zu Hause.", 5913000, date(2020, 3, 17), "Krisenbeginn", "Evaluated"],
    ])
    report = run(data, personas, filename="liste.xlsx")
    assert report.ok, errors(report)
    assert report.format == "xlsx"
    practice = Practice.objects.get(title="Testzentrum")
    assert practice.places.get().ags == "05913000"
    assert practice.period_start == date(2020, 3, 1)
    assert practice.evidence_strength.code == "evaluated"
    assert [t.code for t in practice.phases.all()] == ["onset"]


def test_json_list_with_structured_values(personas):
    data = json.dumps([{
        "title": "Gurgeltests", "summary": "PCR zu Hause.", "municipality": ["Wien"], "country": ["AT"],
        "themes": ["T1"], "sources": [{"title": "Bericht", "url": "https://example.org/a", "published_on": "2021-03-26"}],
        "good_practice": [{"criterion": "Niedrigschwellig", "justification": "Abgabe im Supermarkt"}],
        "contact_consent": True, "contact_name": "Frau Beispiel",
    }]).encode()
    report = run(data, personas, filename="x.json")
    assert report.ok, errors(report)
    practice = Practice.objects.get(title="Gurgeltests")
    city = practice.places.get()
    assert (city.kind, city.name, city.country_code) == ("city", "Wien", "AT")
    assert practice.good_practice == [{"criterion": "Niedrigschwellig", "justification": "Abgabe im Supermarkt"}]
    assert practice.contact_consent is True
    assert practice.sources.get().published_on == date(2021, 3, 26)


def test_multi_value_separators_and_vocabulary_forms(personas):
    data = csv_bytes(
        "title;summary;themes;phases;innovation_kinds\n"
        "A;a;t1 | Vulnerable groups;Onset, AKUTE WELLEN;Digital\n"
    )
    report = run(data, personas)
    assert report.ok, errors(report)
    practice = Practice.objects.get(title="A")
    assert sorted(t.code for t in practice.themes.all()) == ["T1", "T3"]
    assert sorted(t.code for t in practice.phases.all()) == ["acute", "onset"]
    assert [t.code for t in practice.innovation_kinds.all()] == ["digital"]


def test_split_and_join_cells_are_inverse():
    for values in (["a"], ["a", "b"], ["Stadt, Feuerwehr"], ["x; y", "z"], ["a|b", "c,d"]):
        assert columns.split_cell(columns.join_cell(values)) == values
    assert columns.split_cell("a;b|c") == ["a", "b|c"]


def test_month_formats():
    assert parse_month("2021-05") == date(2021, 5, 1)
    assert parse_month("2021-05-17") == date(2021, 5, 1)
    assert parse_month("5/2021") == date(2021, 5, 1)
    assert parse_month("17.05.2021") == date(2021, 5, 1)
    assert parse_month("2021-13") is None
    assert parse_month("Frühjahr 2021") is None


# --- bad input: each case with its message --------------------------------------------------------------
def test_wrong_encoding_is_named(personas):
    report = run(b"title;summary\n\x81\x8d;x\n", personas)
    assert errors(report) == [(0, "", "The file is neither UTF-8 nor Windows-1252 text (byte 14 cannot be read).")]
    report = run("title;summary\nA;b\n".encode("utf-16"), personas)
    assert errors(report) == [(0, "", "The file is not a text (CSV) file.")]
    # a renamed program is neither text nor a workbook
    program = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + bytes(200)
    assert errors(run(program, personas, filename="liste.csv")) == [(0, "", "The file is not a text (CSV) file.")]
    assert errors(run(b"title;summary\nA;b\n", personas, filename="liste.xlsx")) == [
        (0, "", "The file is named .xlsx but is not an Excel workbook.")]
    assert Practice.objects.count() == 0


def test_missing_and_unknown_columns(personas):
    report = run(csv_bytes("Titel;Farbe\nA;blau\n"), personas)
    assert errors(report) == [
        (1, "Farbe", "Unknown column “Farbe”."),
        (1, "summary", "The required column “summary” (German: “Zusammenfassung”) is missing."),
    ]
    report = run(csv_bytes("title;Titel;summary\nA;B;c\n"), personas)
    assert errors(report) == [(1, "Titel", "The column “Titel” appears twice (also as “title”).")]


def test_unknown_ags_and_theme_codes(personas):
    data = csv_bytes("title;summary;municipality;themes\nA;a;05999999;T9\nB;b;123;T1\nC;c;Entenhausen;\n")
    report = run(data, personas)
    assert errors(report) == [
        (2, "municipality", "Unknown AGS “05999999”."),
        (2, "themes", "Unknown theme “T9” (allowed: T1, T2, T3; code, German or English label)."),
        (3, "municipality", "“123” is not an AGS: 8 digits for a municipality, 5 for a district, 2 for a state."),
        (4, "municipality", "Unknown German municipality “Entenhausen” (give its AGS)."),
    ]


def test_ambiguous_name_asks_for_the_ags(personas):
    report = run(csv_bytes("title;summary;Kommune\nA;a;München\n"), personas)
    assert errors(report) == [(2, "Kommune", "“München” is ambiguous, give the AGS: 09162 München, Landeshauptstadt; 09184 München.")]


def test_duplicate_rows_in_file_and_against_existing_titles(personas):
    run(csv_bytes("title;summary\nImpfbus;a\n"), personas)
    data = csv_bytes("title;summary\nNeu;a\nneu ;b\nIMPFBUS;c\n")
    report = run(data, personas)
    assert errors(report) == [
        (3, "title", "Duplicate of row 2 (same title and organisation)."),
        (4, "title", "“Stadt Dortmund” already has a practice example with this title."),
    ]
    assert Practice.objects.count() == 1
    # the same title for another organisation is fine
    assert run(csv_bytes("title;summary\nImpfbus;a\n"), personas, org=personas.koeln).ok


def test_period_end_before_start_and_bad_month(personas):
    report = run(csv_bytes("title;summary;Beginn;Ende\nA;a;2021-05;2020-03\nB;b;Frühjahr;\n"), personas)
    assert errors(report) == [
        (2, "Ende", "The end (2020-03) lies before the start (2021-05)."),
        (3, "Beginn", "“Frühjahr” is not a month: write YYYY-MM (e.g. 2021-05)."),
    ]


def test_fifty_megabyte_file_is_refused_before_parsing(personas):
    data = b"title;summary\n" + b"x" * (50 * 1024 * 1024)
    report = run(data, personas)
    assert errors(report) == [(0, "", "The file is 50.0\xa0MB; at most 20.0\xa0MB can be imported.")]
    assert report.format == ""  # never read


def test_bad_sources_values_and_required_cells(personas):
    data = csv_bytes(
        "title;summary;sources;visibility;contact_consent\n"
        ";a;Bericht <ftp://x> ;geheim;vielleicht\n"
        "B;;Bericht (2021-02-30);;\n"
    )
    report = run(data, personas)
    assert errors(report) == [
        (2, "title", "This value is required."),
        (2, "sources", "Source 1: “ftp://x” is not a web address (http:// or https://)."),
        (2, "visibility", "Unknown value “geheim” (allowed: network, private, public)."),
        (2, "contact_consent", "“vielleicht” is not yes or no."),
        (3, "summary", "This value is required."),
        (3, "sources", "Source 1: “2021-02-30” is not a date (YYYY-MM-DD)."),
    ]


def test_model_validation_is_reported_by_row_and_column(personas):
    report = run(csv_bytes(f"title;summary;contact_email\n{'T' * 201};a;kein-mail\n"), personas)
    assert errors(report) == [
        (2, "title", "Ensure this value has at most 200 characters (it has 201)."),
        (2, "contact_email", "Enter a valid email address."),
    ]
    assert Practice.objects.count() == 0


def test_script_in_markdown_is_stored_as_text_and_rendered_inert(personas):
    text = 'Hallo <script>alert("x")</script> [klick](javascript:alert(1)) <img src=x onerror=alert(1)>'
    data = json.dumps([{"title": "Skript", "summary": "<b>s</b>", "description": text}]).encode()
    report = run(data, personas, filename="x.json")
    assert report.ok
    practice = Practice.objects.get(title="Skript")
    assert practice.description == text  # stored as written ...
    html = render_markdown(practice.description)  # ... and rendered inert
    assert "<script" not in html and "<img" not in html and 'href="javascript' not in html
    assert "&lt;script&gt;" in html


def test_access_rules_apply_to_the_importing_user(personas):
    data = csv_bytes("title;summary;organisation;status\nA;a;koeln;\nB;b;;published\nC;c;nirgendwo;\n")
    report = run(data, personas, actor=personas.alice)
    assert errors(report) == [
        (2, "organisation", "You may not add practice examples for “Stadt Köln”."),
        (4, "organisation", "Unknown organisation “nirgendwo”."),
    ]
    row_b = report.rows[1]
    assert row_b.status == "draft"
    assert row_b.notes == ["Will be created as a draft: only the project team imports examples with a status."]


def test_staff_may_import_published_examples(personas):
    data = csv_bytes("title;summary;status;visibility\nA;a;Veröffentlicht;öffentlich\n")
    report = run(data, personas, actor=personas.dora)
    assert report.ok
    practice = Practice.objects.get()
    assert (practice.status, practice.visibility) == ("published", "public")
    assert practice.released_at is not None and practice.is_public


# --- all or nothing, dry run ----------------------------------------------------------------------------
def test_error_in_row_37_stores_nothing(personas):
    lines = ["title;summary;municipality;country"]
    for i in range(2, 42):
        lines.append(f"Beispiel {i};Kurz {i};{'Oslo' if i == 20 else '05913000'};{'NO' if i == 20 else ''}")
    lines[36] = "Beispiel 37;Kurz;05999999;"  # spreadsheet row 37
    report = run(csv_bytes("\n".join(lines) + "\n"), personas)
    assert errors(report) == [(37, "municipality", "Unknown AGS “05999999”.")]
    assert not report.stored and report.created_ids == []
    assert Practice.objects.count() == 0
    assert not Place.objects.filter(kind="city", name="Oslo").exists()  # the new city was rolled back too


def test_dry_run_validates_and_stores_nothing(personas):
    data = csv_bytes("title;summary;municipality;country\nA;a;Oslo;NO\nB;b;05913000;\n")
    report = run(data, personas, dry_run=True)
    assert report.ok and report.dry_run and not report.stored
    assert [(r.row, r.title, r.action, r.place_labels) for r in report.rows] == [
        (2, "A", "create", ["Oslo (NO, new)"]), (3, "B", "create", ["Dortmund"])]
    assert Practice.objects.count() == 0
    assert not Place.objects.filter(kind="city", name="Oslo").exists()
    # the same file imports for real afterwards
    assert run(data, personas).stored
    assert Practice.objects.count() == 2
    assert Place.objects.filter(kind="city", name="Oslo", country_code="NO").count() == 1


def test_country_errors(personas):
    report = run(csv_bytes("title;summary;municipality;country\nA;a;Oslo;XX\nB;b;;AT\nC;c;Wien|Graz|Linz;AT|AT\n"), personas)
    assert errors(report) == [
        (2, "country", "“XX” is not a country code (two letters, ISO 3166-1, e.g. AT, DK)."),
        (3, "country", "A country needs a city in the column “municipality”."),
        (4, "country", "Give one country for all places or one per place (3 places, 2 countries)."),
    ]


def test_json_file_errors(personas):
    assert errors(run(b'[{"title": "A",}]', personas, filename="x.json")) == [
        (0, "", "The JSON file cannot be read: Expecting property name enclosed in double quotes (line 1, column 16).")]
    assert errors(run(b'{"practices": 3}', personas, filename="x.json")) == [
        (0, "", "The JSON file must hold a list of practice examples (or an object with the key “practices”).")]
    assert errors(run(b'[{"title": ["A"], "summary": "s"}]', personas, filename="x.json")) == [
        (1, "title", "Expected text, not a list."), (1, "title", "This value is required.")]


def test_import_messages_are_translated_into_german():
    """The import/export strings are in the app's German catalogue (completeness of every catalogue is
    checked in core/tests/test_catalogues.py)."""
    from django.utils import translation
    from django.utils.translation import gettext

    with translation.override("de"):
        assert gettext("The end (%(end)s) lies before the start (%(start)s).") == "Das Ende (%(end)s) liegt vor dem Beginn (%(start)s)."


def test_excel_sep_line_is_skipped_and_rows_count_from_the_file(personas):
    data = csv_bytes("sep=;\ntitle;summary;themes\nA;a;T1\nB;b;T8\n")
    report = run(data, personas)
    assert errors(report) == [(4, "themes", "Unknown theme “T8” (allowed: T1, T2, T3; code, German or English label).")]
    assert run(csv_bytes("sep=;\ntitle;summary\nA;a\n"), personas).stored
