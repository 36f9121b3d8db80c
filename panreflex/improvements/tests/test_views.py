import csv
import datetime as dt
import io

import pytest
import time_machine
from django.urls import reverse

from panreflex.improvements.models import ActionItem

from .factories import ActionItemFactory

pytestmark = pytest.mark.django_db
PLAN = reverse("improvements:plan")


@time_machine.travel(dt.datetime(2026, 3, 1, 9, 0, tzinfo=dt.UTC))
def test_plan_lists_and_marks_overdue_with_text(personas, client_for, django_assert_max_num_queries):
    for n in range(30):
        ActionItemFactory(organisation=personas.dortmund, title=f"M{n:02}", due_date=dt.date(2026, 2, 1) + dt.timedelta(days=n))
    ActionItemFactory(organisation=personas.koeln, title="Kölner Maßnahme")
    client = client_for("alice")
    with django_assert_max_num_queries(14):
        response = client.get(PLAN)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Kölner Maßnahme" not in html
    assert html.count('class="is-overdue"') == 25  # first page: due 1.2.–25.2., all before 1.3.
    assert "überfällig" in html  # overdue is said in words, not only by colour
    page2 = client.get(PLAN, {"page": 2})
    assert page2.content.decode().count("<tr") == 6  # header + 5 rows
    assert 'value="0"' in html and "<progress" in html


def test_plan_without_organisation(client_for, personas):
    from panreflex.testing.factories import UserFactory

    user = UserFactory()
    client = client_for("eve")
    client.force_login(user)
    response = client.get(PLAN)
    assert response.status_code == 200
    assert "Sie gehören noch keiner Organisation an" in response.content.decode()


def test_plan_of_foreign_organisation_is_404(client_for, personas):
    assert client_for("charlie").get(PLAN, {"organisation": "dortmund"}).status_code == 404
    assert client_for("dora").get(PLAN, {"organisation": "dortmund"}).status_code == 200


