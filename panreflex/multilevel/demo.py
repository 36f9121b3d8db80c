"""Demo content of the multi-level app (idempotent): an actors network for Dortmund (and a small one for
Köln, for the side-by-side view), a few measures of Dortmund written in our own words, linked to real
rules of the shipped chronology, and one navigator entry.

Everything is marked as demo: "[Demo]" in titles and names, `is_demo=True`, and a note saying that the
entry describes no real arrangement or measure of the city. Dates of demo measures are chosen a few days
after the real higher rule they are linked to, only to show the reaction time; they are not facts.
"""

from __future__ import annotations

from datetime import date

from django.utils import timezone

from panreflex.accounts.models import Organisation, User

from .models import Actor, Event, EventLink, NavigatorEntry, Relation
from .services import actor_create, event_create, event_link_create, relation_create

NOTE = "Demo-Eintrag zum Ausprobieren; beschreibt keine tatsächliche Regelung oder Maßnahme der Stadt."

# (name, level, type, belongs to, contact role)
DORTMUND_ACTORS = [
    ("[Demo] Bundesregierung", "federal", "federal_body", "Bund", "Lagezentrum"),
    ("[Demo] Konferenz der Ministerpräsident*innen", "federal", "mpk", "Bund und Länder", "Geschäftsstelle"),
    ("[Demo] Landesgesundheitsministerium NRW", "state", "state_ministry", "Land NRW", "Krisenstab des Ministeriums"),
    ("[Demo] Bezirksregierung", "district_government", "district_government", "Land NRW", "Dezernat Gefahrenabwehr"),
    ("[Demo] Krisenstab der Stadt", "municipality", "crisis_staff", "Stadtverwaltung", "Leitung Krisenstab"),
    ("[Demo] Gesundheitsamt", "municipality", "health_office", "Stadtverwaltung", "Amtsleitung"),
    ("[Demo] Ordnungsamt", "municipality", "public_order", "Stadtverwaltung", "Lagedienst"),
    ("[Demo] Feuerwehr", "municipality", "fire_brigade", "Stadtverwaltung", "Einsatzleitung"),
    ("[Demo] Presse- und Informationsamt", "municipality", "press_office", "Stadtverwaltung", "Pressesprecher*in"),
    ("[Demo] Schulverwaltungsamt", "municipality", "school", "Stadtverwaltung", "Amtsleitung"),
    ("[Demo] Wohlfahrtsverbände", "civil_society", "welfare", "Arbeitsgemeinschaft", "Koordination"),
    ("[Demo] Migrant*innenorganisationen", "civil_society", "migrant_org", "Verbund", "Sprecher*innenrat"),
    ("[Demo] Kliniken der Stadt", "civil_society", "hospital", "Krankenhäuser", "Ärztliche Leitung"),
]
# (from, relation, to, valid from, valid to[, topic])
DORTMUND_RELATIONS = [
    ("[Demo] Konferenz der Ministerpräsident*innen", "coordinates", "[Demo] Bundesregierung", None, None),
    ("[Demo] Bundesregierung", "informs", "[Demo] Landesgesundheitsministerium NRW", None, None),
    ("[Demo] Landesgesundheitsministerium NRW", "directs", "[Demo] Bezirksregierung", None, None),
    ("[Demo] Landesgesundheitsministerium NRW", "directs", "[Demo] Gesundheitsamt", None, None),
    ("[Demo] Bezirksregierung", "directs", "[Demo] Krisenstab der Stadt", None, None),
    ("[Demo] Krisenstab der Stadt", "directs", "[Demo] Gesundheitsamt", date(2020, 3, 1), None),
    ("[Demo] Krisenstab der Stadt", "directs", "[Demo] Ordnungsamt", date(2020, 3, 1), None),
    ("[Demo] Krisenstab der Stadt", "directs", "[Demo] Feuerwehr", date(2020, 3, 1), None),
    ("[Demo] Krisenstab der Stadt", "directs", "[Demo] Schulverwaltungsamt", date(2020, 3, 1), None, "school-closures"),
    ("[Demo] Presse- und Informationsamt", "informs", "[Demo] Migrant*innenorganisationen", date(2020, 4, 1), None,
     "public-information"),
    ("[Demo] Krisenstab der Stadt", "coordinates", "[Demo] Presse- und Informationsamt", None, None),
    ("[Demo] Gesundheitsamt", "coordinates", "[Demo] Kliniken der Stadt", None, None),
    ("[Demo] Wohlfahrtsverbände", "supports", "[Demo] Gesundheitsamt", date(2020, 4, 1), date(2022, 4, 30),
     "vulnerable-groups"),
    ("[Demo] Migrant*innenorganisationen", "advises", "[Demo] Presse- und Informationsamt", date(2020, 5, 1), None,
     "public-information"),
    ("[Demo] Landesgesundheitsministerium NRW", "funds", "[Demo] Wohlfahrtsverbände", date(2020, 6, 1), date(2021, 12, 31)),
]
KOELN_ACTORS = [
    ("[Demo] Landesgesundheitsministerium NRW", "state", "state_ministry", "Land NRW", "Krisenstab des Ministeriums"),
    ("[Demo] Krisenstab der Stadt", "municipality", "crisis_staff", "Stadtverwaltung", "Leitung Krisenstab"),
    ("[Demo] Gesundheitsamt", "municipality", "health_office", "Stadtverwaltung", "Amtsleitung"),
    ("[Demo] Veedel-Initiativen", "civil_society", "other", "Nachbarschaften", "Koordination"),
]
KOELN_RELATIONS = [
    ("[Demo] Landesgesundheitsministerium NRW", "directs", "[Demo] Gesundheitsamt", None, None),
    ("[Demo] Krisenstab der Stadt", "directs", "[Demo] Gesundheitsamt", None, None),
    ("[Demo] Gesundheitsamt", "coordinates", "[Demo] Veedel-Initiativen", None, None),
]
# (key, title, level, kind, topic, announced, in force, end, higher rule key (dataset, key), link kind)
DORTMUND_MEASURES = [
    ("demo-dortmund-1", "[Demo] Bürgertelefon und mehrsprachige Hinweise zur neuen Landesverordnung", "municipality",
     "communication", "public-information", date(2020, 3, 23), date(2020, 3, 24), None,
     ("curated", "nrw-2020-03-22"), "implements"),
    ("demo-dortmund-2", "[Demo] Kontrollen des Ordnungsamts zu den Kontaktbeschränkungen", "municipality", "measure",
     "contact-restrictions", None, date(2020, 3, 25), date(2020, 5, 10), ("curated", "nrw-2020-03-22"), "implements"),
    ("demo-dortmund-3", "[Demo] Allgemeinverfügung mit zusätzlichen Maskenzonen in der Innenstadt", "municipality",
     "general_ruling", "masks", date(2020, 11, 4), date(2020, 11, 6), date(2020, 11, 30),
     ("curated", "nrw-2020-11-02"), "tightens"),
    ("demo-dortmund-4", "[Demo] Testangebote in Quartieren mit hoher Inzidenz", "municipality", "measure",
     "testing", None, date(2021, 3, 15), date(2021, 6, 30), ("curated", "nrw-2021-03-08"), "implements"),
    ("demo-dortmund-5", "[Demo] Zugangskontrollen nach 3G in städtischen Gebäuden", "municipality", "measure",
     "access-rules", date(2021, 8, 18), date(2021, 8, 23), date(2021, 9, 17), ("curated", "nrw-2021-08-20"), "implements"),
    ("demo-dortmund-6", "[Demo] Notbetreuung in Kitas und Schulen organisiert", "municipality", "measure",
     "school-closures", None, date(2020, 3, 18), date(2020, 5, 3), ("cccsl", "cccsl-1901"), "implements"),
]


