"""Persona walk cases for every workshops URL (see panreflex/testing/walk.py).

The walk's workshop belongs to Dortmund (private), alice (editor) facilitates, bob is a participant.
Vera (viewer of Dortmund) may see it but not contribute; charlie (Köln) may not see it."""

from panreflex.testing.walk import WalkCase, expect
from panreflex.workshops.models import WorkshopTemplate

from .factories import add_card, make_workshop

DATA: dict = {}


def setup(p):
    ws = make_workshop(p, title="Walk-Workshop")
    add_card(ws, p.bob, "Walk-Karte")
    from panreflex.workshops.services import guest_invite

    _guest, token = guest_invite(workshop=ws, actor=p.alice, name="Walk-Gast", send=False)
    DATA.update(ws=ws, token=token, template=WorkshopTemplate.objects.get(code="panreflex-debriefing"))


def cases(p):
    ws, token, template = DATA["ws"], DATA["token"], DATA["template"]
    pk = {"pk": ws.pk}
    # visible to Dortmund members and staff; charlie (Köln) gets 404; eve → 404 (private, no login redirect leak)
    visible = expect(anonymous=404, default=200, charlie=404)
    member_only = expect(anonymous=404, default=200, charlie=404)
    manage = expect(anonymous=302, default=404, alice=200, carla=200, dora=200)
    setup_access = expect(anonymous=302, default=404, alice=200, carla=200, charlie=200, dora=200)
    return [
        WalkCase("workshops:list", expect=expect(public=200)),
        WalkCase("workshops:create", expect=setup_access),
        WalkCase("workshops:detail", kwargs=pk, expect=visible),
        WalkCase("workshops:edit", kwargs=pk, expect=manage),
        WalkCase("workshops:invitations", kwargs=pk, expect=manage),
        WalkCase("workshops:ics", kwargs=pk, expect=visible),
        WalkCase("workshops:room", kwargs=pk, expect=visible),
        WalkCase("workshops:room_state", kwargs=pk, expect=visible),
        WalkCase("workshops:room_state", kwargs=pk, query="format=json", expect=visible),
        WalkCase("workshops:room_action", kwargs={"pk": ws.pk, "action": "card.add"},
                 expect=expect(public=405)),
        WalkCase("workshops:results", kwargs=pk, expect=member_only),
        WalkCase("workshops:derive_insight", kwargs=pk, expect=expect(public=405)),
        WalkCase("workshops:derive_action", kwargs=pk, expect=expect(public=405)),
        WalkCase("workshops:report_pdf", kwargs=pk, expect=member_only),
        WalkCase("workshops:report_docx", kwargs=pk, expect=member_only),
        WalkCase("workshops:export_csv", kwargs=pk, expect=member_only),
        WalkCase("workshops:export_xlsx", kwargs=pk, expect=member_only),
        WalkCase("workshops:guest_join", kwargs={"token": token}, expect=expect(public=200)),
        WalkCase("workshops:template_list", expect=setup_access),
        WalkCase("workshops:template_detail", kwargs={"pk": template.pk}, expect=setup_access),
        WalkCase("workshops:template_edit", kwargs={"pk": template.pk},
                 expect=expect(anonymous=302, default=404, dora=200)),
        WalkCase("workshops:template_copy", kwargs={"pk": template.pk}, expect=expect(anonymous=302, default=405)),
    ]


def id_cases(p, f):
    """Ids of Köln's private card (another workshop) in the room's actions of Dortmund's workshop."""
    from panreflex.testing.walk import IdCase

    ws = DATA["ws"]
    room = {"pk": ws.pk}
    column = ws.columns.first().pk
    card = f["card"].pk
    who = ("alice", "bob")
    return [
        IdCase("workshops:room_action", "card", card, kwargs={**room, "action": "card.edit"},
               data={"text": "Übernommen", "version": 1}, personas=who),
        IdCase("workshops:room_action", "card", card, kwargs={**room, "action": "card.move"},
               data={"column": column}, personas=who),
        IdCase("workshops:room_action", "card", card, kwargs={**room, "action": "card.delete"}, personas=who),
        IdCase("workshops:room_action", "into", card, kwargs={**room, "action": "card.merge"},
               data={"card": ws.cards.first().pk}, personas=who),
        IdCase("workshops:room_action", "card", card, kwargs={**room, "action": "vote.add"}, personas=who),
        IdCase("workshops:room_action", "card", card, kwargs={**room, "action": "root_cause.add"},
               data={"text": "Ursache"}, personas=who),
        IdCase("workshops:room_action", "cards", [card], kwargs={**room, "action": "cluster.create"},
               data={"column": column, "title": "Gruppe"}, personas=("alice",)),
        IdCase("workshops:room_action", "column", f["workshop"].columns.first().pk,
               kwargs={**room, "action": "card.add"}, data={"text": "In fremde Spalte"}, personas=who),
        IdCase("workshops:room_action", "card", card, kwargs={**room, "action": "card.edit"},
               data={"text": "Übernommen", "version": 1}, where="json", personas=who,
               headers={"HTTP_ACCEPT": "application/json"}),
    ]
