"""Writes in the live room. Each service locks the workshop row (so the writes of one workshop are
serialised: vote limits hold, events keep their order), checks the rules, changes the data inside
`transaction.atomic` and broadcasts the change only after commit (`common.changed`)."""

from __future__ import annotations

from datetime import date, timedelta

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from panreflex.accounts import policy
from panreflex.audit.models import AuditEntry
from panreflex.audit.services import audit_record, diff, snapshot

from .. import fragments
from ..actors import Actor
from ..models import Card, Cluster, Column, Rating, RootCause, TimelineEvent, Vote, Workshop
from .common import Refused, StaleEdit, changed, lock_workshop

MAX_CARD = 2000
# foreign keys that the services have just looked up themselves: full_clean need not query them again
FK_FIELDS = ["workshop", "column", "cluster", "author", "author_guest", "card"]


def card_json(card: Card) -> dict:
    return {
        "id": card.pk, "column": card.column_id, "cluster": card.cluster_id, "text": card.text,
        "author": card.author_label, "version": card.version, "anonymous": card.anonymous,
    }


def _audit(actor: Actor, action: str, obj, changes: dict) -> None:
    note = f"guest {actor.guest.pk}" if actor.guest is not None else ""
    audit_record(actor=actor.audit_actor, action=action, obj=obj, changes=changes, note=note)


# --- guards ------------------------------------------------------------------------------------------
def _open_for_contribution(ws: Workshop, actor: Actor) -> None:
    if not policy.can_view(actor, ws):
        raise Refused(_("This workshop does not exist."), code="not_found")
    if not policy.can(actor, "contribute", ws):
        raise Refused(_("You are not a participant of this workshop and cannot contribute."), code="forbidden")
    if ws.locked:
        raise Refused(_("The workshop is locked; nothing can be changed until the facilitators unlock it."),
                      code="locked")


def _facilitator(ws: Workshop, actor: Actor) -> None:
    if not policy.can_view(actor, ws):
        raise Refused(_("This workshop does not exist."), code="not_found")
    if not policy.can(actor, "facilitate", ws):
        raise Refused(_("Only the facilitators can do this."), code="forbidden")


def _get(model, ws: Workshop, pk, label: str):
    try:
        return model.objects.select_for_update().get(workshop=ws, pk=int(pk))
    except (model.DoesNotExist, TypeError, ValueError):
        raise Refused(_("%(thing)s does not exist in this workshop.") % {"thing": label}, code="not_found") from None


def _column(ws: Workshop, pk) -> Column:
    try:
        return Column.objects.get(workshop=ws, pk=int(pk))
    except (Column.DoesNotExist, TypeError, ValueError):
        raise Refused(_("This column does not exist in this workshop."), code="not_found") from None


def _cluster(ws: Workshop, pk, column: Column | None = None) -> Cluster | None:
    if pk in (None, "", 0, "0"):
        return None
    cluster = _get(Cluster, ws, pk, _("The cluster"))
    if column is not None and cluster.column_id != column.pk:
        raise Refused(_("The cluster belongs to another column."), code="invalid")
    return cluster


def _text(text: str, label: str, limit: int = MAX_CARD) -> str:
    text = (text or "").replace("\r\n", "\n").strip()
    if not text:
        raise Refused(_("%(field)s must not be empty.") % {"field": label}, code="empty")
    if len(text) > limit:
        raise Refused(_("%(field)s is too long (at most %(limit)s characters).") % {"field": label, "limit": limit},
                      code="too_long")
    return text


def _editable_card(ws: Workshop, actor: Actor, card_id) -> Card:
    card = _get(Card, ws, card_id, _("The card"))
    if not policy.can_change(actor, card):
        raise Refused(_("You can only change your own cards."), code="forbidden")
    return card


def _check_version(card: Card, version) -> None:
    try:
        version = int(version)
    except (TypeError, ValueError):
        version = -1
    if version != card.version:
        raise StaleEdit(
            _("Someone else changed this card in the meantime. Your text was not saved; the card now shows the "
              "current version – please check it and edit again."),
            code="stale", data={"card": card_json(card)},
        )


