"""One entry point for every change in the room, used by both the WebSocket consumer (JSON intents)
and the HTML forms (POST to `<pk>/raum/aktion/<name>/`). Each intent reads its fields from a plain
dict, converts them and calls the service. Errors are `Refused` with a message for the user."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from django.utils.translation import gettext as _

from . import services
from .actors import Actor
from .models import Workshop
from .services.common import Refused


def _bool(value) -> bool:
    return str(value).lower() in {"1", "true", "on", "yes"} if not isinstance(value, bool) else value


def _date(value) -> date:
    try:
        return date.fromisoformat(str(value or "").strip())
    except ValueError:
        raise Refused(_("Please enter the date as YYYY-MM-DD (e.g. 2020-03-16)."), code="invalid") from None


def _ids(value) -> list:
    if value in (None, ""):
        return []
    if isinstance(value, (list, tuple)):
        return list(value)
    return [v for v in str(value).replace(";", ",").split(",") if v.strip()]


def _target(data: dict) -> dict:
    """"12" (a column) or "12:5" (a cluster in column 12), or separate column and cluster fields."""
    if data.get("target"):
        column, _sep, cluster = str(data["target"]).partition(":")
        return {"column_id": column, "cluster_id": cluster or None}
    return {"column_id": data.get("column"), "cluster_id": data.get("cluster") or None}


INTENTS: dict[str, Callable[[Workshop, Actor, dict], object]] = {
    "card.add": lambda ws, a, d: services.card_add(
        workshop=ws, actor=a, column_id=d.get("column"), text=d.get("text", ""),
        anonymous=_bool(d.get("anonymous", False)), cluster_id=d.get("cluster") or None,
        client_id=str(d.get("client_id", ""))),
    "card.edit": lambda ws, a, d: services.card_edit(
        workshop=ws, actor=a, card_id=d.get("card"), text=d.get("text", ""), version=d.get("version")),
    "card.move": lambda ws, a, d: services.card_move(
        workshop=ws, actor=a, card_id=d.get("card"), version=d.get("version"), **_target(d)),
    "card.delete": lambda ws, a, d: services.card_delete(workshop=ws, actor=a, card_id=d.get("card")),
    "card.merge": lambda ws, a, d: services.card_merge(workshop=ws, actor=a, card_id=d.get("card"),
                                                       into_id=d.get("into")),
    "cluster.create": lambda ws, a, d: services.cluster_create(
        workshop=ws, actor=a, column_id=d.get("column"), title=d.get("title", ""), card_ids=_ids(d.get("cards"))),
    "cluster.rename": lambda ws, a, d: services.cluster_rename(workshop=ws, actor=a, cluster_id=d.get("cluster"),
                                                               title=d.get("title", "")),
    "cluster.dissolve": lambda ws, a, d: services.cluster_dissolve(workshop=ws, actor=a, cluster_id=d.get("cluster")),
    "vote.add": lambda ws, a, d: services.vote_add(workshop=ws, actor=a, card_id=d.get("card")),
    "vote.remove": lambda ws, a, d: services.vote_remove(workshop=ws, actor=a, card_id=d.get("card")),
    "voting.configure": lambda ws, a, d: services.voting_configure(
        workshop=ws, actor=a, votes_per_person=d.get("votes_per_person"), voting_open=_bool(d.get("open", False))),
    "voting.reveal": lambda ws, a, d: services.votes_reveal(workshop=ws, actor=a, revealed=_bool(d.get("revealed"))),
    "timeline.add": lambda ws, a, d: services.timeline_add(
        workshop=ws, actor=a, date=_date(d.get("date")), title=d.get("title", ""), description=d.get("description", "")),
    "timeline.delete": lambda ws, a, d: services.timeline_delete(workshop=ws, actor=a, event_id=d.get("event")),
    "timeline.prefill": lambda ws, a, d: services.timeline_prefill(workshop=ws, actor=a),
    "rating.set": lambda ws, a, d: services.rating_set(
        workshop=ws, actor=a, capability=d.get("capability", ""), level=d.get("level", ""),
        justification=d.get("justification", "")),
    "rating.delete": lambda ws, a, d: services.rating_delete(workshop=ws, actor=a, rating_id=d.get("rating")),
    "root_cause.add": lambda ws, a, d: services.root_cause_add(workshop=ws, actor=a, text=d.get("text", ""),
                                                               card_id=d.get("card") or None),
    "root_cause.delete": lambda ws, a, d: services.root_cause_delete(workshop=ws, actor=a, note_id=d.get("note")),
    "phase.set": lambda ws, a, d: services.phase_set(workshop=ws, actor=a, phase=d.get("phase", "")),
    "timer.start": lambda ws, a, d: services.timer_start(workshop=ws, actor=a, minutes=d.get("minutes")),
    "timer.stop": lambda ws, a, d: services.timer_stop(workshop=ws, actor=a),
    "lock.set": lambda ws, a, d: services.lock_set(workshop=ws, actor=a, locked=_bool(d.get("locked"))),
}

# URL-safe names for the form endpoint (dots are fine in paths, but keep them readable)
NAMES = sorted(INTENTS)


def apply(name: str, *, workshop: Workshop, actor: Actor, data: dict):
    handler = INTENTS.get(name)
    if handler is None:
        raise Refused(_("Unknown action."), code="unknown")
    return handler(workshop, actor, data)
