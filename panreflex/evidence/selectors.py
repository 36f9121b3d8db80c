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
    """What an insight led to: the recommendations resting on it, the done action item that shows it was learned."""
    from .chain import insight_recommendations

    item = insight.learned_action_item if insight.learned_action_item_id else None
    return {
        "action_item": item if item is not None and access.can_view(viewer, item) else None,
        "recommendations": insight_recommendations(viewer=viewer, insight=insight),
    }


# --- recommendations ------------------------------------------------------------------------------
@dataclass
class RecommendationFilters:
    query: str = ""
    lever: int | None = None
    theme: int | None = None
    status: str = ""
    addressee: str = ""


def recommendation_list(*, viewer, filters: RecommendationFilters | None = None):
    from .models import Recommendation

    f = filters or RecommendationFilters()
    qs = access.filter_visible(viewer, Recommendation.objects.all())
    if f.query:
        qs = qs.filter(Q(title__icontains=f.query) | Q(statement__icontains=f.query)
                       | Q(explanation__icontains=f.query))
    if f.lever:
        qs = qs.filter(lever_id=f.lever)
    if f.theme:
        qs = qs.filter(themes__id=f.theme)
    if f.status:
        qs = qs.filter(status=f.status)
    if f.addressee:
        qs = qs.filter(addressees__icontains=f'"{f.addressee}"')
    ids = qs.values("pk")
    return (
        Recommendation.objects.filter(pk__in=ids).select_related("lever", "organisation")
        .prefetch_related("themes").order_by("lever__position", "title", "id")
    )


MIN_ORGANISATIONS_FOR_COUNTS = 5


def adoption_counts(*, recommendation) -> dict | None:
    """Anonymised counts per answer, only when at least 5 organisations answered (else None)."""
    from .models import Feedback

    rows = dict(Feedback.objects.filter(recommendation=recommendation).values_list("answer").annotate(n=Count("id")))
    total = sum(rows.values())
    if total < MIN_ORGANISATIONS_FOR_COUNTS:
        return None
    return {"total": total, "rows": [(label, rows.get(value, 0)) for value, label in Feedback.Answer.choices]}


def feedback_of(*, recommendation, organisations) -> dict:
    from .models import Feedback

    return {f.organisation_id: f for f in Feedback.objects.filter(
        recommendation=recommendation, organisation__in=organisations).select_related("action_item")}


# --- lookups by id (through the policy: missing and forbidden answer the same 404) -------------------
def insight_get(*, viewer, pk, action: str = "view") -> Insight:
    qs = Insight.objects.select_related("organisation", "phase", "learned_action_item", "merged_into",
                                        "split_from", "created_by")
    return access.get_or_404(viewer, qs, action, pk=pk)


def recommendation_get(*, viewer, pk, action: str = "view"):
    from .models import Recommendation

    qs = Recommendation.objects.select_related("organisation", "lever", "created_by")
    return access.get_or_404(viewer, qs, action, pk=pk)


STAFF_TRANSITIONS = {("in_review", "agreed"), ("agreed", "published"), ("published", "withdrawn"),
                     ("agreed", "draft"), ("withdrawn", "draft")}


def can_transition(*, viewer, rec, to: str) -> bool:
    """Authors (editors of the owner) submit for review and take drafts back; the project team reviews,
    agrees, publishes and withdraws (the recommendation's "review" rule)."""
    return access.can(viewer, "review" if (rec.status, to) in STAFF_TRANSITIONS else "change", rec)


def allowed_transitions(*, viewer, rec) -> list[str]:
    from .services import TRANSITIONS

    return [to for to in TRANSITIONS.get(rec.status, ()) if can_transition(viewer=viewer, rec=rec, to=to)]
