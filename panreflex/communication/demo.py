"""Demo content of the communication app: the press office of Dortmund plans its communication for a
heat wave (issue 17). Every text is our own, marked as demo, and states no facts about the city: no
real measures, numbers, addresses or phone numbers. Idempotent: the plan is found by its title.

What the demo leaves to try out: the matrix shows gaps (a catalogue group without channel, languages
without a message, no Leichte Sprache yet); the press office drafts a message in German, Leichte
Sprache and two more languages, takes it through approval (Karla Koordination approves), logs a rumour
and answers it with that message, and composes a CAP warning for a city area from the boundaries.
"""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from panreflex.accounts.models import Organisation, User, Visibility
from panreflex.taxonomy.models import Term, Vocabulary

from .models import CommunicationPlan, JargonWord, MessageTemplate, Rumour
from .services import (
    audience_add,
    member_add,
    message_create,
    message_transition,
    message_version_save,
    multiplier_add,
    plan_create,
    rumour_create,
    template_create,
)

PLAN_TITLE = "[Demo] Hitzewelle – Kommunikationsplan des Presseamts"

PHASES = {
    "potential": "Vor dem Sommer (Demo): Zuständigkeiten und Freigabekette prüfen, Vorlagen in allen Sprachen "
                 "des Plans vorbereiten, Multiplikator*innen ansprechen.",
    "latent": "Hitze angekündigt (Demo): Hinweise zum Schutz vor Hitze auf der Website und in den sozialen "
              "Medien; Seniorenbüros und Wohnungslosenhilfe informieren.",
    "acute": "Hitzewelle (Demo): tägliche Lage im Krisenstab, Botschaften für besonders betroffene Gruppen, "
             "Gerüchte beobachten und beantworten, Warnung über Warn-Apps prüfen.",
    "post": "Nach der Hitzewelle (Demo): Nachbereitung – was hat wen erreicht, welche Lücken bleiben?",
}

DARK_SITE = (
    "## Hitze: So schützen Sie sich (Demo)\n\n"
    "Diese Seite ist vorbereitet und wird erst bei einer Hitzewelle veröffentlicht. Sie ist ein Demo-Text.\n\n"
    "- Trinken Sie regelmäßig Wasser.\n- Bleiben Sie in der heißen Tageszeit im Schatten oder in kühlen Räumen.\n"
    "- Fragen Sie bei Nachbar*innen nach, die allein leben."
)

JARGON = [
    ("vulnerabel", "besonders gefährdet"), ("Hitzeexposition", "wenn man der Hitze ausgesetzt ist"),
    ("Flüssigkeitszufuhr", "trinken"), ("prophylaktisch", "vorbeugend"), ("Indikation", "Grund"),
]

STANDARD = (
    "Es wird in den nächsten Tagen sehr heiß. Trinken Sie regelmäßig Wasser, auch wenn Sie keinen Durst haben. "
    "Meiden Sie in der Mittagszeit die Sonne. Achten Sie auf Menschen in Ihrer Nachbarschaft, die allein leben. "
    "(Demo-Text)"
)
ENGLISH = (
    "It will be very hot in the coming days. Drink water regularly, even if you are not thirsty. Stay out of the "
    "sun around midday. Look out for neighbours who live alone. (Demo text)"
)