# --- cards -------------------------------------------------------------------------------------------
@transaction.atomic
def card_add(*, workshop: Workshop, actor: Actor, column_id, text: str, anonymous: bool = False,
             cluster_id=None, client_id: str = "", is_demo: bool = False) -> Card:
    ws = lock_workshop(workshop)
    _open_for_contribution(ws, actor)
    column = _column(ws, column_id)
    cluster = _cluster(ws, cluster_id, column)
    if anonymous and not ws.allow_anonymous:
        raise Refused(_("Anonymous cards are not allowed in this workshop."), code="invalid")
    position = (Card.objects.filter(column=column).order_by("-position").values_list("position", flat=True).first()
                or 0) + 1
    card = Card(workshop=ws, column=column, cluster=cluster, text=_text(text, _("The card text")),
                anonymous=bool(anonymous), position=position, is_demo=is_demo, **actor.author_fields())
    card.full_clean(exclude=FK_FIELDS)
    card.save()
    _audit(actor, AuditEntry.Action.CREATE, card, diff({}, snapshot(card)))
    changed(ws, "card.added", {"card": card_json(card), "client_id": client_id[:64]}, by=_by(actor, card),
            render=fragments.card(ws, card, new=True))
    return card


@transaction.atomic
def card_edit(*, workshop: Workshop, actor: Actor, card_id, text: str, version) -> Card:
    ws = lock_workshop(workshop)
    _open_for_contribution(ws, actor)
    card = _editable_card(ws, actor, card_id)
    _check_version(card, version)
    before = snapshot(card)
    card.text = _text(text, _("The card text"))
    card.version = F("version") + 1
    card.save(update_fields=["text", "version", "updated_at"])
    card.refresh_from_db()
    _audit(actor, AuditEntry.Action.UPDATE, card, diff(before, snapshot(card)))
    changed(ws, "card.changed", {"card": card_json(card)}, by=_by(actor, card), render=fragments.card(ws, card))
    return card


@transaction.atomic
def card_move(*, workshop: Workshop, actor: Actor, card_id, column_id, cluster_id=None, version=None) -> Card:
    """Move a card to another column and/or into (or out of) a cluster."""
    ws = lock_workshop(workshop)
    _open_for_contribution(ws, actor)
    card = _editable_card(ws, actor, card_id)
    if version is not None and version != "":
        _check_version(card, version)
    column = _column(ws, column_id)
    cluster = _cluster(ws, cluster_id, column)
    before = snapshot(card)
    card.column, card.cluster = column, cluster
    card.version = F("version") + 1
    card.save(update_fields=["column", "cluster", "version", "updated_at"])
    card.refresh_from_db()
    _audit(actor, AuditEntry.Action.UPDATE, card, diff(before, snapshot(card)))
    changed(ws, "card.moved", {"card": card_json(card)}, by=_by(actor, card), render=fragments.card(ws, card))
    return card


@transaction.atomic
def card_delete(*, workshop: Workshop, actor: Actor, card_id) -> None:
    ws = lock_workshop(workshop)
    _open_for_contribution(ws, actor)
    card = _editable_card(ws, actor, card_id)
    if card.outcomes.exists():
        raise Refused(_("This card is the source of an insight or action item and cannot be deleted."),
                      code="in_use")
    _audit(actor, AuditEntry.Action.DELETE, card, diff(snapshot(card), {}))
    pk = card.pk
    card.delete()
    changed(ws, "card.deleted", {"id": pk}, by=_by(actor, card), render=fragments.removed(f"card-{pk}"))


