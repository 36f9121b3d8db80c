"""Results, cross-tabs with suppression, PDF report, raw-data exports and query counts."""

import io

import openpyxl
import pytest

from panreflex.places.models import Place
from panreflex.surveys import exports
from panreflex.surveys.models import Response
from panreflex.surveys.selectors import Filters, crosstab, question_result, response_base
from panreflex.surveys.services import answers as svc
from panreflex.surveys.services.fieldwork import invitations_create

from .factories import answer, make_survey

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english(english):
    """Every test of this module in English (see conftest)."""


@pytest.fixture
def answered(personas):
    """A survey answered by 12 NRW municipalities: 6 large cities (xl/l) and 6 smaller."""
    survey = make_survey(personas.research)
    places = list(Place.objects.filter(kind="municipality", ags__startswith="05", population__gte=100000).order_by("-population")[:7])
    places += list(Place.objects.filter(kind="municipality", ags__startswith="05", population__lt=20000).order_by("name")[:5])
    invs = invitations_create(actor=None, survey=survey, places=places)
    for i, inv in enumerate(invs):
        r = svc.response_start(link=svc.resolve_token(inv.token))
        answer(r, {"q_single": "abc"[i % 3], "q_multi": ["x", "y"] if i % 2 else ["z"],
                   "q_num": str(10 + i), "q_yesno": "yes" if i < 8 else "no",
                   **({"q_follow": f"Antwort {i}"} if i < 8 else {}), "m_a": str(1 + i % 5), "m_b": "3",
                   "q_rank": {"r1": 1 + i % 3, "r2": 1 + (i + 1) % 3, "r3": 1 + (i + 2) % 3}, "q_long": f"Lang {i} Krisenstab" if i % 4 == 0 else ""}, submit=False)
        if i == 4:
            from django.http import QueryDict

            fd = svc.form_for(r.version)
            data = QueryDict(mutable=True)
            data[svc.field_name(fd.by_name["q_single"], 0)] = "other"
            data[svc.field_name(fd.by_name["q_single"], 0) + "-other"] = "Feuerwehr"
            assert not svc.section_save(response=r, items=[(fd.by_name["q_single"], 0)], data=data)
        svc.response_submit(response=r)
    return survey


def test_counts_and_percentages(answered):
    version = answered.versions.get()
    fd = svc.form_for(version)
    base = response_base(answered, version)
    assert base.count() == 12
    single = question_result(fd, fd.by_name["q_single"], base)
    assert dict(single.rows) == {"Option A": 4, "Option B": 3, "Option C": 4, "Other": 1}
    assert single.texts == ["Feuerwehr"]
    assert "role=\"img\"" in single.chart.svg and "<title" in single.chart.svg
    multi = question_result(fd, fd.by_name["q_multi"], base)
    assert dict(multi.rows) == {"Option X": 6, "Option Y": 6, "Option Z": 6, "Other": 0} and multi.answered == 12
    num = question_result(fd, fd.by_name["q_num"], base)
    assert num.stats == {"n": 12, "mean": 15.5, "min": 10.0, "max": 21.0}
    matrix = question_result(fd, fd.by_name["m"], base)
    assert matrix.answered == 12 and "Question m_a" in matrix.chart.table and "Question m_b" in matrix.chart.table
    text = question_result(fd, fd.by_name["q_long"], base, text_query="krisenstab")
    assert text.answered == 3 and len(text.texts) == 3
    rank = question_result(fd, fd.by_name["q_rank"], base)
    assert rank.answered == 12 and sum(n for _l, n in rank.rows) == 12


def test_filters(answered):
    version = answered.versions.get()
    fd = svc.form_for(version)
    assert response_base(answered, version, Filters(size_class="xs")).count() == 5
    assert response_base(answered, version, Filters(item=fd.by_name["q_yesno"], code="no")).count() == 4
    assert response_base(answered, version, Filters(item=fd.by_name["q_multi"], code="z")).count() == 6


def test_crosstab_suppresses_small_groups(answered):
    version = answered.versions.get()
    fd = svc.form_for(version)
    base = response_base(answered, version)
    table = crosstab(fd, fd.by_name["q_yesno"], "size_class", base)
    # 5 small towns (xs) are shown (exactly 5), large city groups with fewer than 5 are suppressed
    shown = {label: total for label, _counts, total in table.rows}
    assert all(total >= 5 for total in shown.values())
    assert table.suppressed_answers + sum(shown.values()) == 12
    assert table.suppressed >= 1
    by_question = crosstab(fd, fd.by_name["q_multi"], "q_yesno", base)
    assert [(label, total) for label, _c, total in by_question.rows] == [("Yes", 8)]
    assert by_question.suppressed == 1 and by_question.suppressed_answers == 4
    assert crosstab(fd, fd.by_name["q_num"], "state", base) is None


