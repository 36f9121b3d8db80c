"""Issue 18, the parts closed after the merge: imports report every bad row; identifiers of measures are
per organisation (an import learns nothing of other organisations' measures); personal contact data
only with recorded consent; relations per topic; the reflection and transfer view over a set of links
with insights, practice examples and the crises a lesson would transfer to; figures per city."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from panreflex.accounts.models import Visibility
from panreflex.evidence.tests.factories import InsightFactory
from panreflex.lib.tabular import read_csv
from panreflex.multilevel.models import Actor, Event, EventLink, Relation
from panreflex.multilevel.selectors import figures_by_city
from panreflex.multilevel.services import (
    ImportFailed,
    actor_create,
    actor_update,
    event_create,
    event_link_create,
    event_link_update_reflection,
    events_import,
    network_import,
    relation_create,
)
from panreflex.practices.tests.factories import make_practice
from panreflex.taxonomy.models import Term
from panreflex.testing.walk import normalised

CITY = {"ags": "05913000"}


def _csv(text: str):
    return read_csv(text.encode("utf-8"))


def _measure(p, org=None, **kw):
    org = org or p.dortmund
    defaults = dict(title="Maßnahme", level="municipality", topic="masks", date_in_force=date(2020, 11, 6))
    return event_create(organisation=org, author=p.alice if org == p.dortmund else p.charlie,
                        municipality=org.place, **{**defaults, **kw})


# --- imports: every bad row, nothing stored -----------------------------------------------------------
@pytest.mark.django_db
def test_events_import_reports_every_bad_row(personas):
    text = ("event_id;date_in_force;date_end;level;topic;title\n"
            "a;2020-03-23;;municipality;masks;gut\n"
            "b;23/03/2020;;municipality;masks;falsches Datum\n"
            "c;2020-03-23;;galaxy;masks;falsche Ebene\n"
            "d;2020-03-23;2020-03-01;municipality;masks;rückwärts\n"
            "a;2020-03-24;;municipality;masks;doppelt\n")
    with translation.override("en"), pytest.raises(ImportFailed) as info:
        events_import(table=_csv(text), organisation=personas.dortmund, municipality=personas.dortmund.place,
                      author=personas.alice)
    problems = {p.row: p.message for p in info.value.problems}
    assert sorted(problems) == [3, 4, 5, 6]
    assert "23/03/2020" in problems[3] and "galaxy" in problems[4] and "ends before it starts" in problems[5]
    assert "already used in row 2" in problems[6]
    with translation.override("en"):
        assert info.value.summary == "4 rows have problems. Nothing was imported."
    with translation.override("de"):
        assert info.value.summary == "4 Zeilen haben Fehler. Nichts wurde importiert."
    assert not Event.objects.filter(dataset="own").exists()


@pytest.mark.django_db
def test_network_import_reports_every_bad_row_and_takes_back_new_actors(personas):
    city = personas.dortmund.place
    for name in ("Krisenstab", "Gesundheitsamt"):
        actor_create(organisation=personas.dortmund, author=personas.alice, municipality=city, name=name,
                     level="municipality", kind="other")
    text = ("source;source_level;relation;target;topic\n"
            "Krisenstab;;directs;Gesundheitsamt;testing\n"
            "Neu;planet;informs;Krisenstab;\n"
            "Gesundheitsamt;;directs;Krisenstab;\n"
            "Krisenstab;;informs;Gesundheitsamt;astrology\n")
    with translation.override("en"), pytest.raises(ImportFailed) as info:
        network_import(table=_csv(text), organisation=personas.dortmund, municipality=city, author=personas.alice,
                       create_actors=True)
    problems = {p.row: p.message for p in info.value.problems}
    assert sorted(problems) == [3, 4, 5]
    assert "planet" in problems[3] and "cycle" in problems[4] and "astrology" in problems[5]
    assert not Relation.objects.exists() and not Actor.objects.filter(name="Neu").exists()
    counts = network_import(table=_csv(text.split("Neu;")[0]), organisation=personas.dortmund, municipality=city,
                            author=personas.alice)
    assert counts == {"relations": 1, "actors": 0} and Relation.objects.get().topic == "testing"


# --- identifiers of measures are per organisation -----------------------------------------------------
@pytest.mark.django_db
def test_an_import_learns_nothing_of_another_organisations_measures(personas):
    koeln = _measure(personas, personas.koeln, key="massnahme-1", title="FREMD")
    city = personas.dortmund.place
    # the same identifier in Dortmund's file is simply Dortmund's own measure
    events_import(table=_csv("event_id;date_in_force;level;topic;title\nmassnahme-1;2020-03-23;Kommune;masks;Eigene\n"),
                  organisation=personas.dortmund, municipality=city, author=personas.alice)
    assert Event.objects.get(organisation=personas.dortmund, key="massnahme-1").title == "Eigene"
    assert Event.objects.get(pk=koeln.pk).title == "FREMD"
    # Köln's measure by its export id answers exactly like an id that does not exist
    messages = []
    for pk in (koeln.pk, 987654321):
        text = f"event_id;date_in_force;level;topic;title\npanreflex-{pk};2020-03-23;Kommune;masks;x\n"
        with pytest.raises(ImportFailed) as info:
            events_import(table=_csv(text), organisation=personas.dortmund, municipality=city, author=personas.alice)
        messages.append(info.value.problems[0].message.replace(str(pk), "#"))
    assert messages[0] == messages[1]
    assert Event.objects.get(pk=koeln.pk).title == "FREMD" and Event.objects.filter(dataset="own").count() == 2


# --- personal contact data only with recorded consent -------------------------------------------------
@pytest.mark.django_db
def test_personal_contact_data_needs_recorded_consent(personas):
    city = personas.dortmund.place
    base = dict(organisation=personas.dortmund, author=personas.alice, municipality=city, level="municipality",
                kind="health_office")
    with translation.override("en"):
        with pytest.raises(ValidationError, match="only with recorded consent"):
            actor_create(name="Gesundheitsamt", contact_name="Dr. Muster", **base)
        with pytest.raises(ValidationError, match="No e-mail addresses or phone numbers"):
            actor_create(name="Gesundheitsamt", contact_role="Leitung, muster@stadt.example", **base)
        with pytest.raises(ValidationError, match="No e-mail addresses or phone numbers"):
            actor_create(name="Gesundheitsamt", note="erreichbar unter 0231 / 50-12345", **base)
        with pytest.raises(ValidationError, match="future"):
            actor_create(name="Gesundheitsamt", contact_name="Dr. Muster",
                         contact_consent_on=timezone.localdate() + timedelta(days=1), **base)
    assert not Actor.objects.exists()
    actor = actor_create(name="Gesundheitsamt", contact_role="Amtsleitung", note="seit 01.03.2020 im Krisenstab",
                         contact_name="Dr. Muster", contact_email="muster@stadt.example",
                         contact_consent_on=date(2024, 5, 2), contact_consent_note="Formular", visibility="public", **base)
    with pytest.raises(ValidationError):  # removing the consent but keeping the data
        actor_update(actor_obj=actor, actor=personas.alice, data={"contact_consent_on": None})
    actor_update(actor_obj=actor, actor=personas.alice,
                 data={"contact_consent_on": None, "contact_name": "", "contact_email": ""})
    assert Actor.objects.get(pk=actor.pk).contact_email == ""


@pytest.mark.django_db
def test_personal_contact_data_is_shown_only_to_editors_and_never_exported(client_for, personas):
    city = personas.dortmund.place
    actor = actor_create(organisation=personas.dortmund, author=personas.alice, municipality=city,
                         name="Gesundheitsamt", level="municipality", kind="health_office", visibility="public",
                         contact_name="Dr. Muster", contact_email="muster@stadt.example",
                         contact_consent_on=date(2024, 5, 2))
    other = actor_create(organisation=personas.dortmund, author=personas.alice, municipality=city, name="Krisenstab",
                         level="municipality", kind="crisis_staff", visibility="public")
    relation_create(organisation=personas.dortmund, author=personas.alice, source=other, target=actor,
                    kind="directs", visibility="public")
    Actor.objects.update(released_at=timezone.now())
    Relation.objects.update(released_at=timezone.now())
    pages = [reverse("multilevel:network", kwargs=CITY), reverse("multilevel:export_network_csv", kwargs=CITY),
             reverse("multilevel:export_network_graphml", kwargs=CITY)]
    for name in ("eve", "bob", "alice", "dora"):
        for url in pages:
            body = client_for(name).get(url).content.decode("utf-8", "replace")
            assert "Gesundheitsamt" in body and "Dr. Muster" not in body and "muster@" not in body, (name, url)
    edit = reverse("multilevel:actor_edit", kwargs={"pk": actor.pk})
    assert "muster@stadt.example" in client_for("alice").get(edit).content.decode()
    assert client_for("bob").get(edit).status_code == 404


# --- the network per topic ----------------------------------------------------------------------------
@pytest.mark.django_db
def test_network_filters_relations_by_topic(client_for, personas):
    city = personas.dortmund.place
    make = lambda name: actor_create(organisation=personas.dortmund, author=personas.alice,  # noqa: E731
                                     municipality=city, name=name, level="municipality", kind="other",
                                     visibility="public")
    a, b, c = make("Krisenstab"), make("Impfzentrum"), make("Schulamt")
    relation_create(organisation=personas.dortmund, author=personas.alice, source=a, target=b, kind="coordinates",
                    topic="vaccination", visibility="public")
    relation_create(organisation=personas.dortmund, author=personas.alice, source=a, target=c, kind="informs",
                    topic="school-closures", visibility="public")
    Actor.objects.update(released_at=timezone.now())
    Relation.objects.update(released_at=timezone.now())
    html = client_for("eve").get(reverse("multilevel:network", kwargs=CITY), {"topic": "vaccination"}).content.decode()
    table = html.split('class="table relations-table"')[1].split("</table>")[0]
    assert "Impfzentrum" in table and "Schulamt" not in table and "Impfen" in table
    csv = client_for("eve").get(reverse("multilevel:export_network_csv", kwargs=CITY)).content.decode("utf-8-sig")
    assert ";vaccination;" in csv and ";school-closures;" in csv


# --- reflection and transfer over a set of links ------------------------------------------------------
@pytest.fixture
def linked(personas):
    reference = Event.objects.get(dataset="curated", key="nrw-2020-11-02")
    links = []
    for i, topic in enumerate(("masks", "testing", "masks")):
        event = _measure(personas, title=f"Maßnahme {i}", topic=topic, visibility="public")
        links.append(event_link_create(higher=reference, lower=event, actor=personas.alice,
                                       kind="tightens" if i == 2 else "implements"))
    Event.objects.filter(organisation=personas.dortmund).update(released_at=timezone.now())
    return links


@pytest.mark.django_db
def test_reflection_links_insights_practices_and_crises(client_for, personas, linked):
    link = linked[0]
    public_insight = InsightFactory(organisation=personas.dortmund, statement="Hotline trug",
                                    visibility=Visibility.PUBLIC, released_at=timezone.now())
    foreign = InsightFactory(organisation=personas.koeln, statement="FREMD-Erkenntnis", visibility=Visibility.PRIVATE)
    practice = make_practice(organisation=personas.dortmund, author=personas.alice, title="Mehrsprachige Hotline",
                             status="published", visibility=Visibility.PUBLIC)
    practice.released_at = timezone.now()
    practice.save(update_fields=["released_at"])
    heat, flood = Term.objects.get(vocabulary="crisis_kind", code="heat"), Term.objects.get(vocabulary="crisis_kind",
                                                                                           code="flood")
    url = reverse("multilevel:link_reflect", kwargs={"pk": link.pk})
    form = client_for("alice").get(url).content.decode()
    assert "Hotline trug" in form and "Mehrsprachige Hotline" in form and "FREMD" not in form
    assert "Hitzewelle" in form and ">Pandemie<" not in form
    response = client_for("alice").post(url + "?next=transfer", {
        "improvised": "Hotline in zwei Tagen", "worked": "Mehrsprachigkeit", "transfer": "Vorlage für Hitzewellen",
        "insights": [public_insight.pk], "practices": [practice.pk], "transfer_to": [heat.pk, flood.pk],
        "next": "transfer"})
    assert response.status_code == 302 and response["Location"] == reverse("multilevel:transfer", kwargs=CITY)
    link.refresh_from_db()
    assert set(link.transfer_to.values_list("code", flat=True)) == {"heat", "flood"}
    assert list(link.insights.all()) == [public_insight] and list(link.practices.all()) == [practice]
    # an insight the editor does not see (linked by staff) stays when the editor saves again
    link.insights.add(foreign)
    client_for("alice").post(url, {"improvised": "Hotline in zwei Tagen", "worked": "", "transfer": "",
                                   "insights": [public_insight.pk], "practices": [practice.pk], "transfer_to": [heat.pk]})
    assert set(link.insights.all()) == {public_insight, foreign}
    # the transfer page: the set of links with their reflections; the foreign insight only for Köln/staff
    page = reverse("multilevel:transfer", kwargs=CITY)
    html = client_for("eve").get(page).content.decode()
    assert "3 Verknüpfungen, 1 mit Reflexion." in html and "Hotline in zwei Tagen" in html
    assert "Hotline trug" in html and "Mehrsprachige Hotline" in html and "FREMD" not in html
    assert "Reflexion schreiben" not in html  # eve may not change
    assert "FREMD-Erkenntnis" in client_for("charlie").get(page).content.decode()
    assert "Reflexion schreiben" in client_for("alice").get(page).content.decode()
    heat_only = client_for("eve").get(page, {"crisis": "heat"}).content.decode()
    assert "1 Verknüpfung, 1 mit Reflexion." in heat_only
    assert "0 Verknüpfungen" in client_for("eve").get(page, {"crisis": "flood"}).content.decode()
    assert "2 Verknüpfungen" in client_for("eve").get(page, {"topic": "masks"}).content.decode()
    assert "1 Verknüpfung," in client_for("eve").get(page, {"kind": "tightens"}).content.decode()
    assert "1 Verknüpfung," in client_for("eve").get(page, {"reflected": "on"}).content.decode()


@pytest.mark.django_db
def test_transfer_page_query_count_does_not_grow_with_links(client_for, personas, linked):
    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client_for("alice").get(reverse("multilevel:transfer", kwargs=CITY)).status_code == 200
        return len(ctx.captured_queries)

    before = count()
    reference = Event.objects.get(dataset="curated", key="nrw-2020-03-22")
    heat = Term.objects.get(vocabulary="crisis_kind", code="heat")
    for i in range(8):
        event = _measure(personas, title=f"Weitere {i}", date_in_force=date(2020, 3, 25))
        link = event_link_create(higher=reference, lower=event, actor=personas.alice)
        event_link_update_reflection(link=link, actor=personas.alice, improvised="x", worked="y", transfer="z",
                                     insights=[InsightFactory(organisation=personas.dortmund)], transfer_to=[heat])
    assert count() == before


@pytest.mark.django_db
def test_figures_per_city_lead_and_reaction_times(personas):
    reference = Event.objects.get(dataset="curated", key="nrw-2020-11-02")  # start 2020-11-02
    a = _measure(personas, date_announced=date(2020, 11, 3), date_in_force=date(2020, 11, 6))  # lead 3, reaction 4
    b = _measure(personas, date_announced=date(2020, 11, 1), date_in_force=date(2020, 11, 2))  # lead 1, reaction 0
    _measure(personas, date_in_force=date(2020, 12, 1))  # no announcement: no lead time
    hidden = _measure(personas, personas.koeln, date_announced=date(2020, 11, 1), date_in_force=date(2020, 11, 30))
    for event in (a, b, hidden):
        event_link_create(higher=reference, lower=event, actor=personas.alice)
    figures = {f.city.ags: f for f in figures_by_city(viewer=personas.bob)}
    assert set(figures) == {"05913000"}  # Köln's private measure is not Bob's to see
    dortmund = figures["05913000"]
    assert (dortmund.measures, dortmund.lead_median, len(dortmund.reaction), dortmund.reaction_median) == (3, 2, 2, 2)
    staff = {f.city.ags: f for f in figures_by_city(viewer=personas.dora)}
    assert staff["05315000"].lead_median == 29 and staff["05315000"].reaction_median == 28
    assert EventLink.objects.count() == 3


# --- the answers of a survey (surveys app) mapped into relations --------------------------------------
@pytest.mark.django_db
def test_survey_answers_become_relations_through_the_import_page(client_for, personas):
    from panreflex.surveys.services import answers as svc
    from panreflex.surveys.services.fieldwork import invitations_create
    from panreflex.surveys.tests.factories import answer, make_survey

    survey = make_survey(personas.dortmund, actor=personas.alice, title="Mit wem haben Sie koordiniert?")
    for inv, chosen in zip(invitations_create(actor=None, survey=survey, places=[personas.dortmund.place, personas.koeln.place]),
                           (["x", "y"], ["y"]), strict=True):
        answer(svc.response_start(link=svc.resolve_token(inv.token)), {"q_single": "a", "q_multi": chosen})
    foreign = make_survey(personas.koeln, actor=personas.charlie, title="FREMD-Befragung", visibility="private")
    actor_create(organisation=personas.dortmund, author=personas.alice, municipality=personas.dortmund.place,
                 name="Krisenstab", level="municipality", kind="crisis_staff")
    url = reverse("multilevel:import_network", kwargs=CITY)
    page = client_for("alice").get(url, {"survey": survey.pk}).content.decode()
    assert "Mit wem haben Sie koordiniert?" in page and "<code>q_multi</code>" in page and "FREMD" not in page
    assert "FREMD" not in client_for("alice").get(url, {"survey": foreign.pk}).content.decode()
    data = {"organisation": personas.dortmund.pk, "visibility": "private", "survey": survey.pk,
            "map-target_column": "q_multi", "map-fixed_source": "Krisenstab", "map-fixed_relation": "coordinates"}
    assert "Wählen Sie eine Datei oder eine Befragung" in client_for("alice").post(url, {
        **data, "file": SimpleUploadedFile("n.csv", b"source;relation;target\n")}).content.decode()
    response = client_for("alice").post(url, data)  # without "add actors": the partners are unknown
    assert response.status_code == 200 and "Option X" in response.content.decode()
    assert not Relation.objects.exists()
    response = client_for("alice").post(url, {**data, "create_actors": "on"})
    assert response.status_code == 302
    assert sorted(Relation.objects.values_list("source__name", "kind", "target__name")) == [
        ("Krisenstab", "coordinates", "Option X"), ("Krisenstab", "coordinates", "Option Y"),
        ("Krisenstab", "coordinates", "Option Y")]
    # another organisation's survey is no choice: refused like a survey that does not exist
    before = Relation.objects.count()
    answers = [normalised(client_for("alice").post(url, {**data, "survey": pk, "create_actors": "on"}).content)
               for pk in (foreign.pk, 987654321)]
    assert answers[0] == answers[1] and Relation.objects.count() == before


# --- OxCGRT's daily indicators under a navigator topic ------------------------------------------------
@pytest.mark.django_db
def test_daily_indicators_are_shipped_and_drawn_under_their_topic(client_for):
    from panreflex.multilevel.models import OXCGRT_INDICATORS, Series

    indicators = Series.objects.filter(kind="indicator", municipality__isnull=True)
    assert sorted(indicators.values_list("label", flat=True)) == sorted(OXCGRT_INDICATORS)
    c1 = indicators.get(label="c1_school_closing")
    assert len(c1.values) == 1096 and max(v for v in c1.values if v is not None) == 3
    assert c1.values[(date(2020, 4, 1) - date(2020, 1, 1)).days] == 3  # schools closed in spring 2020
    html = client_for("eve").get(reverse("multilevel:navigator_topic", kwargs={"topic": "school-closures"})).content.decode()
    assert 'class="series series-indicator"' in html and "OxCGRT C1 Schulschließungen (Stufe 0–3)" in html
    assert "series-indicator" not in client_for("eve").get(reverse("multilevel:chronology", kwargs=CITY)).content.decode()
    html = client_for("eve").get(reverse("multilevel:navigator_topic", kwargs={"topic": "access-rules"})).content.decode()
    assert "OxCGRT kodiert für dieses Thema keinen Indikator." in html
