from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from panreflex.multilevel.models import Actor, Event, EventLink, NavigatorEntry, Relation
from panreflex.multilevel.services import actor_create, event_create, event_link_create, relation_create

CITY = {"ags": "05913000"}
CHRONO = reverse("multilevel:chronology", kwargs=CITY)


@pytest.fixture
def measure(personas):
    event = event_create(organisation=personas.dortmund, author=personas.alice, municipality=personas.dortmund.place,
                         title="Bürgertelefon zur Landesverordnung", level="municipality", topic="public-information",
                         date_announced=date(2020, 3, 23), date_in_force=date(2020, 3, 24), visibility="public")
    Event.objects.filter(pk=event.pk).update(released_at=timezone.now())
    event.refresh_from_db()
    event_link_create(higher=Event.objects.get(dataset="curated", key="nrw-2020-03-22"), lower=event, actor=personas.alice)
    return event


@pytest.mark.django_db
def test_chronology_shows_lanes_series_credits_and_national_note(client_for, measure):
    html = client_for("eve").get(CHRONO).content.decode()
    assert 'class="timeline-svg"' in html and 'role="img"' in html
    assert html.count('class="ev ev-') >= 240  # reference rows for DE and DE-NW + the city's measure
    assert "series-incidence" in html and "series-icu" in html and "series-stringency" in html
    assert "Blavatnik School of Government" in html and "CC BY-SA 4.0" in html  # every credit line
    assert "zusammengestellt von entorb" in html
    assert "strengste Regel" in html  # "national" explained as OxCGRT defines it
    assert "Unvollständige Liste" in html  # the curated list is labelled incomplete
    assert "Bürgertelefon zur Landesverordnung" in html
    assert "Reaktionszeit" in html and "<td>2</td>" in html  # 22.03. → 24.03.2020


@pytest.mark.django_db
def test_private_measures_stay_private(client_for, personas):
    event_create(organisation=personas.dortmund, author=personas.alice, municipality=personas.dortmund.place,
                 title="Interne Maßnahme XYZ", level="municipality", topic="masks", date_in_force=date(2021, 1, 5))
    assert "Interne Maßnahme XYZ" in client_for("bob").get(CHRONO).content.decode()
    assert "Interne Maßnahme XYZ" not in client_for("charlie").get(CHRONO).content.decode()
    assert "Interne Maßnahme XYZ" not in client_for("eve").get(CHRONO).content.decode()
    csv = client_for("eve").get(reverse("multilevel:export_events_csv", kwargs=CITY), {"dataset": "own"}).content
    assert "Interne Maßnahme XYZ".encode() not in csv