def test_results_pages_and_query_counts(answered, client_for, django_assert_max_num_queries):
    client = client_for("dora")
    with django_assert_max_num_queries(45):
        resp = client.get(f"/befragungen/{answered.pk}/ergebnisse/")
    assert resp.status_code == 200
    html = resp.content.decode()
    assert html.count('role="img"') >= 6 and "<caption>" in html
    resp = client.get(f"/befragungen/{answered.pk}/ergebnisse/frage/q_single/?by=size_class")
    assert resp.status_code == 200 and "fewer than 5 answers" in resp.content.decode()
    resp = client.get(f"/befragungen/{answered.pk}/ergebnisse/frage/q_long/?q=Krisenstab")
    assert "3 answers contain “Krisenstab”." in resp.content.decode()
    assert client.get(f"/befragungen/{answered.pk}/ergebnisse/frage/nope/").status_code == 404
    pdf = client.get(f"/befragungen/{answered.pk}/ergebnisse/bericht.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


def test_open_answers_only_for_editors(answered, client_for):
    resp = client_for("charlie").get(f"/befragungen/{answered.pk}/ergebnisse/frage/q_long/?q=Krisenstab")
    assert resp.status_code == 200 and "Lang 0" not in resp.content.decode()
    assert client_for("charlie").get(f"/befragungen/{answered.pk}/ergebnisse/daten.xlsx").status_code == 404
    assert "Lang 0" in client_for("dora").get(f"/befragungen/{answered.pk}/ergebnisse/frage/q_long/").content.decode()


def test_xlsx_export_codes_labels_and_repeats(answered, client_for):
    r = Response.objects.filter(survey=answered).first()
    # a repeat entry added through the service before submission is not possible now: add to a new response
    version = answered.versions.get()
    fd = svc.form_for(version)
    client = client_for("dora")
    resp = client.get(f"/befragungen/{answered.pk}/ergebnisse/daten.xlsx")
    assert resp.status_code == 200
    wb = openpyxl.load_workbook(io.BytesIO(resp.content))
    assert wb.sheetnames == ["responses", "r"]
    ws = wb["responses"]
    header = [c.value for c in ws[1]]
    assert header[:8] == exports.META
    for col in ("q_multi/x", "q_multi/y", "q_multi/z", "q_multi/other", "q_multi_other", "q_rank/r1", "q_single_other"):
        assert col in header
    rows = list(ws.iter_rows(min_row=3, values_only=True))
    assert len(rows) == 12
    first = dict(zip(header, rows[0], strict=False))
    assert first["response_id"] == r.pk and first["q_single"] in ("a", "b", "c", "other")
    assert first["q_multi/z"] in (0, 1)
    labelled = openpyxl.load_workbook(io.BytesIO(client.get(
        f"/befragungen/{answered.pk}/ergebnisse/daten.xlsx?values=labels").content))["responses"]
    lheader = [c.value for c in labelled[1]]
    values = {v for v in (row[lheader.index("q_single")] for row in labelled.iter_rows(min_row=3, values_only=True))}
    assert values <= {"Option A", "Option B", "Option C", "Other"}
    assert fd.by_name["r_name"]


def test_csv_and_sav_exports(answered, client_for):
    client = client_for("dora")
    csv = client.get(f"/befragungen/{answered.pk}/ergebnisse/daten.csv").content.decode("utf-8-sig")
    lines = csv.strip().splitlines()
    assert len(lines) == 13 and lines[0].startswith("response_id;status;")
    sav = client.get(f"/befragungen/{answered.pk}/ergebnisse/daten.sav")
    assert sav.status_code == 200
    import tempfile

    import pyreadstat

    with tempfile.NamedTemporaryFile(suffix=".sav") as f:
        f.write(sav.content)
        f.flush()
        data, meta = pyreadstat.read_sav(f.name, output_format="dict")
    assert len(data["response_id"]) == 12
    assert meta.variable_value_labels["q_single"] == {1.0: "Option A", 2.0: "Option B", 3.0: "Option C", 4.0: "Other"}
    assert meta.column_names_to_labels["q_num"] == "Question q_num"
    assert "q_multi_x" in data


def test_formula_injection_is_neutralised(personas):
    survey = make_survey(personas.research)
    inv = invitations_create(actor=None, survey=survey, people=[("", "x@example.org")])[0]
    r = svc.response_start(link=svc.resolve_token(inv.token))
    answer(r, {"q_single": "a", "q_long": "=HYPERLINK(\"http://evil\")"})
    version = survey.versions.get()
    sheets = exports.build_sheets(svc.form_for(version), response_base(survey, version))
    wb = openpyxl.load_workbook(io.BytesIO(exports.to_xlsx(sheets)))
    header = [c.value for c in wb["responses"][1]]
    assert wb["responses"].cell(row=3, column=header.index("q_long") + 1).value.startswith("'=")



def test_batched_results_page_matches_per_question_results(answered):
    from panreflex.surveys.selectors import results

    version = answered.versions.get()
    fd = svc.form_for(version)
    base = response_base(answered, version)
    for batched in results(fd, base):
        single = question_result(fd, batched.item, base, text_limit=5)
        assert (batched.answered, batched.rows, batched.stats) == (single.answered, single.rows, single.stats), batched.item.name
        assert (batched.chart is None) == (single.chart is None)
