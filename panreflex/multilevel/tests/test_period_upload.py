"""Issue 18, last gaps: the network over a period, and documents as the source of an event."""

from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from panreflex.multilevel.models import Actor, Relation
from panreflex.multilevel.selectors import NetworkFilters, network
from panreflex.multilevel.services import actor_create, relation_create

CITY = {"ags": "05913000"}


@pytest.fixture
def periods(personas):
    city = personas.dortmund.place
    make = lambda name: actor_create(organisation=personas.dortmund, author=personas.alice,  # noqa: E731
                                     municipality=city, name=name, level="municipality", kind="other",
                                     visibility="public")
    a, b, c, d = make("Stab"), make("Amt"), make("Feuerwehr"), make("Schulamt")
    Actor.objects.update(released_at=timezone.now())
    spans = {"spring": (a, b, date(2020, 3, 1), date(2020, 5, 31)), "autumn": (a, c, date(2020, 10, 1), date(2020, 12, 31)),
             "open_end": (b, d, date(2021, 1, 10), None), "always": (c, d, None, None)}
    out = {}
    for name, (s, t, start, end) in spans.items():
        out[name] = relation_create(organisation=personas.dortmund, author=personas.alice, source=s, target=t,
                                    kind="informs", visibility="public", valid_from=start, valid_to=end, note=name)
    Relation.objects.update(released_at=timezone.now())
    return out


def _notes(personas, start=None, end=None):
    _actors, relations = network(viewer=personas.eve, city=personas.dortmund.place,
                                 filters=NetworkFilters(start=start, end=end))
    return {r.note for r in relations}


@pytest.mark.django_db
def test_network_period_shows_relations_valid_in_any_part_of_it(personas, periods):
    assert _notes(personas) == {"spring", "autumn", "open_end", "always"}
    # overlapping only at the edges counts: 31.05. is the last day of "spring", 01.10. the first of "autumn"
    assert _notes(personas, date(2020, 5, 31), date(2020, 10, 1)) == {"spring", "autumn", "always"}
    assert _notes(personas, date(2020, 6, 1), date(2020, 9, 30)) == {"always"}
    assert _notes(personas, date(2021, 2, 1), date(2021, 2, 1)) == {"open_end", "always"}
    assert _notes(personas, start=date(2020, 11, 1)) == {"autumn", "open_end", "always"}  # from … onwards
    assert _notes(personas, end=date(2020, 4, 1)) == {"spring", "always"}  # until …


