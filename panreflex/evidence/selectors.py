"""Reads of the evidence domain."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet

from panreflex.accounts import access

from .models import Insight, InsightSource


def insights_from(*, source_kind: str, object_ids) -> QuerySet[Insight]:
    """Insights (not merged away) with at least one source of this kind pointing at one of `object_ids`:
    what a practice example, workshop or workshop card led to."""
    ids = [int(i) for i in object_ids]
    return (
        Insight.objects.filter(merged_into__isnull=True, sources__kind=source_kind, sources__object_id__in=ids)
        .distinct()
        .order_by("-created_at", "-id")
    )


@dataclass
class InsightFilters:
    query: str = ""
    kind: str = ""
    status: str = ""
    theme: int | None = None
    phase: int | None = None
    source_kind: str = ""
    organisation: int | None = None


def insight_list(*, viewer, filters: InsightFilters | None = None) -> QuerySet[Insight]:
    f = filters or InsightFilters()
    qs = access.filter_visible(viewer, Insight.objects.filter(merged_into__isnull=True))
    if f.query:
        qs = qs.filter(Q(statement__icontains=f.query) | Q(sources__quote__icontains=f.query)
                       | Q(sources__label__icontains=f.query))
    if f.kind:
        qs = qs.filter(kind=f.kind)
    if f.status:
        qs = qs.filter(status=f.status)
    if f.theme:
        qs = qs.filter(themes__id=f.theme)
    if f.phase:
        qs = qs.filter(phase_id=f.phase)
    if f.source_kind:
        qs = qs.filter(sources__kind=f.source_kind)
    if f.organisation:
        qs = qs.filter(organisation_id=f.organisation)
    ids = qs.values("pk")
    return (
        Insight.objects.filter(pk__in=ids)
        .select_related("organisation", "phase")
        .prefetch_related("themes")
        .annotate(source_count=Count("sources", distinct=True))
        .order_by("-created_at", "-id")
    )


def insight_sources(*, insight: Insight) -> list[InsightSource]:
    return list(insight.sources.all())


def merge_candidates(*, viewer, insight: Insight) -> QuerySet[Insight]:
    return access.filter_visible(
        viewer,
        Insight.objects.filter(organisation=insight.organisation, merged_into__isnull=True).exclude(pk=insight.pk),
    ).order_by("-created_at")


def merged_from(*, insight: Insight) -> QuerySet[Insight]:
    return Insight.objects.filter(merged_into=insight).order_by("merged_at")


def sources_prefetch() -> Prefetch:
    return Prefetch("sources", queryset=InsightSource.objects.order_by("position", "id"))


def insight_led_to(*, viewer, insight: Insight) -> dict:
    """What an insight led to: the done action item that shows it was learned, the insights split off."""
    item = insight.learned_action_item if insight.learned_action_item_id else None
    return {"action_item": item if item is not None and access.can_view(viewer, item) else None}
