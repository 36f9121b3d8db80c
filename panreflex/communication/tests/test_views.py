"""The pages: live readability, CAP composer and import, approval through the page."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from panreflex.communication import services
from panreflex.communication.models import Alert, Message

INTEROP = Path("/work/shared/data/interop/cap")


@pytest.fixture
def plan(personas):
    plan = services.plan_create(organisation=personas.dortmund, author=personas.alice, title="Hitze", languages=["de", "en"])
    services.member_add(plan=plan, actor=personas.alice, user=personas.carla, role="approver")
    return plan


def test_live_readability_answers_a_fragment_and_stores_nothing(client_for, personas):
    response = client_for("alice").post(reverse("communication:readability"), {
        "text": "Es ist heiß, und Sie sollen viel trinken, weil der Körper Wasser braucht.", "language": "de",
        "variant": "easy"}, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert response.status_code == 200 and "<html" not in body
    assert 'data-score="flesch"' in body and 'data-score="wiener"' in body
    assert "Mehr als eine Aussage" in body


def test_compose_page_saves_a_valid_alert_from_the_boundary(client_for, personas):
    client = client_for("alice")
    url = reverse("communication:alert_compose") + "?organisation=dortmund"
    assert client.get(url).status_code == 200
    data = {"status": "Exercise", "scope": "Public", "area_desc": "Stadtgebiet Dortmund",
            "area_source": f"place:{personas.dortmund.place_id}", "polygon": "",
            "info-TOTAL_FORMS": "2", "info-INITIAL_FORMS": "0", "info-MIN_NUM_FORMS": "1", "info-MAX_NUM_FORMS": "6",
            "info-0-language": "de-DE", "info-0-categories": ["Met", "Health"], "info-0-event": "Hitze",
            "info-0-urgency": "Expected", "info-0-severity": "Severe", "info-0-certainty": "Likely",
            "info-0-headline": "Hitzewarnung", "info-1-language": "en-GB", "info-1-categories": ["Met"],
            "info-1-event": "Heat", "info-1-urgency": "Expected", "info-1-severity": "Severe",
            "info-1-certainty": "Likely", "info-1-headline": "Heat warning"}
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    alert = Alert.objects.get()
    assert alert.infos.count() == 2 and alert.infos.first().areas.first().polygons
    xml = client.get(reverse("communication:alert_export", args=[alert.pk]))
    assert xml.status_code == 200 and b"<polygon>" in xml.content


def test_compose_page_refuses_an_open_polygon_with_a_message(client_for, personas):
    url = reverse("communication:alert_compose") + "?organisation=dortmund"
    data = {"status": "Exercise", "scope": "Public", "area_desc": "X", "polygon": "51.5,7.4 51.55,7.4 51.55,7.5 51.52,7.45",
            "info-TOTAL_FORMS": "1", "info-INITIAL_FORMS": "0", "info-MIN_NUM_FORMS": "1", "info-MAX_NUM_FORMS": "6",
            "info-0-language": "de-DE", "info-0-categories": ["Met"], "info-0-event": "Hitze",
            "info-0-urgency": "Expected", "info-0-severity": "Severe", "info-0-certainty": "Likely"}
    response = client_for("alice").post(url, data)
    assert response.status_code == 200 and "nicht geschlossen" in response.content.decode()
    assert Alert.objects.count() == 0


def test_import_page_refuses_hostile_xml_with_a_message(client_for):
    url = reverse("communication:alert_import") + "?organisation=dortmund"
    evil = SimpleUploadedFile("evil.cap", b'<?xml version="1.0"?><!DOCTYPE a [<!ENTITY x SYSTEM "file:///etc/passwd">]><a>&x;</a>')
    response = client_for("alice").post(url, {"file": evil})
    assert response.status_code == 200 and "aus Sicherheitsgründen abgelehnt" in response.content.decode()
    good = SimpleUploadedFile("storm.cap", (INTEROP / "thunderstorm.cap").read_bytes())
    response = client_for("alice").post(url, {"file": good})
    assert response.status_code == 302 and Alert.objects.get().organisation.slug == "dortmund"


def test_approval_by_someone_outside_the_chain_is_refused_on_the_page(client_for, personas, plan):
    message = services.message_create(plan=plan, author=personas.alice, title="Hitze", text="Trinken Sie Wasser.")
    services.message_transition(message=message, actor=personas.alice, to_status="review")
    url = reverse("communication:message_transition", args=[message.pk])
    response = client_for("alice").post(url, {"to_status": "approved"}, follow=True)
    assert "Freigabekette" in response.content.decode()
    assert Message.objects.get(pk=message.pk).status == "review"
    client_for("carla").post(url, {"to_status": "approved"})
    assert Message.objects.get(pk=message.pk).status == "approved"


def test_plan_page_shows_the_matrix_and_turns_a_gap_into_an_action_item(client_for, personas, plan):
    services.audience_add(plan=plan, actor=personas.alice, kind="media", channels=["press"], languages=["de", "en"])
    client = client_for("alice")
    page = client.get(plan.get_absolute_url()).content.decode()
    assert "matrix-table" in page and "Keine Botschaft für" in page
    audience = plan.audiences.get()
    response = client.post(reverse("communication:gap_action", args=[plan.pk]), {"gap": f"lang:{audience.pk}:en"},
                           follow=True)
    assert "Maßnahme im Maßnahmenplan" in response.content.decode()


def test_dark_site_is_public_only_once_published(client_for, personas, plan):
    url = reverse("communication:dark_site", args=[plan.pk])
    assert client_for("eve").get(url).status_code == 404
    toggle = reverse("communication:dark_site_toggle", args=[plan.pk])
    response = client_for("alice").post(toggle, {"publish": "1"}, follow=True)
    assert "Dark Site ist leer" in response.content.decode()
    services.plan_update(plan=plan, actor=personas.alice, data={"dark_site_title": "Hitze", "dark_site_text": "**Wasser**"})
    assert client_for("bob").post(toggle, {"publish": "1"}).status_code == 404  # members do not publish
    client_for("alice").post(toggle, {"publish": "1"})
    page = client_for("eve").get(url)
    assert page.status_code == 200 and "<strong>Wasser</strong>" in page.content.decode()
    client_for("alice").post(toggle, {"publish": "0"})
    assert client_for("eve").get(url).status_code == 404


def test_rumour_weekly_command_enqueues_the_summaries(personas):
    import io

    from django.core.management import call_command
    from django.utils import timezone

    from panreflex.communication.models import WeeklySummary

    services.rumour_create(organisation=personas.dortmund, author=personas.alice, category="concern",
                           claim="Sorge um Hitze in Schulen", first_seen_at=timezone.now(), first_seen_where="Elternbrief")
    out = io.StringIO()
    call_command("rumour_weekly", "--week", timezone.localdate().isoformat(), stdout=out)
    assert out.getvalue().startswith("1 ") and WeeklySummary.objects.filter(organisation=personas.dortmund).count() == 1


def test_duplicates_are_proposed_while_typing(client_for, personas):
    from django.utils import timezone

    rumour = services.rumour_create(organisation=personas.dortmund, author=personas.alice, category="misinformation",
                                    claim="Das Leitungswasser ist wegen der Hitze verseucht",
                                    first_seen_at=timezone.now(), first_seen_where="Messenger")
    url = reverse("communication:rumour_similar")
    body = client_for("alice").post(url, {"organisation": "dortmund", "claim": "Leitungswasser verseucht wegen Hitze"},
                                    HTTP_HX_REQUEST="true").content.decode()
    assert rumour.get_absolute_url() in body
    assert client_for("charlie").post(url, {"organisation": "dortmund", "claim": rumour.claim}).status_code == 404


def test_list_pages_do_not_query_per_row(client_for, personas, django_assert_max_num_queries):
    from django.utils import timezone

    for i in range(5):
        services.rumour_create(organisation=personas.dortmund, author=personas.alice, category="question",
                               claim=f"Frage Nummer {i} zur Hitze im Sommer", first_seen_at=timezone.now(),
                               first_seen_where="Hotline")
    for path in (INTEROP / "australia.cap", INTEROP / "canada.cap", INTEROP / "thunderstorm.cap"):
        services.alert_import(data=path.read_bytes())
    client = client_for("alice")
    client.get(reverse("communication:alert_list"))
    with django_assert_max_num_queries(15):
        assert client.get(reverse("communication:alert_list")).status_code == 200
    with django_assert_max_num_queries(15):
        assert client.get(reverse("communication:rumour_list") + "?organisation=dortmund").status_code == 200


def test_trend_chart_counts_entries_per_week(client_for, personas):
    from datetime import timedelta

    from django.utils import timezone

    now = timezone.now()
    for days, category in ((0, "question"), (0, "misinformation"), (8, "question")):
        services.rumour_create(organisation=personas.dortmund, author=personas.alice, category=category,
                               claim=f"Eintrag {days} {category} zur Hitze", first_seen_at=now - timedelta(days=days),
                               first_seen_where="Hotline")
    from panreflex.communication import selectors
    from panreflex.communication.models import Rumour

    labels, counts = selectors.rumour_trend(rumours=Rumour.objects.all(), today=timezone.localdate())
    assert counts["question"][-1] == 1 and counts["misinformation"][-1] == 1 and sum(counts["question"]) == 2
    body = client_for("alice").get(reverse("communication:rumour_list") + "?organisation=dortmund").content.decode()
    assert 'role="img"' in body and "Woche ab" in body


def test_rumour_weekly_command_is_idempotent_per_week(personas):
    import io

    from django.core.management import CommandError, call_command
    from django.utils import timezone

    from panreflex.communication.models import WeeklySummary

    services.rumour_create(organisation=personas.dortmund, author=personas.alice, category="question",
                           claim="Gibt es Trinkwasser?", first_seen_at=timezone.now(), first_seen_where="Hotline")
    week = timezone.localdate().isoformat()
    call_command("rumour_weekly", "--week", week, stdout=io.StringIO())
    created = WeeklySummary.objects.get(organisation=personas.dortmund).created_at
    out = io.StringIO()
    call_command("rumour_weekly", "--week", week, stdout=out)
    assert out.getvalue().startswith("0 ") and "1 already there" in out.getvalue()
    assert WeeklySummary.objects.get(organisation=personas.dortmund).created_at == created
    out = io.StringIO()
    call_command("rumour_weekly", "--week", week, "--again", stdout=out)
    assert out.getvalue().startswith("1 ") and WeeklySummary.objects.count() == 1
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("rumour_weekly", "--week", "letzte Woche", stdout=io.StringIO())


def test_jargon_page_search_add_edit_delete(client_for, personas):
    from panreflex.communication.models import JargonWord

    client = client_for("alice")
    url = reverse("communication:jargon_list")
    response = client.post(reverse("communication:jargon_create"),
                           {"word": "Hitzeereignis", "language": "de", "suggestion": "große Hitze"})
    assert response.status_code == 302
    entry = JargonWord.objects.get(word="Hitzeereignis")
    body = client.get(url, {"q": "hitze", "language": "de"}).content.decode()
    assert "Hitzeereignis" in body and "große Hitze" in body
    assert "Hitzeereignis" not in client.get(url, {"q": "hitze", "language": "en"}).content.decode()
    # a duplicate (any case), two words, the word as its own alternative: precise messages, nothing stored
    for data, message in [({"word": "hitzeereignis", "language": "de"}, "already on the list"),
                          ({"word": "Hitze Ereignis", "language": "de"}, "one word without spaces"),
                          ({"word": "Lage", "language": "de", "suggestion": "lage"}, "must differ")]:
        page = client.post(reverse("communication:jargon_create"), data)
        assert page.status_code == 200 and message in page.content.decode()
    assert JargonWord.objects.count() == 1
    edit = reverse("communication:jargon_edit", kwargs={"pk": entry.pk})
    assert client.post(edit, {"word": "Hitzeereignis", "language": "de", "suggestion": "Hitze"}).status_code == 302
    entry.refresh_from_db()
    assert entry.suggestion == "Hitze"
    delete = reverse("communication:jargon_delete", kwargs={"pk": entry.pk})
    assert "Hitzeereignis" in client.get(delete).content.decode() and JargonWord.objects.exists()
    assert client.post(delete).status_code == 302 and not JargonWord.objects.exists()


def test_jargon_page_is_read_only_for_members_and_feeds_the_hints(client_for, personas):
    from panreflex.communication.models import JargonWord

    JargonWord.objects.create(word="Vulnerabilität", language="de", suggestion="Verletzlichkeit")
    bob = client_for("bob")
    assert "Vulnerabilität" in bob.get(reverse("communication:jargon_list")).content.decode()
    assert bob.post(reverse("communication:jargon_create"), {"word": "Lage", "language": "de"}).status_code == 404
    body = bob.post(reverse("communication:readability"), {"text": "Die Vulnerabilität ist hoch.", "language": "de",
                                                            "variant": "standard"}).content.decode()
    assert "Verletzlichkeit" in body
