"""Demo content of the evidence domain, written in our own words from the default practice examples
(panreflex/practices/data/practices.json, linked by their external keys "facts-NN" when they are loaded).
Every text is marked as demo (`is_demo`, and a sentence in the explanation). Idempotent by `external_key`:
a second run creates nothing twice and keeps what users changed.

- insights (project team, network-visible), each resting on practice examples;
- one recommendation per lever of municipal resilience, six published and one in review (to show the
  workflow), each resting on insights and practice examples;
- a draft handbook edition with one chapter per lever, ready to be published by the project team.
"""

from __future__ import annotations

from django.utils import timezone

from panreflex.accounts.models import Organisation, User
from panreflex.taxonomy.models import Term, Vocabulary

from .models import HandbookEdition, Insight, Recommendation
from .services import (
    handbook_chapter_add,
    handbook_edition_create,
    handbook_entry_add,
    insight_create,
    recommendation_create,
    recommendation_evidence_add,
    recommendation_transition,
)

DEMO_NOTE = "_Demo-Text: frei formuliert aus den Praxisbeispielen der Plattform; keine abgestimmte Empfehlung des Projekts._"

# key, statement, kind, theme, phase, practice keys
DEMO_INSIGHTS = [
    ("demo-insight-1", "Ein Krisenstab, der früh täglich und an einem festen Ort tagt, kann Lagebild, "
     "Bürgertelefon und aufsuchende Teams aus einer Hand steuern.", "strength", "T1", "onset", ["facts-01", "facts-17"]),
    ("demo-insight-2", "Informationen in vielen Sprachen und über vertraute Personen aus den Communities "
     "erreichen Menschen, die amtliche Mitteilungen sonst nicht erreichen.", "strength", "T2", "acute",
     ["facts-18", "facts-25", "facts-31"]),
    ("demo-insight-3", "Ohne Übersicht, wo vulnerable Menschen leben und wie sie erreichbar sind, kommen "
     "Angebote wie Impfungen oder Unterbringung erst spät bei ihnen an.", "improvement", "T3", "acute",
     ["facts-04", "facts-07", "facts-09"]),
    ("demo-insight-4", "Kontaktnachverfolgung im Dauerbetrieb hing an kurzfristig umgesetztem Personal; "
     "eine vorab geplante Reserve mit Stufen war die Ausnahme.", "improvement", "T1", "prolonged",
     ["facts-05", "facts-20", "facts-21"]),
    ("demo-insight-5", "Gemeinsame Software und einheitliche Abläufe zwischen Gesundheitsämtern kamen erst "
     "im laufenden Betrieb; das Wissen dazu lag verstreut.", "improvement", "T1", "prolonged", ["facts-22"]),
    ("demo-insight-6", "Aufsuchende Angebote mit Partnern vor Ort (Moscheegemeinden, Wohlfahrtsverbände, "
     "Stadtteilmütter) funktionierten dort, wo die Kontakte schon bestanden.", "strength", "T3", "acute",
     ["facts-14", "facts-16", "facts-18"]),
]

# key, lever code, title, statement, addressees, priority, effort, steps, insight keys, practice keys, status
DEMO_RECOMMENDATIONS = [
    ("demo-rec-strategic-task", "strategic-task", "Krisenstab mit fester Geschäftsstelle auch zwischen den Krisen",
     "Kommunen sollten ihren Krisenstab nicht erst im Ereignisfall aufbauen, sondern eine ständige Geschäftsstelle "
     "mit klaren Zuständigkeiten und einem festen Lageraum vorhalten.",
     ["leadership", "crisis_staff"], "high", "medium",
     "1. Geschäftsstelle benennen und ausstatten\n2. Sitzungsrhythmus für den Ernstfall festlegen\n"
     "3. Bürgertelefon und aufsuchende Teams in die Stabsstruktur einplanen",
     ["demo-insight-1"], ["facts-01", "facts-17"], "published"),
    ("demo-rec-competence-knowledge", "competence-knowledge", "Krisenwissen dokumentieren und gemeinsame Werkzeuge vorbereiten",
     "Erfahrungen, Abläufe und Werkzeuge aus der Krise sollten so dokumentiert und abgestimmt werden, dass andere "
     "Ämter und Kommunen sie in der nächsten Lage sofort nutzen können.",
     ["specialist_offices", "state"], "medium", "medium",
     "1. Ablaufbeschreibungen und Vorlagen zentral ablegen\n2. Gemeinsame Software vor der Krise einführen und üben",
     ["demo-insight-5"], ["facts-22", "facts-05"], "published"),
    ("demo-rec-staff-reserves", "staff-reserves", "Personalreserve mit Stufenplan für Krisenaufgaben",
     "Kommunen sollten vorab festlegen, welches Personal ab welcher Lagestufe in Krisenaufgaben wechselt und "
     "welche Regelaufgaben dafür ruhen dürfen.",
     ["leadership", "specialist_offices"], "high", "medium",
     "1. Krisenaufgaben und Personalbedarf je Stufe beschreiben\n2. Freiwillige Reserve aus der Verwaltung aufbauen\n"
     "3. Priorisierung der Regelaufgaben mit dem Rat abstimmen",
     ["demo-insight-4"], ["facts-21", "facts-20", "facts-05"], "published"),
    ("demo-rec-staff-care", "staff-care", "Entlastung für Beschäftigte im Dauereinsatz planen",
     "Wer über Monate in Krisenaufgaben arbeitet, braucht geplante Schichten, Vertretungen und Ansprechpersonen "
     "für Belastungen; das gehört in die Krisenplanung.",
     ["leadership", "crisis_staff"], "medium", "low",
     "1. Schichtmodelle für lange Lagen vorbereiten\n2. Ansprechpersonen für Belastung benennen",
     ["demo-insight-4"], ["facts-20"], "published"),
    ("demo-rec-networks-exercises", "networks-exercises", "Netzwerke mit Partnern vor Ort vor der Krise knüpfen und üben",
     "Kommunen sollten Wohlfahrtsverbände, Religionsgemeinschaften und Multiplikator*innen aus den Stadtteilen "
     "schon vor einer Krise einbinden und gemeinsame Übungen durchführen.",
     ["crisis_staff", "specialist_offices"], "high", "low",
     "1. Kontaktliste der Partner je Stadtteil pflegen\n2. Jährlich gemeinsam eine Lage üben",
     ["demo-insight-6", "demo-insight-2"], ["facts-14", "facts-18", "facts-25"], "published"),
    ("demo-rec-vulnerable-in-staff", "vulnerable-in-staff", "Vulnerable Gruppen im Krisenstab vertreten und zentral erfassen",
     "Der Krisenstab sollte eine Vertretung für vulnerable Gruppen haben und auf eine datenschutzgerechte Übersicht "
     "zurückgreifen können, wo welche Unterstützung gebraucht wird.",
     ["crisis_staff", "council"], "high", "high",
     "1. Funktion im Krisenstab festlegen\n2. Übersicht mit Sozialplanung und Trägern aufbauen\n"
     "3. Unterkünfte und aufsuchende Angebote vorplanen",
     ["demo-insight-3"], ["facts-04", "facts-07", "facts-09"], "published"),
    ("demo-rec-debriefing", "debriefing", "Jede Lage systematisch nachbereiten und Maßnahmen nachhalten",
     "Nach jeder größeren Lage sollte eine strukturierte Nachbereitung stattfinden, deren Ergebnisse als Maßnahmen "
     "mit Verantwortlichen und Fristen in einem Maßnahmenplan nachgehalten werden.",
     ["leadership", "crisis_staff"], "medium", "low",
     "1. Nachbereitungsworkshop einplanen\n2. Maßnahmenplan mit Fristen führen\n3. Umsetzung in Übungen prüfen",
     ["demo-insight-1", "demo-insight-5"], [], "in_review"),
]


