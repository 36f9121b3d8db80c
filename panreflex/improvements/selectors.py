"""Reads of the improvement plan."""

from __future__ import annotations

from django.db.models import QuerySet

from .models import ActionItem

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