def load_demo_communication(*, stdout=None) -> None:
    organisation = Organisation.objects.filter(slug="dortmund").first()
    author = User.objects.filter(email__iexact="redaktion@dortmund.example").first()
    approver = User.objects.filter(email__iexact="koordination@dortmund.example").first()
    if organisation is None or author is None or CommunicationPlan.objects.filter(title=PLAN_TITLE).exists():
        return
    for word, suggestion in JARGON:
        JargonWord.objects.get_or_create(word=word, language="de", defaults={"suggestion": suggestion})
    heat = Term.objects.of(Vocabulary.CRISIS_KIND).filter(code="heat").first()
    plan = plan_create(organisation=organisation, author=author, title=PLAN_TITLE, crisis_kind=heat,
                       current_phase="latent", languages=["de", "en", "tr", "ar"], phase_notes=PHASES,
                       dark_site_title="Hitze: So schützen Sie sich (Demo)", dark_site_text=DARK_SITE, is_demo=True)
    public = audience_add(plan=plan, actor=author, kind="public", name="Allgemeine Öffentlichkeit",
                          channels=["web", "social", "warning_app", "press"], languages=["de", "en", "tr", "ar"],
                          needs_plain=True)
    audience_add(plan=plan, actor=author, kind="media", name="Lokale Medien", channels=["press", "web"],
                 languages=["de"])
    audience_add(plan=plan, actor=author, kind="internal", name="Krisenstab und Ämter", channels=["hotline"],
                 languages=["de"])
    from panreflex.vulnerability.models import VulnerableGroup

    older = VulnerableGroup.objects.filter(name="Ältere alleinlebende Menschen (Demo)", organisation=None).first()
    if older is not None:
        audience_add(plan=plan, actor=author, kind="group", group=older, channels=["multipliers", "poster", "hotline"],
                     languages=["de"], needs_easy=True,
                     notes="Über Seniorenbüros und Nachbarschaftshilfen erreichen (Demo).")
    if approver is not None:
        member_add(plan=plan, actor=author, user=approver, role="approver", responsibility="Leitung Presseamt (Demo)")
    member_add(plan=plan, actor=author, user=author, role="drafter", responsibility="Redaktion (Demo)")
    multiplier_add(plan=plan, actor=author, organisation_name="Seniorenbüro (Demo)", role="Beratung vor Ort",
                   audiences=list(plan.audiences.filter(kind="group")))
    multiplier_add(plan=plan, actor=author, organisation_name="Migrant*innenorganisation (Demo)",
                   role="Community-Botschafter*innen", audiences=[public])
    # One message already approved last summer (covers German and English for the public).
    message = message_create(plan=plan, author=author, title="[Demo] Hitzehinweis für alle", text=STANDARD,
                             headline="Hitze: Trinken Sie genug (Demo)", audience=public, phase="latent", is_demo=True)
    message_version_save(message=message, actor=author, language="en", variant="standard", text=ENGLISH,
                         headline="Heat: drink enough (Demo)")
    if approver is not None:
        message_transition(message=message, actor=author, to_status="review")
        message_transition(message=message, actor=approver, to_status="approved", note="Demo-Freigabe")
    template = template_create(
        organisation=organisation, author=author, title="[Demo] Hitze: Hinweis in Leichter Sprache",
        crisis_kind=heat, audience_kind="group", group=older, phase="acute", language="de", variant="standard",
        headline="Es ist sehr heiß (Demo)",
        text="Es ist sehr heiß.\nTrinken Sie viel Wasser.\nBleiben Sie im Schatten.\nRufen Sie Ihre Nachbarin an.\n"
             "(Demo-Vorlage)",
        visibility=Visibility.NETWORK, is_demo=True,
    )
    from panreflex.practices.models import Practice

    practice = Practice.objects.filter(external_key="demo-workflow-1").first()
    if practice is not None:
        template.practices.add(practice)
    MessageTemplate.objects.filter(pk=template.pk).update(is_demo=True)
    rumour_create(
        organisation=organisation, author=author, category=Rumour.Category.QUESTION,
        claim="Gibt es in der Stadt kühle Räume, in die man bei Hitze gehen kann? (Demo)",
        first_seen_at=timezone.now() - timedelta(days=2), first_seen_where="Kommentare in den sozialen Medien (Demo)",
        channels=["social"], likelihood=3, harm=2, is_demo=True,
    )
    if stdout is not None:
        stdout.write("Communication: a heat-wave plan of Dortmund with gaps, one approved message, a template "
                     "and a rumour (demo).")
