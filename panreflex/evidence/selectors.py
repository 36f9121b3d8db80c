"""Reads of the evidence domain."""

from __future__ import annotations

from django.db.models import QuerySet

from .models import Insight


def insights_from(*, source_kind: str, object_ids) -> QuerySet[Insight]:
    """Insights (not merged away) with at least one source of this kind pointing at one of `object_ids`:
    what a practice example, workshop or workshop card led to."""
    ids = [int(i) for i in object_ids]
    return (
        Insight.objects.filter(merged_into__isnull=True, sources__kind=source_kind, sources__object_id__in=ids)
        .distinct()
        .order_by("-created_at", "-id")
    )
