"""Views: set-up, invitations (.ics), guest links, the room without JavaScript, results and downloads."""

import io
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from panreflex.improvements.models import ActionItem
from panreflex.taxonomy.models import Term
from panreflex.workshops import services
from panreflex.workshops.models import Card, Workshop, WorkshopTemplate

from .factories import actor, add_card, make_workshop

pytestmark = pytest.mark.django_db


@pytest.fixture
def ws(personas):
    return make_workshop(personas)


def _form_data(p, **extra):
    template = WorkshopTemplate.objects.get(code="who-after-action-review")
    t2 = Term.objects.get(vocabulary="theme", code="T2")
    data = {
        "organisation": p.dortmund.pk, "template": template.pk, "title": "AAR Impfzentrum",
        "description": "Rückblick", "themes": [t2.pk], "organisations": [p.dortmund.pk],
        "starts_at": "2026-12-01T09:00", "ends_at": "2026-12-01T12:00", "mode": "hybrid",
        "location": "Rathaus", "online_url": "https://video.example.org/raum", "facilitators": [p.alice.pk],
        "participants": [p.bob.pk], "votes_per_person": "4", "visibility": "private",
        "agenda_text": "Begrüßung | 10\nZeitleiste | 20\nAbschluss",
    }
    data.update(extra)
    return data


def test_create_workshop_with_agenda_and_carried_over_items(personas, client_for):
    earlier = make_workshop(personas, title="Früher")
    services.action_from_cards(workshop=earlier, actor=actor(personas.alice), title="Offene Maßnahme T2", card_ids=[])
    client = client_for("alice")
    r = client.post("/reflexionsraeume/neu/", _form_data(personas))
    assert r.status_code == 302, r.context["form"].errors if r.context else r
    ws = Workshop.objects.get(title="AAR Impfzentrum")
    assert [c.title for c in ws.columns.all()][0] == "Was sollte passieren?"
    assert [(a.title, a.minutes) for a in ws.agenda.all()] == [("Begrüßung", 10), ("Zeitleiste", 20), ("Abschluss", 15)]
    page = client.get(r.url).content.decode()
    assert "Offene Maßnahme T2" in page  # carried over into the new workshop of the same org and theme


def test_create_refuses_bad_input_with_messages(personas, client_for):
    client = client_for("alice")
    data = _form_data(personas, ends_at="2026-11-30T09:00", agenda_text="Begrüßung | zehn",
                      participants=[personas.charlie.pk], votes_per_person="0")
    r = client.post("/reflexionsraeume/neu/", data)
    assert r.status_code == 200
    errors = r.context["form"].errors
    assert errors["ends_at"] == ["The end must not be before the start."]
    assert "Line 1: the time box must be a whole number of minutes" in errors["agenda_text"][0]
    assert "participants" in errors  # charlie is not a member of an organisation involved (and not offered)
    assert errors["votes_per_person"]
    assert not Workshop.objects.filter(title="AAR Impfzentrum").exists()


def test_member_cannot_set_up_or_edit(personas, client_for, ws):
    assert client_for("bob").get("/reflexionsraeume/neu/").status_code == 404
    assert client_for("bob").get(f"/reflexionsraeume/{ws.pk}/bearbeiten/").status_code == 404
    assert client_for("charlie").get(f"/reflexionsraeume/{ws.pk}/").status_code == 404


def test_invitations_send_mail_with_ics(personas, client_for, ws):
    r = client_for("alice").post(f"/reflexionsraeume/{ws.pk}/einladungen/", {"op": "send"})
    assert r.status_code == 302
    assert sorted(m.to[0] for m in mail.outbox) == ["alice@example.org", "bob@example.org"]
    message = mail.outbox[0]
    name, content, mimetype = message.attachments[0]
    assert name == "reflexionsraum.ics" and mimetype.startswith("text/calendar")
    from icalendar import Calendar

    event = Calendar.from_ical(content).walk("VEVENT")[0]
    assert str(event["summary"]) == ws.title
    assert event.decoded("dtstart") == ws.starts_at.replace(microsecond=0)


