"""What the improvement plan shows on the start page and the personal dashboard."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from panreflex.core.registry import DashboardPanel, FeedItem

from . import selectors


def action_item_feed(*, viewer, limit: int) -> list[FeedItem]:
    return [
        FeedItem(
            when=item.created_at, kind=_("Action item"), title=item.title, url=item.get_absolute_url(),
            summary=f"{item.organisation.name} · {item.get_status_display()}",
        )
        for item in selectors.recent_action_items(viewer=viewer, limit=limit)
    ]


def my_action_items_panel(*, user) -> DashboardPanel | None:
    if not getattr(user, "is_authenticated", False):
        return None
    today = timezone.localdate()
    items = list(selectors.my_action_items(user=user)[:8])
    entries = []
    for item in items:
        label = item.title
        if item.is_overdue(today):
            label = _("%(title)s (overdue since %(date)s)") % {"title": item.title, "date": item.due_date.strftime("%d.%m.%Y")}
        elif item.due_date:
            label = _("%(title)s (due %(date)s)") % {"title": item.title, "date": item.due_date.strftime("%d.%m.%Y")}
        entries.append((label, item.get_absolute_url()))
    return DashboardPanel(
        title=_("My open action items"),
        items=entries,
        empty_text=_("You are not responsible for any open action item."),
        more_url=reverse("improvements:plan") + "?responsible=me&status=active",
        more_label=_("Show the improvement plan"),
        order=40,
    )
