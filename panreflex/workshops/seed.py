"""The workshop templates shipped with the platform, loaded by a data migration (idempotent: a
second run updates the shipped templates by code and never touches copies made by users).

The wording is ours; the structure follows the methods named in docs/apps/workshops.md: the
PanReflex debriefing questions, the WHO after-action review (2019) and intra-action review (2020),
and the design-thinking phases of an innovation workshop. Templates are content in German (the
platform's default language); organisations copy and adapt them."""

from __future__ import annotations


def _q(title: str, help_text: str, finding: str) -> dict:
    return {"title": title, "help": help_text, "finding": finding}


def _p(key: str, title: str, minutes: int) -> dict:
    return {"key": key, "title": title, "minutes": minutes}


TEMPLATES = [
    {
        "code": "panreflex-debriefing",
        "kind": "debriefing",
        "name": "PanReflex-Debriefing",
        "description": (
            "Nachbereitung der Krise entlang eines Themenschwerpunkts: Erleben, Organisation, neue Lösungen, "
            "vulnerable Gruppen, was gut und was weniger gut lief und was bleiben oder sich ändern soll."
        ),
        "questions": [
            _q("Wie wurde die Krise erlebt?", "Persönliche und institutionelle Eindrücke.", "note"),
            _q("Wie wurde die Krisenbewältigung organisiert?", "Strukturen, Abläufe, Zuständigkeiten.", "note"),
            _q("Welche neuen Lösungen sind entstanden?", "Produkte, Prozesse, pragmatische Lösungen.", "innovation"),
            _q("Wer wurde als vulnerabel erkannt – wann und von wem?", "Gruppen, Zeitpunkt, beteiligte Stellen.", "note"),
            _q("Was lief gut?", "Stärken, die bleiben sollen.", "strength"),
            _q("Was lief weniger gut?", "Bereiche mit Verbesserungsbedarf.", "improvement"),
            _q("Was soll beibehalten werden?", "Bewährtes für die nächste Krise.", "strength"),
            _q("Was soll sich ändern?", "Konkrete Veränderungen.", "improvement"),
        ],
        "phases": [
            _p("prepare", "Vorbereitung (Karten vorab)", 0),
            _p("welcome", "Einstieg", 10),
            _p("timeline", "Zeitleiste der Krise", 20),
            _p("collect", "Sammeln", 30),
            _p("cluster", "Clustern", 20),
            _p("vote", "Abstimmen", 10),
            _p("rate", "Bewerten und Ursachen", 25),
            _p("results", "Ergebnisse sichern", 20),
        ],
    },
    {
        "code": "who-after-action-review",
        "kind": "after_action",
        "name": "After-Action-Review (WHO)",
        "description": (
            "Rückblick nach dem Ende einer Lage nach dem Vorgehen der WHO: Soll und Ist vergleichen, "
            "Gelungenes begründen, Verbesserungen mit Weg dorthin festhalten."
        ),
        "questions": [
            _q("Was sollte passieren?", "Pläne, Aufträge, Erwartungen.", "note"),
            _q("Was ist tatsächlich passiert?", "Der tatsächliche Verlauf.", "note"),
            _q("Was lief gut – und warum?", "Stärken mit Begründung.", "strength"),
            _q("Was kann verbessert werden – und wie?", "Verbesserungsbereiche mit Lösungsweg.", "improvement"),
        ],
        "phases": [
            _p("prepare", "Vorbereitung", 0),
            _p("timeline", "Zeitleiste", 30),
            _p("analyse", "Soll-Ist-Analyse", 45),
            _p("vote", "Priorisieren", 15),
            _p("rate", "Bewerten", 30),
            _p("actions", "Maßnahmen", 30),
        ],
    },
    {
        "code": "who-intra-action-review",
        "kind": "intra_action",
        "name": "Intra-Action-Review (WHO)",
        "description": (
            "Zwischenbilanz während einer laufenden Krise, je Einsatzbereich: was funktioniert, was nicht, "
            "welche Maßnahmen sofort und welche langfristig nötig sind."
        ),
        "questions": [
            _q("Was funktioniert in diesem Bereich?", "Je Einsatzbereich (z. B. Kommunikation, Testen, Versorgung).", "strength"),
            _q("Wo gibt es Schwierigkeiten?", "Herausforderungen und Lücken.", "improvement"),
            _q("Sofortmaßnahmen", "Was jetzt umgesetzt werden soll.", "improvement"),
            _q("Langfristige Maßnahmen", "Was für die Zeit nach der Krise vorbereitet werden soll.", "improvement"),
        ],
        "phases": [
            _p("prepare", "Vorbereitung", 0),
            _p("situation", "Lagebild", 20),
            _p("areas", "Bereiche analysieren", 60),
            _p("vote", "Maßnahmen priorisieren", 20),
            _p("close", "Abschluss", 15),
        ],
    },
    {
        "code": "innovation-design-thinking",
        "kind": "innovation",
        "name": "Innovationsworkshop (Design Thinking)",
        "description": (
            "Nach vorn schauen: die Herausforderung verstehen und definieren, Ideen entwickeln und auswählen, "
            "einen Prototyp skizzieren und einen Test planen."
        ),
        "questions": [
            _q("Verstehen", "Was wissen wir über die Betroffenen und die Lage?", "note"),
            _q("Herausforderung definieren", "Wie können wir … ?", "open_question"),
            _q("Ideen", "Viele Ideen, ohne sie sofort zu bewerten.", "innovation"),
            _q("Auswählen", "Die vielversprechendsten Ideen.", "innovation"),
            _q("Prototyp skizzieren", "Wie sähe eine erste Umsetzung aus?", "innovation"),
            _q("Test planen", "Mit wem, wann und woran erkennen wir Erfolg?", "note"),
        ],
        "phases": [
            _p("prepare", "Vorbereitung", 0),
            _p("understand", "Verstehen", 30),
            _p("define", "Herausforderung definieren", 20),
            _p("ideate", "Ideen entwickeln", 30),
            _p("select", "Auswählen", 15),
            _p("prototype", "Prototyp skizzieren", 40),
            _p("test", "Test planen", 20),
        ],
    },
]


def seed_templates(template_model) -> None:
    for data in TEMPLATES:
        defaults = {k: v for k, v in data.items() if k != "code"}
        template_model.objects.update_or_create(code=data["code"], defaults={**defaults, "is_builtin": True})
