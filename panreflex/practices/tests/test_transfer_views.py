"""Import page (upload, dry run, confirm, error report), export view and the import command."""

from __future__ import annotations

import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from panreflex.accounts.models import Visibility
from panreflex.practices.models import Practice
from panreflex.practices.transfer import staging

from .factories import make_practice

pytestmark = pytest.mark.django_db
URL = "/praxisbeispiele/import/"
CSV_1252 = "Titel;Zusammenfassung;Kommune;Themen\nHitzetelefon für Ältere;Anrufe bei Hitze.;05913000;T3\n".encode("cp1252")


@pytest.fixture(autouse=True)
def english(settings):
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


def upload(name="liste.csv", data=CSV_1252):
    return SimpleUploadedFile(name, data, content_type="text/csv")


def test_urls():
    assert reverse("practices:import") == URL
    assert reverse("practices:export") == "/praxisbeispiele/export/"


def test_import_page_is_for_editors_and_staff(client_for):
    assert client_for("alice").get(URL).status_code == 200
    assert client_for("dora").get(URL).status_code == 200
    assert client_for("bob").get(URL).status_code == 404
    response = client_for("eve").get(URL)
    assert response.status_code == 302 and "/konto/anmelden/" in response["Location"]


def test_dry_run_then_import_without_uploading_again(client_for, personas):
    client = client_for("alice")
    response = client.post(URL, {"file": upload(), "organisation": personas.dortmund.pk, "dry_run": "on"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Dry run: the file can be imported" in html
    assert "Hitzetelefon für Ältere" in html and "would be created" in html
    assert "Import 1 practice example now" in html
    assert 'The file “liste.csv” from your last upload is kept' in html
    assert Practice.objects.count() == 0
    # confirm: only the organisation is posted, the staged file is used
    response = client.post(URL, {"organisation": personas.dortmund.pk})
    assert response.status_code == 200
    practice = Practice.objects.get()
    assert (practice.title, practice.organisation, practice.created_by) == (
        "Hitzetelefon für Ältere", personas.dortmund, personas.alice)
    assert "1 practice example was imported." in response.content.decode()
    assert staging.SESSION_KEY not in client.session


def test_error_report_names_row_and_column_and_keeps_the_choice(client_for, personas):
    data = b"title;summary;themes\nA;a;T1\nB;b;T7\n"
    response = client_for("alice").post(URL, {"file": upload(data=data), "organisation": personas.dortmund.pk})
    html = response.content.decode()
    assert "The file was not imported" in html
    assert "1 problem found. Nothing was stored." in html
    assert '<td class="num">3</td><td>themes</td><td>Unknown theme “T7” (allowed: T1, T2, T3; code, German or English label).</td>' in html
    assert f'<option value="{personas.dortmund.pk}" selected>' in html
    assert Practice.objects.count() == 0


def test_file_too_large_is_refused_before_reading(client_for, personas, settings):
    settings.MAX_UPLOAD_BYTES = 1000
    response = client_for("alice").post(URL, {"file": upload(data=b"x" * 1001), "organisation": personas.dortmund.pk})
    assert "The file is 1001\xa0bytes; at most 1000\xa0bytes can be imported." in response.content.decode()
    assert staging.SESSION_KEY not in response.wsgi_request.session


def test_only_own_organisations_can_be_chosen(client_for, personas):
    response = client_for("alice").post(URL, {"file": upload(), "organisation": personas.koeln.pk})
    assert "Select a valid choice." in response.content.decode()
    assert Practice.objects.count() == 0


def test_missing_file(client_for, personas):
    response = client_for("alice").post(URL, {"organisation": personas.dortmund.pk})
    assert "Choose a file." in response.content.decode()


def test_report_escapes_what_the_file_says(client_for, personas):
    data = b"title;summary\n<script>alert(1)</script>;x\n"
    html = client_for("alice").post(URL, {"file": upload(data=data), "organisation": personas.dortmund.pk,
                                          "dry_run": "on"}).content.decode()
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html


# --- export -----------------------------------------------------------------------------------------
@pytest.fixture
def practices(personas):
    return {
        "public": make_practice(organisation=personas.dortmund, title="Öffentlich", status=Practice.Status.PUBLISHED,
                                visibility=Visibility.PUBLIC),
        "private": make_practice(organisation=personas.dortmund, title="Privat Dortmund"),
        "koeln": make_practice(organisation=personas.koeln, title="Privat Köln"),
    }


def exported_titles(response) -> list[str]:
    data = json.loads(response.content)
    return sorted(p["title"] for p in data["practices"])


def test_export_contains_only_what_the_viewer_may_see(client_for, practices):
    url = "/praxisbeispiele/export/?format=json"
    assert exported_titles(client_for("eve").get(url)) == ["Öffentlich"]
    assert exported_titles(client_for("bob").get(url)) == ["Privat Dortmund", "Öffentlich"]
    assert exported_titles(client_for("dora").get(url)) == ["Privat Dortmund", "Privat Köln", "Öffentlich"]


def test_export_formats_and_headers(client_for, practices, django_assert_max_num_queries):
    client = client_for("dora")
    with django_assert_max_num_queries(20):
        response = client.get("/praxisbeispiele/export/?format=xlsx")
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response["Content-Disposition"].startswith('attachment; filename="praxisbeispiele-')
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet.max_row == 4
    response = client.get("/praxisbeispiele/export/?format=csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response.content.startswith(b"\xef\xbb\xbfexternal_key;organisation;title;")
    assert client.get("/praxisbeispiele/export/?format=exe").status_code == 400


def test_empty_template(client_for, practices):
    response = client_for("dora").get("/praxisbeispiele/export/?format=xlsx&template=1")
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet.max_row == 1
    assert [c.value for c in sheet[1]][:5] == ["external_key", "organisation", "title", "title_en", "summary"]
    response = client_for("eve").get("/praxisbeispiele/export/?format=csv&template=1", HTTP_ACCEPT_LANGUAGE="de")
    assert response.content.decode("utf-8-sig").startswith("Externer Schlüssel;Organisation;Titel;")
    assert response.content.decode("utf-8-sig").count("\n") == 1


def test_export_query_count_does_not_grow_with_the_result(client_for, personas, django_assert_max_num_queries):
    for i in range(30):
        make_practice(organisation=personas.dortmund, title=f"Beispiel {i}", m2m={"places": [personas.dortmund.place]},
                      sources=[{"title": f"Quelle {i}", "url": "https://example.org"}])
    client = client_for("alice")
    with django_assert_max_num_queries(20):
        response = client.get("/praxisbeispiele/export/?format=json")
    assert len(json.loads(response.content)["practices"]) == 30


def test_export_follows_the_search_query(client_for, personas, practices):
    t1 = make_practice(organisation=personas.dortmund, title="Mit Thema")
    from panreflex.taxonomy.models import Term

    t1.themes.set([Term.objects.get(vocabulary="theme", code="T1")])
    titles = exported_titles(client_for("alice").get("/praxisbeispiele/export/?format=json&theme=T1"))
    assert titles == ["Mit Thema"]


# --- command ----------------------------------------------------------------------------------------
def test_command_dry_run_and_import(tmp_path, personas):
    path = tmp_path / "liste.csv"
    path.write_bytes(CSV_1252)
    out = io.StringIO()
    call_command("import_practices", str(path), "--organisation", "dortmund", "--dry-run", stdout=out)
    assert "row 2: would create Hitzetelefon für Ältere (Stadt Dortmund)" in out.getvalue()
    assert "Dry run: 1 to create, 0 skipped; nothing stored." in out.getvalue()
    assert Practice.objects.count() == 0
    call_command("import_practices", str(path), "--organisation", "dortmund", "--as-user", "alice@example.org", stdout=out)
    assert Practice.objects.get().created_by == personas.alice


def test_command_errors(tmp_path, personas):
    path = tmp_path / "liste.csv"
    path.write_bytes(b"title;summary;themes\nA;a;T9\n")
    err = io.StringIO()
    with pytest.raises(CommandError, match=r"1 problem\(s\); nothing was imported."):
        call_command("import_practices", str(path), "--organisation", "dortmund", stderr=err)
    assert "row 2, column themes: Unknown theme “T9”" in err.getvalue()
    with pytest.raises(CommandError, match="Unknown organisation: nowhere"):
        call_command("import_practices", str(path), "--organisation", "nowhere")
    with pytest.raises(CommandError, match="Unknown or inactive user: x@example.org"):
        call_command("import_practices", str(path), "--as-user", "x@example.org")
    with pytest.raises(CommandError, match="No such file"):
        call_command("import_practices", str(tmp_path / "missing.csv"))
    big = tmp_path / "big.csv"
    with open(big, "wb") as handle:
        handle.truncate(50 * 1024 * 1024)
    with pytest.raises(CommandError, match="The file is 50.0\xa0MB; at most 20.0\xa0MB can be imported."):
        call_command("import_practices", str(big), "--organisation", "dortmund")
    # the editor of Dortmund may not import for Köln
    with pytest.raises(CommandError):
        call_command("import_practices", str(path), "--organisation", "koeln", "--as-user", "alice@example.org",
                     stderr=err)
    assert "You may not add practice examples for “Stadt Köln”." in err.getvalue()
