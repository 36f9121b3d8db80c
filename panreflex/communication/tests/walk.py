"""Persona walk of the communication app: Dortmund's private plan, message, composed warning; a public
imported warning of the shared register; foreign-id cases with Köln's private plan, audience and group."""

from __future__ import annotations

from pathlib import Path

from panreflex.testing.walk import FOREIGN, OUTSIDERS, IdCase, WalkCase, expect

CAP_FILE = Path("/work/shared/data/interop/cap/thunderstorm.cap")
MINIMAL_CAP = b"""<?xml version="1.0" encoding="UTF-8"?>
<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2"><identifier>walk-1</identifier><sender>walk@example.org</sender>
<sent>2026-07-01T12:00:00+02:00</sent><status>Exercise</status><msgType>Alert</msgType><scope>Public</scope>
<info><category>Met</category><event>Hitze</event><urgency>Expected</urgency><severity>Moderate</severity>
<certainty>Likely</certainty><area><areaDesc>Walk</areaDesc></area></info></alert>"""


def walk_data(p):
    from panreflex.communication.models import (
        Alert,
        CommunicationPlan,
        MessageTemplate,
        Rumour,
        WeeklySummary,
    )
    from panreflex.communication.services import (
        alert_compose,
        alert_import,
        audience_add,
        boundary_polygon,
        member_add,
        message_create,
        multiplier_add,
        plan_create,
        rumour_create,
        template_create,
    )

    plan = CommunicationPlan.objects.filter(title="Walk-Kommunikationsplan").first()
    if plan is None:
        from django.utils import timezone

        plan = plan_create(organisation=p.dortmund, author=p.alice, title="Walk-Kommunikationsplan", languages=["de", "en"])
        audience = audience_add(plan=plan, actor=p.alice, kind="public", channels=["web", "press"], languages=["de", "en"])
        member_add(plan=plan, actor=p.alice, user=p.carla, role="approver")
        member_add(plan=plan, actor=p.alice, user=p.bob, role="drafter")
        multiplier_add(plan=plan, actor=p.alice, organisation_name="Walk-Verein", role="Vorstand", audiences=[audience])
        message = message_create(plan=plan, author=p.alice, title="Walk-Botschaft", text="Trinken Sie viel Wasser.",
                                 audience=audience)
        rumour_create(organisation=p.dortmund, author=p.alice, category="misinformation", claim="Walk-Gerücht",
                      first_seen_at=timezone.now(), first_seen_where="Messenger", response=message)
        template_create(organisation=p.dortmund, author=p.alice, title="Walk-Vorlage", text="Bleiben Sie im Schatten.")
        alert_compose(organisation=p.dortmund, author=p.alice, alert_fields={"status": "Exercise", "identifier": "walk-composed"},
                      infos=[{"language": "de-DE", "categories": ["Met"], "event": "Hitze", "urgency": "Expected",
                              "severity": "Moderate", "certainty": "Likely"}],
                      area={"areaDesc": "Dortmund", "polygon": boundary_polygon(p.dortmund.place.boundary)})
        alert_import(data=MINIMAL_CAP)
        from panreflex.communication.services import weekly_summary_render

        weekly_summary_render(organisation=p.dortmund, week_start=timezone.localdate())
    from panreflex.communication.models import JargonWord

    jargon, _created = JargonWord.objects.get_or_create(word="Walkwort", language="de",
                                                        defaults={"suggestion": "einfaches Wort"})
    return {
        "jargon": jargon,
        "plan": plan, "audience": plan.audiences.first(), "member": plan.members.first(),
        "message": plan.messages.first(), "composed": Alert.objects.get(identifier="walk-composed"),
        "imported": Alert.objects.get(identifier="walk-1"),
        "rumour": Rumour.objects.get(claim="Walk-Gerücht"),
        "template": MessageTemplate.objects.get(title="Walk-Vorlage"),
        "summary": WeeklySummary.objects.get(organisation=p.dortmund),
    }


def setup(p):
    walk_data(p)


PRIVATE = expect(anonymous=404, default=200, charlie=404)
EDIT_DORTMUND = expect(anonymous=302, default=404, alice=200, carla=200, dora=200)
# the shared jargon list: editors of a municipality (Dortmund, Köln) and staff
JARGON_EDIT = expect(anonymous=302, default=404, alice=200, carla=200, charlie=200, dora=200)
POST_ONLY = expect(anonymous=302, signed_in=405)


