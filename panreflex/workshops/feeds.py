"""The workshops' entries in "what is new" and the dashboard panel "My upcoming workshops"."""

from __future__ import annotations

from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from panreflex.accounts import policy
from panreflex.core.registry import DashboardPanel, FeedItem

from . import selectors
from .models import Workshop


def workshop_feed(*, viewer, limit: int = 10) -> list[FeedItem]:
    qs = policy.scope(viewer, Workshop.objects.all()).order_by("-created_at")[:limit]
    return [
        FeedItem(when=w.created_at, kind=_("Workshop"), title=w.title, url=w.get_absolute_url(),
                 summary=formats.date_format(timezone.localtime(w.starts_at), "DATETIME_FORMAT"))
        for w in qs
    ]


def upcoming_panel(*, user) -> DashboardPanel | None:
    if not getattr(user, "is_authenticated", False):
        return None
    items = [
        (f"{w.title} – {formats.date_format(timezone.localtime(w.starts_at), 'SHORT_DATETIME_FORMAT')}",
         w.get_absolute_url())
        for w in selectors.upcoming_for(user=user)
    ]
    return DashboardPanel(
        title=_("My upcoming workshops"), items=items, empty_text=_("No upcoming workshops."),
        more_url=reverse("workshops:list"), more_label=_("All reflection spaces"), order=30,
    )
