"""Models of the evidence domain: insights and their sources (insights.py), recommendations with their
evidence, comments, versions and municipal feedback (recommendations.py), handbook editions (handbook.py)."""

from .handbook import HandbookChapter, HandbookEdition, HandbookEntry
from .insights import Insight, InsightSource
from .recommendations import (
    Addressee,
    Feedback,
    Recommendation,
    RecommendationComment,
    RecommendationEvidence,
    RecommendationVersion,
)

__all__ = [
    "Addressee", "Feedback", "HandbookChapter", "HandbookEdition", "HandbookEntry", "Insight", "InsightSource",
    "Recommendation", "RecommendationComment", "RecommendationEvidence", "RecommendationVersion",
]
