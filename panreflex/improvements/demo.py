"""Demo action items for Dortmund (own words, marked as demo; idempotent by title)."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from panreflex.accounts.models import Organisation, User
from panreflex.taxonomy.models import Term, Vocabulary

from .models import ActionItem
from .services import action_item_create

# (title, capability, theme code or "", responsible e-mail, start offset days, due offset days, status, progress)
DEMO_ITEMS = [
    ("[Demo] Kontaktliste der Krisenstabsmitglieder vierteljährlich prüfen",
     "Krisenstabsarbeit", "", "mitglied@dortmund.example", -60, 20, ActionItem.Status.IN_PROGRESS, 40),
    ("[Demo] Mehrsprachige Vorlagen für Bürgerinformationen vorbereiten",
     "Krisenkommunikation", "", "redaktion@dortmund.example", -30, -5, ActionItem.Status.OPEN, 10),
    ("[Demo] Vereinbarung mit Wohlfahrtsverbänden zur Versorgung vulnerabler Gruppen abschließen",
     "Zusammenarbeit mit Akteur*innen", "", "koordination@dortmund.example", -90, 45, ActionItem.Status.IN_PROGRESS, 60),
    ("[Demo] Übung zur Stabsarbeit im Homeoffice-Betrieb durchführen",
     "Digitale Arbeitsfähigkeit", "", "", -120, -30, ActionItem.Status.DONE, 100),
]

DEMO_DESCRIPTION = (
    "Demo-Eintrag zum Ausprobieren des Maßnahmenplans. Die Maßnahme ist frei formuliert und beschreibt "
    "keine tatsächliche Planung der Stadt."
)


def load_demo_improvements(*, stdout=None) -> None:
    organisation = Organisation.objects.filter(slug="dortmund").first()
    if organisation is None:
        return
    author = User.objects.filter(email__iexact="redaktion@dortmund.example").first()
    themes = list(Term.objects.of(Vocabulary.THEME)[:4])
    today = timezone.localdate()
    for index, (title, capability, _code, email, start, due, status, progress) in enumerate(DEMO_ITEMS):
        if ActionItem.objects.filter(organisation=organisation, title=title).exists():
            continue
        responsible = User.objects.filter(email__iexact=email).first() if email else None
        action_item_create(
            organisation=organisation, author=author, title=title, description=DEMO_DESCRIPTION,
            capability=capability, responsible_organisation=organisation,
            responsible_person=responsible.full_name if responsible else "Amt für Bürgerdienste (Demo)",
            responsible_user=responsible, point_of_contact="Geschäftsstelle Krisenstab (Demo)",
            start_date=today + timedelta(days=start), due_date=today + timedelta(days=due),
            theme=themes[index % len(themes)] if themes else None, status=status, progress=progress,
            is_demo=True,
        )
