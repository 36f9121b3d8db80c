from __future__ import annotations

import logging

from panreflex.accounts.models import Organisation
from panreflex.places.models import Place

from . import registry

log = logging.getLogger(__name__)


def whats_new(*, viewer, limit: int = 10) -> list[registry.FeedItem]:
    items: list[registry.FeedItem] = []
    for feed in registry.feeds():
        items.extend(feed(viewer=viewer, limit=limit))
    items.sort(key=lambda i: i.when, reverse=True)
    return items[:limit]


def dashboard_panels(*, user) -> list[registry.DashboardPanel]:
    panels = [p for p in (func(user=user) for func in registry.dashboard_panels()) if p is not None]
    return sorted(panels, key=lambda p: p.order)


def platform_stats() -> dict[str, int]:
    return {
        "organisations": Organisation.objects.count(),
        "municipalities": Place.objects.filter(kind=Place.Kind.MUNICIPALITY).count(),
    }
