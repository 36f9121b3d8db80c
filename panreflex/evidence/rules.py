"""The access rules of the evidence domain, registered with `accounts.policy` (called only through it).

- insights and recommendations are OwnedContent: view and export follow the visibility contract;
- change, delete (edit, merge, split, mark as learned; a recommendation's draft): editors of the owner
  and staff;
- review (a recommendation's agree, publish, withdraw; handbook editions): the project team;
- comment on a recommendation: members (role member or higher) of the owning organisation and staff;
- a handbook edition: published editions are public, drafts are seen and changed by staff.
"""

from __future__ import annotations

from django.db.models import Q

from panreflex.accounts import policy
from panreflex.accounts.models import Role

from .models import HandbookEdition, Insight, Recommendation


def comment_q(subject) -> Q:
    user = policy.user_of(subject)
    if policy.is_staff(user):
        return Q()
    return Q(organisation_id__in=policy.organisation_ids(user, Role.MEMBER))


def can_comment(subject, rec: Recommendation) -> bool:
    user = policy.user_of(subject)
    return policy.is_staff(user) or policy.has_role(user, rec.organisation_id, Role.MEMBER)


def edition_view_q(subject) -> Q:
    return Q() if policy.is_staff(policy.user_of(subject)) else Q(status=HandbookEdition.Status.PUBLISHED)


def can_view_edition(subject, edition: HandbookEdition) -> bool:
    return policy.is_staff(policy.user_of(subject)) or edition.status == HandbookEdition.Status.PUBLISHED


OWNED = {"view": "contract", "change": "editors of the owner", "delete": "editors of the owner",
         "review": "staff", "export": "as view"}


def register() -> None:
    policy.register_owned(Insight, kind="insight", summary=OWNED)
    policy.register_owned(Recommendation, kind="recommendation",
                          comment=policy.Rule(q=comment_q, check=can_comment),
                          summary={**OWNED, "review": "staff (agree, publish, withdraw)",
                                   "comment": "members of the owner, staff"})
    policy.register(HandbookEdition, view=policy.Rule(q=edition_view_q, check=can_view_edition),
                    change=policy.STAFF_ONLY,
                    summary={"view": "published: everyone; drafts: staff", "change": "staff", "delete": "staff",
                             "review": "staff", "export": "as view"})
