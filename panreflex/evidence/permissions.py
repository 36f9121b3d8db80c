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


# --- recommendations ------------------------------------------------------------------------------
def get_recommendation_or_404(user, pk: int):
    from .models import Recommendation

    qs = Recommendation.objects.select_related("organisation", "lever", "created_by")
    return access.get_visible_or_404(user, qs, pk=pk)


def can_edit_recommendation(user, rec) -> bool:
    return access.can_edit(user, rec) and rec.is_editable


def get_editable_recommendation_or_404(user, pk: int):
    rec = get_recommendation_or_404(user, pk)
    access.require(access.can_edit(user, rec))
    return rec


STAFF_TRANSITIONS = {("in_review", "agreed"), ("agreed", "published"), ("published", "withdrawn"),
                     ("agreed", "draft"), ("withdrawn", "draft")}


def can_transition(user, rec, to: str) -> bool:
    """Authors (editors of the owner) submit for review and take drafts back; the project team reviews,
    agrees, publishes and withdraws."""
    if (rec.status, to) in STAFF_TRANSITIONS:
        return access.is_staff(user)
    return access.can_edit(user, rec)


def allowed_transitions(user, rec) -> list[str]:
    from .services import TRANSITIONS

    return [to for to in TRANSITIONS.get(rec.status, ()) if can_transition(user, rec, to)]


def can_comment(user, rec) -> bool:
    from panreflex.accounts.models import Role

    return access.is_staff(user) or access.has_role(user, rec.organisation_id, Role.MEMBER)


def feedback_organisations(user):
    from panreflex.accounts.models import Role

    return Organisation.objects.filter(pk__in=access.organisation_ids(user, Role.MEMBER)).order_by("name")