@transaction.atomic
def card_merge(*, workshop: Workshop, actor: Actor, card_id, into_id) -> Card:
    """Merge card `card_id` into `into_id`: the texts are joined, the dots move along, root-cause notes
    too; the merged card is removed. Allowed for facilitators and for the author of both cards."""
    ws = lock_workshop(workshop)
    _open_for_contribution(ws, actor)
    card = _editable_card(ws, actor, card_id)
    target = _editable_card(ws, actor, into_id)
    if card.pk == target.pk:
        raise Refused(_("A card cannot be merged with itself."), code="invalid")
    if card.outcomes.exists():
        raise Refused(_("This card is the source of an insight or action item and cannot be merged away."),
                      code="in_use")
    before = snapshot(target)
    target.text = f"{target.text}\n\n{card.text}"[:MAX_CARD]
    target.version = F("version") + 1
    target.save(update_fields=["text", "version", "updated_at"])
    Vote.objects.filter(card=card).update(card=target)
    RootCause.objects.filter(card=card).update(card=target)
    target.refresh_from_db()
    _audit(actor, AuditEntry.Action.UPDATE, target, {**diff(before, snapshot(target)), "merged": [card.pk, target.pk]})
    _audit(actor, AuditEntry.Action.DELETE, card, diff(snapshot(card), {}))
    merged_id = card.pk
    card.delete()
    changed(ws, "card.merged", {"card": card_json(target), "merged": merged_id}, by=_by(actor, target),
            render=fragments._join(fragments.card(ws, target), fragments.removed(f"card-{merged_id}")))
    return target


# --- clusters ------------------------------------------------------------------------------------------
@transaction.atomic
def cluster_create(*, workshop: Workshop, actor: Actor, column_id, title: str, card_ids=()) -> Cluster:
    ws = lock_workshop(workshop)
    _facilitator(ws, actor)
    _open_for_contribution(ws, actor)
    column = _column(ws, column_id)
    position = Cluster.objects.filter(column=column).count() + 1
    cluster = Cluster(workshop=ws, column=column, title=_text(title, _("The cluster title"), 200), position=position)
    cluster.full_clean()
    cluster.save()
    ids = [int(i) for i in card_ids if str(i).isdigit()]
    if ids:
        found = Card.objects.filter(workshop=ws, pk__in=ids)
        if found.count() != len(set(ids)):
            raise Refused(_("The card does not exist in this workshop."), code="not_found")
        found.update(cluster=cluster, column=column, version=F("version") + 1)
    _audit(actor, AuditEntry.Action.CREATE, cluster, diff({}, snapshot(cluster)))
    changed(ws, "cluster.created", {"id": cluster.pk, "column": column.pk, "title": cluster.title, "cards": ids},
            by=actor.key, render=fragments._join(*(fragments.removed(f"card-{i}") for i in ids),
                                                 fragments.cluster(ws, cluster)))
    return cluster


@transaction.atomic
def cluster_rename(*, workshop: Workshop, actor: Actor, cluster_id, title: str) -> Cluster:
    ws = lock_workshop(workshop)
    _facilitator(ws, actor)
    _open_for_contribution(ws, actor)
    cluster = _get(Cluster, ws, cluster_id, _("The cluster"))
    before = snapshot(cluster)
    cluster.title = _text(title, _("The cluster title"), 200)
    cluster.save(update_fields=["title"])
    _audit(actor, AuditEntry.Action.UPDATE, cluster, diff(before, snapshot(cluster)))
    changed(ws, "cluster.changed", {"id": cluster.pk, "title": cluster.title}, by=actor.key,
            render=fragments.cluster(ws, cluster))
    return cluster


@transaction.atomic
def cluster_dissolve(*, workshop: Workshop, actor: Actor, cluster_id) -> None:
    """Remove a cluster; its cards stay in the column."""
    ws = lock_workshop(workshop)
    _facilitator(ws, actor)
    _open_for_contribution(ws, actor)
    cluster = _get(Cluster, ws, cluster_id, _("The cluster"))
    members = list(Card.objects.filter(cluster=cluster).values_list("pk", flat=True))
    Card.objects.filter(cluster=cluster).update(cluster=None, version=F("version") + 1)
    _audit(actor, AuditEntry.Action.DELETE, cluster, diff(snapshot(cluster), {}))
    pk = cluster.pk
    cluster.delete()
    changed(ws, "cluster.dissolved", {"id": pk, "cards": members}, by=actor.key,
            render=fragments._join(fragments.removed(f"cluster-{pk}"), fragments.cards(ws, members)))


