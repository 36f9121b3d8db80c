"""The HTML that the room's events carry: out-of-band fragments, rendered once per event and language
(`panreflex.realtime.events.emit` calls the returned `render` after commit) and swapped in by id in
every browser (`static/realtime/client.js`). The fragments are the same for everyone; what a person
may do follows the classes of the page (see `_card.html`). Each helper reads what it needs when the
service calls it (inside the transaction) and returns a callable that only renders.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db.models import Count
from django.template.loader import render_to_string

from .models import Card, Cluster, Rating, RootCause, TimelineEvent, Vote, Workshop

Render = Callable[[], str]


def _join(*renders: Render) -> Render:
    return lambda: "".join(r() for r in renders)


def removed(element_id: str) -> Render:
    return lambda: f'<div id="{element_id}" data-remove></div>'


def _card_view(ws: Workshop, card: Card, *, new: bool = False, total: int | None = None):
    from .selectors import CardView

    if ws.votes_revealed and total is None:
        total = 0 if new else Vote.objects.filter(card=card).count()
    notes = [] if new else list(RootCause.objects.filter(card=card).select_related("author", "author_guest"))
    return CardView(card=card, total=total if ws.votes_revealed else None, mine=None, can_edit=False,
                    root_causes=notes)


def card(ws: Workshop, card_obj: Card, *, new: bool = False) -> Render:
    view = _card_view(ws, card_obj, new=new)
    return lambda: render_to_string("workshops/_card.html", {"v": view, "workshop": ws, "oob": True})


def cards(ws: Workshop, card_ids) -> Render:
    objs = list(Card.objects.filter(pk__in=list(card_ids)).select_related("author", "author_guest"))
    return _join(*(card(ws, c) for c in objs)) if objs else (lambda: "")


def cluster(ws: Workshop, cluster_obj: Cluster) -> Render:
    from .selectors import ClusterView

    members = Card.objects.filter(cluster=cluster_obj).select_related("author", "author_guest")
    view = ClusterView(cluster=cluster_obj, cards=[_card_view(ws, c) for c in members])
    return lambda: render_to_string("workshops/_cluster.html", {"cl": view, "workshop": ws, "oob": True})


def totals(ws: Workshop, card_ids=None) -> Render:
    """The vote totals of some or all cards (only what is revealed; empty spans hide them again)."""
    qs = Card.objects.filter(workshop=ws)
    if card_ids is not None:
        qs = qs.filter(pk__in=list(card_ids))
    counts = dict(qs.annotate(n=Count("votes")).values_list("pk", "n"))
    revealed = ws.votes_revealed

    def render() -> str:
        from django.utils.translation import ngettext

        return "".join(
            f'<span class="dots-total" id="card-{pk}-total">'
            + ((ngettext("%(n)s dot", "%(n)s dots", n) % {"n": n}) if revealed else "") + "</span>"
            for pk, n in counts.items())
    return render


def facilitation(ws: Workshop) -> Render:
    """The facilitators' panel (ignored by pages that have none)."""
    return lambda: render_to_string("workshops/_facilitation.html", {"workshop": ws})


def status(ws: Workshop, part: str) -> Render:
    return _join(lambda: render_to_string(f"workshops/_status.html#{part}", {"workshop": ws}), facilitation(ws))


def timeline(ws: Workshop) -> Render:
    events = list(TimelineEvent.objects.filter(workshop=ws).select_related("author", "author_guest"))
    return lambda: render_to_string("workshops/_timeline.html", {"timeline": events, "workshop": ws})


def ratings(ws: Workshop) -> Render:
    rows = list(Rating.objects.filter(workshop=ws).select_related("author", "author_guest"))
    return lambda: render_to_string("workshops/_ratings.html", {"ratings": rows, "workshop": ws})


def general_causes(ws: Workshop) -> Render:
    notes = list(RootCause.objects.filter(workshop=ws, card__isnull=True).select_related("author", "author_guest"))
    return lambda: render_to_string("workshops/_causes.html", {"causes": notes, "workshop": ws})
