"""Search reads (contract for issue #3)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from panreflex.practices.models import Practice


def practice_search_ids(*, viewer, params: Mapping[str, Any]) -> list[int]:
    """All ids of practice examples matching `params` (request.GET-like) that `viewer` may see, ranked."""
    from panreflex.search import query

    return query.search_ids(viewer=viewer, params=params)


def similar_practices(*, practice: Practice, viewer, limit: int = 5) -> list[Practice]:
    """Up to `limit` practice examples similar to `practice`, visible to `viewer`, best first."""
    from panreflex.search import query

    return query.similar(practice=practice, viewer=viewer, limit=limit)
