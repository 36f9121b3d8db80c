"""Views: editing forms with good and bad input, review through the UI, lists and their query counts."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from panreflex.accounts.models import Visibility
from panreflex.practices import services_workflow as wf
from panreflex.practices.models import Practice, PracticeAttachment
from panreflex.practices.services_lists import collection_create, collection_item_add, watchlist_toggle

from .factories import make_practice, term

S = Practice.Status
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 200


@pytest.fixture(autouse=True)
def _german(settings):
    settings.LANGUAGE_CODE = "de"
    with translation.override("de"):
        yield


def form_data(**overrides):
    data = {
        "title": "Mobile Impfteams in Hochhäusern",
        "summary": "Impfteams gingen von Tür zu Tür.",
        "visibility": "public",
        "period_start": "2021-06",
        "period_end": "2021-10",
        "description": "Text",
        "sources-TOTAL_FORMS": "2", "sources-INITIAL_FORMS": "0", "sources-MIN_NUM_FORMS": "0", "sources-MAX_NUM_FORMS": "30",
        "sources-0-title": "Stadt Dortmund, Pressemitteilung", "sources-0-url": "https://www.dortmund.de/",
        "sources-0-published_on": "2021-06-02",
        "criteria-TOTAL_FORMS": "1", "criteria-INITIAL_FORMS": "0", "criteria-MIN_NUM_FORMS": "0", "criteria-MAX_NUM_FORMS": "15",
        "criteria-0-criterion": "Aufsuchend", "criteria-0-justification": "Geht dorthin, wo Menschen leben.",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def test_create_practice_through_form(personas, client_for):
    client = client_for("alice")
    data = form_data(organisation=personas.dortmund.pk, themes=[term("theme", "T3").pk])
    response = client.post(reverse("practices:create"), data)
    practice = Practice.objects.get()
    assert response.status_code == 302 and response["Location"] == practice.get_absolute_url()
    assert practice.period_start == date(2021, 6, 1) and practice.status == S.DRAFT
    assert practice.good_practice == [{"criterion": "Aufsuchend", "justification": "Geht dorthin, wo Menschen leben."}]
    assert [s.title for s in practice.sources.all()] == ["Stadt Dortmund, Pressemitteilung"]
    assert list(practice.themes.values_list("code", flat=True)) == ["T3"]


def test_create_refuses_foreign_organisation(personas, client_for):
    response = client_for("alice").post(reverse("practices:create"), form_data(organisation=personas.koeln.pk))
    assert response.status_code == 200
    assert "Bitte eine gültige Auswahl treffen. Dies ist keine gültige Auswahl." in response.content.decode()
    assert not Practice.objects.exists()


def test_bad_input_keeps_values_and_lists_errors(personas, client_for):
    data = form_data(organisation=personas.dortmund.pk, title="x" * 201, period_start="2022-05",
                     period_end="2021-01", **{"sources-1-url": "https://example.org/ohne-titel"})
    response = client_for("alice").post(reverse("practices:create"), data)
    html = response.content.decode()
    assert response.status_code == 200 and not Practice.objects.exists()
    assert 'class="error-summary"' in html
    assert "Der Endmonat darf nicht vor dem Anfangsmonat liegen." in html
    assert "Bitte sicherstellen, dass der Wert aus höchstens 200 Zeichen besteht. (Er besteht aus 201 Zeichen.)" in html
    assert "Geben Sie der Quelle einen Titel." in html
    assert 'value="2022-05"' in html and 'value="2021-01"' in html  # values kept
    assert 'value="https://example.org/ohne-titel"' in html


def test_invalid_month_message(personas, client_for):
    data = form_data(organisation=personas.dortmund.pk, period_start="März 2021")
    html = client_for("alice").post(reverse("practices:create"), data).content.decode()
    assert "Geben Sie einen Monat als JJJJ-MM ein, z. B. 2021-03." in html


def test_script_in_markdown_is_inert(personas, client_for):
    practice = make_practice(organisation=personas.dortmund, author=personas.alice, status=S.PUBLISHED,
                             visibility=Visibility.PUBLIC,
                             description='<script>alert(1)</script>\n\n[klick](javascript:alert(2)) <img src=x onerror=alert(3)> **ok**')
    html = client_for("eve").get(practice.get_absolute_url()).content.decode()
    assert "<script>alert(1)" not in html
    assert 'href="javascript' not in html
    assert "<img src=x" not in html and "&lt;img src=x onerror=alert(3)&gt;" in html  # shown as text
    assert "<strong>ok</strong>" in html


def test_edit_page_shows_reviewer_comments(personas, client_for):
    practice = make_practice(organisation=personas.dortmund, author=personas.alice)
    wf.practice_submit(practice=practice, actor=personas.alice)
    wf.practice_review_take(practice=practice, reviewer=personas.charlie)
    wf.practice_review(practice=practice, reviewer=personas.charlie, decision="changes",
                       comments=[("summary", "Bitte die Zahl der Impfungen nennen.")])
    html = client_for("alice").get(reverse("practices:edit", kwargs={"pk": practice.pk})).content.decode()
    assert "Von der Prüfer*in erbetene Änderungen" in html
    assert "Bitte die Zahl der Impfungen nennen." in html


def test_review_through_ui(personas, client_for):
    practice = make_practice(organisation=personas.dortmund, author=personas.alice, visibility=Visibility.PUBLIC)
    alice, charlie = client_for("alice"), client_for("charlie")
    assert alice.post(reverse("practices:transition", kwargs={"pk": practice.pk, "action": "submit"})).status_code == 302
    # alice may not take her own organisation's example: 404 (no review rights)
    assert alice.post(reverse("practices:transition", kwargs={"pk": practice.pk, "action": "take"})).status_code == 404
    response = charlie.post(reverse("practices:transition", kwargs={"pk": practice.pk, "action": "take"}))
    assert response["Location"] == reverse("practices:review", kwargs={"pk": practice.pk})
    data = {"decision": "changes", "summary": "", "comments-TOTAL_FORMS": "1", "comments-INITIAL_FORMS": "0",
            "comments-MIN_NUM_FORMS": "0", "comments-MAX_NUM_FORMS": "30", "comments-0-field": "", "comments-0-text": ""}
    html = charlie.post(reverse("practices:review", kwargs={"pk": practice.pk}), data).content.decode()
    assert "Sagen Sie, was sich ändern soll" in html
    data.update({"decision": "approve", "comments-0-field": "title", "comments-0-text": "Passt."})
    assert charlie.post(reverse("practices:review", kwargs={"pk": practice.pk}), data).status_code == 302
    practice.refresh_from_db()
    assert practice.status == S.PUBLISHED and practice.released_at is not None
    assert client_for("eve").get(practice.get_absolute_url()).status_code == 200


def test_refused_transition_shows_message(personas, client_for):
    practice = make_practice(organisation=personas.dortmund, author=personas.alice)
    client = client_for("alice")
    response = client.post(reverse("practices:transition", kwargs={"pk": practice.pk, "action": "archive"}), follow=True)
    assert "Nur veröffentlichte Beispiele, die nicht gerade geprüft werden, können archiviert werden" in response.content.decode()


def test_unknown_transition_is_404(personas, client_for):
    practice = make_practice(organisation=personas.dortmund, author=personas.alice)
    assert client_for("alice").post(reverse("practices:transition", kwargs={"pk": practice.pk, "action": "explode"})).status_code == 404


def test_attachment_upload_checks_content(personas, client_for):
    practice = make_practice(organisation=personas.dortmund, author=personas.alice)
    url = reverse("practices:attachment_upload", kwargs={"pk": practice.pk})
    client = client_for("alice")
    fake = SimpleUploadedFile("bericht.pdf", EXE, content_type="application/pdf")
    html = client.post(url, {"title": "Bericht", "file": fake}).content.decode()
    assert "Die Datei „bericht.pdf“ hat ihrem Inhalt nach keinen erlaubten Typ (application/x-msdownload). " \
           "Erlaubt: .gif, .jpg, .pdf, .png, .webp." in html
    assert not PracticeAttachment.objects.exists()
    good = SimpleUploadedFile("bericht.pdf", PDF, content_type="application/pdf")
    assert client.post(url, {"title": "Bericht", "file": good}).status_code == 302
    attachment = PracticeAttachment.objects.get()
    assert attachment.content_type == "application/pdf" and attachment.extension == ".pdf"
    download = client.get(reverse("practices:attachment", kwargs={"pk": practice.pk, "attachment_id": attachment.pk}))
    assert download.status_code == 200 and b"".join(download.streaming_content).startswith(b"%PDF")
    assert client_for("charlie").get(
        reverse("practices:attachment", kwargs={"pk": practice.pk, "attachment_id": attachment.pk})).status_code == 404
    delete_url = reverse("practices:attachment_delete", kwargs={"pk": practice.pk, "attachment_id": attachment.pk})
    assert "Die Datei wird gelöscht" in client.get(delete_url).content.decode()
    assert client.post(delete_url).status_code == 302 and not PracticeAttachment.objects.exists()


def test_attachment_too_large(personas, client_for, settings):
    settings.MAX_UPLOAD_BYTES = 100
    practice = make_practice(organisation=personas.dortmund, author=personas.alice)
    big = SimpleUploadedFile("gross.pdf", PDF + b"0" * 200, content_type="application/pdf")
    html = client_for("alice").post(reverse("practices:attachment_upload", kwargs={"pk": practice.pk}),
                                    {"file": big}).content.decode()
    assert "höchstens" in html and not PracticeAttachment.objects.exists()


def test_staged_edit_through_ui_keeps_public_version(personas, client_for):
    practice = make_practice(organisation=personas.dortmund, author=personas.alice, status=S.PUBLISHED,
                             visibility=Visibility.PUBLIC)
    response = client_for("alice").post(reverse("practices:edit", kwargs={"pk": practice.pk}),
                                        form_data(title="Geänderter Titel"), follow=True)
    assert "Die Öffentlichkeit sieht weiter die veröffentlichte Version" in response.content.decode()
    assert "Geänderter Titel" not in client_for("eve").get(practice.get_absolute_url()).content.decode()
    edit_html = client_for("alice").get(reverse("practices:edit", kwargs={"pk": practice.pk})).content.decode()
    assert 'value="Geänderter Titel"' in edit_html  # the form continues from the staged version


def test_diff_page_marks_changes(personas, client_for):
    practice = make_practice(organisation=personas.dortmund, author=personas.alice,
                             summary="Ein Bus brachte Impfungen in die Stadtteile Nordstadt und Eving.")
    from panreflex.practices.services import practice_update

    practice_update(practice=practice, author=personas.alice,
                    data={"summary": "Ein Bus brachte Impfungen in die Stadtteile Nordstadt und Scharnhorst."},
                    m2m={"themes": [term("theme", "T3")]})
    html = client_for("alice").get(reverse("practices:diff", kwargs={"pk": practice.pk}) + "?a=1&b=2").content.decode()
    assert '<del><span class="visually-hidden">entfernt: </span>Eving.</del>' in html
    assert '<ins><span class="visually-hidden">hinzugefügt: </span>Scharnhorst.</ins>' in html
    assert "Umgang mit vulnerablen Gruppen" in html


def test_watchlist_and_collections(personas, client_for):
    practice = make_practice(organisation=personas.dortmund, author=personas.alice, status=S.PUBLISHED,
                             visibility=Visibility.PUBLIC)
    private = make_practice(organisation=personas.dortmund, author=personas.alice, title="Interner Entwurf")
    client = client_for("alice")
    client.post(reverse("practices:watch", kwargs={"pk": practice.pk}))
    assert practice.title in client.get(reverse("practices:watchlist")).content.decode()
    response = client.post(reverse("practices:collection_add", kwargs={"pk": practice.pk}), {"new_title": "Impfen", "note": "Vorbild für Eving"})
    assert response.status_code == 302
    collection = personas.alice.practice_collections.get()
    collection_item_add(collection=collection, practice=private)
    client.post(reverse("practices:collection_edit", kwargs={"pk": collection.pk}),
                {"title": "Impfen in Quartieren", "description": "", "is_shared": "on"})
    collection.refresh_from_db()
    assert collection.title == "Impfen in Quartieren" and collection.is_shared
    shared = client_for("charlie").get(reverse("practices:collection_shared", kwargs={"token": collection.share_token}))
    html = shared.content.decode()
    assert practice.title in html and "Interner Entwurf" not in html  # only what the viewer may see
    assert "Vorbild für Eving" in html
    pdf = client_for("eve").get(reverse("practices:collection_shared_pdf", kwargs={"token": collection.share_token}))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    old = collection.share_token
    client.post(reverse("practices:collection_new_link", kwargs={"pk": collection.pk}))
    assert client_for("eve").get(reverse("practices:collection_shared", kwargs={"token": old})).status_code == 404
    item = collection.items.get(practice=practice)
    remove_url = reverse("practices:collection_item_remove", kwargs={"item_id": item.pk})
    assert client_for("bob").post(remove_url).status_code == 404
    assert client.post(remove_url).status_code == 302 and not collection.items.filter(pk=item.pk).exists()


def test_compare_shows_only_visible(personas, client_for):
    a = make_practice(organisation=personas.dortmund, author=personas.alice, title="Alpha", status=S.PUBLISHED,
                      visibility=Visibility.PUBLIC)
    b = make_practice(organisation=personas.dortmund, author=personas.alice, title="Beta", status=S.PUBLISHED,
                      visibility=Visibility.PUBLIC)
    c = make_practice(organisation=personas.dortmund, author=personas.alice, title="Geheim")
    html = client_for("eve").get(reverse("practices:compare") + f"?ids={a.pk}&ids={b.pk},{c.pk}").content.decode()
    assert "Alpha" in html and "Beta" in html and "Geheim" not in html
    assert '<th scope="row">' in html and "<caption>" in html


def test_practice_pdf_profile(personas, client_for):
    practice = make_practice(organisation=personas.dortmund, author=personas.alice, status=S.PUBLISHED,
                             visibility=Visibility.PUBLIC, title="Übergänge für Ältere in Köln-Mülheim",
                             measures="Maßnahmen " * 100)
    response = client_for("eve").get(reverse("practices:pdf", kwargs={"pk": practice.pk}))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    import io

    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(response.content))
    assert len(reader.pages) == 1
    assert "Übergänge für Ältere" in reader.pages[0].extract_text()


def test_map_and_timeline(personas, client_for):
    practice = make_practice(organisation=personas.dortmund, author=personas.alice, status=S.PUBLISHED,
                             visibility=Visibility.PUBLIC, m2m={"places": [personas.dortmund.place]})
    html = client_for("eve").get(reverse("practices:map")).content.decode()
    assert "<svg" in html and 'data-key="05913000"' in html
    assert "Dortmund: 1 Praxisbeispiel" in html
    assert '<th scope="row"><a href="?ort=' in html
    html = client_for("eve").get(reverse("practices:map") + f"?ort={personas.dortmund.place_id}").content.decode()
    assert practice.title in html
    html = client_for("eve").get(reverse("practices:timeline")).content.decode()
    assert practice.title in html and "Mai 2021 – September 2021" in html
    import re

    bar = re.search(r'class="timeline-bar" style="left: ([0-9.]+)%; width: ([0-9.]+)%"', html)
    assert bar, "bar positions must use a decimal point whatever the language"
    assert 0 <= float(bar.group(1)) < 100 and 0 < float(bar.group(2)) <= 100


@pytest.mark.parametrize("url_name", ["practices:watchlist", "practices:collections", "practices:map",
                                      "practices:timeline", "practices:reviews"])
def test_list_pages_query_count(personas, client_for, django_assert_max_num_queries, url_name):
    coll = collection_create(owner=personas.alice, title="Viele")
    for i in range(12):
        p = make_practice(organisation=personas.dortmund, author=personas.alice, title=f"Beispiel {i}",
                          status=S.PUBLISHED, visibility=Visibility.PUBLIC,
                          m2m={"places": [personas.dortmund.place], "themes": [term("theme")]})
        watchlist_toggle(user=personas.alice, practice=p)
        collection_item_add(collection=coll, practice=p)
        collection_create(owner=personas.alice, title=f"Sammlung {i}")
    client = client_for("alice")
    client.get(reverse(url_name))  # warm caches (sessions, content types)
    with django_assert_max_num_queries(15):
        assert client.get(reverse(url_name)).status_code == 200


def test_collection_detail_query_count(personas, client_for, django_assert_max_num_queries):
    coll = collection_create(owner=personas.alice, title="Viele")
    for i in range(12):
        p = make_practice(organisation=personas.dortmund, author=personas.alice, title=f"Beispiel {i}",
                          m2m={"places": [personas.dortmund.place]})
        collection_item_add(collection=coll, practice=p)
    client = client_for("alice")
    with django_assert_max_num_queries(15):
        assert client.get(reverse("practices:collection", kwargs={"pk": coll.pk})).status_code == 200


def test_gender_stars_stay_text(personas, client_for):
    practice = make_practice(organisation=personas.dortmund, author=personas.alice, status=S.PUBLISHED,
                             visibility=Visibility.PUBLIC,
                             description="Bewohner*innen von Heimen, 20 Tests pro Bewohner*in, **wichtig**.")
    html = client_for("eve").get(practice.get_absolute_url()).content.decode()
    assert "Bewohner*innen von Heimen, 20 Tests pro Bewohner*in, <strong>wichtig</strong>." in html
    assert "<em>" not in html


def test_review_page_shows_the_proposed_version(personas, client_for):
    practice = make_practice(organisation=personas.dortmund, author=personas.alice, status=S.PUBLISHED,
                             visibility=Visibility.PUBLIC)
    wf.practice_edit(practice=practice, author=personas.alice, data={"title": "Vorgeschlagener Titel",
                                                                     "results": "Neu: 1.200 Impfungen " * 5})
    wf.practice_submit(practice=practice, actor=personas.alice)
    wf.practice_review_take(practice=practice, reviewer=personas.charlie)
    html = client_for("charlie").get(reverse("practices:review", kwargs={"pk": practice.pk})).content.decode()
    assert "Die zu prüfende Fassung (Version 2)" in html
    assert "<h2>Vorgeschlagener Titel</h2>" in html and "Neu: 1.200 Impfungen" in html
    assert "?a=1&amp;b=2" in html  # link to the diff from the published version
    public = client_for("eve").get(practice.get_absolute_url()).content.decode()
    assert "Vorgeschlagener Titel" not in public


def test_compare_at_most_three(personas, client_for):
    ids = [make_practice(organisation=personas.dortmund, author=personas.alice, title=f"P{i}",
                         status=S.PUBLISHED, visibility=Visibility.PUBLIC).pk for i in range(4)]
    html = client_for("eve").get(reverse("practices:compare") + "?" + "&".join(f"ids={i}" for i in ids)).content.decode()
    assert "Es können höchstens drei Beispiele verglichen werden." in html
    assert html.count('<th scope="col">') == 3


def test_timeline_pages_share_one_axis(personas, client_for):
    from panreflex.practices import selectors

    for i in range(3):
        make_practice(organisation=personas.dortmund, author=personas.alice, title=f"T{i}", status=S.PUBLISHED,
                      visibility=Visibility.PUBLIC, period_start=date(2020 + i, 3, 1), period_end=date(2020 + i, 4, 1))
    page, rows, years = selectors.practice_timeline(viewer=None, page_number=2, per_page=2, today=date(2023, 1, 1))
    assert [r.practice.title for r in rows] == ["T2"] and years == [2020, 2021, 2022]
    assert rows[0].offset == pytest.approx(100 * (24 + 2) / 36, abs=0.01)
    assert page.paginator.num_pages == 2


def test_review_desk_sections(personas, client_for):
    submitted = make_practice(organisation=personas.dortmund, author=personas.alice, title="Eingereichtes")
    wf.practice_submit(practice=submitted, actor=personas.alice)
    make_practice(organisation=personas.dortmund, author=personas.alice, title="Entwürfchen")
    alice = client_for("alice").get(reverse("practices:reviews")).content.decode()
    assert "Entwürfchen" in alice and "Eingereichte Beispiele meiner Organisationen" in alice
    assert alice.index("Eingereichtes") > alice.index("Eingereichte Beispiele meiner Organisationen")
    assert "Warten auf Prüfung" in alice  # alice is an editor of a municipality, so a reviewer of others
    charlie = client_for("charlie").get(reverse("practices:reviews")).content.decode()
    assert "Eingereichtes" in charlie and "Entwürfchen" not in charlie
    bob = client_for("bob").get(reverse("practices:reviews")).content.decode()
    assert "Warten auf Prüfung" not in bob and "Eingereichtes" not in bob


def test_subtopics_grouped_by_theme(personas, client_for):
    html = client_for("alice").get(reverse("practices:create")).content.decode()
    first_group = html.index("<label>Krisenmanagement in Mehrebenensystemen</label>")
    assert first_group < html.index("Zusammenarbeit innerhalb der Verwaltung") < html.index(
        "<label>Risiko- und Krisenkommunikation</label>")


def test_detail_query_count_does_not_grow(personas, client_for, django_assert_max_num_queries):
    from panreflex.taxonomy.models import Term

    practice = make_practice(
        organisation=personas.dortmund, author=personas.alice, status=S.PUBLISHED, visibility=Visibility.PUBLIC,
        m2m={"places": [personas.dortmund.place], "target_groups": list(Term.objects.filter(vocabulary="target_group")),
             "subtopics": list(Term.objects.filter(vocabulary="subtopic"))},
        sources=[{"title": f"Quelle {i}"} for i in range(10)],
    )
    client = client_for("alice")  # an editor: also reviews, audit trail, collections form
    client.get(practice.get_absolute_url())
    with django_assert_max_num_queries(40):
        assert client.get(practice.get_absolute_url()).status_code == 200
