from datetime import date

from django.core.files.uploadedfile import SimpleUploadedFile

from panreflex.multilevel.models import Event, NavigatorEntry
from panreflex.multilevel.services import (
    actor_create,
    event_create,
    event_document_add,
    event_link_create,
    relation_create,
)
from panreflex.testing.walk import WalkCase, expect

DORTMUND = "05913000"
KOELN = "05315000"


def setup(p):
    city = p.dortmund.place
    p.ml_event = event_create(organisation=p.dortmund, author=p.alice, municipality=city, title="Walk: Maßnahme",
                              level="municipality", topic="masks", date_in_force=date(2020, 11, 6))
    p.ml_reference = Event.objects.get(dataset="curated", key="nrw-2020-11-02")
    p.ml_link = event_link_create(higher=p.ml_reference, lower=p.ml_event, actor=p.alice)
    p.ml_document = event_document_add(event=p.ml_event, actor=p.alice, title="Walk: Verfügung",
                                       uploaded=SimpleUploadedFile("v.pdf", b"%PDF-1.4\n%%EOF\n"))
    a = actor_create(organisation=p.dortmund, author=p.alice, municipality=city, name="Walk: Krisenstab",
                     level="municipality", kind="crisis_staff")
    b = actor_create(organisation=p.dortmund, author=p.alice, municipality=city, name="Walk: Gesundheitsamt",
                     level="municipality", kind="health_office")
    p.ml_actor, p.ml_actor_b = a, b
    p.ml_relation = relation_create(organisation=p.dortmund, author=p.alice, source=a, target=b, kind="directs")
    p.ml_entry = NavigatorEntry.objects.create(topic="masks", period_start=date(2020, 4, 1), deciding_level="state",
                                               implementing_level="municipality", summary="Walk", is_published=False)


def cases(p):
    members = {"vera": 200, "bob": 200, "alice": 200, "carla": 200, "dora": 200}  # the event is private to Dortmund
    editors = {"alice": 200, "carla": 200, "dora": 200}
    city = {"ags": DORTMUND}
    return [
        WalkCase("multilevel:index", expect=expect(public=200)),
        WalkCase("multilevel:chronology", kwargs=city, expect=expect(public=200)),
        WalkCase("multilevel:chronology", kwargs=city, query="from=2020-03-01&to=2020-03-31&level=state&topic=masks",
                 expect=expect(public=200)),
        WalkCase("multilevel:chronology", kwargs=city, query="part=chart&from=2021-01-01&to=2021-01-07", htmx=True,
                 expect=expect(public=200)),
        WalkCase("multilevel:chronology", kwargs={"ags": "99999999"}, expect=expect(public=404)),
        WalkCase("multilevel:event_create", kwargs=city, expect=expect(anonymous=302, default=404, **editors)),
        WalkCase("multilevel:import_events", kwargs=city, expect=expect(anonymous=302, default=404, **editors)),
        *[WalkCase(f"multilevel:export_events_{ext}", kwargs=city, query=f"dataset={ds}", expect=expect(public=200))
          for ext in ("csv", "xlsx", "ics") for ds in ("own", "cccsl")],
        WalkCase("multilevel:export_events_csv", kwargs=city, query="dataset=nonsense", expect=expect(public=404)),
        WalkCase("multilevel:event", kwargs={"pk": p.ml_event.pk}, expect=expect(default=404, **members)),
        WalkCase("multilevel:event", kwargs={"pk": p.ml_reference.pk}, expect=expect(public=200)),
        WalkCase("multilevel:event_edit", kwargs={"pk": p.ml_event.pk}, expect=expect(anonymous=302, default=404, **editors)),
        WalkCase("multilevel:event_edit", kwargs={"pk": p.ml_reference.pk}, expect=expect(anonymous=302, default=404)),
        WalkCase("multilevel:event_delete", kwargs={"pk": p.ml_event.pk},
                 expect=expect(anonymous=302, default=404, **editors)),
        WalkCase("multilevel:document", kwargs={"pk": p.ml_document.pk}, expect=expect(default=404, **members)),
        WalkCase("multilevel:document_upload", kwargs={"pk": p.ml_event.pk},
                 expect=expect(anonymous=302, default=404, **editors)),
        WalkCase("multilevel:document_upload", kwargs={"pk": p.ml_reference.pk}, expect=expect(anonymous=302, default=404)),
        WalkCase("multilevel:document_delete", kwargs={"pk": p.ml_document.pk},
                 expect=expect(anonymous=302, signed_in=405)),
        # POST-only views answer GET with 405 to signed-in users (rules tested in test_views)
        WalkCase("multilevel:link_create", kwargs={"pk": p.ml_event.pk}, expect=expect(anonymous=302, signed_in=405)),
        WalkCase("multilevel:link_delete", kwargs={"pk": p.ml_link.pk}, expect=expect(anonymous=302, signed_in=405)),
        WalkCase("multilevel:link_insight", kwargs={"pk": p.ml_link.pk}, expect=expect(anonymous=302, signed_in=405)),
        WalkCase("multilevel:link_reflect", kwargs={"pk": p.ml_link.pk},
                 expect=expect(anonymous=302, default=404, **editors)),
        WalkCase("multilevel:network", kwargs=city, expect=expect(public=200)),
        WalkCase("multilevel:network", kwargs=city, query="level=municipality&kind=directs&on=2021-01-01&compare=05315000",
                 expect=expect(public=200)),
        WalkCase("multilevel:network", kwargs=city, query="valid_from=2020-03-01&valid_to=2020-12-31&compare=05315000",
                 expect=expect(public=200)),
        WalkCase("multilevel:network", kwargs=city, query="valid_from=2020-12-31&valid_to=2020-03-01",
                 expect=expect(public=200)),
        WalkCase("multilevel:export_network_csv", kwargs=city, query="valid_from=2020-03-01&valid_to=2020-12-31",
                 expect=expect(public=200)),
        WalkCase("multilevel:export_network_csv", kwargs=city, expect=expect(public=200)),
        WalkCase("multilevel:export_network_graphml", kwargs=city, expect=expect(public=200)),
        WalkCase("multilevel:import_network", kwargs=city, expect=expect(anonymous=302, default=404, **editors)),
        WalkCase("multilevel:actor_create", kwargs=city, expect=expect(anonymous=302, default=404, **editors)),
        WalkCase("multilevel:relation_create", kwargs=city, expect=expect(anonymous=302, default=404, **editors)),
        WalkCase("multilevel:actor_edit", kwargs={"pk": p.ml_actor.pk}, expect=expect(anonymous=302, default=404, **editors)),
        WalkCase("multilevel:relation_delete", kwargs={"pk": p.ml_relation.pk},
                 expect=expect(anonymous=302, default=404, **editors)),
        # Köln's pages: its private measures, actors and relations (testing/walk.foreign_private) stay hidden
        WalkCase("multilevel:chronology", kwargs={"ags": KOELN}, query="from=2020-10-01&to=2020-12-31",
                 expect=expect(public=200)),
        WalkCase("multilevel:export_events_csv", kwargs={"ags": KOELN}, query="dataset=own", expect=expect(public=200)),
        WalkCase("multilevel:network", kwargs={"ags": KOELN}, expect=expect(public=200)),
        WalkCase("multilevel:network", kwargs=city, query=f"compare={KOELN}", expect=expect(public=200)),
        WalkCase("multilevel:export_network_graphml", kwargs={"ags": KOELN}, expect=expect(public=200)),
        WalkCase("multilevel:navigator_topic", kwargs={"topic": "masks"}, query=f"city={KOELN}",
                 expect=expect(public=200)),
        WalkCase("multilevel:transfer", kwargs=city, expect=expect(public=200)),
        WalkCase("multilevel:transfer", kwargs={"ags": KOELN}, query="topic=masks&kind=implements&crisis=heat&reflected=on",
                 expect=expect(public=200)),
        WalkCase("multilevel:navigator", expect=expect(public=200)),
        WalkCase("multilevel:navigator_topic", kwargs={"topic": "masks"}, query=f"city={DORTMUND}", expect=expect(public=200)),
        WalkCase("multilevel:navigator_topic", kwargs={"topic": "no-such-topic"}, expect=expect(public=404)),
        WalkCase("multilevel:navigator_entry_create", kwargs={"topic": "masks"},
                 expect=expect(anonymous=302, default=404, dora=200)),
        WalkCase("multilevel:navigator_entry_edit", kwargs={"pk": p.ml_entry.pk},
                 expect=expect(anonymous=302, default=404, dora=200)),
    ]