def test_guest_link_flow_consent_and_expiry(personas, client_for, ws, django_capture_on_commit_callbacks):
    client = client_for("alice")
    with django_capture_on_commit_callbacks(execute=True):
        r = client.post(f"/reflexionsraeume/{ws.pk}/einladungen/",
                        {"op": "guest", "name": "Gabi", "email": "gabi@example.org", "valid_days": "3"})
    link = r.context["new_link"]
    assert "/reflexionsraeume/gast/" in link
    path = link.split("testserver", 1)[1]
    assert mail.outbox[-1].to == ["gabi@example.org"] and path in mail.outbox[-1].body
    guest_client = client_for("eve")
    r = guest_client.post(path, {"name": "Gabi"})
    assert "without consent you cannot take part" in r.content.decode()
    assert guest_client.get(f"/reflexionsraeume/{ws.pk}/raum/").status_code == 404
    r = guest_client.post(path, {"name": "Gabi", "consent": "on"})
    assert r.status_code == 302 and r.url == f"/reflexionsraeume/{ws.pk}/raum/"
    column = ws.columns.first()
    r = guest_client.post(f"/reflexionsraeume/{ws.pk}/raum/aktion/card.add/", {"column": column.pk, "text": "Gast"})
    assert r.status_code == 302 and Card.objects.get().author_guest.name == "Gabi"
    assert guest_client.get(f"/reflexionsraeume/{ws.pk}/ergebnisse/").status_code == 404
    with time_machine.travel(timezone.now() + timedelta(days=4)):
        r = client_for("eve").get(path)
        assert r.status_code == 410
        assert "This invitation link has expired. Please ask the facilitators for a new link." in r.content.decode()
        r = guest_client.post(f"/reflexionsraeume/{ws.pk}/raum/aktion/card.add/", {"column": column.pk, "text": "x"})
        assert r.status_code == 404
    assert Card.objects.count() == 1


def test_room_without_javascript_posts_and_shows_messages(personas, client_for, ws):
    client = client_for("bob")
    column = ws.columns.first()
    r = client.post(f"/reflexionsraeume/{ws.pk}/raum/aktion/card.add/",
                    {"column": column.pk, "text": "<img src=x onerror=alert(1)>", "anchor": f"column-{column.pk}"})
    assert r.status_code == 302 and r.url.endswith(f"#column-{column.pk}")
    page = client.get(r.url.split("#")[0]).content.decode()
    assert "&lt;img src=x onerror=alert(1)&gt;" in page and "<img src=x" not in page
    card = Card.objects.get()
    other = add_card(ws, personas.alice, "Alice")
    r = client.post(f"/reflexionsraeume/{ws.pk}/raum/aktion/card.edit/",
                    {"card": other.pk, "text": "übernommen", "version": other.version}, follow=True)
    assert "You can only change your own cards." in r.content.decode()
    r = client.post(f"/reflexionsraeume/{ws.pk}/raum/aktion/card.edit/",
                    {"card": card.pk, "text": "neu", "version": "7"}, follow=True)
    assert "Someone else changed this card in the meantime" in r.content.decode()
    r = client.post(f"/reflexionsraeume/{ws.pk}/raum/aktion/card.edit/",
                    {"card": card.pk, "text": "neu", "version": "1"}, HTTP_ACCEPT="application/json")
    assert r.status_code == 200 and r.json()["ok"]
    assert client.post(f"/reflexionsraeume/{ws.pk}/raum/aktion/drop/", {}).status_code == 404
    assert client.post("/reflexionsraeume/999999/raum/aktion/card.add/", {}).status_code == 404
    assert client_for("charlie").post(f"/reflexionsraeume/{ws.pk}/raum/aktion/card.add/",
                                      {"column": column.pk, "text": "x"}).status_code == 404
    r = client_for("vera").post(f"/reflexionsraeume/{ws.pk}/raum/aktion/card.add/",
                                {"column": column.pk, "text": "x"}, follow=True)
    assert "You are not a participant of this workshop and cannot contribute." in r.content.decode()
    other.refresh_from_db()
    assert other.text == "Alice" and Card.objects.count() == 2


