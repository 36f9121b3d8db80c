"""Demo content: a debriefing workshop of Dortmund on risk and crisis communication (theme T2) with a
few cards. The cards are our own illustrative wording, marked as demo (`is_demo`), not statements of
the city. Idempotent: a second run finds the workshop by title and organisation and adds nothing."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.utils import timezone

from panreflex.accounts.models import Organisation, User

DEMO_TITLE = "Debriefing Krisenkommunikation (Demo)"

DEMO_CARDS = [
    # (column position, text, author e-mail)
    (0, "Demo: Die ersten Wochen waren geprägt von täglich neuen Vorgaben und vielen offenen Fragen.",
     "mitglied@dortmund.example"),
    (1, "Demo: Ein fester Kommunikationsstab mit täglicher Lagebesprechung hat Abstimmungen beschleunigt.",
     "redaktion@dortmund.example"),
    (2, "Demo: Mehrsprachige Kurzvideos mit Menschen aus den Communities.", "mitglied@dortmund.example"),
    (3, "Demo: Menschen ohne Internetzugang wurden erst spät über Aushänge und Telefonketten erreicht.",
     "koordination@dortmund.example"),
    (4, "Demo: Gemeinsame FAQ-Seite von Stadt und Gesundheitsamt, täglich aktualisiert.",
     "redaktion@dortmund.example"),
    (5, "Demo: Übersetzungen neuer Regeln lagen oft erst Tage nach der deutschen Fassung vor.",
     "mitglied@dortmund.example"),
    (6, "Demo: Die Zusammenarbeit mit Multiplikator*innen aus Vereinen und Religionsgemeinschaften.",
     "koordination@dortmund.example"),
    (7, "Demo: Vorbereitete Textbausteine in Leichter Sprache für künftige Lagen.", "redaktion@dortmund.example"),
]


def _write(stdout, text: str) -> None:
    if stdout is not None:
        stdout.write(text)


def load_demo_workshops(*, stdout=None) -> None:
    from panreflex.taxonomy.models import Term

    from .actors import Actor
    from .models import Workshop, WorkshopTemplate
    from .services import card_add, workshop_create

    dortmund = Organisation.objects.filter(slug="dortmund").first()
    if dortmund is None:
        return
    if Workshop.objects.filter(organisation=dortmund, title=DEMO_TITLE).exists():
        _write(stdout, "workshops: demo workshop already there\n")
        return
    users = {u.email: u for u in User.objects.filter(email__in=[e for *_x, e in DEMO_CARDS] + [
        "redaktion@dortmund.example", "mitglied@dortmund.example", "koordination@dortmund.example",
        "lesen@dortmund.example", "team@panreflex.example"])}
    editor = users.get("redaktion@dortmund.example")
    if editor is None:
        return
    template = WorkshopTemplate.objects.get(code="panreflex-debriefing")
    day = timezone.localdate() + timedelta(days=7)
    tz = timezone.get_current_timezone()
    theme = Term.objects.filter(vocabulary="theme", code="T2").first()
    facilitators = [u for e, u in users.items() if e in ("redaktion@dortmund.example", "team@panreflex.example")]
    participants = [u for e, u in users.items() if e.endswith("@dortmund.example")]
    workshop = workshop_create(
        organisation=dortmund, author=editor, title=DEMO_TITLE, template=template,
        starts_at=datetime.combine(day, time(9, 30), tzinfo=tz), ends_at=datetime.combine(day, time(13, 0), tzinfo=tz),
        mode="hybrid", location="Demo: Rathaus, Sitzungssaal (und online)",
        description="Demo-Workshop: Rückblick auf die Risiko- und Krisenkommunikation während der COVID-19-Pandemie.",
        themes=[theme] if theme else [], facilitators=facilitators, participants=participants, allow_anonymous=True,
        votes_per_person=5,
        agenda=[("Begrüßung und Ziele", 10), ("Zeitleiste der Krise", 20), ("Karten sammeln und clustern", 50),
                ("Abstimmen und bewerten", 35), ("Maßnahmen festhalten", 25)],
        is_demo=True,
    )
    workshop.refresh_from_db()
    columns = list(workshop.columns.all())
    for position, text, email in DEMO_CARDS:
        author = users.get(email)
        if author is None or position >= len(columns):
            continue
        card_add(workshop=workshop, actor=Actor(user=author), column_id=columns[position].pk, text=text, is_demo=True)
    _write(stdout, f"workshops: demo workshop “{DEMO_TITLE}” with {len(DEMO_CARDS)} cards\n")
