"""The 36 documented examples (default content), export in three formats and the round trip
export → import, formula injection."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pytest
from django.utils import translation
from openpyxl import load_workbook

from panreflex.accounts.demo import load_demo_accounts
from panreflex.accounts.models import Visibility
from panreflex.practices.demo import DATA_FILE, load_demo_practices
from panreflex.practices.models import Practice
from panreflex.practices.transfer.exporter import export_queryset, practice_record, practices_export
from panreflex.practices.transfer.importer import practices_import
from panreflex.testing.factories import OrganisationFactory

from .factories import make_practice

pytestmark = pytest.mark.django_db
FACTS = Path("/work/shared/data/practices/facts.md")


@pytest.fixture
def demo(db):
    load_demo_accounts()
    load_demo_practices()
    return Practice.objects.all()


def records(ids: list[int] | None = None) -> list[dict]:
    if ids is None:
        ids = list(Practice.objects.order_by("external_key").values_list("pk", flat=True))
    return sorted((practice_record(p) for p in export_queryset(ids)), key=lambda r: r["external_key"])


def move_away(queryset) -> None:
    """Hand the originals to another organisation (instead of deleting them), so that the import of
    the export does not meet their titles and keys."""
    archive = OrganisationFactory(name="Archiv", slug="archiv")
    queryset.update(organisation=archive)


def test_the_36_examples_load_published_and_public(demo):
    assert demo.count() == 36
    assert set(demo.values_list("status", "visibility")) == {("published", "public")}
    assert all(p.is_public for p in demo)
    assert sorted(demo.values_list("external_key", flat=True)) == [f"facts-{n:02d}" for n in range(1, 37)]
    owners = dict(demo.values_list("external_key", "organisation__slug"))
    assert owners["facts-01"] == "essen" and owners["facts-04"] == "koeln" and owners["facts-09"] == "duesseldorf"
    assert owners["facts-15"] == "gelsenkirchen" and owners["facts-17"] == "dortmund"
    assert owners["facts-14"] == "projektteam" and owners["facts-27"] == "projektteam"
    international = [p.external_key for p in demo if p.is_international]
    assert sorted(international) == [f"facts-{n}" for n in range(27, 37)]
    barcelona = demo.get(external_key="facts-36")
    assert sorted((p.name, p.country_code) for p in barcelona.places.all()) == [("Barcelona", "ES"), ("Newham", "GB")]


def test_the_examples_keep_sources_themes_and_uncertainty_marks(demo):
    facts = FACTS.read_text(encoding="utf-8") if FACTS.exists() else None
    rows = {}
    if facts:
        for line in facts.splitlines():
            match = re.match(r"^\| (\d+) \|", line)
            if match:
                rows[int(match.group(1))] = line.split("|")
    for practice in demo.prefetch_related("themes", "sources"):
        number = int(practice.external_key.split("-")[1])
        assert practice.summary_en and practice.title_en
        assert practice.sources.count() >= 1
        if rows:
            cells = rows[number]
            assert sorted(t.code for t in practice.themes.all()) == sorted(set(re.findall(r"T[123]", cells[3])))
            assert practice.sources.count() == len([s for s in cells[9].split(" ; ") if s.strip()])
            if "⚠" in "|".join(cells):
                assert "⚠" in practice.uncertainty_notes, practice.external_key
    # complete addresses are links, shortened ones (…) are kept as text only
    wdr = demo.get(external_key="facts-01").sources.first()
    assert (wdr.title, wdr.url) == ("www1.wdr.de/nachrichten/ruhrgebiet/krisenzentrum-essen-100.html",
                                    "https://www1.wdr.de/nachrichten/ruhrgebiet/krisenzentrum-essen-100.html")
    assert all(not s.url for s in demo.get(external_key="facts-05").sources.all())


def test_loading_twice_creates_no_duplicates_and_keeps_changes(demo):
    practice = demo.get(external_key="facts-07")
    Practice.objects.filter(pk=practice.pk).update(summary="Von Nutzer*innen geändert.")
    load_demo_practices()
    assert Practice.objects.count() == 36
    assert Practice.objects.get(pk=practice.pk).summary == "Von Nutzer*innen geändert."
    report = practices_import(data=DATA_FILE.read_bytes(), filename="practices.json", actor=None)
    assert report.ok and len(report.skipped) == 36 and report.to_create == []


def test_default_content_file_is_in_the_export_format(demo):
    shipped = json.loads(DATA_FILE.read_text(encoding="utf-8"))
    content, _type, _name = practices_export(practices=export_queryset(
        list(Practice.objects.order_by("external_key").values_list("pk", flat=True))), fmt="json")
    exported = json.loads(content)
    assert shipped["format"] == exported["format"] == "panreflex-practices"
    assert set(shipped["practices"][0]) == set(exported["practices"][0])


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "json"])
def test_round_trip_export_then_import_gives_the_same_examples(demo, fmt):
    before = records()
    with translation.override("de"):
        content, _type, filename = practices_export(practices=export_queryset(
            list(Practice.objects.order_by("external_key").values_list("pk", flat=True))), fmt=fmt)
    move_away(Practice.objects.all())
    report = practices_import(data=content, filename=filename, actor=None)
    assert report.ok, [(e.row, e.column, e.message) for e in report.errors[:5]]
    assert len(report.created_ids) == 36
    assert records(report.created_ids) == before


def test_round_trip_of_awkward_values(personas):
    practice = make_practice(
        organisation=personas.dortmund, author=personas.alice, title="=HYPERLINK(\"http://evil\")",
        summary="-2+3 als Formel", actors_text="Feuerwehr; Rettungsdienst\nStadt, Amt 32",
        good_practice=[{"criterion": "Schnell", "justification": "in 2 Tagen: fertig"}],
        sources=[{"title": "Bericht, Teil 1", "url": "https://example.org/a?b=1,2", "published_on": "2021-01-02"}],
        contact_name="Erika Muster", contact_email="erika@example.org", contact_consent=True,
        description="Zeile 1\n\n- Punkt; mit Semikolon\n- @Erwähnung",
    )
    before = practice_record(practice)
    for fmt in ("csv", "xlsx", "json"):
        content, _type, filename = practices_export(practices=export_queryset([practice.pk]), fmt=fmt)
        move_away(Practice.objects.filter(pk=practice.pk))
        report = practices_import(data=content, filename=filename, actor=None)
        assert report.ok, (fmt, [(e.row, e.column, e.message) for e in report.errors])
        practice = Practice.objects.get(pk=report.created_ids[0])
        assert practice_record(practice) == before, fmt
        OrganisationFactory._meta.model.objects.filter(slug="archiv").update(slug=f"archiv-{fmt}", name=f"Archiv {fmt}")


def test_formula_injection_is_neutralised_in_csv_and_xlsx(personas):
    practice = make_practice(organisation=personas.dortmund, title="=1+1", summary="@SUM(A1)",
                             status=Practice.Status.PUBLISHED, visibility=Visibility.PUBLIC)
    csv_text = practices_export(practices=export_queryset([practice.pk]), fmt="csv")[0].decode("utf-8-sig")
    assert ";'=1+1;" in csv_text and ";'@SUM(A1);" in csv_text
    wb = load_workbook(io.BytesIO(practices_export(practices=export_queryset([practice.pk]), fmt="xlsx")[0]))
    cells = [c.value for c in wb.active[2]]
    assert "'=1+1" in cells and "'@SUM(A1)" in cells
    assert all(not (isinstance(v, str) and v.startswith(("=", "+", "@"))) for v in cells)


def test_contact_persons_without_consent_are_not_exported(personas):
    practice = make_practice(organisation=personas.dortmund, contact_name="Max Geheim", contact_email="max@example.org",
                             contact_consent=False)
    record = practice_record(practice)
    assert (record["contact_name"], record["contact_email"], record["contact_consent"]) == ("", "", False)