def test_room_state_json_and_query_count(personas, client_for, ws, django_assert_max_num_queries):
    for i in range(12):
        add_card(ws, personas.bob, f"Karte {i}", column=i % 8)
    services.voting_configure(workshop=ws, actor=actor(personas.alice), votes_per_person=5, voting_open=True)
    client = client_for("bob")
    with django_assert_max_num_queries(30):
        r = client.get(f"/reflexionsraeume/{ws.pk}/raum/")
    assert r.status_code == 200
    data = client.get(f"/reflexionsraeume/{ws.pk}/raum/zustand/?format=json").json()
    assert len(data["cards"]) == 12 and data["votes_used"] == 0 and data["voting_open"] is True


def test_list_query_count(personas, client_for, django_assert_max_num_queries):
    for i in range(8):
        make_workshop(personas, title=f"W{i}")
    client = client_for("bob")
    with django_assert_max_num_queries(30) as few:
        r = client.get("/reflexionsraeume/")
    for i in range(8, 20):
        make_workshop(personas, title=f"W{i}")
    with django_assert_max_num_queries(len(few.captured_queries)):  # no N+1: more rows, same queries
        client.get("/reflexionsraeume/")
    assert r.status_code == 200 and r.content.decode().count("W") >= 8
    assert "W1" not in client_for("charlie").get("/reflexionsraeume/").content.decode()


def test_results_derive_insight_and_action_and_downloads(personas, client_for, ws):
    card = add_card(ws, personas.bob, "Übersetzungen kamen zu spät", column=5)
    services.timeline_add(workshop=ws, actor=actor(personas.bob), date=timezone.localdate(), title="Erste Allgemeinverfügung")
    services.rating_set(workshop=ws, actor=actor(personas.bob), capability="Mehrsprachige Information", level="M",
                        justification="Verzögert")
    services.root_cause_add(workshop=ws, actor=actor(personas.bob), card_id=card.pk, text="Kein Übersetzungspool")
    client = client_for("alice")
    r = client.post(f"/reflexionsraeume/{ws.pk}/ergebnisse/erkenntnis/",
                    {"insight-statement": "Übersetzungen vorbereiten", "insight-kind": "improvement",
                     "insight-cards": [card.pk], "insight-visibility": "private"})
    assert r.status_code == 302
    r = client.post(f"/reflexionsraeume/{ws.pk}/ergebnisse/massnahme/",
                    {"action-title": "Übersetzungspool aufbauen", "action-cards": [card.pk],
                     "action-start_date": "2027-01-10", "action-due_date": "2027-01-01"})
    assert r.status_code == 422
    assert "The completion date must not be before the start date." in r.content.decode()
    r = client.post(f"/reflexionsraeume/{ws.pk}/ergebnisse/massnahme/",
                    {"action-title": "Übersetzungspool aufbauen", "action-cards": [card.pk],
                     "action-capability": "Kommunikation", "action-responsible_organisation": personas.dortmund.pk,
                     "action-due_date": "2027-06-30"})
    assert r.status_code == 302
    item = ActionItem.objects.get(source_kind="workshop", source_id=ws.pk)
    assert item.organisation == personas.dortmund and item.title == "Übersetzungspool aufbauen"
    assert client_for("bob").post(f"/reflexionsraeume/{ws.pk}/ergebnisse/massnahme/",
                                  {"action-title": "x"}).status_code == 404
    page = client.get(f"/reflexionsraeume/{ws.pk}/ergebnisse/").content.decode()
    assert "Übersetzungspool aufbauen" in page and "Übersetzungen vorbereiten" in page

    pdf = client.get(f"/reflexionsraeume/{ws.pk}/bericht.pdf")
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    from pypdf import PdfReader

    text = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages).split())
    for expected in ("Übersetzungspool aufbauen", "Erste Allgemeinverfügung", "Mehrsprachige Information",
                     "Kein Übersetzungspool", "Übersetzungen vorbereiten"):
        assert expected in text
    docx = client.get(f"/reflexionsraeume/{ws.pk}/bericht.docx")
    from docx import Document

    doc_text = "\n".join(p.text for p in Document(io.BytesIO(docx.content)).paragraphs)
    assert "Übersetzungen kamen zu spät" in doc_text and "Erste Allgemeinverfügung" in doc_text
    csv_text = client.get(f"/reflexionsraeume/{ws.pk}/export.csv").content.decode("utf-8-sig")
    assert csv_text.splitlines()[0] == "card_id;column;cluster;text;author;dots;version;created_at"
    assert "Übersetzungen kamen zu spät" in csv_text
    xlsx = client.get(f"/reflexionsraeume/{ws.pk}/export.xlsx")
    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(xlsx.content))
    assert wb.sheetnames[0] == "Board" and wb["Board"]["D2"].value == "Übersetzungen kamen zu spät"