def cases(p):
    d = walk_data(p)
    plan, message = d["plan"].pk, d["message"].pk
    return [
        WalkCase("communication:overview", expect=expect(anonymous=302, signed_in=200)),
        WalkCase("communication:overview", query="organisation=dortmund", expect=expect(anonymous=302, default=404,
                                                                                       vera=200, bob=200, alice=200,
                                                                                       carla=200, dora=200)),
        WalkCase("communication:readability", expect=POST_ONLY),
        WalkCase("communication:plan_create", query="organisation=dortmund", expect=EDIT_DORTMUND),
        WalkCase("communication:plan_detail", kwargs={"pk": plan}, expect=PRIVATE),
        WalkCase("communication:plan_edit", kwargs={"pk": plan}, expect=EDIT_DORTMUND),
        WalkCase("communication:audience_create", kwargs={"pk": plan}, expect=EDIT_DORTMUND),
        WalkCase("communication:audience_delete", kwargs={"pk": plan, "audience_pk": d["audience"].pk}, expect=POST_ONLY),
        WalkCase("communication:member_create", kwargs={"pk": plan}, expect=EDIT_DORTMUND),
        WalkCase("communication:member_delete", kwargs={"pk": plan, "member_pk": d["member"].pk}, expect=POST_ONLY),
        WalkCase("communication:multiplier_create", kwargs={"pk": plan}, expect=EDIT_DORTMUND),
        WalkCase("communication:gap_action", kwargs={"pk": plan}, expect=POST_ONLY),
        WalkCase("communication:dark_site", kwargs={"pk": plan}, expect=PRIVATE),
        WalkCase("communication:dark_site_toggle", kwargs={"pk": plan}, expect=POST_ONLY),
        WalkCase("communication:message_create", expect=expect(anonymous=302, signed_in=200)),
        WalkCase("communication:message_create", query=f"plan={plan}", expect=expect(anonymous=302, signed_in=200)),
        WalkCase("communication:message_detail", kwargs={"pk": message}, expect=PRIVATE),
        WalkCase("communication:version_edit", kwargs={"pk": message}, query="language=en&variant=standard",
                 expect=expect(anonymous=302, default=404, bob=200, alice=200, carla=200, dora=200)),
        WalkCase("communication:message_transition", kwargs={"pk": message}, expect=POST_ONLY),
        WalkCase("communication:template_list", expect=expect(public=200)),
        WalkCase("communication:template_list", query="q=Walk&crisis_kind=heat&audience_kind=public", expect=expect(public=200)),
        WalkCase("communication:template_create", query="organisation=dortmund", expect=EDIT_DORTMUND),
        WalkCase("communication:template_detail", kwargs={"pk": d["template"].pk}, expect=PRIVATE),
        WalkCase("communication:template_use", kwargs={"pk": d["template"].pk}, expect=POST_ONLY),
        WalkCase("communication:rumour_list", expect=expect(anonymous=302, signed_in=200)),
        WalkCase("communication:rumour_list", query="organisation=dortmund",
                 expect=expect(anonymous=302, default=404, vera=200, bob=200, alice=200, carla=200, dora=200)),
        WalkCase("communication:rumour_create", query="organisation=dortmund", expect=EDIT_DORTMUND),
        WalkCase("communication:rumour_similar", expect=POST_ONLY),
        WalkCase("communication:rumour_detail", kwargs={"pk": d["rumour"].pk}, expect=PRIVATE),
        WalkCase("communication:rumour_edit", kwargs={"pk": d["rumour"].pk}, expect=EDIT_DORTMUND),
        WalkCase("communication:jargon_list", expect=expect(anonymous=302, signed_in=200)),
        WalkCase("communication:jargon_list", query="q=walk&language=de", expect=expect(anonymous=302, signed_in=200)),
        WalkCase("communication:jargon_create", expect=JARGON_EDIT),
        WalkCase("communication:jargon_edit", kwargs={"pk": d["jargon"].pk}, expect=JARGON_EDIT),
        WalkCase("communication:jargon_delete", kwargs={"pk": d["jargon"].pk}, expect=JARGON_EDIT),
        WalkCase("communication:weekly_request", expect=POST_ONLY),
        WalkCase("communication:weekly_download", kwargs={"summary_pk": d["summary"].pk},
                 expect=expect(anonymous=302, default=404, bob=200, alice=200, carla=200, dora=200)),
        WalkCase("communication:alert_list", expect=expect(public=200)),
        WalkCase("communication:alert_compose", query="organisation=dortmund", expect=EDIT_DORTMUND),
        WalkCase("communication:alert_import", query="organisation=dortmund", expect=EDIT_DORTMUND),
        WalkCase("communication:alert_area", query=f"source=place:{p.dortmund.place_id}",
                 expect=expect(anonymous=302, signed_in=200)),
        WalkCase("communication:alert_detail", kwargs={"pk": d["composed"].pk}, expect=PRIVATE),
        WalkCase("communication:alert_detail", kwargs={"pk": d["imported"].pk}, expect=expect(public=200)),
        WalkCase("communication:alert_export", kwargs={"pk": d["composed"].pk}, expect=PRIVATE),
        WalkCase("communication:alert_export", kwargs={"pk": d["imported"].pk}, expect=expect(public=200)),
        WalkCase("communication:alert_follow_up", kwargs={"pk": d["composed"].pk, "msg_type": "Update"},
                 expect=EDIT_DORTMUND),
    ]