@pytest.mark.django_db
def test_network_page_period_parameters_and_messages(client_for, periods):
    url = reverse("multilevel:network", kwargs=CITY)

    def relations_table(html):
        return html.split('class="table relations-table"')[1].split("</table>")[0]

    html = client_for("eve").get(url, {"valid_from": "2020-06-01", "valid_to": "2020-10-15"}).content.decode()
    table = relations_table(html)
    assert "Feuerwehr" in table and "Stab" in table and table.count("<tr>") == 3  # header + autumn + always
    assert "zwischen 01.06.2020 und 15.10.2020" in html
    assert 'value="2020-06-01"' in html  # the form keeps the period
    # the old one-day parameter still works: a period of one day
    html = client_for("eve").get(url, {"on": "2020-04-01"}).content.decode()
    assert relations_table(html).count("<tr>") == 3 and "gültig am 01.04.2020" in html
    # an end before the start: a precise message, in German and English
    html = client_for("eve").get(url, {"valid_from": "2020-06-01", "valid_to": "2020-05-01"}).content.decode()
    assert "Das Ende des Zeitraums (01.05.2020) liegt vor seinem Beginn (01.06.2020)." in html
    html = client_for("eve").get(url, {"valid_from": "1.6.2020x"}, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Enter the start of the period as a date" in html
    # exports take the same period
    csv = client_for("eve").get(reverse("multilevel:export_network_csv", kwargs=CITY),
                                {"valid_from": "2020-06-01", "valid_to": "2020-09-30"}).content.decode("utf-8-sig")
    assert "always" in csv and "spring" not in csv and "autumn" not in csv


# --- source documents ---------------------------------------------------------------------------------
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def _docx() -> bytes:
    import io
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("_rels/.rels", "<Relationships/>")
        z.writestr("word/document.xml", "<w:document/>")
    return out.getvalue()


@pytest.fixture
def own_event(personas):
    from panreflex.multilevel.services import event_create

    return event_create(organisation=personas.dortmund, author=personas.alice, municipality=personas.dortmund.place,
                        title="Allgemeinverfügung Maskenpflicht", level="municipality", topic="masks",
                        date_in_force=date(2020, 11, 2))


def _upload(client, event, name, content, title=""):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post(reverse("multilevel:document_upload", kwargs={"pk": event.pk}),
                       {"title": title, "file": SimpleUploadedFile(name, content)})


@pytest.mark.django_db
def test_document_upload_download_and_remove(client_for, own_event, django_capture_on_commit_callbacks):
    from panreflex.multilevel.models import EventDocument

    alice = client_for("alice")
    response = _upload(alice, own_event, "verfuegung.pdf", PDF, title="Allgemeinverfügung vom 02.11.2020")
    assert response.status_code == 302
    document = EventDocument.objects.get()
    assert (document.content_type, document.extension, document.size) == ("application/pdf", ".pdf", len(PDF))
    assert document.file.name.startswith(f"multilevel/events/{own_event.pk}/") and "verfuegung" not in document.file.name
    assert _upload(alice, own_event, "protokoll.docx", _docx()).status_code == 302
    html = alice.get(own_event.get_absolute_url()).content.decode()
    assert "Allgemeinverfügung vom 02.11.2020" in html and "protokoll.docx" in html and "Quelldokumente" in html

    download = alice.get(document.get_absolute_url())
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"].startswith("attachment;")  # never inline
    assert download["X-Content-Type-Options"] == "nosniff" and "sandbox" in download["Content-Security-Policy"]
    # access: the event is private to Dortmund, so is its document (404 for others, as if it did not exist)
    assert client_for("bob").get(document.get_absolute_url()).status_code == 200
    for name in ("charlie", "eve"):
        assert client_for(name).get(document.get_absolute_url()).status_code == 404
    assert client_for("bob").post(reverse("multilevel:document_delete", kwargs={"pk": document.pk})).status_code == 404
    assert _upload(client_for("charlie"), own_event, "x.pdf", PDF).status_code == 404

    stored = document.file.name
    with django_capture_on_commit_callbacks(execute=True):  # the file goes once the row is gone
        assert alice.post(reverse("multilevel:document_delete", kwargs={"pk": document.pk})).status_code == 302
    assert not EventDocument.objects.filter(pk=document.pk).exists()
    assert not document.file.storage.exists(stored)


@pytest.mark.django_db
def test_document_upload_checks_content_not_name(client_for, own_event, settings):
    from panreflex.multilevel import documents
    from panreflex.multilevel.models import EventDocument

    alice = client_for("alice")
    html_page = b"<!DOCTYPE html><html><script>alert(1)</script></html>"
    response = _upload(alice, own_event, "verordnung.pdf", html_page)
    assert response.status_code == 400
    text = response.content.decode()
    assert "Die Datei „verordnung.pdf“ hat ihrem Inhalt nach keinen erlaubten Typ (unbekannt)" in text and ".docx" in text
    assert "Die Datei ist leer." in _upload(alice, own_event, "leer.pdf", b"").content.decode()
    svg = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'
    assert _upload(alice, own_event, "plan.docx", svg).status_code == 400
    response = alice.post(reverse("multilevel:document_upload", kwargs={"pk": own_event.pk}), {"title": "x"})
    assert "Wählen Sie die Datei aus, die hochgeladen werden soll." in response.content.decode()
    documents.SOURCE_DOCUMENT_MAX, old = 10, documents.SOURCE_DOCUMENT_MAX
    try:
        response = _upload(alice, own_event, "gross.pdf", PDF)
    finally:
        documents.SOURCE_DOCUMENT_MAX = old
    assert response.status_code == 400 and "höchstens" in response.content.decode()
    english = alice.post(reverse("multilevel:document_upload", kwargs={"pk": own_event.pk}), {"title": "x"},
                         HTTP_ACCEPT_LANGUAGE="en")
    assert "Choose the file to upload." in english.content.decode()
    assert not EventDocument.objects.exists()


@pytest.mark.django_db
def test_reference_events_take_no_documents(client_for):
    from panreflex.multilevel.models import Event

    reference = Event.objects.get(dataset="curated", key="nrw-2020-11-02")
    assert _upload(client_for("dora"), reference, "x.pdf", PDF).status_code == 404  # nobody changes them