def _network(org, author, city, actors, relations, now):
    by_name = {}
    for name, level, kind, body, role in actors:
        actor = Actor.objects.filter(municipality=city, organisation=org, name=name).first() or actor_create(
            organisation=org, author=author, municipality=city, name=name, level=level, kind=kind, parent_body=body,
            contact_role=role, note=NOTE, visibility="public", is_demo=True)
        by_name[name] = actor
    for src, kind, dst, start, end, *topic in relations:
        if not Relation.objects.filter(source=by_name[src], target=by_name[dst], kind=kind).exists():
            relation_create(organisation=org, author=author, source=by_name[src], target=by_name[dst], kind=kind,
                            valid_from=start, valid_to=end, topic=topic[0] if topic else "", source_ref="Demo",
                            note=NOTE, visibility="public", is_demo=True)
    Actor.objects.filter(organisation=org, is_demo=True, released_at__isnull=True).update(released_at=now)
    Relation.objects.filter(organisation=org, is_demo=True, released_at__isnull=True).update(released_at=now)


# a reflection on the first demo measure, pointing to shipped practice examples and a demo insight
DEMO_REFLECTION = {
    "improvised": "[Demo] Bürgertelefon mit Beschäftigten aus anderen Ämtern innerhalb von zwei Tagen besetzt; "
                  "Hinweise in sechs Sprachen über Migrant*innenorganisationen verteilt.",
    "worked": "[Demo] Ein Telefon und vertraute Vermittler*innen aus den Communities erreichten mehr Menschen als "
              "Aushänge allein.",
    "transfer": "[Demo] Rufnummer, Dienstplan und Übersetzungsnetz als Vorlage für Hitzewellen und einen "
                "längeren Stromausfall vorhalten.",
}