def _foreign(p):
    """Köln's private plan with an audience, and a private vulnerable group of Köln."""
    from panreflex.communication.models import CommunicationPlan, PlanAudience
    from panreflex.vulnerability.tests.factories import VulnerableGroupFactory

    plan = CommunicationPlan.objects.filter(title=f"{FOREIGN}-Plan").first()
    if plan is None:
        plan = CommunicationPlan.objects.create(organisation=p.koeln, title=f"{FOREIGN}-Plan", languages=["de"])
        PlanAudience.objects.create(plan=plan, kind="public", name=f"{FOREIGN}-Zielgruppe", languages=["de"])
        from panreflex.communication.models import Message

        Message.objects.create(organisation=p.koeln, plan=plan, title=f"{FOREIGN}-Botschaft")
        VulnerableGroupFactory(name=f"{FOREIGN}-Gruppe", organisation=p.koeln, visibility="private", released_at=None)
    from panreflex.vulnerability.models import VulnerableGroup

    return plan, plan.audiences.get(), VulnerableGroup.objects.get(name=f"{FOREIGN}-Gruppe"), plan.messages.get()


def id_cases(p, f):
    d = walk_data(p)
    plan, audience, group, message = _foreign(p)
    own = d["plan"].pk
    rumour_data = {"organisation": "dortmund", "category": "question", "claim": "Gibt es Trinkwasser?",
                   "first_seen_at": "2026-06-01T10:00", "first_seen_where": "Hotline", "likelihood": 2, "harm": 2,
                   "status": "open"}
    template_data = {"organisation": "dortmund", "title": "Vorlage", "audience_kind": "public", "phase": "acute",
                     "language": "de", "variant": "standard", "text": "Trinken Sie Wasser.", "visibility": "private"}
    message_data = {"title": "Neue Botschaft", "phase": "acute", "language": "de", "text": "Trinken Sie Wasser."}
    return [
        IdCase("communication:audience_create", "group", group.pk, kwargs={"pk": own}, data={"kind": "group"},
               covers=("AudienceForm.group",)),
        IdCase("communication:multiplier_create", "audiences", [audience.pk], kwargs={"pk": own},
               data={"organisation_name": "Verein", "role": "Vorsitz"}, covers=("MultiplierForm.audiences",)),
        IdCase("communication:message_create", "plan", plan.pk, data=message_data, covers=("MessageForm.plan",)),
        IdCase("communication:message_create", "audience", audience.pk, data={**message_data, "plan": own},
               covers=("MessageForm.audience",)),
        IdCase("communication:message_create", "plan", plan.pk, where="query", personas=OUTSIDERS),
        IdCase("communication:template_create", "group", group.pk, data={**template_data}, covers=("TemplateForm.group",)),
        IdCase("communication:template_create", "practices", [f["practice"].pk], data={**template_data},
               covers=("TemplateForm.practices",)),
        IdCase("communication:template_use", "plan", plan.pk, kwargs={"pk": d["template"].pk},
               covers=("UseTemplateForm.plan",)),
        IdCase("communication:rumour_create", "groups", [group.pk], data={**rumour_data}, covers=("RumourForm.groups",)),
        IdCase("communication:rumour_create", "response", message.pk, data={**rumour_data},
               covers=("RumourForm.response",)),
    ]
