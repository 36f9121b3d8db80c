"""The access rules of practice examples, registered with `accounts.policy` (called only through it).

Who sees a practice example depends on its status (issue 13):
- published or archived: the visibility contract (private: own organisation; network: signed-in members
  of partner organisations; public: everyone once released);
- before publication (draft, submitted, in review, changes requested): the owning organisation and the
  project team; reviewers (editors of another municipality, not the author) while it waits for or is in
  review; partner organisations only when the author shares the draft on purpose (`draft_shared`, for
  network or public examples);
- change: editors of the owning organisation and staff; review: staff or an editor of another
  municipality who is not the author; export: as view;
- a collection (and its items): its owner only; others open a shared collection by its link (token).
"""

from __future__ import annotations

from django.db.models import Q

from panreflex.accounts import policy
from panreflex.accounts.models import Visibility

from .models import Collection, CollectionItem, Practice, workflow_state

S = Practice.Status
RELEASED_STATES = (S.PUBLISHED, S.ARCHIVED)
REVIEW_STATES = (S.SUBMITTED, S.IN_REVIEW, S.CHANGES_REQUESTED)
SHAREABLE = (Visibility.NETWORK, Visibility.PUBLIC)


def _in_review_q() -> Q:
    return Q(pending_status__in=REVIEW_STATES) | (Q(pending_status="") & Q(status__in=REVIEW_STATES))


def review_q(subject) -> Q:
    user = policy.user_of(subject)
    if policy.is_staff(user):
        return Q()
    if not policy.is_municipal_editor(user):
        return Q(pk__in=[])
    return ~Q(organisation_id__in=policy.organisation_ids(user)) & ~Q(created_by=user)


def can_review(subject, practice: Practice) -> bool:
    """Staff, or an editor of ANOTHER municipality (not of the owning organisation, not the author)."""
    user = policy.user_of(subject)
    if policy.is_staff(user):
        return True
    if not policy.is_authenticated(user) or practice.created_by_id == user.pk:
        return False
    if policy.role_in(user, practice.organisation_id) is not None:
        return False
    return policy.is_municipal_editor(user)


def _beyond_contract_q(user) -> Q:
    """Unreleased examples the user may see without belonging to the owner: in review, or shared drafts."""
    q = review_q(user) & _in_review_q()
    if policy.is_network_member(user):
        q |= Q(draft_shared=True, visibility__in=SHAREABLE) & ~Q(status__in=RELEASED_STATES)
    return q


def view_q(subject) -> Q:
    user = policy.user_of(subject)
    if policy.is_staff(user):
        return Q()
    q = Q(status__in=RELEASED_STATES) & policy.owned_view_q(user)
    if not policy.is_authenticated(user):
        return q
    return q | Q(organisation_id__in=policy.organisation_ids(user)) | _beyond_contract_q(user)


def can_view(subject, practice: Practice) -> bool:
    user = policy.user_of(subject)
    if policy.is_staff(user):
        return True
    if practice.status in RELEASED_STATES and policy.owned_can_view(user, practice):
        return True
    if not policy.is_authenticated(user):
        return False
    if policy.role_in(user, practice.organisation_id) is not None:
        return True
    if workflow_state(practice) in REVIEW_STATES and can_review(user, practice):
        return True
    return (practice.draft_shared and practice.visibility in SHAREABLE and practice.status not in RELEASED_STATES
            and policy.is_network_member(user))


def owner_q(subject) -> Q:
    user = policy.user_of(subject)
    return Q(owner=user) if policy.is_authenticated(user) else Q(pk__in=[])


def is_owner(subject, collection: Collection) -> bool:
    user = policy.user_of(subject)
    return policy.is_authenticated(user) and collection.owner_id == user.pk


def register() -> None:
    owner = policy.Rule(q=owner_q, check=is_owner)
    policy.register(Collection, view=owner, change=owner, review=owner,
                    summary={**{a: "its owner (others only by the share link)" for a in policy.ACTIONS},
                             "export": "as view"})
    policy.register_child(CollectionItem, parent="collection", parent_model=Collection)
    policy.register(
        Practice, kind="practice",
        view=policy.Rule(q=view_q, check=can_view),
        change=policy.OWNED_CHANGE,
        review=policy.Rule(q=review_q, check=can_review),
        summary={
            "view": "published/archived: contract; before: owner, reviewers in review, partners if shared on purpose",
            "change": "editors of the owner", "delete": "editors of the owner",
            "review": "staff, editors of another municipality (not the author)", "export": "as view",
        },
    )
