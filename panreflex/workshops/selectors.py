"""Reads of the workshops domain."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from panreflex.accounts import access, policy
from panreflex.realtime.presence import presence_list

from .actors import Actor
from .models import (
    Card,
    Cluster,
    Column,
    Outcome,
    Rating,
    RootCause,
    TimelineEvent,
    Vote,
    Workshop,
    WorkshopTemplate,
)
from .services.common import room_of


def workshop_list(*, viewer, query: str = "", kind: str = "", theme=None) -> QuerySet[Workshop]:
    qs = policy.scope(viewer, Workshop.objects.all())
    if query:
        qs = qs.filter(Q(title__icontains=query) | Q(description__icontains=query))
    if kind:
        qs = qs.filter(kind=kind)
    if theme is not None:
        qs = qs.filter(themes=theme)
    return qs.select_related("organisation", "template").prefetch_related("themes").order_by("-starts_at", "-id")


def upcoming_for(*, user, limit: int = 5) -> list[Workshop]:
    """Workshops the user facilitates or takes part in that have not ended yet."""
    if not access.is_authenticated(user):
        return []
    now = timezone.now()
    return list(
        Workshop.objects.filter(Q(facilitators=user) | Q(participants=user), ends_at__gte=now)
        .distinct().order_by("starts_at")[:limit]
    )


def template_list(*, viewer) -> QuerySet[WorkshopTemplate]:
    qs = WorkshopTemplate.objects.select_related("organisation")
    if access.is_staff(viewer):
        return qs
    return qs.filter(Q(organisation__isnull=True) | Q(organisation_id__in=access.organisation_ids(viewer)))


def carried_over(*, workshop: Workshop) -> list:
    """Open action items of the owning organisation for each theme of the workshop (or all, without
    themes) – carried over from earlier workshops."""
    from panreflex.improvements.selectors import open_action_items_for

    themes = list(workshop.themes.all())
    items: dict[int, object] = {}
    for theme in themes or [None]:
        for item in open_action_items_for(organisation=workshop.organisation, theme=theme):
            if not (item.source_kind == "workshop" and item.source_id == workshop.pk):
                items.setdefault(item.pk, item)
    return list(items.values())


@dataclass
class CardView:
    card: Card
    total: int | None
    mine: int
    can_edit: bool
    root_causes: list = field(default_factory=list)
    own: bool = False


@dataclass
class ClusterView:
    cluster: Cluster | None
    cards: list[CardView]


@dataclass
class ColumnView:
    column: Column
    clusters: list[ClusterView]
    loose: list[CardView]

    @property
    def count(self) -> int:
        return len(self.loose) + sum(len(c.cards) for c in self.clusters)


@dataclass
class RoomState:
    workshop: Workshop
    seq: int
    columns: list[ColumnView]
    timeline: list[TimelineEvent]
    ratings: list[Rating]
    general_root_causes: list[RootCause]
    presence: list[dict]
    votes_used: int
    can_contribute: bool
    can_facilitate: bool
    is_contributor: bool = False  # may contribute while the workshop is not locked

    @property
    def votes_left(self) -> int:
        return max(0, self.workshop.votes_per_person - self.votes_used)

    @property
    def cards(self) -> list[CardView]:
        out = []
        for col in self.columns:
            for cl in col.clusters:
                out.extend(cl.cards)
            out.extend(col.loose)
        return out


def _voter_q(actor: Actor) -> Q:
    if actor.user is not None:
        return Q(votes__voter=actor.user)
    if actor.guest is not None:
        return Q(votes__voter_guest=actor.guest)
    return Q(pk__in=[])


def room_state(*, workshop: Workshop, actor: Actor) -> RoomState:
    ws = Workshop.objects.get(pk=workshop.pk)
    can_facilitate = policy.can(actor, "facilitate", ws)
    is_contributor = policy.can(actor, "contribute", ws)
    can_contribute = is_contributor and not ws.locked
    reveal = ws.votes_revealed
    columns = list(Column.objects.filter(workshop=ws))
    clusters = list(Cluster.objects.filter(workshop=ws))
    notes = list(RootCause.objects.filter(workshop=ws).select_related("author", "author_guest"))
    notes_by_card: dict[int, list] = {}
    general = []
    for note in notes:
        (notes_by_card.setdefault(note.card_id, []) if note.card_id else general).append(note)
    cards = (
        Card.objects.filter(workshop=ws).select_related("author", "author_guest")
        .annotate(total=Count("votes", distinct=True), mine=Count("votes", filter=_voter_q(actor), distinct=True))
    )
    by_cluster: dict[int | None, list[CardView]] = {}
    loose: dict[int, list[CardView]] = {}
    for card in cards:
        view = CardView(card=card, total=card.total if reveal else None, mine=card.mine,
                        can_edit=can_contribute and policy.can_change(actor, card),
                        root_causes=notes_by_card.get(card.pk, []), own=card.is_by(actor))
        if card.cluster_id:
            by_cluster.setdefault(card.cluster_id, []).append(view)
        else:
            loose.setdefault(card.column_id, []).append(view)
    column_views = []
    for col in columns:
        cvs = [ClusterView(cluster=cl, cards=by_cluster.get(cl.pk, [])) for cl in clusters if cl.column_id == col.pk]
        column_views.append(ColumnView(column=col, clusters=cvs, loose=loose.get(col.pk, [])))
    used = Vote.objects.filter(workshop=ws).filter(
        Q(voter=actor.user) if actor.user is not None else Q(voter_guest=actor.guest)
    ).count() if (actor.user or actor.guest) else 0
    return RoomState(
        workshop=ws, seq=ws.seq, columns=column_views,
        timeline=list(TimelineEvent.objects.filter(workshop=ws).select_related("author", "author_guest")),
        ratings=list(Rating.objects.filter(workshop=ws).select_related("author", "author_guest")),
        general_root_causes=general, presence=presence_list(room=room_of(ws)), votes_used=used,
        can_contribute=can_contribute, can_facilitate=can_facilitate, is_contributor=is_contributor,
    )


def state_json(state: RoomState) -> dict:
    """The room state as data (for clients that reconnect, and for the benchmark)."""
    return {
        "seq": state.seq,
        "phase": state.workshop.phase,
        "locked": state.workshop.locked,
        "voting_open": state.workshop.voting_open,
        "votes_revealed": state.workshop.votes_revealed,
        "votes_per_person": state.workshop.votes_per_person,
        "votes_used": state.votes_used,
        "timer_ends_at": state.workshop.timer_ends_at.isoformat() if state.workshop.timer_ends_at else None,
        "cards": [
            {"id": v.card.pk, "column": v.card.column_id, "cluster": v.card.cluster_id, "text": v.card.text,
             "author": v.card.author_label, "version": v.card.version, "total": v.total, "mine": v.mine}
            for v in state.cards
        ],
        "clusters": [{"id": cl.cluster.pk, "title": cl.cluster.title, "column": cl.cluster.column_id}
                     for col in state.columns for cl in col.clusters],
        "timeline": [{"id": e.pk, "date": e.date.isoformat(), "title": e.title} for e in state.timeline],
        "ratings": [{"capability": r.capability, "level": r.level} for r in state.ratings],
        "presence": state.presence,
    }


@dataclass
class Results:
    workshop: Workshop
    strengths: list[Card]
    improvements: list[Card]
    other: list[Card]
    root_causes: list[RootCause]
    ratings: list[Rating]
    timeline: list[TimelineEvent]
    insights: list
    action_items: list
    outcomes: list[Outcome]
    columns: list[Column]


def results_for(*, workshop: Workshop) -> Results:
    """What the results page and the report show: findings by kind (cards ordered by dots), ratings,
    root causes, timeline, and the insights and action items derived from the workshop."""
    from panreflex.evidence.models import Insight
    from panreflex.improvements.models import ActionItem

    cards = list(
        Card.objects.filter(workshop=workshop).select_related("column", "cluster", "author", "author_guest")
        .annotate(total=Count("votes")).order_by("-total", "column__position", "position", "id")
    )
    outcomes = list(Outcome.objects.filter(workshop=workshop).prefetch_related("cards"))
    insight_ids = [o.target_id for o in outcomes if o.target == Outcome.Target.INSIGHT]
    action_ids = [o.target_id for o in outcomes if o.target == Outcome.Target.ACTION_ITEM]
    return Results(
        workshop=workshop,
        strengths=[c for c in cards if c.column.finding == "strength"],
        improvements=[c for c in cards if c.column.finding == "improvement"],
        other=[c for c in cards if c.column.finding not in ("strength", "improvement")],
        root_causes=list(RootCause.objects.filter(workshop=workshop).select_related("card", "author", "author_guest")),
        ratings=list(Rating.objects.filter(workshop=workshop)),
        timeline=list(TimelineEvent.objects.filter(workshop=workshop)),
        insights=list(Insight.objects.filter(pk__in=insight_ids).order_by("created_at")),
        action_items=list(ActionItem.objects.filter(pk__in=action_ids)
                          .select_related("responsible_organisation").order_by("due_date", "id")),
        outcomes=outcomes,
        columns=list(Column.objects.filter(workshop=workshop)),
    )


def people(*, workshop: Workshop) -> dict:
    return {
        "facilitators": list(workshop.facilitators.all()),
        "participants": list(workshop.participants.all()),
        "guests": list(workshop.guests.filter(consented_at__isnull=False, revoked_at__isnull=True)),
        "organisations": list(workshop.organisations.all()),
    }