def id_cases(p, f):
    """Ids of Köln's private measure and actors (`f`, see testing/walk.foreign_private) in the forms that
    link a measure to a higher rule and add a relation: refused exactly like ids that do not exist."""
    from panreflex.testing.walk import IdCase

    relation = {"organisation": "dortmund", "kind": "coordinates", "visibility": "private"}
    reflection = {"improvised": "Hotline", "worked": "", "transfer": ""}
    return [
        IdCase("multilevel:link_reflect", "insights", [f["insight"].pk], kwargs={"pk": p.ml_link.pk}, data=reflection,
               covers=("ReflectionForm.insights",)),
        IdCase("multilevel:link_reflect", "practices", [f["practice"].pk], kwargs={"pk": p.ml_link.pk},
               data=reflection, covers=("ReflectionForm.practices",)),
        IdCase("multilevel:import_network", "survey", f["ml_survey"].pk, kwargs={"ags": DORTMUND},
               data={"organisation": p.dortmund.pk, "visibility": "private", "map-target_column": "q_multi",
                     "map-fixed_source": "Walk: Krisenstab", "map-fixed_relation": "coordinates"},
               covers=("ImportForm.survey",)),
        IdCase("multilevel:import_network", "survey", f["ml_survey"].pk, kwargs={"ags": DORTMUND}, where="query"),
        IdCase("multilevel:link_create", "higher", f["ml_event"].pk, kwargs={"pk": p.ml_event.pk},
               data={"kind": "implements"}, covers=("LinkForm.higher",)),
        IdCase("multilevel:relation_create", "source", f["ml_actor"].pk, kwargs={"ags": DORTMUND},
               data={**relation, "target": p.ml_actor_b.pk}, covers=("RelationForm.source",)),
        IdCase("multilevel:relation_create", "target", f["ml_actor"].pk, kwargs={"ags": DORTMUND},
               data={**relation, "source": p.ml_actor.pk}, covers=("RelationForm.target",)),
    ]