# --- voting ----------------------------------------------------------------------------------------------
def _by(actor: Actor, card: Card) -> str:
    """Who changed a card, for the room; nobody for anonymous cards (the author is not told to others)."""
    return "" if card.anonymous else actor.key


def _vote_changed(ws: Workshop, event: str, card: Card) -> None:
    """Votes are secret until revealed: the room learns only that something changed (the sequence
    number moves on); once revealed, the card and its new total. The voter's own count comes with
    the acknowledgement of the write. Never who voted."""
    if ws.votes_revealed:
        total = Vote.objects.filter(card=card).count()
        changed(ws, event, {"card": card.pk, "total": total}, render=fragments.totals(ws, [card.pk]))
    else:
        changed(ws, event, {})
def _voter(actor: Actor) -> dict:
    return {"voter": actor.user, "voter_guest": actor.guest}


def votes_used(ws: Workshop, actor: Actor) -> int:
    return Vote.objects.filter(workshop=ws, **_voter(actor)).count()


@transaction.atomic
def vote_add(*, workshop: Workshop, actor: Actor, card_id) -> Vote:
    ws = lock_workshop(workshop)
    _open_for_contribution(ws, actor)
    if not ws.voting_open:
        raise Refused(_("Voting is not open."), code="voting_closed")
    card = _get(Card, ws, card_id, _("The card"))
    used = votes_used(ws, actor)
    if used >= ws.votes_per_person:
        raise Refused(_("You have used all your %(n)s votes. Take a dot back from another card first.")
                      % {"n": ws.votes_per_person}, code="vote_limit")
    vote = Vote.objects.create(workshop=ws, card=card, **_voter(actor))
    _vote_changed(ws, "vote.added", card)
    return vote


@transaction.atomic
def vote_remove(*, workshop: Workshop, actor: Actor, card_id) -> None:
    ws = lock_workshop(workshop)
    _open_for_contribution(ws, actor)
    if not ws.voting_open:
        raise Refused(_("Voting is not open."), code="voting_closed")
    card = _get(Card, ws, card_id, _("The card"))
    vote = Vote.objects.filter(workshop=ws, card=card, **_voter(actor)).order_by("-id").first()
    if vote is None:
        raise Refused(_("You have no dot on this card."), code="invalid")
    vote.delete()
    _vote_changed(ws, "vote.removed", card)


@transaction.atomic
def voting_configure(*, workshop: Workshop, actor: Actor, votes_per_person, voting_open: bool) -> Workshop:
    ws = lock_workshop(workshop)
    _facilitator(ws, actor)
    try:
        n = int(votes_per_person)
    except (TypeError, ValueError):
        n = -1
    if not 1 <= n <= 50:
        raise Refused(_("The number of votes per person must be between 1 and 50."), code="invalid")
    before = snapshot(ws, fields=["votes_per_person", "voting_open"])
    ws.votes_per_person, ws.voting_open = n, bool(voting_open)
    ws.save(update_fields=["votes_per_person", "voting_open", "updated_at"])
    _audit(actor, AuditEntry.Action.UPDATE, ws, diff(before, snapshot(ws, fields=["votes_per_person", "voting_open"])))
    changed(ws, "voting.changed", {"votes_per_person": n, "open": ws.voting_open}, by=actor.key,
            render=fragments.facilitation(ws))
    return ws


@transaction.atomic
def votes_reveal(*, workshop: Workshop, actor: Actor, revealed: bool) -> Workshop:
    ws = lock_workshop(workshop)
    _facilitator(ws, actor)
    ws.votes_revealed = bool(revealed)
    ws.save(update_fields=["votes_revealed", "updated_at"])
    _audit(actor, AuditEntry.Action.UPDATE, ws, {"votes_revealed": [not revealed, bool(revealed)]})
    changed(ws, "voting.revealed", {"revealed": ws.votes_revealed}, by=actor.key,
            render=fragments._join(fragments.totals(ws), fragments.facilitation(ws)))
    return ws


