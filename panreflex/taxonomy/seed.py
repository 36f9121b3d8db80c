"""The shared vocabularies shipped with the platform (issue #2, item 7). Loaded by a data migration;
idempotent: re-running updates labels of existing codes but never deletes what staff added.

Codes are stable identifiers used by imports, exports and the API. Labels are our own wording of the
project's themes (shared/docs/domain.md)."""

from __future__ import annotations

# (code, German label, English label, [children as (code, de, en)])
THEMES = [
    ("T1", "Krisenmanagement in Mehrebenensystemen", "Crisis management in multi-level systems", [
        ("T1-internal", "Zusammenarbeit innerhalb der Verwaltung", "Cooperation inside the administration"),
        ("T1-intermunicipal", "Interkommunale Zusammenarbeit", "Cooperation between municipalities"),
        ("T1-vertical", "Zusammenarbeit mit Kreis, Land und Bund", "Cooperation with district, state and federal level"),
        ("T1-adaptation", "Kurzfristige Umsetzung von Vorgaben vor Ort", "Adapting rules from above locally at short notice"),
        ("T1-local-solutions", "Spielräume für pragmatische lokale Lösungen", "Room for pragmatic local solutions"),
        ("T1-crisis-staff", "Krisenstab und Stabsarbeit", "Crisis staff and staff work"),
        ("T1-staff-resources", "Personalreserven und Aufgabenpriorisierung", "Staff reserves and task priorities"),
        ("T1-transfer", "Übertragbarkeit auf andere Krisen", "Transfer to other crises"),
    ]),
    ("T2", "Risiko- und Krisenkommunikation", "Risk and crisis communication", [
        ("T2-uncertainty", "Kommunikation unsicherer Gefahren", "Communicating hazards that can hardly be assessed"),
        ("T2-misinformation", "Umgang mit Falschinformationen", "Handling fake news and misinformation"),
        ("T2-target-groups", "Zielgruppengerechte Kommunikation", "Target-group communication"),
        ("T2-languages", "Mehrsprachigkeit und Leichte Sprache", "Languages and plain language"),
        ("T2-channels", "Kanäle und Medien", "Channels and media"),
        ("T2-warning", "Warnung der Bevölkerung", "Warning the population"),
    ]),
    ("T3", "Umgang mit vulnerablen Gruppen", "Vulnerable groups", [
        ("T3-definition", "Definition vulnerabler Gruppen", "Defining vulnerable groups"),
        ("T3-identification", "Identifikation und Verortung", "Identifying and localising"),
        ("T3-cohesion", "Vorbereitung und Einbindung durch sozialen Zusammenhalt", "Preparing and involving through social cohesion"),
        ("T3-support", "Hilfs- und Unterstützungsangebote", "Support and help services"),
        ("T3-health-access", "Zugang zu Gesundheitsangeboten und Impfung", "Access to health services and vaccination"),
    ]),
]

PHASES = [
    ("preparedness", "Vorsorge", "Preparedness"),
    ("onset", "Krisenbeginn", "Onset"),
    ("acute", "Akute Wellen", "Acute waves"),
    ("prolonged", "Andauernde Krise", "Prolonged crisis"),
    ("recovery", "Wiederherstellung", "Recovery"),
    ("debriefing", "Nachbereitung", "Debriefing"),
]

TARGET_GROUPS = [
    ("older-people", "Ältere Menschen", "Older people"),
    ("care-home-residents", "Bewohner*innen von Pflegeeinrichtungen", "Care home residents"),
    ("people-with-disabilities", "Menschen mit Behinderungen", "People with disabilities"),
    ("chronically-ill", "Chronisch kranke Menschen", "People with chronic illness"),
    ("homeless", "Wohnungslose Menschen", "Homeless people"),
    ("migrants", "Menschen mit Migrationsgeschichte", "People with a migration background"),
    ("refugees", "Geflüchtete", "Refugees"),
    ("limited-german", "Menschen mit geringen Deutschkenntnissen", "People with limited German"),
    ("low-income", "Menschen mit geringem Einkommen", "People on low incomes"),
    ("children-youth", "Kinder und Jugendliche", "Children and young people"),
    ("families", "Familien und Alleinerziehende", "Families and single parents"),
    ("isolated", "Sozial isolierte Menschen", "Socially isolated people"),
    ("addiction", "Menschen mit Suchterkrankungen", "People with addiction"),
    ("sex-workers", "Sexarbeiter*innen", "Sex workers"),
    ("deprived-neighbourhoods", "Bewohner*innen benachteiligter Quartiere", "Residents of deprived neighbourhoods"),
    ("essential-workers", "Beschäftigte in systemrelevanten Berufen", "Essential workers"),
    ("students", "Studierende", "Students"),
]

