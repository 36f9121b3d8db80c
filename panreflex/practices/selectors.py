"""Reads of practice examples: detail, versions, lists, map, timeline, compare, feed, dashboard."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date

from django.db.models import Q, QuerySet

from panreflex.accounts import access
from panreflex.places.models import Place

from .models import (
    Collection,
    CollectionItem,
    Practice,
    PracticeReview,
    PracticeVersion,
    WatchlistEntry,
    workflow_state,
)

S = Practice.Status
DETAIL_M2M = ("places", "themes", "subtopics", "phases", "levels", "target_groups", "innovation_kinds",
              "actor_organisations")


def practice_detail_queryset() -> QuerySet[Practice]:
    return Practice.objects.select_related("organisation", "evidence_strength", "created_by", "reviewer").prefetch_related(
        *DETAIL_M2M, "sources", "attachments"
    )


def practice_list_queryset() -> QuerySet[Practice]:
    return Practice.objects.select_related("organisation").prefetch_related("places", "themes")


def practice_get_for_view(*, viewer, pk: int) -> Practice:
    """A practice the viewer may see (the practice rule in `accounts.policy`, reviewers included); else 404."""
    return access.get_visible_or_404(viewer, practice_detail_queryset(), pk=pk)


def practice_get_for_edit(*, viewer, pk: int) -> Practice:
    return access.get_editable_or_404(viewer, practice_detail_queryset(), pk=pk)


def visible_practices(*, viewer) -> QuerySet[Practice]:
    return access.filter_visible(viewer, Practice.objects.all())


def published_visible(*, viewer) -> QuerySet[Practice]:
    """Published examples the viewer may see (what the public catalogue shows)."""
    return visible_practices(viewer=viewer).filter(status=S.PUBLISHED)


# --- versions and reviews ------------------------------------------------------------------------
def practice_versions(*, practice: Practice) -> QuerySet[PracticeVersion]:
    return practice.versions.select_related("created_by").order_by("-number")


def practice_reviews(*, practice: Practice) -> QuerySet[PracticeReview]:
    return practice.reviews.select_related("reviewer", "version").prefetch_related("comments")


def open_review_comments(*, practice: Practice) -> dict[str, list]:
    """Field → comments of the latest review that requested changes (shown on the edit page)."""
    review = practice.reviews.filter(decision=PracticeReview.Decision.CHANGES).select_related("reviewer").first()
    result: dict[str, list] = defaultdict(list)
    if review is None or workflow_state(practice) != S.CHANGES_REQUESTED:
        return {}
    for comment in review.comments.all():
        result[comment.field].append(comment)
    result["__review__"] = [review]
    return dict(result)


# --- personal lists ------------------------------------------------------------------------------
def watchlist(*, user) -> QuerySet[Practice]:
    ids = WatchlistEntry.objects.filter(user=user).values("practice_id")
    return access.filter_visible(user, practice_list_queryset().filter(pk__in=ids)).order_by("title")


def watched_ids(*, user) -> set[int]:
    if not access.is_authenticated(user):
        return set()
    return set(WatchlistEntry.objects.filter(user=user).values_list("practice_id", flat=True))


def collections_of(*, user) -> QuerySet[Collection]:
    if not access.is_authenticated(user):
        return Collection.objects.none()
    return Collection.objects.filter(owner=user).prefetch_related("items")


def collection_items(*, collection: Collection, viewer) -> list[CollectionItem]:
    """Items whose practice the viewer may see (a shared link shows nothing the viewer may not see)."""
    visible = access.filter_visible(viewer, Practice.objects.all()).values("pk")
    return list(
        collection.items.filter(practice_id__in=visible)
        .select_related("practice", "practice__organisation")
        .prefetch_related("practice__places", "practice__themes")
        .order_by("position", "id")
    )


# --- compare -------------------------------------------------------------------------------------
def compare_practices(*, viewer, ids: list[int]) -> list[Practice]:
    ids = list(dict.fromkeys(ids))[:3]
    found = {p.pk: p for p in access.filter_visible(viewer, practice_detail_queryset().filter(pk__in=ids))}
    return [found[i] for i in ids if i in found]


# --- map -----------------------------------------------------------------------------------------
@dataclass
class MapData:
    municipalities: list[Place]
    counts: dict[int, int]  # place id -> number of visible practices
    international: dict[str, list[Practice]]  # country code -> practices
    total: int


def practice_map(*, viewer) -> MapData:
    practices = published_visible(viewer=viewer)
    through = Practice.places.through
    rows = through.objects.filter(practice_id__in=practices.values("pk")).values_list(
        "place_id", "place__kind", "place__country_code", "practice_id"
    )
    counts: Counter[int] = Counter()
    intl_ids: dict[str, set[int]] = defaultdict(set)
    for place_id, kind, country, practice_id in rows:
        if country == "DE" and kind == Place.Kind.MUNICIPALITY:
            counts[place_id] += 1
        elif country != "DE":
            intl_ids[country].add(practice_id)
    all_intl = {i for ids in intl_ids.values() for i in ids}
    by_id = {p.pk: p for p in practices.filter(pk__in=all_intl).prefetch_related("places")}
    international = {
        country: sorted((by_id[i] for i in ids if i in by_id), key=lambda p: p.title)
        for country, ids in sorted(intl_ids.items())
    }
    municipalities = list(
        Place.objects.filter(kind=Place.Kind.MUNICIPALITY, country_code="DE", ags__startswith="05",
                             boundary__isnull=False).only("pk", "name", "ags", "boundary").order_by("name")
    )
    return MapData(municipalities=municipalities, counts=dict(counts), international=international,
                   total=practices.count())


def practices_of_place(*, viewer, place: Place) -> QuerySet[Practice]:
    return published_visible(viewer=viewer).filter(places=place).order_by("title")


# --- timeline ------------------------------------------------------------------------------------
@dataclass
class TimelineRow:
    practice: Practice
    start: date
    end: date | None
    offset: float  # percent from the left of the axis
    width: float  # percent of the axis


def practice_timeline(*, viewer, page_number=1, per_page: int = 100, today: date | None = None):
    """Published, visible practices with a period as bars on a month axis (whole years), one page of rows.

    Returns (page, rows, years): the Paginator page, its TimelineRow list and the years of the axis (the
    axis spans all examples, not only the page, so that pages can be compared)."""
    from django.core.paginator import Paginator
    from django.db.models import Max, Min

    today = today or date.today()
    qs = (published_visible(viewer=viewer).filter(period_start__isnull=False)
          .select_related("organisation").order_by("period_start", "title", "pk"))
    bounds = qs.aggregate(first=Min("period_start"), last=Max("period_end"))
    if bounds["first"] is None:
        return None, [], []
    last = bounds["last"] or today
    if qs.filter(period_end__isnull=True).exists():
        last = max(last, today)

    def month_index(d: date) -> int:
        return d.year * 12 + d.month - 1

    first = bounds["first"]
    start_idx = first.year * 12
    span = (last.year + 1) * 12 - start_idx  # whole years on the axis
    page = Paginator(qs, per_page).get_page(page_number)
    rows = []
    for p in page.object_list:
        s = month_index(p.period_start) - start_idx
        e = month_index(p.period_end or today) - start_idx + 1
        rows.append(TimelineRow(practice=p, start=p.period_start, end=p.period_end,
                                offset=round(100 * s / span, 2), width=round(max(100 * (e - s) / span, 0.8), 2)))
    return page, rows, list(range(first.year, last.year + 1))


# --- feed and dashboard --------------------------------------------------------------------------
def recently_published(*, viewer, limit: int = 10) -> list[Practice]:
    return list(published_visible(viewer=viewer).select_related("organisation").order_by("-published_at")[:limit])


def my_drafts(*, user) -> QuerySet[Practice]:
    orgs = access.organisation_ids(user, minimum="editor")
    return Practice.objects.filter(organisation_id__in=orgs).filter(
        Q(status__in=[S.DRAFT, S.CHANGES_REQUESTED]) | Q(pending_status__in=[S.DRAFT, S.CHANGES_REQUESTED])
    ).order_by("-updated_at")


def my_in_review(*, user) -> QuerySet[Practice]:
    """Examples of my organisations that wait for or are in review."""
    orgs = access.organisation_ids(user, minimum="editor")
    states = [S.SUBMITTED, S.IN_REVIEW]
    return Practice.objects.filter(organisation_id__in=orgs).filter(
        Q(status__in=states) | Q(pending_status__in=states)
    ).select_related("organisation", "reviewer").order_by("-updated_at")


def review_queue(*, user) -> QuerySet[Practice]:
    """Examples waiting for a reviewer, or taken by this user, that the user may review."""
    if not access.is_municipal_editor(user):
        return Practice.objects.none()
    candidates = Practice.objects.filter(
        Q(status=S.SUBMITTED) | Q(pending_status=S.SUBMITTED)
        | ((Q(status=S.IN_REVIEW) | Q(pending_status=S.IN_REVIEW)) & Q(reviewer=user))
    ).select_related("organisation").order_by("updated_at")
    return access.scope(user, candidates, "review")