# --- timeline -----------------------------------------------------------------------------------------
@transaction.atomic
def timeline_add(*, workshop: Workshop, actor: Actor, date: date, title: str, description: str = "") -> TimelineEvent:
    ws = lock_workshop(workshop)
    _open_for_contribution(ws, actor)
    if date is None:
        raise Refused(_("Please enter the date of the event."), code="invalid")
    event = TimelineEvent(workshop=ws, date=date, title=_text(title, _("The event"), 200),
                          description=(description or "").strip()[:2000], **actor.author_fields())
    event.full_clean()
    event.save()
    _audit(actor, AuditEntry.Action.CREATE, event, diff({}, snapshot(event)))
    changed(ws, "timeline.added", {"id": event.pk, "date": event.date.isoformat(), "title": event.title}, by=actor.key,
            render=fragments.timeline(ws))
    return event


@transaction.atomic
def timeline_delete(*, workshop: Workshop, actor: Actor, event_id) -> None:
    ws = lock_workshop(workshop)
    _open_for_contribution(ws, actor)
    event = _get(TimelineEvent, ws, event_id, _("The event"))
    if not policy.can_change(actor, event):
        raise Refused(_("You can only remove events you added."), code="forbidden")
    _audit(actor, AuditEntry.Action.DELETE, event, diff(snapshot(event), {}))
    pk = event.pk
    event.delete()
    changed(ws, "timeline.deleted", {"id": pk}, by=actor.key, render=fragments.timeline(ws))


@transaction.atomic
def timeline_prefill(*, workshop: Workshop, actor: Actor) -> list[TimelineEvent]:
    """Add the computed milestones of the municipality's COVID-19 series (see covid.py); events that
    are already there (same date and title) are not added twice."""
    from .covid import milestones_for_workshop

    ws = lock_workshop(workshop)
    _facilitator(ws, actor)
    _open_for_contribution(ws, actor)
    milestones = milestones_for_workshop(ws)
    if not milestones:
        raise Refused(_("There is no COVID-19 series for the municipalities of this workshop."), code="no_data")
    existing = set(TimelineEvent.objects.filter(workshop=ws).values_list("date", "title"))
    created = []
    for m in milestones:
        if (m.date, m.title) in existing:
            continue
        event = TimelineEvent(workshop=ws, date=m.date, title=m.title, description=m.description,
                              source=TimelineEvent.Source.DATA, source_note=m.source, **actor.author_fields())
        event.full_clean()
        event.save()
        created.append(event)
    if created:
        _audit(actor, AuditEntry.Action.CREATE, ws, {"timeline_from_data": [None, len(created)]})
        changed(ws, "timeline.prefilled", {"count": len(created)}, by=actor.key, render=fragments.timeline(ws))
    return created


# --- ratings and root causes -----------------------------------------------------------------------------
@transaction.atomic
def rating_set(*, workshop: Workshop, actor: Actor, capability: str, level: str, justification: str) -> Rating:
    ws = lock_workshop(workshop)
    _open_for_contribution(ws, actor)
    capability = _text(capability, _("The capability or area"), 200)
    if level not in Rating.Level.values:
        raise Refused(_("Please choose a rating: P, S, M or U."), code="invalid")
    justification = _text(justification, _("The justification"), 3000)
    rating = Rating.objects.select_for_update().filter(workshop=ws, capability__iexact=capability).first()
    before = snapshot(rating) if rating else {}
    if rating is None:
        rating = Rating(workshop=ws, capability=capability)
    rating.level, rating.justification = level, justification
    rating.author, rating.author_guest = actor.user, actor.guest
    rating.full_clean()
    rating.save()
    _audit(actor, AuditEntry.Action.UPDATE if before else AuditEntry.Action.CREATE, rating, diff(before, snapshot(rating)))
    changed(ws, "rating.set", {"id": rating.pk, "capability": rating.capability, "level": level}, by=actor.key,
            render=fragments.ratings(ws))
    return rating


@transaction.atomic
def rating_delete(*, workshop: Workshop, actor: Actor, rating_id) -> None:
    ws = lock_workshop(workshop)
    _facilitator(ws, actor)
    _open_for_contribution(ws, actor)
    rating = _get(Rating, ws, rating_id, _("The rating"))
    _audit(actor, AuditEntry.Action.DELETE, rating, diff(snapshot(rating), {}))
    pk = rating.pk
    rating.delete()
    changed(ws, "rating.deleted", {"id": pk}, by=actor.key, render=fragments.ratings(ws))


