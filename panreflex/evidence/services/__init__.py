"""Writes of the evidence domain (one module per entity group, all names re-exported here)."""

from .insights import (
    insight_create,
    insight_mark_identified,
    insight_mark_learned,
    insight_merge,
    insight_source_add,
    insight_source_remove,
    insight_split,
    insight_update,
)
from .recommendations import (
    TRANSITIONS,
    feedback_set,
    recommendation_comment_add,
    recommendation_create,
    recommendation_evidence_add,
    recommendation_evidence_remove,
    recommendation_transition,
    recommendation_update,
)

__all__ = [
    "TRANSITIONS", "feedback_set", "insight_create", "insight_mark_identified", "insight_mark_learned",
    "insight_merge", "insight_source_add", "insight_source_remove", "insight_split", "insight_update",
    "recommendation_comment_add", "recommendation_create", "recommendation_evidence_add",
    "recommendation_evidence_remove", "recommendation_transition", "recommendation_update",
]
from .handbook import (  # noqa: E402
    handbook_chapter_add,
    handbook_chapter_delete,
    handbook_chapter_move,
    handbook_edition_create,
    handbook_edition_publish,
    handbook_edition_store_pdf,
    handbook_edition_update,
    handbook_entry_add,
    handbook_entry_move,
    handbook_entry_remove,
)

__all__ += [
    "handbook_chapter_add", "handbook_chapter_delete", "handbook_chapter_move", "handbook_edition_create",
    "handbook_edition_publish", "handbook_edition_store_pdf", "handbook_edition_update", "handbook_entry_add",
    "handbook_entry_move", "handbook_entry_remove",
]