def _practices_by_key(keys):
    from panreflex.practices.models import Practice

    return {p.external_key: p for p in Practice.objects.filter(external_key__in=keys)}


def load_demo_evidence(*, stdout=None) -> None:
    team = Organisation.objects.filter(slug="projektteam").first()
    author = User.objects.filter(email__iexact="team@panreflex.example").first()
    if team is None or author is None:
        return
    all_keys = {k for *_x, keys in DEMO_INSIGHTS for k in keys} | {k for r in DEMO_RECOMMENDATIONS for k in r[9]}
    practices = _practices_by_key(all_keys)
    insights = {}
    for key, statement, kind, theme, phase, keys in DEMO_INSIGHTS:
        insight = Insight.objects.filter(external_key=key).first()
        if insight is None:
            insight = insight_create(
                organisation=team, author=author, statement=statement, kind=kind,
                themes=Term.objects.filter(vocabulary=Vocabulary.THEME, code=theme),
                phase=Term.objects.filter(vocabulary=Vocabulary.PHASE, code=phase).first(), visibility="public",
                sources=[{"kind": "practice", "object_id": practices[k].pk} for k in keys if k in practices],
                is_demo=True, external_key=key,
            )
            Insight.objects.filter(pk=insight.pk).update(released_at=timezone.now())
        insights[key] = insight
    created = []
    for (key, lever, title, statement, addressees, priority, effort, steps, ins_keys, prac_keys,
         status) in DEMO_RECOMMENDATIONS:
        if Recommendation.objects.filter(external_key=key).exists():
            continue
        lever_term = Term.objects.filter(vocabulary=Vocabulary.LEVER, code=lever).first()
        theme_codes = {c for k in ins_keys for (ik, _s, _k, c, _p, _x) in DEMO_INSIGHTS if ik == k}
        rec = recommendation_create(
            organisation=team, author=author, title=title, statement=statement,
            explanation=DEMO_NOTE, addressees=addressees, lever=lever_term, priority=priority, effort=effort,
            steps=steps, themes=Term.objects.filter(vocabulary=Vocabulary.THEME, code__in=theme_codes),
            visibility="network", is_demo=True, external_key=key,
        )
        for ik in ins_keys:
            recommendation_evidence_add(recommendation=rec, actor=author, kind="insight", object_id=insights[ik].pk)
        for pk_ in prac_keys:
            if pk_ in practices:
                recommendation_evidence_add(recommendation=rec, actor=author, kind="practice",
                                            object_id=practices[pk_].pk)
        path = ["in_review"] if status == "in_review" else ["in_review", "agreed", "published"]
        for to in path:
            rec = recommendation_transition(recommendation=rec, actor=author, to=to)
        created.append(rec)
    if created and not HandbookEdition.objects.exists():
        edition = handbook_edition_create(
            actor=author, title="Handbuch kommunales Krisenmanagement (Demo)",
            introduction="Demo-Ausgabe: Die Handlungsempfehlungen sind frei formulierte Beispiele aus den "
                         "Praxisbeispielen der Plattform, geordnet nach den sieben Hebeln kommunaler Resilienz.",
        )
        for rec in Recommendation.objects.filter(is_demo=True, status="published").select_related("lever"):
            chapter = handbook_chapter_add(edition=edition, actor=author, title=rec.lever.label_de if rec.lever else rec.title)
            handbook_entry_add(chapter=chapter, actor=author, recommendation=rec)
    if stdout is not None:
        stdout.write(f"Evidence demo: {len(insights)} insights, {len(created)} recommendations created.")
