"""Who may do what with insights and recommendations. Every rule calls `panreflex.accounts.access`.

- insights and recommendations are OwnedContent: seeing follows the visibility contract;
- create: editors of an organisation (for that organisation) and the project team;
- edit, merge, split, mark as learned: editors of the owning organisation and the project team;
- the review workflow of recommendations (agree, publish, withdraw) and handbook editions: the project team;
- municipal feedback: members of an organisation (any role above viewer) for their organisation.
"""

from __future__ import annotations

from django.db.models import QuerySet

from panreflex.accounts import access
from panreflex.accounts.models import Organisation

from .models import Insight


def creatable_organisations(user) -> QuerySet[Organisation]:
    return access.editable_organisations(user).order_by("name")


def can_create(user) -> bool:
    return access.is_staff(user) or creatable_organisations(user).exists()


def can_edit(user, obj) -> bool:
    return access.can_edit(user, obj)


def get_insight_or_404(user, pk: int) -> Insight:
    qs = Insight.objects.select_related("organisation", "phase", "learned_action_item", "merged_into",
                                        "split_from", "created_by")
    return access.get_visible_or_404(user, qs, pk=pk)


def get_editable_insight_or_404(user, pk: int) -> Insight:
    insight = get_insight_or_404(user, pk)
    access.require(can_edit(user, insight))
    return insight


def visible_insights(user) -> QuerySet[Insight]:
    return access.filter_visible(user, Insight.objects.all())
