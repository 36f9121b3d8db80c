"""Turning what a workshop produced into insights (evidence domain) and action items (improvement
plan), through those domains' services, keeping the link to the cards (`Outcome`)."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from panreflex.accounts import policy

from ..actors import Actor
from ..models import Card, Outcome, Workshop
from .common import Refused, changed

INSIGHT_KINDS = ("strength", "improvement", "innovation", "open_question")


def _cards(ws: Workshop, card_ids) -> list[Card]:
    ids = []
    for raw in card_ids or ():
        try:
            ids.append(int(raw))
        except (TypeError, ValueError):
            raise Refused(_("The card does not exist in this workshop."), code="not_found") from None
    cards = list(Card.objects.filter(workshop=ws, pk__in=ids).select_related("column"))
    if len(cards) != len(set(ids)):
        raise Refused(_("The card does not exist in this workshop."), code="not_found")
    return cards


def _guard(ws: Workshop, actor: Actor) -> None:
    if not policy.can_view(actor, ws):
        raise Refused(_("This workshop does not exist."), code="not_found")
    if not policy.can(actor, "facilitate", ws):
        raise Refused(_("Only the facilitators can turn results into insights and action items."), code="forbidden")


def _card_label(ws: Workshop, card: Card) -> str:
    return _("Workshop “%(workshop)s”, card: %(card)s") % {"workshop": ws.title, "card": str(card)}


def _messages(exc: ValidationError) -> str:
    return " ".join(str(m) for m in exc.messages)


@transaction.atomic
def insight_from_cards(*, workshop: Workshop, actor: Actor, statement: str, kind: str, card_ids,
                       visibility: str = "private") -> Outcome:
    from panreflex.evidence.services import insight_create

    ws = Workshop.objects.select_for_update().get(pk=workshop.pk)
    _guard(ws, actor)
    if kind not in INSIGHT_KINDS:
        raise Refused(_("Please choose the kind of insight."), code="invalid")
    if not (statement or "").strip():
        raise Refused(_("The statement must not be empty."), code="empty")
    cards = _cards(ws, card_ids)
    sources = [{"kind": "workshop_card", "object_id": c.pk, "label": _card_label(ws, c)[:300],
                "url": c.get_absolute_url(), "quote": c.text} for c in cards]
    sources.append({"kind": "workshop", "object_id": ws.pk, "label": ws.title, "url": ws.get_absolute_url()})
    try:
        insight = insight_create(organisation=ws.organisation, author=actor.user, statement=statement, kind=kind,
                                 themes=list(ws.themes.all()), visibility=visibility, sources=sources)
    except ValidationError as exc:
        raise Refused(_messages(exc), code="invalid") from exc
    outcome = Outcome.objects.create(workshop=ws, target=Outcome.Target.INSIGHT, target_id=insight.pk,
                                     title=str(insight)[:300], created_by=actor.user)
    outcome.cards.set(cards)
    changed(ws, "outcome.added", {"target": "insight", "id": insight.pk}, by=actor.key)
    return outcome


@transaction.atomic
def action_from_cards(*, workshop: Workshop, actor: Actor, title: str, card_ids, description: str = "",
                      capability: str = "", responsible_organisation=None, responsible_person: str = "",
                      start_date: date | None = None, due_date: date | None = None, theme=None) -> Outcome:
    from panreflex.improvements.services import action_item_create

    ws = Workshop.objects.select_for_update().get(pk=workshop.pk)
    _guard(ws, actor)
    if not (title or "").strip():
        raise Refused(_("The corrective action must not be empty."), code="empty")
    cards = _cards(ws, card_ids)
    if theme is None:
        theme = ws.themes.first()
    label = ws.title
    if cards:
        label = _("Workshop “%(workshop)s”, cards: %(cards)s") % {
            "workshop": ws.title, "cards": "; ".join(str(c) for c in cards)}
    if cards and not description:
        description = "\n\n".join(f"> {c.text}" for c in cards)
    try:
        item = action_item_create(
            organisation=ws.organisation, author=actor.user, title=title, description=description,
            source_kind="workshop", source_id=ws.pk, source_label=label[:300], source_url=ws.get_absolute_url(),
            capability=capability, responsible_organisation=responsible_organisation,
            responsible_person=responsible_person, start_date=start_date, due_date=due_date, theme=theme,
        )
    except ValidationError as exc:
        raise Refused(_messages(exc), code="invalid") from exc
    outcome = Outcome.objects.create(workshop=ws, target=Outcome.Target.ACTION_ITEM, target_id=item.pk,
                                     title=item.title[:300], created_by=actor.user)
    outcome.cards.set(cards)
    changed(ws, "outcome.added", {"target": "action_item", "id": item.pk}, by=actor.key)
    return outcome
