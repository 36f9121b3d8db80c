"""The access rules of the improvement plan, registered with `accounts.policy` (called only through it).

- an action item is OwnedContent: view and export follow the visibility contract (the plan of an
  organisation is its members' page);
- change, delete: editors of the owning organisation and staff;
- progress (status, progress, notes): additionally the member the item names as responsible user.
"""

from __future__ import annotations

from django.db.models import Q

from panreflex.accounts import policy
from panreflex.accounts.models import Role

from .models import ActionItem


def progress_q(subject) -> Q:
    user = policy.user_of(subject)
    if policy.is_staff(user):
        return Q()
    q = policy.owned_change_q(user)
    if policy.is_authenticated(user):
        q |= Q(responsible_user=user, organisation_id__in=policy.organisation_ids(user, Role.MEMBER))
    return q


def can_update_progress(subject, item: ActionItem) -> bool:
    user = policy.user_of(subject)
    if policy.owned_can_change(user, item):
        return True
    return (
        item.responsible_user_id is not None
        and policy.is_authenticated(user)
        and item.responsible_user_id == user.pk
        and policy.can_contribute_for(user, item.organisation_id)
    )


def register() -> None:
    policy.register_owned(
        ActionItem, kind="action_item", progress=policy.Rule(q=progress_q, check=can_update_progress),
        summary={"view": "contract", "change": "editors of the owner", "delete": "editors of the owner",
                 "review": "staff", "export": "as view",
                 "progress": "editors of the owner, the responsible member"},
    )
