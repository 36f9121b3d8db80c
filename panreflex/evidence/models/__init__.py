"""Models of the evidence domain: insights and their sources (insights.py), recommendations with their
evidence, comments, versions and municipal feedback (recommendations.py), handbook editions (handbook.py)."""

from .insights import Insight, InsightSource

__all__ = ["Insight", "InsightSource"]
