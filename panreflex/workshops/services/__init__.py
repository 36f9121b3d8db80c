"""Writes of the workshops domain (see docs/apps/workshops.md). Split by concern:
`setup` (templates, workshops, guests, invitations), `room` (everything live), `results`
(insights and action items from cards), `covid` (timeline milestones computed from open data)."""

from .common import Refused, StaleEdit  # noqa: F401
from .results import action_from_cards, insight_from_cards  # noqa: F401
from .room import (  # noqa: F401
    card_add,
    card_delete,
    card_edit,
    card_merge,
    card_move,
    cluster_create,
    cluster_dissolve,
    cluster_rename,
    lock_set,
    phase_set,
    rating_delete,
    rating_set,
    root_cause_add,
    root_cause_delete,
    timeline_add,
    timeline_delete,
    timeline_prefill,
    timer_start,
    timer_stop,
    vote_add,
    vote_remove,
    votes_reveal,
    voting_configure,
)
from .setup import (  # noqa: F401
    guest_for_token,
    guest_invite,
    guest_join,
    guest_revoke,
    invitations_send,
    template_copy,
    template_update,
    workshop_create,
    workshop_delete,
    workshop_update,
)