def _reflection(dortmund, author) -> None:
    from panreflex.evidence.models import Insight
    from panreflex.practices.models import Practice
    from panreflex.taxonomy.models import Term

    from .services import event_link_update_reflection

    link = EventLink.objects.filter(lower__organisation=dortmund, lower__key="demo-dortmund-1").first()
    if link is None or link.improvised:
        return
    event_link_update_reflection(
        link=link, actor=author, **DEMO_REFLECTION,
        insights=Insight.objects.filter(external_key="demo-insight-2"),
        practices=Practice.objects.filter(external_key__in=["facts-12", "facts-31"]),
        transfer_to=Term.objects.filter(vocabulary="crisis_kind", code__in=["heat", "power-failure"]),
    )


def load_demo_multilevel(*, stdout=None) -> None:
    now = timezone.now()
    dortmund = Organisation.objects.filter(slug="dortmund").select_related("place").first()
    if dortmund is None or dortmund.place is None:
        return
    author = User.objects.filter(email__iexact="redaktion@dortmund.example").first()
    _network(dortmund, author, dortmund.place, DORTMUND_ACTORS, DORTMUND_RELATIONS, now)
    koeln = Organisation.objects.filter(slug="koeln").select_related("place").first()
    if koeln is not None and koeln.place is not None:
        _network(koeln, None, koeln.place, KOELN_ACTORS, KOELN_RELATIONS, now)
    for key, title, level, kind, topic, announced, in_force, end, (ds, higher_key), link_kind in DORTMUND_MEASURES:
        event = Event.objects.filter(dataset="own", organisation=dortmund, key=key).first() or event_create(
            organisation=dortmund, author=author, municipality=dortmund.place, key=key, title=title, level=level,
            kind=kind, topic=topic, date_announced=announced, date_in_force=in_force, date_end=end,
            source_ref="Demo", note=NOTE, visibility="public", is_demo=True)
        higher = Event.objects.filter(dataset=ds, key=higher_key).first()
        if higher is not None and not EventLink.objects.filter(higher=higher, lower=event).exists():
            event_link_create(higher=higher, lower=event, actor=author, kind=link_kind, note="Demo")
    Event.objects.filter(organisation=dortmund, is_demo=True, released_at__isnull=True).update(released_at=now)
    _reflection(dortmund, author)
    if not NavigatorEntry.objects.filter(topic="school-closures").exists():
        entry = NavigatorEntry.objects.create(
            topic="school-closures", period_start=date(2020, 3, 16), period_end=date(2020, 5, 4),
            deciding_level="state", implementing_level="municipality",
            summary=("[Demo] Zusammenfassung zum Ausprobieren des Navigators: In den CCCSL-Daten der ersten Welle "
                     "stehen die Schulschließungen für NRW am 16.03.2020 und für Deutschland am 17.03.2020, die ersten "
                     "Wiederöffnungen am 04.05.2020. Wie die Städte die Notbetreuung umsetzten, ist hier nur als "
                     "Demo-Maßnahme erfasst."),
            is_published=True,
        )
        entry.events.set(Event.objects.filter(dataset="cccsl", key__in=["cccsl-1901", "cccsl-1852", "cccsl-1875"]))