@pytest.mark.django_db
def test_zoom_returns_the_chart_fragment_for_htmx(client_for):
    response = client_for("eve").get(CHRONO, {"from": "2020-03-01", "to": "2020-03-31", "part": "chart"},
                                     HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200 and "<html" not in html and 'class="timeline-svg"' in html
    assert "01.03.2020 – 31.03.2020" in html


@pytest.mark.django_db
def test_chronology_query_count_does_not_grow_with_events(client_for, personas):
    def count():
        with CaptureQueriesContext(connection) as ctx:
            client_for("alice").get(CHRONO)
        return len(ctx.captured_queries)

    before = count()
    for i in range(30):
        event_create(organisation=personas.dortmund, author=personas.alice, municipality=personas.dortmund.place,
                     title=f"m{i}", level="municipality", topic="masks", date_in_force=date(2021, 1, 1 + i % 28))
    assert count() == before


@pytest.mark.django_db
def test_exports_keep_datasets_apart(client_for, measure):
    client = client_for("eve")
    url = reverse("multilevel:export_events_csv", kwargs=CITY)
    cccsl = client.get(url, {"dataset": "cccsl"}).content.decode("utf-8-sig")
    rows = cccsl.splitlines()[1:]
    assert len(rows) == 96 and all("CC BY-SA 4.0" in r for r in rows) and "Blavatnik" not in cccsl
    oxcgrt = client.get(url, {"dataset": "oxcgrt"}).content.decode("utf-8-sig")
    assert "CC BY-SA" not in oxcgrt and len(oxcgrt.splitlines()) == 116
    own = client.get(url, {"dataset": "own"}).content.decode("utf-8-sig")
    assert "Bürgertelefon" in own and own.splitlines()[0].startswith("event_id;date_announced;date_in_force")
    ics = client.get(reverse("multilevel:export_events_ics", kwargs=CITY), {"dataset": "own"}).content
    assert b"BEGIN:VEVENT" in ics and b"DTSTART;VALUE=DATE:20200324" in ics
    xlsx = client.get(reverse("multilevel:export_events_xlsx", kwargs=CITY), {"dataset": "own"}).content
    assert xlsx[:2] == b"PK"


@pytest.mark.django_db
def test_export_reimports_to_the_same_measures(client_for, measure, personas):
    own = client_for("alice").get(reverse("multilevel:export_events_csv", kwargs=CITY), {"dataset": "own"}).content
    upload = SimpleUploadedFile("own.csv", own, content_type="text/csv")
    response = client_for("alice").post(reverse("multilevel:import_events", kwargs=CITY), {
        "organisation": personas.dortmund.pk, "file": upload, "visibility": "private"})
    assert response.status_code == 302
    assert Event.objects.filter(dataset="own").count() == 1


@pytest.mark.django_db
def test_import_view_reports_every_bad_row_and_stores_nothing(client_for, personas):
    data = ("title;level;topic;date_in_force;date_end\nGut;Kommune;masks;01.02.2021;\n"
            "Schlecht;Kommune;masks;2021/02/03;\nAuch gut;Land;masks;03.02.2021;\n"
            "Rückwärts;Kommune;masks;05.02.2021;01.02.2021\nFalsche Ebene;Planet;masks;05.02.2021;\n").encode("cp1252")
    response = client_for("alice").post(reverse("multilevel:import_events", kwargs=CITY), {
        "organisation": personas.dortmund.pk, "file": SimpleUploadedFile("m.csv", data), "visibility": "private"})
    html = response.content.decode()
    assert response.status_code == 200 and "3 Zeilen haben Fehler. Nichts wurde importiert." in html
    rows = html.split('class="table problems-table"')[1].split("</tbody>")[0]
    assert '<th scope="row">3</th>' in rows and "„2021/02/03“ ist kein Datum" in rows
    assert '<th scope="row">5</th>' in rows and "Das Ereignis endet, bevor es beginnt." in rows
    assert '<th scope="row">6</th>' in rows and "„Planet“" in rows
    assert '<th scope="row">2</th>' not in rows and '<th scope="row">4</th>' not in rows
    assert not Event.objects.filter(dataset="own").exists()
    english = client_for("alice")
    english.cookies["panreflex_language"] = "en"
    html = english.post(reverse("multilevel:import_events", kwargs=CITY), {
        "organisation": personas.dortmund.pk, "file": SimpleUploadedFile("m.csv", data), "visibility": "private"},
        HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "3 rows have problems. Nothing was imported." in html and "The event ends before it starts." in html
    assert "“2021/02/03” is not a date" in html


@pytest.mark.django_db
def test_charlie_cannot_import_or_link_for_dortmund(client_for, measure, personas):
    upload = SimpleUploadedFile("m.csv", b"title;level;topic;date_in_force\nx;Kommune;masks;01.02.2021\n")
    assert client_for("charlie").post(reverse("multilevel:import_events", kwargs=CITY), {
        "organisation": personas.dortmund.pk, "file": upload, "visibility": "private"}).status_code == 404
    higher = Event.objects.get(dataset="curated", key="nrw-2020-03-30")
    url = reverse("multilevel:link_create", kwargs={"pk": measure.pk})
    assert client_for("charlie").post(url, {"higher": higher.pk, "kind": "implements"}).status_code == 404
    assert client_for("bob").post(url, {"higher": higher.pk, "kind": "implements"}).status_code == 404
    assert client_for("alice").post(url, {"higher": higher.pk, "kind": "implements"}).status_code == 302
    assert EventLink.objects.filter(lower=measure).count() == 2
    link = EventLink.objects.get(higher=higher)
    assert client_for("charlie").post(reverse("multilevel:link_delete", kwargs={"pk": link.pk})).status_code == 404
    assert client_for("alice").post(reverse("multilevel:link_delete", kwargs={"pk": link.pk})).status_code == 302
    # a reference row is never editable
    ref = Event.objects.get(dataset="oxcgrt", key="oxcgrt-deu-H6-2020-04-27")
    assert client_for("dora").post(reverse("multilevel:event_edit", kwargs={"pk": ref.pk}), {}).status_code == 404


@pytest.mark.django_db
def test_event_form_refuses_an_end_before_the_start(client_for, personas):
    response = client_for("alice").post(reverse("multilevel:event_create", kwargs=CITY), {
        "organisation": personas.dortmund.pk, "title": "Test", "level": "municipality", "kind": "measure",
        "topic": "masks", "date_in_force": "2021-05-01", "date_end": "2021-04-01", "visibility": "private"})
    assert response.status_code == 200 and "endet, bevor es beginnt" in response.content.decode()
    assert not Event.objects.filter(dataset="own").exists()


@pytest.mark.django_db
def test_network_page_metrics_filters_compare_and_exports(client_for, personas):
    city = personas.dortmund.place
    make = lambda name, level: actor_create(organisation=personas.dortmund, author=personas.alice,  # noqa: E731
                                            municipality=city, name=name, level=level, kind="other", visibility="public")
    state, staff, office = make("Ministerium", "state"), make("Krisenstab", "municipality"), make("Amt", "municipality")
    Actor.objects.update(released_at=timezone.now())
    for s, t, k in ((state, staff, "directs"), (staff, office, "directs")):
        relation_create(organisation=personas.dortmund, author=personas.alice, source=s, target=t, kind=k,
                        visibility="public", valid_from=date(2020, 3, 1))
    Relation.objects.update(released_at=timezone.now())
    url = reverse("multilevel:network", kwargs=CITY)
    html = client_for("eve").get(url).content.decode()
    assert 'class="network-svg"' in html and "Krisenstab" in html and "ja (1 Paar)" in html
    assert "Ministerium" not in client_for("eve").get(url, {"level": "municipality"}).content.decode().split("<table")[1]
    assert "gibt Weisungen an" not in client_for("eve").get(url, {"on": "2020-01-01"}).content.decode().split(
        'class="table relations-table"')[1].split("</table>")[0].split("<tbody>")[1]
    assert client_for("eve").get(url, {"compare": "05315000"}).status_code == 200
    graphml = client_for("eve").get(reverse("multilevel:export_network_graphml", kwargs=CITY)).content
    assert b"<graphml" in graphml and b"Krisenstab" in graphml
    csv = client_for("eve").get(reverse("multilevel:export_network_csv", kwargs=CITY)).content.decode("utf-8-sig")
    assert csv.splitlines()[0].startswith("source;source_level;source_type;relation;target")
    # the exported CSV imports back into another organisation's network (round trip)
    koeln_csv = SimpleUploadedFile("n.csv", csv.encode())
    response = client_for("charlie").post(reverse("multilevel:import_network", kwargs={"ags": "05315000"}), {
        "organisation": personas.koeln.pk, "file": koeln_csv, "visibility": "private", "create_actors": "on"})
    assert response.status_code == 302
    assert Relation.objects.filter(organisation=personas.koeln).count() == 2


@pytest.mark.django_db
def test_relation_form_refuses_a_cycle(client_for, personas):
    city = personas.dortmund.place
    a = actor_create(organisation=personas.dortmund, author=personas.alice, municipality=city, name="A",
                     level="municipality", kind="other")
    b = actor_create(organisation=personas.dortmund, author=personas.alice, municipality=city, name="B",
                     level="municipality", kind="other")
    relation_create(organisation=personas.dortmund, author=personas.alice, source=a, target=b, kind="directs")
    response = client_for("alice").post(reverse("multilevel:relation_create", kwargs=CITY), {
        "organisation": "dortmund", "source": b.pk, "target": a.pk, "kind": "directs", "visibility": "private"})
    assert response.status_code == 200 and "Kreis" in response.content.decode()
    assert Relation.objects.count() == 1


@pytest.mark.django_db
def test_navigator_derived_and_staff_entries(client_for, personas, measure):
    url = reverse("multilevel:navigator_topic", kwargs={"topic": "school-closures"})
    html = client_for("eve").get(url).content.decode()
    assert "2020 I" in html and "Land" in html  # CCCSL: NRW closed schools on 16.03.2020, before the federal row
    create = reverse("multilevel:navigator_entry_create", kwargs={"topic": "school-closures"})
    event = Event.objects.get(dataset="cccsl", key="cccsl-1901")
    data = {"topic": "school-closures", "period_start": "2020-03-16", "period_end": "2020-05-04",
            "deciding_level": "state", "implementing_level": "municipality", "summary": "Entwurf XYZ",
            "events": [event.pk]}
    assert client_for("alice").post(create, data).status_code == 404
    assert client_for("dora").post(create, data).status_code == 302
    assert "Entwurf XYZ" not in client_for("eve").get(url).content.decode()  # unpublished
    assert "Entwurf XYZ" in client_for("dora").get(url).content.decode()
    entry = NavigatorEntry.objects.get(summary="Entwurf XYZ")
    data["is_published"] = "on"
    client_for("dora").post(reverse("multilevel:navigator_entry_edit", kwargs={"pk": entry.pk}), data)
    html = client_for("eve").get(url).content.decode()
    assert "Entwurf XYZ" in html and event.get_absolute_url() in html  # the event one click away
    bad = dict(data, period_end="2020-01-01")
    assert "endet, bevor er beginnt" in client_for("dora").post(create, bad).content.decode()


@pytest.mark.django_db
def test_reflection_becomes_an_insight(client_for, measure):
    from panreflex.evidence.models import Insight

    link = EventLink.objects.get(lower=measure)
    reflect = reverse("multilevel:link_reflect", kwargs={"pk": link.pk})
    assert client_for("charlie").post(reflect, {"improvised": "x"}).status_code == 404
    client_for("alice").post(reflect, {"improvised": "Telefonhotline in zwei Tagen aufgebaut", "worked": "",
                                       "transfer": "Vorlage für Hitzewellen"})
    url = reverse("multilevel:link_insight", kwargs={"pk": link.pk})
    assert client_for("bob").post(url, {"field": "transfer"}).status_code == 404
    response = client_for("alice").post(url, {"field": "transfer"})
    insight = Insight.objects.get(external_key=f"multilevel-link-{link.pk}-transfer")
    assert response.status_code == 302 and response["Location"] == insight.get_absolute_url()
    assert insight.statement == "Vorlage für Hitzewellen" and insight.organisation == measure.organisation
    assert insight.sources.get().url.endswith(measure.get_absolute_url())
    client_for("alice").post(url, {"field": "transfer"})
    assert Insight.objects.filter(external_key__startswith="multilevel-link-").count() == 1  # not twice
    assert client_for("alice").post(url, {"field": "worked"}).status_code == 302  # empty: back to the form
    assert not Insight.objects.filter(external_key=f"multilevel-link-{link.pk}-worked").exists()
