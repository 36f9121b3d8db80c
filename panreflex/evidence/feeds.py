"""What the evidence domain shows under "what is new" (only what the viewer may see)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from panreflex.accounts import access
from panreflex.core.registry import FeedItem

from .models import Insight


def insight_feed(*, viewer, limit: int) -> list[FeedItem]:
    qs = access.filter_visible(viewer, Insight.objects.filter(merged_into__isnull=True)).select_related("organisation")
    return [
        FeedItem(when=i.created_at, kind=_("Insight"), title=str(i), url=i.get_absolute_url(),
                 summary=f"{i.organisation.name} · {i.get_kind_display()}")
        for i in qs.order_by("-created_at", "-id")[:limit]
    ]


def recommendation_feed(*, viewer, limit: int) -> list[FeedItem]:
    from .models import Recommendation

    qs = access.filter_visible(viewer, Recommendation.objects.filter(status=Recommendation.Status.PUBLISHED))
    return [
        FeedItem(when=r.published_at or r.created_at, kind=_("Recommendation"), title=r.title,
                 url=r.get_absolute_url(), summary=r.statement[:200])
        for r in qs.order_by("-published_at", "-id")[:limit]
    ]