def test_plan_htmx_returns_results_partial(client_for, personas):
    ActionItemFactory(organisation=personas.dortmund, title="Teilansicht")
    response = client_for("alice").get(PLAN, {"organisation": "dortmund"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert "Teilansicht" in html and "<html" not in html


def test_invalid_due_range_message(client_for, personas):
    response = client_for("alice").get(PLAN, {"due_from": "2026-05-01", "due_to": "2026-04-01"})
    assert "Das Ende des Fälligkeitszeitraums darf nicht vor seinem Beginn liegen." in response.content.decode()


def _form_data(**over):
    data = {"title": "Neue Maßnahme", "description": "", "capability": "Krisenstab", "theme": "",
            "responsible_organisation": "", "responsible_person": "Frau Muster", "responsible_user": "",
            "point_of_contact": "Geschäftsstelle", "start_date": "2026-03-01", "due_date": "2026-04-01",
            "status": "open", "progress": "0", "notes": "", "visibility": "private"}
    data.update(over)
    return data


def test_editor_creates_item(client_for, personas):
    url = reverse("improvements:create") + "?organisation=dortmund"
    response = client_for("alice").post(url, _form_data(responsible_user=str(personas.bob.pk)))
    item = ActionItem.objects.get()
    assert response.status_code == 302 and response["Location"] == item.get_absolute_url()
    assert item.organisation == personas.dortmund and item.responsible_user == personas.bob
    assert item.created_by == personas.alice


def test_create_refuses_due_before_start(client_for, personas):
    url = reverse("improvements:create") + "?organisation=dortmund"
    response = client_for("alice").post(url, _form_data(start_date="2026-05-01", due_date="2026-04-01"))
    assert response.status_code == 200
    assert not ActionItem.objects.exists()
    html = response.content.decode()
    assert "Das Fertigstellungsdatum darf nicht vor dem Startdatum liegen." in html


def test_create_refuses_foreign_responsible_user(client_for, personas):
    url = reverse("improvements:create") + "?organisation=dortmund"
    response = client_for("alice").post(url, _form_data(responsible_user=str(personas.charlie.pk)))
    assert response.status_code == 200 and not ActionItem.objects.exists()


def test_member_cannot_create(client_for, personas):
    url = reverse("improvements:create") + "?organisation=dortmund"
    assert client_for("bob").post(url, _form_data()).status_code == 404
    assert client_for("charlie").post(url, _form_data()).status_code == 404
    assert not ActionItem.objects.exists()


def test_edit_and_delete(client_for, personas):
    item = ActionItemFactory(organisation=personas.dortmund, title="Alt")
    client = client_for("alice")
    response = client.post(reverse("improvements:edit", args=[item.pk]), _form_data(title="Neu", status="in_progress",
                                                                                   progress="50"))
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.title == "Neu" and item.progress == 50
    confirm = client.get(reverse("improvements:delete", args=[item.pk]))
    assert "Wollen Sie die Maßnahme „Neu“ wirklich löschen?" in confirm.content.decode()
    assert client.post(reverse("improvements:delete", args=[item.pk])).status_code == 302
    assert not ActionItem.objects.filter(pk=item.pk).exists()


def test_charlie_cannot_edit_or_delete(client_for, personas):
    item = ActionItemFactory(organisation=personas.dortmund, title="Alt")
    client = client_for("charlie")
    assert client.post(reverse("improvements:edit", args=[item.pk]), _form_data(title="X")).status_code == 404
    assert client.post(reverse("improvements:delete", args=[item.pk])).status_code == 404
    item.refresh_from_db()
    assert item.title == "Alt"


def test_responsible_member_updates_progress_only(client_for, personas):
    item = ActionItemFactory(organisation=personas.dortmund, title="Bobs Maßnahme", responsible_user=personas.bob)
    bob = client_for("bob")
    response = bob.post(reverse("improvements:progress", args=[item.pk]),
                        {"status": "in_progress", "progress": "70", "notes": "läuft", "title": "Hack"})
    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.status, item.progress, item.notes, item.title) == ("in_progress", 70, "läuft", "Bobs Maßnahme")
    assert bob.get(reverse("improvements:edit", args=[item.pk])).status_code == 404
    other = ActionItemFactory(organisation=personas.dortmund, responsible_user=personas.alice)
    assert bob.post(reverse("improvements:progress", args=[other.pk]),
                    {"status": "done", "progress": "100"}).status_code == 404


def test_progress_out_of_range_refused(client_for, personas):
    item = ActionItemFactory(organisation=personas.dortmund, responsible_user=personas.bob)
    response = client_for("bob").post(reverse("improvements:progress", args=[item.pk]),
                                      {"status": "open", "progress": "150", "notes": ""})
    assert response.status_code == 200
    item.refresh_from_db()
    assert item.progress == 0


def test_exports(client_for, personas):
    ActionItemFactory(organisation=personas.dortmund, title="=HYPERLINK(\"x\")", due_date=dt.date(2026, 4, 1))
    ActionItemFactory(organisation=personas.dortmund, title="Ohne Datum", due_date=None, start_date=None)
    client = client_for("bob")
    response = client.get(reverse("improvements:export_csv"), {"organisation": "dortmund"})
    assert response["Content-Disposition"].startswith('attachment; filename="massnahmenplan-dortmund-')
    text = response.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[0][1] == "Korrekturmaßnahme"
    assert rows[1][1] == "'=HYPERLINK(\"x\")"  # formula injection neutralised
    xlsx = client.get(reverse("improvements:export_xlsx"), {"organisation": "dortmund"})
    assert xlsx.content[:2] == b"PK"
    ics = client.get(reverse("improvements:export_ics"), {"organisation": "dortmund", "status": "active"})
    body = ics.content.decode()
    assert body.count("BEGIN:VEVENT") == 1 and "DTSTART;VALUE=DATE:20260401" in body
    assert client_for("charlie").get(reverse("improvements:export_csv"), {"organisation": "dortmund"}).status_code == 404


def test_detail_shows_audit_to_editors_only(client_for, personas):
    item = ActionItemFactory(organisation=personas.dortmund)
    alice_html = client_for("alice").get(item.get_absolute_url()).content.decode()
    bob_html = client_for("bob").get(item.get_absolute_url()).content.decode()
    assert "audit-trail" in alice_html and "audit-trail" not in bob_html


def test_dashboard_panel_lists_my_items(client_for, personas):
    ActionItemFactory(organisation=personas.dortmund, title="Meine Aufgabe", responsible_user=personas.bob,
                      due_date=dt.date(2020, 1, 1), start_date=dt.date(2019, 1, 1))
    html = client_for("bob").get(reverse("core:dashboard")).content.decode()
    assert "Meine Aufgabe" in html and "überfällig seit 01.01.2020" in html
