"""What another app may plug into the practices app, which imports none of them (the search depends on
practices, not the other way round).

The search registers itself in its `AppConfig.ready()`:
- `ranked_ids(*, viewer, params) -> list[int]`: the examples of a search result (the export of a result);
- `similar(*, practice, viewer, limit) -> list[Practice]`: examples like this one (the detail page).
Without a registration the export lists every visible example, newest first, and no similar examples show.
"""

from __future__ import annotations

from collections.abc import Callable

_search: dict[str, Callable] = {}


def register_search(*, ranked_ids: Callable, similar: Callable) -> None:
    _search.update(ranked_ids=ranked_ids, similar=similar)


def search_ids(*, viewer, params) -> list[int] | None:
    """Ranked ids of the search result for `params`, or None when no search is registered."""
    func = _search.get("ranked_ids")
    return None if func is None else func(viewer=viewer, params=params)


def similar(*, practice, viewer, limit: int = 5) -> list:
    func = _search.get("similar")
    return [] if func is None else list(func(practice=practice, viewer=viewer, limit=limit))
