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

__all__ = [
    "insight_create", "insight_mark_identified", "insight_mark_learned", "insight_merge", "insight_source_add",
    "insight_source_remove", "insight_split", "insight_update",
]
