"""Search index writes (contract for issue #3).

`practice_index` / `practice_unindex` keep the full-text index of one practice example in step;
`practice_reindex_all` rebuilds it. The practices app calls these after its own writes.
"""

from __future__ import annotations


def practice_index(*, practice_id: int) -> None:
    """(Re)index one practice example; unindexes it when it no longer exists."""
    from panreflex.search import index

    index.index_practice(practice_id=practice_id)


def practice_unindex(*, practice_id: int) -> None:
    """Remove one practice example from the index."""
    from panreflex.search import index

    index.unindex_practice(practice_id=practice_id)


def practice_reindex_all() -> int:
    """Rebuild the whole index; returns the number of indexed practice examples."""
    from panreflex.search import index

    return index.reindex_all()
