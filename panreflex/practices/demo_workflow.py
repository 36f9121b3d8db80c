"""Demo of the review workflow: one practice example of Dortmund waiting for review, so that the review
desk of the other cities' editors is not empty in the demo. It is a training text, marked as demo and
not a real measure. Idempotent through its external key."""

from __future__ import annotations

from datetime import date

from panreflex.accounts.models import Organisation, User, Visibility

from .models import Practice
from .services import practice_create
from .services_workflow import practice_submit

KEY = "demo-workflow-1"


def load_demo_workflow(*, stdout=None) -> None:
    if Practice.objects.filter(external_key=KEY).exists():
        return
    organisation = Organisation.objects.filter(slug="dortmund").first()
    author = User.objects.filter(email__iexact="redaktion@dortmund.example").first()
    if organisation is None or author is None:
        return
    practice = practice_create(
        organisation=organisation, author=author, external_key=KEY, is_demo=True, visibility=Visibility.PUBLIC,
        data={
            "title": "Übungsbeispiel: Telefonkette der Nachbarschaftshilfe (Demo)",
            "summary": "Ein erfundenes Übungsbeispiel, um den Prüfablauf auszuprobieren: Ehrenamtliche rufen "
                       "bei einer Hitzewarnung allein lebende Ältere an. Keine reale Maßnahme.",
            "description": "Dieses Beispiel dient nur der **Demonstration** des Prüfablaufs. Prüfende "
                           "anderer Kommunen können es übernehmen, kommentieren und freigeben.",
            "period_start": date(2025, 6, 1),
            "uncertainty_notes": "Erfundenes Übungsbeispiel ohne Quellen.",
        },
    )
    practice_submit(practice=practice, actor=author)
    if stdout is not None:
        stdout.write("Practice examples: one demo example waiting for review.")