def test_export_neutralises_formulas(personas, client_for, ws):
    add_card(ws, personas.bob, "=HYPERLINK(\"http://x\")")
    csv_text = client_for("alice").get(f"/reflexionsraeume/{ws.pk}/export.csv").content.decode("utf-8-sig")
    assert "'=HYPERLINK" in csv_text and ";=HYPERLINK" not in csv_text and ';"=HYPERLINK' not in csv_text


def test_templates_edit_and_copy(personas, client_for):
    template = WorkshopTemplate.objects.get(code="panreflex-debriefing")
    assert client_for("alice").get(f"/reflexionsraeume/vorlagen/{template.pk}/bearbeiten/").status_code == 404
    r = client_for("alice").post(f"/reflexionsraeume/vorlagen/{template.pk}/kopieren/",
                                 {"organisation": personas.dortmund.pk})
    copy = WorkshopTemplate.objects.get(organisation=personas.dortmund)
    assert r.status_code == 302 and copy.copied_from == template and copy.questions == template.questions
    r = client_for("alice").post(f"/reflexionsraeume/vorlagen/{copy.pk}/bearbeiten/", {
        "name": "Unser Debriefing", "description": "", "questions": "Was lief gut? | | strength\nWas nicht? | | bogus",
        "phases": "Sammeln | 20"})
    assert "Line 2: unknown kind “bogus”." in r.content.decode()
    r = client_for("alice").post(f"/reflexionsraeume/vorlagen/{copy.pk}/bearbeiten/", {
        "name": "Unser Debriefing", "description": "", "questions": "Was lief gut? | Stärken | strength",
        "phases": "Sammeln | 20\nAbstimmen"})
    copy.refresh_from_db()
    assert r.status_code == 302 and copy.questions == [{"title": "Was lief gut?", "help": "Stärken",
                                                        "finding": "strength"}]
    assert [p["key"] for p in copy.phases] == ["sammeln", "abstimmen"]
    assert client_for("charlie").get(f"/reflexionsraeume/vorlagen/{copy.pk}/").status_code == 404
    r = client_for("dora").post(f"/reflexionsraeume/vorlagen/{template.pk}/bearbeiten/", {
        "name": template.name, "description": "", "questions": "Eine Frage | | note", "phases": "Eins | 5"})
    assert r.status_code == 302


def test_dashboard_panel_and_feed(personas, client_for, ws):
    from panreflex.workshops.feeds import upcoming_panel, workshop_feed

    panel = upcoming_panel(user=personas.bob)
    assert [label.split(" – ")[0] for label, _url in panel.items] == [ws.title]
    assert upcoming_panel(user=personas.charlie).items == []
    assert [i.title for i in workshop_feed(viewer=personas.bob)] == [ws.title]
    assert workshop_feed(viewer=personas.charlie) == []


def test_demo_loader_is_idempotent(personas):
    from panreflex.accounts.demo import load_demo_accounts
    from panreflex.workshops.demo import DEMO_TITLE, load_demo_workshops

    load_demo_accounts()
    load_demo_workshops()
    load_demo_workshops()
    ws = Workshop.objects.get(title=DEMO_TITLE)
    assert ws.is_demo and ws.organisation.slug == "dortmund"
    assert list(ws.themes.values_list("code", flat=True)) == ["T2"]
    assert ws.cards.count() == 8 and all(c.is_demo and c.text.startswith("Demo:") for c in ws.cards.all())
