"""Room services: the rules (lock, votes, authorship, versions, forged ids) and that refusals change nothing."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from panreflex.audit.models import AuditEntry
from panreflex.workshops import services
from panreflex.workshops.models import Card, Cluster, RootCause, TimelineEvent, Vote
from panreflex.workshops.services import Refused, StaleEdit

from .factories import actor, add_card, make_workshop

pytestmark = pytest.mark.django_db


@pytest.fixture
def ws(personas):
    return make_workshop(personas)


def test_workshop_copies_template_questions_and_phases(ws):
    titles = [c.title for c in ws.columns.all()]
    assert titles[0] == "Wie wurde die Krise erlebt?"
    assert "Was lief gut?" in titles and "Was lief weniger gut?" in titles
    assert len(titles) == 8
    assert ws.phase == "prepare" and ws.phase_title.startswith("Vorbereitung")
    assert AuditEntry.objects.filter(object_id=str(ws.pk), action="create").exists()


def test_card_add_by_participant_and_text_kept_as_text(personas, ws):
    card = add_card(ws, personas.bob, "<script>alert('x')</script> & mehr")
    assert card.text == "<script>alert('x')</script> & mehr"
    assert card.author == personas.bob and card.version == 1
    ws.refresh_from_db()
    assert ws.seq == 1


def test_viewer_who_is_not_participant_cannot_contribute(personas, ws):
    with pytest.raises(Refused, match="not a participant"):
        add_card(ws, personas.vera, "Hallo")
    assert Card.objects.count() == 0


def test_other_organisation_cannot_see(personas, ws):
    with pytest.raises(Refused, match="does not exist"):
        add_card(ws, personas.charlie, "Hallo")


def test_empty_and_too_long_cards_are_refused(personas, ws):
    with pytest.raises(Refused, match="must not be empty"):
        add_card(ws, personas.bob, "   ")
    with pytest.raises(Refused, match="too long"):
        add_card(ws, personas.bob, "x" * 2001)
    assert Card.objects.count() == 0


def test_forged_column_and_card_ids_are_refused(personas, ws):
    other = make_workshop(personas, title="Anderer Workshop")
    foreign_column = other.columns.first()
    with pytest.raises(Refused, match="column does not exist"):
        services.card_add(workshop=ws, actor=actor(personas.bob), column_id=foreign_column.pk, text="x")
    foreign = add_card(other, personas.bob, "fremd")
    with pytest.raises(Refused, match="card does not exist"):
        services.card_edit(workshop=ws, actor=actor(personas.alice), card_id=foreign.pk, text="neu", version=1)
    with pytest.raises(Refused, match="card does not exist"):
        services.card_edit(workshop=ws, actor=actor(personas.alice), card_id="abc", text="neu", version=1)
    foreign.refresh_from_db()
    assert foreign.text == "fremd"


def test_editing_another_persons_card_is_refused(personas, ws):
    card = add_card(ws, personas.alice, "von Alice")
    with pytest.raises(Refused, match="only change your own cards"):
        services.card_edit(workshop=ws, actor=actor(personas.bob), card_id=card.pk, text="überschrieben", version=1)
    card.refresh_from_db()
    assert card.text == "von Alice" and card.version == 1


def test_facilitator_may_edit_any_card(personas, ws):
    card = add_card(ws, personas.bob, "von Bob")
    services.card_edit(workshop=ws, actor=actor(personas.alice), card_id=card.pk, text="geglättet", version=1)
    card.refresh_from_db()
    assert card.text == "geglättet" and card.version == 2


def test_stale_edit_is_refused_and_no_update_is_lost(personas, ws):
    card = add_card(ws, personas.bob, "Ursprung")
    services.card_edit(workshop=ws, actor=actor(personas.alice), card_id=card.pk, text="Alice zuerst", version=1)
    with pytest.raises(StaleEdit) as exc:
        services.card_edit(workshop=ws, actor=actor(personas.bob), card_id=card.pk, text="Bob später", version=1)
    assert "Someone else changed this card" in exc.value.message
    assert exc.value.data["card"]["text"] == "Alice zuerst" and exc.value.data["card"]["version"] == 2
    card.refresh_from_db()
    assert card.text == "Alice zuerst"


def test_lock_refuses_every_change(personas, ws):
    card = add_card(ws, personas.bob, "vorher")
    services.voting_configure(workshop=ws, actor=actor(personas.alice), votes_per_person=3, voting_open=True)
    services.lock_set(workshop=ws, actor=actor(personas.alice), locked=True)
    msg = "The workshop is locked"
    with pytest.raises(Refused, match=msg):
        services.card_edit(workshop=ws, actor=actor(personas.bob), card_id=card.pk, text="nachher", version=1)
    with pytest.raises(Refused, match=msg):
        add_card(ws, personas.bob, "neu")
    with pytest.raises(Refused, match=msg):
        services.vote_add(workshop=ws, actor=actor(personas.bob), card_id=card.pk)
    with pytest.raises(Refused, match=msg):
        add_card(ws, personas.alice, "auch nicht die Moderation")
    card.refresh_from_db()
    assert card.text == "vorher" and Card.objects.count() == 1 and Vote.objects.count() == 0
    services.lock_set(workshop=ws, actor=actor(personas.alice), locked=False)
    services.card_edit(workshop=ws, actor=actor(personas.bob), card_id=card.pk, text="nachher", version=1)


def test_only_facilitators_lock_and_switch_phases(personas, ws):
    with pytest.raises(Refused, match="Only the facilitators"):
        services.lock_set(workshop=ws, actor=actor(personas.bob), locked=True)
    with pytest.raises(Refused, match="Only the facilitators"):
        services.phase_set(workshop=ws, actor=actor(personas.bob), phase="vote")
    with pytest.raises(Refused, match="phase does not exist"):
        services.phase_set(workshop=ws, actor=actor(personas.alice), phase="nope")
    services.phase_set(workshop=ws, actor=actor(personas.alice), phase="vote")
    ws.refresh_from_db()
    assert ws.phase == "vote" and not ws.locked


def test_voting_limit_closed_and_hidden_until_revealed(personas, ws):
    a = add_card(ws, personas.alice, "A")
    b = add_card(ws, personas.alice, "B")
    with pytest.raises(Refused, match="Voting is not open"):
        services.vote_add(workshop=ws, actor=actor(personas.bob), card_id=a.pk)
    services.voting_configure(workshop=ws, actor=actor(personas.alice), votes_per_person=2, voting_open=True)
    services.vote_add(workshop=ws, actor=actor(personas.bob), card_id=a.pk)
    services.vote_add(workshop=ws, actor=actor(personas.bob), card_id=a.pk)
    with pytest.raises(Refused, match="You have used all your 2 votes"):
        services.vote_add(workshop=ws, actor=actor(personas.bob), card_id=b.pk)
    assert Vote.objects.filter(voter=personas.bob).count() == 2
    from panreflex.workshops.selectors import room_state

    state = room_state(workshop=ws, actor=actor(personas.alice))
    assert all(v.total is None for v in state.cards)  # hidden until revealed
    bob_state = room_state(workshop=ws, actor=actor(personas.bob))
    assert {v.card.pk: v.mine for v in bob_state.cards}[a.pk] == 2 and bob_state.votes_left == 0
    services.vote_remove(workshop=ws, actor=actor(personas.bob), card_id=a.pk)
    services.vote_add(workshop=ws, actor=actor(personas.bob), card_id=b.pk)
    services.votes_reveal(workshop=ws, actor=actor(personas.alice), revealed=True)
    state = room_state(workshop=ws, actor=actor(personas.alice))
    assert {v.card.pk: v.total for v in state.cards} == {a.pk: 1, b.pk: 1}


def test_votes_per_person_bounds(personas, ws):
    for bad in (0, 51, "x"):
        with pytest.raises(Refused, match="between 1 and 50"):
            services.voting_configure(workshop=ws, actor=actor(personas.alice), votes_per_person=bad, voting_open=True)


def test_clusters_move_and_merge(personas, ws):
    a = add_card(ws, personas.bob, "A", column=5)
    b = add_card(ws, personas.bob, "B", column=5)
    col = a.column
    with pytest.raises(Refused, match="Only the facilitators"):
        services.cluster_create(workshop=ws, actor=actor(personas.bob), column_id=col.pk, title="T", card_ids=[a.pk])
    cluster = services.cluster_create(workshop=ws, actor=actor(personas.alice), column_id=col.pk,
                                      title="Übersetzungen", card_ids=[a.pk, b.pk])
    assert set(cluster.cards.values_list("pk", flat=True)) == {a.pk, b.pk}
    services.cluster_rename(workshop=ws, actor=actor(personas.alice), cluster_id=cluster.pk, title="Sprachen")
    services.voting_configure(workshop=ws, actor=actor(personas.alice), votes_per_person=5, voting_open=True)
    services.vote_add(workshop=ws, actor=actor(personas.alice), card_id=a.pk)
    services.root_cause_add(workshop=ws, actor=actor(personas.bob), card_id=a.pk, text="Kein Übersetzungsbudget")
    merged = services.card_merge(workshop=ws, actor=actor(personas.bob), card_id=a.pk, into_id=b.pk)
    assert merged.text == "B\n\nA" and merged.version == 3
    assert not Card.objects.filter(pk=a.pk).exists()
    assert Vote.objects.get().card_id == b.pk and RootCause.objects.get().card_id == b.pk
    other_col = ws.columns.all()[4]
    services.card_move(workshop=ws, actor=actor(personas.bob), card_id=b.pk, column_id=other_col.pk)
    b.refresh_from_db()
    assert b.column_id == other_col.pk and b.cluster_id is None
    with pytest.raises(Refused, match="cluster belongs to another column"):
        services.card_move(workshop=ws, actor=actor(personas.bob), card_id=b.pk, column_id=other_col.pk,
                           cluster_id=cluster.pk)
    services.cluster_dissolve(workshop=ws, actor=actor(personas.alice), cluster_id=cluster.pk)
    assert not Cluster.objects.exists()


def test_anonymous_cards_only_when_allowed(personas, ws):
    with pytest.raises(Refused, match="Anonymous cards are not allowed"):
        add_card(ws, personas.bob, "x", anonymous=True)
    ws2 = make_workshop(personas, allow_anonymous=True)
    card = add_card(ws2, personas.bob, "x", anonymous=True)
    assert card.author_label == "Anonymous"
    services.card_edit(workshop=ws2, actor=actor(personas.bob), card_id=card.pk, text="y", version=1)


def test_timeline_prefill_marks_computed_wave_peaks(personas, ws):
    events = services.timeline_prefill(workshop=ws, actor=actor(personas.alice))
    titles = [e.title for e in events]
    assert titles[0] == "First reported COVID-19 case in Dortmund"
    assert events[0].date.isoformat() == "2020-03-05"
    peak = next(e for e in events if e.date.isoformat() == "2020-11-07")
    assert "7-day incidence 230.0" in peak.title or "7-day incidence 230,0" in peak.title
    assert all(e.source == TimelineEvent.Source.DATA for e in events)
    again = services.timeline_prefill(workshop=ws, actor=actor(personas.alice))
    assert again == [] and TimelineEvent.objects.count() == len(events)
    with pytest.raises(Refused, match="Only the facilitators"):
        services.timeline_prefill(workshop=ws, actor=actor(personas.bob))


def test_timeline_add_and_delete_rules(personas, ws):
    event = services.timeline_add(workshop=ws, actor=actor(personas.bob), date=timezone.localdate(), title="Erlass")
    charlie_ws = make_workshop(personas, participants=[personas.bob, personas.vera])
    with pytest.raises(Refused):
        services.timeline_delete(workshop=charlie_ws, actor=actor(personas.bob), event_id=event.pk)
    services.timeline_add(workshop=charlie_ws, actor=actor(personas.vera), date=timezone.localdate(), title="V")
    with pytest.raises(Refused, match="only remove events you added"):
        services.timeline_delete(workshop=charlie_ws, actor=actor(personas.bob),
                                 event_id=charlie_ws.timeline.get().pk)
    services.timeline_delete(workshop=ws, actor=actor(personas.bob), event_id=event.pk)


def test_rating_is_upserted_per_capability(personas, ws):
    services.rating_set(workshop=ws, actor=actor(personas.bob), capability="Warnung", level="S", justification="spät")
    services.rating_set(workshop=ws, actor=actor(personas.alice), capability="warnung", level="M",
                        justification="zu spät")
    rating = ws.ratings.get()
    assert rating.level == "M" and rating.author == personas.alice
    with pytest.raises(Refused, match="Please choose a rating"):
        services.rating_set(workshop=ws, actor=actor(personas.bob), capability="X", level="Z", justification="j")
    with pytest.raises(Refused, match="justification must not be empty"):
        services.rating_set(workshop=ws, actor=actor(personas.bob), capability="X", level="P", justification=" ")


def test_timer(personas, ws):
    with time_machine.travel("2026-03-01 10:00:00+00:00", tick=False):
        services.timer_start(workshop=ws, actor=actor(personas.alice), minutes=10)
        ws.refresh_from_db()
        assert ws.timer_ends_at.isoformat() == "2026-03-01T10:10:00+00:00"
    with pytest.raises(Refused, match="between 1 second and 240 minutes"):
        services.timer_start(workshop=ws, actor=actor(personas.alice), minutes=0)
    services.timer_stop(workshop=ws, actor=actor(personas.alice))
    ws.refresh_from_db()
    assert ws.timer_ends_at is None


def test_guest_link_consent_and_expiry(personas, ws):
    guest, token = services.guest_invite(workshop=ws, actor=personas.alice, email="Gast@Example.org", name="Gabi")
    with pytest.raises(Refused, match="agree to the processing"):
        services.guest_join(token=token, name="Gabi", consent=False)
    with pytest.raises(Refused, match="does not exist"):  # no consent yet: the guest cannot even see it
        services.card_add(workshop=ws, actor=actor(guest=guest), column_id=ws.columns.first().pk, text="x")
    guest = services.guest_join(token=token, name="Gabi G.", consent=True)
    card = services.card_add(workshop=ws, actor=actor(guest=guest), column_id=ws.columns.first().pk, text="Gastkarte")
    assert card.author_guest == guest and "Gabi G." in card.author_label
    with time_machine.travel(timezone.now() + timedelta(days=15)):
        with pytest.raises(Refused, match="invitation link has expired"):
            services.guest_for_token(token)
        guest.refresh_from_db()
        with pytest.raises(Refused, match="does not exist"):
            services.card_add(workshop=ws, actor=actor(guest=guest), column_id=ws.columns.first().pk, text="zu spät")
    assert Card.objects.count() == 1
    with pytest.raises(Refused, match="not valid"):
        services.guest_for_token("forged-token")


def test_insight_and_action_item_keep_links_to_cards(personas, ws):
    from panreflex.evidence.selectors import insights_from
    from panreflex.improvements.models import ActionItem

    card = add_card(ws, personas.bob, "Übersetzungen kamen zu spät", column=5)
    with pytest.raises(Refused, match="Only the facilitators"):
        services.insight_from_cards(workshop=ws, actor=actor(personas.bob), statement="x", kind="improvement",
                                    card_ids=[card.pk])
    outcome = services.insight_from_cards(workshop=ws, actor=actor(personas.alice),
                                          statement="Übersetzungen brauchen einen Vorlauf", kind="improvement",
                                          card_ids=[card.pk])
    insight = insights_from(source_kind="workshop_card", object_ids=[card.pk]).get()
    assert insight.pk == outcome.target_id and insight.organisation == personas.dortmund
    assert insight.sources.filter(kind="workshop_card", object_id=card.pk, quote=card.text).exists()
    assert list(insight.themes.values_list("code", flat=True)) == ["T2"]
    action = services.action_from_cards(workshop=ws, actor=actor(personas.alice), title="Übersetzungspool aufbauen",
                                        card_ids=[card.pk], capability="Krisenkommunikation")
    item = ActionItem.objects.get(pk=action.target_id)
    assert item.source_kind == "workshop" and item.source_id == ws.pk and item.theme.code == "T2"
    assert card.text in item.description and list(action.cards.all()) == [card]
    with pytest.raises(Refused, match="card does not exist"):
        services.action_from_cards(workshop=ws, actor=actor(personas.alice), title="x", card_ids=[999999])
    with pytest.raises(Refused, match="source of an insight"):
        services.card_delete(workshop=ws, actor=actor(personas.bob), card_id=card.pk)


def test_carried_over_open_items_of_same_org_and_theme(personas, ws):
    from panreflex.workshops.selectors import carried_over

    add_card(ws, personas.bob, "x")
    services.action_from_cards(workshop=ws, actor=actor(personas.alice), title="Offene Maßnahme", card_ids=[])
    later = make_workshop(personas, title="Nächster Workshop T2")
    other_theme = make_workshop(personas, title="T3-Workshop", theme="T3")
    other_org = make_workshop(personas, organisation=personas.koeln, title="Köln", facilitators=[], participants=[])
    assert [i.title for i in carried_over(workshop=later)] == ["Offene Maßnahme"]
    assert carried_over(workshop=other_theme) == []
    assert carried_over(workshop=other_org) == []
    assert carried_over(workshop=ws) == []  # its own items are results, not carried over


def test_audit_records_card_changes_with_guest_note(personas, ws):
    card = add_card(ws, personas.bob, "x")
    services.card_edit(workshop=ws, actor=actor(personas.bob), card_id=card.pk, text="y", version=1)
    entries = AuditEntry.objects.filter(object_id=str(card.pk), content_type__model="card")
    assert [e.action for e in entries.order_by("at", "id")] == ["create", "update"]
    assert entries.filter(action="update").get().changes["text"] == ["x", "y"]