ACTOR_TYPES = [
    ("administration", "Kommunalverwaltung", "Municipal administration"),
    ("crisis-staff", "Krisenstab", "Crisis staff"),
    ("health-office", "Gesundheitsamt", "Public health office"),
    ("social-office", "Sozialamt", "Social office"),
    ("press-office", "Presse- und Kommunikationsamt", "Press and communications office"),
    ("integration-office", "Integrationsstelle / Kommunales Integrationszentrum", "Integration office"),
    ("fire-civil-protection", "Feuerwehr und Katastrophenschutz", "Fire service and civil protection"),
    ("public-order", "Ordnungsamt", "Public order office"),
    ("welfare", "Wohlfahrtsverband", "Welfare association"),
    ("civil-society", "Zivilgesellschaftliche Initiative", "Civil society initiative"),
    ("religious", "Religionsgemeinschaft", "Religious community"),
    ("migrant-org", "Migrant*innenorganisation", "Migrant organisation"),
    ("business", "Wirtschaft", "Business"),
    ("science", "Wissenschaft", "Science"),
    ("medical", "Ärzteschaft und Kliniken", "Physicians and hospitals"),
    ("media", "Medien", "Media"),
]

LEVELS = [
    ("bund", "Bund", "Federal level"),
    ("land", "Land", "State"),
    ("bezirksregierung", "Bezirksregierung", "Regional government (Bezirksregierung)"),
    ("kreis", "Kreis", "District (Kreis)"),
    ("kreisfreie-stadt", "Kreisfreie Stadt", "District-free city"),
    ("kreisangehoerige-gemeinde", "Kreisangehörige Gemeinde", "Municipality within a district"),
    ("civil-society", "Zivilgesellschaft", "Civil society"),
    ("international", "International", "International"),
]

INNOVATION_KINDS = [
    ("product", "Produkt", "Product"),
    ("process", "Prozess", "Process"),
    ("pragmatic", "Pragmatische Lösung", "Pragmatic solution"),
    ("organisational", "Organisatorisch", "Organisational"),
    ("digital", "Digital", "Digital"),
    ("communication", "Kommunikation", "Communication"),
]

EVIDENCE_STRENGTHS = [
    ("press", "Pressebericht", "Press report"),
    ("documented", "Von der Kommune dokumentiert", "Documented by the municipality"),
    ("evaluated", "Evaluiert", "Evaluated"),
]

LEVERS = [
    ("strategic-task", "Krisenmanagement als dauerhafte strategische Aufgabe", "Crisis management as a permanent strategic task"),
    ("competence-knowledge", "Krisenkompetenz, gemeinsames Bewusstsein und Wissensmanagement", "Crisis competence, shared awareness and knowledge management"),
    ("staff-reserves", "Personalreserven und Aufgabenpriorisierung", "Staff reserves and task priorities"),
    ("staff-care", "Fürsorge für Beschäftigte unter Belastung", "Caring for staff under strain"),
    ("networks-exercises", "Netzwerke durch gemeinsame Übungen", "Networks through joint exercises"),
    ("vulnerable-in-staff", "Vertretungen vulnerabler Gruppen im Krisenstab, zentrale Erfassung vulnerabler Menschen", "Representatives of vulnerable groups in the crisis staff; recording vulnerable people centrally"),
    ("debriefing", "Systematische Nachbereitung", "Systematic debriefing"),
]

CRISIS_KINDS = [
    ("pandemic", "Pandemie", "Pandemic"),
    ("heat", "Hitzewelle", "Heat wave"),
    ("power-failure", "Stromausfall", "Power failure"),
    ("flood", "Hochwasser", "Flood"),
    ("energy-shortage", "Energiemangellage", "Energy shortage"),
    ("mass-migration", "Fluchtbewegung", "Mass migration"),
]


def load_vocabularies(Term) -> int:  # noqa: N803 - model class argument
    """Upsert all shipped vocabularies. Returns the number of terms written."""
    written = 0

    def upsert(vocabulary, code, de, en, position, parent=None):
        nonlocal written
        obj, _ = Term.objects.update_or_create(
            vocabulary=vocabulary, code=code,
            defaults={"label_de": de, "label_en": en, "position": position, "parent": parent},
        )
        written += 1
        return obj

    for pos, (code, de, en, children) in enumerate(THEMES):
        theme = upsert("theme", code, de, en, pos)
        for cpos, (ccode, cde, cen) in enumerate(children):
            upsert("subtopic", ccode, cde, cen, cpos, parent=theme)
    for vocabulary, rows in [
        ("phase", PHASES), ("target_group", TARGET_GROUPS), ("actor_type", ACTOR_TYPES), ("level", LEVELS),
        ("innovation_kind", INNOVATION_KINDS), ("evidence_strength", EVIDENCE_STRENGTHS), ("lever", LEVERS),
        ("crisis_kind", CRISIS_KINDS),
    ]:
        for pos, (code, de, en) in enumerate(rows):
            upsert(vocabulary, code, de, en, pos)
    return written
