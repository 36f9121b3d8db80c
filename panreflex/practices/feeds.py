"""What the platform shell shows of practice examples: the "what is new" feed and a dashboard panel."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from panreflex.accounts import access
from panreflex.core.registry import DashboardPanel, FeedItem

from . import selectors


def practice_feed(*, viewer, limit: int = 10) -> list[FeedItem]:
    """Recently published examples the viewer may see."""
    return [
        FeedItem(when=p.published_at, kind=_("Practice example"), title=p.title, url=p.get_absolute_url(),
                 summary=p.summary[:240])
        for p in selectors.recently_published(viewer=viewer, limit=limit)
        if p.published_at
    ]


def practice_dashboard_panel(*, user) -> DashboardPanel | None:
    """My drafts and the examples awaiting my review."""
    if not access.is_authenticated(user):
        return None
    drafts = list(selectors.my_drafts(user=user)[:5])
    queue = list(selectors.review_queue(user=user)[:5])
    if not drafts and not queue and not access.editable_organisations(user).exists():
        return None
    items = [(_("Draft: %(title)s") % {"title": p.title}, reverse("practices:edit", kwargs={"pk": p.pk}))
             for p in drafts]
    items += [(_("To review: %(title)s") % {"title": p.title}, reverse("practices:review", kwargs={"pk": p.pk}))
              for p in queue]
    return DashboardPanel(
        title=_("Practice examples"), items=items,
        empty_text=_("No drafts and nothing waiting for your review."),
        more_url=reverse("practices:reviews"), more_label=_("All drafts and reviews"), order=20,
    )