@transaction.atomic
def root_cause_add(*, workshop: Workshop, actor: Actor, text: str, card_id=None) -> RootCause:
    ws = lock_workshop(workshop)
    _open_for_contribution(ws, actor)
    card = _get(Card, ws, card_id, _("The card")) if card_id not in (None, "") else None
    note = RootCause(workshop=ws, card=card, text=_text(text, _("The root cause"), 2000), **actor.author_fields())
    note.full_clean()
    note.save()
    _audit(actor, AuditEntry.Action.CREATE, note, diff({}, snapshot(note)))
    changed(ws, "root_cause.added", {"id": note.pk, "card": card.pk if card else None}, by=actor.key,
            render=fragments.card(ws, card) if card else fragments.general_causes(ws))
    return note


@transaction.atomic
def root_cause_delete(*, workshop: Workshop, actor: Actor, note_id) -> None:
    ws = lock_workshop(workshop)
    _open_for_contribution(ws, actor)
    note = _get(RootCause, ws, note_id, _("The root-cause note"))
    if not policy.can_change(actor, note):
        raise Refused(_("You can only remove notes you wrote."), code="forbidden")
    _audit(actor, AuditEntry.Action.DELETE, note, diff(snapshot(note), {}))
    pk, card = note.pk, note.card
    note.delete()
    changed(ws, "root_cause.deleted", {"id": pk}, by=actor.key,
            render=fragments.card(ws, card) if card else fragments.general_causes(ws))


# --- facilitation: phase, timer, lock ------------------------------------------------------------------
@transaction.atomic
def phase_set(*, workshop: Workshop, actor: Actor, phase: str) -> Workshop:
    ws = lock_workshop(workshop)
    _facilitator(ws, actor)
    if phase not in {p.get("key") for p in ws.phases}:
        raise Refused(_("This phase does not exist in this workshop."), code="invalid")
    before = ws.phase
    ws.phase = phase
    ws.save(update_fields=["phase", "updated_at"])
    _audit(actor, AuditEntry.Action.UPDATE, ws, {"phase": [before, phase]})
    changed(ws, "phase.changed", {"phase": phase, "title": ws.phase_title}, by=actor.key,
            render=fragments.status(ws, "phase"))
    return ws


@transaction.atomic
def timer_start(*, workshop: Workshop, actor: Actor, minutes) -> Workshop:
    ws = lock_workshop(workshop)
    _facilitator(ws, actor)
    try:
        minutes = float(str(minutes).replace(",", "."))
    except (TypeError, ValueError):
        minutes = -1
    if not 0 < minutes <= 240:
        raise Refused(_("The timer runs between 1 second and 240 minutes."), code="invalid")
    ws.timer_ends_at = timezone.now() + timedelta(minutes=minutes)
    ws.save(update_fields=["timer_ends_at", "updated_at"])
    changed(ws, "timer.changed", {"ends_at": ws.timer_ends_at.isoformat()}, by=actor.key,
            render=fragments.status(ws, "timer"))
    return ws


@transaction.atomic
def timer_stop(*, workshop: Workshop, actor: Actor) -> Workshop:
    ws = lock_workshop(workshop)
    _facilitator(ws, actor)
    ws.timer_ends_at = None
    ws.save(update_fields=["timer_ends_at", "updated_at"])
    changed(ws, "timer.changed", {"ends_at": None}, by=actor.key, render=fragments.status(ws, "timer"))
    return ws


@transaction.atomic
def lock_set(*, workshop: Workshop, actor: Actor, locked: bool) -> Workshop:
    ws = lock_workshop(workshop)
    _facilitator(ws, actor)
    ws.locked = bool(locked)
    ws.save(update_fields=["locked", "updated_at"])
    _audit(actor, AuditEntry.Action.UPDATE, ws, {"locked": [not ws.locked, ws.locked]})
    changed(ws, "lock.changed", {"locked": ws.locked}, by=actor.key, render=fragments.status(ws, "lock"))
    return ws
