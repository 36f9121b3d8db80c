"""Reads of the improvement plan."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import BooleanField, Count, Exists, ExpressionWrapper, F, OuterRef, Q, QuerySet
from django.utils import timezone

from panreflex.accounts import access

from .models import ActionItem, ActionItemReminder

OPEN_STATUSES = (ActionItem.Status.OPEN, ActionItem.Status.IN_PROGRESS)


def open_action_items_for(*, organisation, theme=None) -> QuerySet[ActionItem]:
    """The open (open or in progress) items of an organisation's plan, optionally of one theme;
    workshops carry these over into the next workshop of the same organisation and theme."""
    qs = ActionItem.objects.filter(organisation=organisation, status__in=OPEN_STATUSES)
    if theme is not None:
        qs = qs.filter(theme=theme)
    return qs.select_related("responsible_organisation", "theme").order_by("due_date", "id")


def action_items_from(*, source_kind: str, source_ids) -> QuerySet[ActionItem]:
    return ActionItem.objects.filter(source_kind=source_kind, source_id__in=list(source_ids))


# --- the plan view ----------------------------------------------------------------------------------
SORTS = {
    "due": ("due_date", "id"),
    "-due": ("-due_date", "-id"),
    "title": ("title", "id"),
    "status": ("status", "due_date", "id"),
    "progress": ("progress", "due_date", "id"),
    "-progress": ("-progress", "due_date", "id"),
    "updated": ("-updated_at", "-id"),
}


@dataclass
class PlanFilters:
    status: str = ""
    theme: int | None = None
    source: str = ""
    responsible: str = ""  # "me", "org:<id>" or ""
    due_from: date | None = None
    due_to: date | None = None
    overdue: bool = False
    query: str = ""
    sort: str = "due"


def plan_items(*, viewer, organisation, filters: PlanFilters | None = None, today: date | None = None
               ) -> QuerySet[ActionItem]:
    """The items of `organisation`'s plan that `viewer` may see, filtered and sorted."""
    from panreflex.accounts import access

    f = filters or PlanFilters()
    today = today or timezone.localdate()
    qs = access.filter_visible(viewer, ActionItem.objects.filter(organisation=organisation))
    if f.status == "active":
        qs = qs.filter(status__in=OPEN_STATUSES)
    elif f.status:
        qs = qs.filter(status=f.status)
    if f.theme:
        qs = qs.filter(theme_id=f.theme)
    if f.source:
        qs = qs.filter(source_kind=f.source)
    if f.responsible == "me":
        qs = qs.filter(responsible_user=viewer) if getattr(viewer, "is_authenticated", False) else qs.none()
    elif f.responsible.startswith("org:") and f.responsible[4:].isdigit():
        qs = qs.filter(responsible_organisation_id=int(f.responsible[4:]))
    if f.due_from:
        qs = qs.filter(due_date__gte=f.due_from)
    if f.due_to:
        qs = qs.filter(due_date__lte=f.due_to)
    if f.overdue:
        qs = qs.filter(status__in=OPEN_STATUSES, due_date__lt=today)
    if f.query:
        qs = qs.filter(Q(title__icontains=f.query) | Q(description__icontains=f.query)
                       | Q(capability__icontains=f.query) | Q(notes__icontains=f.query))
    qs = qs.select_related("responsible_organisation", "responsible_user", "theme").annotate(
        overdue=ExpressionWrapper(Q(status__in=OPEN_STATUSES, due_date__lt=today), output_field=BooleanField())
    )
    order = SORTS.get(f.sort, SORTS["due"])
    if order[0] in ("due_date", "-due_date"):
        nulls = F("due_date").asc(nulls_last=True) if order[0] == "due_date" else F("due_date").desc(nulls_last=True)
        return qs.order_by(nulls, order[1])
    return qs.order_by(*order)


def plan_summary(*, items: QuerySet[ActionItem], today: date | None = None) -> dict[str, int]:
    today = today or timezone.localdate()
    return items.aggregate(
        total=Count("id"),
        open=Count("id", filter=Q(status__in=OPEN_STATUSES)),
        overdue=Count("id", filter=Q(status__in=OPEN_STATUSES, due_date__lt=today)),
        done=Count("id", filter=Q(status=ActionItem.Status.DONE)),
    )


def my_action_items(*, user, today: date | None = None) -> QuerySet[ActionItem]:
    """Open items the user is responsible for, overdue first (dashboard)."""
    if not getattr(user, "is_authenticated", False):
        return ActionItem.objects.none()
    return (
        ActionItem.objects.filter(responsible_user=user, status__in=OPEN_STATUSES)
        .select_related("organisation")
        .order_by(F("due_date").asc(nulls_last=True), "id")
    )


def recent_action_items(*, viewer, limit: int) -> list[ActionItem]:
    from panreflex.accounts import access

    if not getattr(viewer, "is_authenticated", False):
        return []
    qs = access.filter_visible(viewer, ActionItem.objects.all()).select_related("organisation")
    return list(qs.order_by("-created_at", "-id")[:limit])


def reminder_candidates(*, today: date, days_before: int) -> tuple[QuerySet[ActionItem], QuerySet[ActionItem]]:
    """(due soon, overdue) open items that have a due date and no reminder of that kind for that date."""
    base = ActionItem.objects.filter(status__in=OPEN_STATUSES, due_date__isnull=False).select_related(
        "responsible_user", "created_by", "organisation"
    )
    sent_before = ActionItemReminder.objects.filter(
        item=OuterRef("pk"), kind=ActionItemReminder.Kind.BEFORE, due_date=OuterRef("due_date")
    )
    sent_after = ActionItemReminder.objects.filter(
        item=OuterRef("pk"), kind=ActionItemReminder.Kind.AFTER, due_date=OuterRef("due_date")
    )
    soon = base.filter(due_date__gte=today, due_date__lte=today + timedelta(days=days_before)).exclude(
        Exists(sent_before)
    )
    overdue = base.filter(due_date__lt=today).exclude(Exists(sent_after))
    return soon, overdue


def item_get(*, viewer, pk, action: str = "view") -> ActionItem:
    """An action item by id, through the policy (missing and forbidden answer the same 404)."""
    qs = ActionItem.objects.select_related(
        "organisation", "responsible_organisation", "responsible_user", "theme", "created_by"
    )
    return access.get_or_404(viewer, qs, action, pk=pk)
