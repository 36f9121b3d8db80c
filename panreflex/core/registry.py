"""Extension points through which domain apps plug into the platform shell.

Each app registers in its `AppConfig.ready()`:
- `register_nav(url_name, label, order, requires_login=False)`: an entry of the global navigation;
- `register_feed(func)`: `func(*, viewer, limit) -> list[FeedItem]` for "what is new" (start page,
  dashboard); the function must only return what `viewer` may see;
- `register_dashboard_panel(func)`: `func(*, user) -> DashboardPanel | None` for the personal dashboard;
- `register_practice_search(ranked_ids=..., similar=...)`: the search of practice examples, which the
  practices app uses (export of a result, similar examples) without importing the search app.
Later waves (communication, governance, training, assessment, interviews, api) plug in the same way.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True)
class NavEntry:
    url_name: str
    label: str
    order: int = 100
    requires_login: bool = False


@dataclass(frozen=True)
class FeedItem:
    when: datetime
    kind: str  # translated label of the content type, e.g. "Praxisbeispiel"
    title: str
    url: str
    summary: str = ""


@dataclass
class DashboardPanel:
    title: str
    items: list[tuple[str, str]] = field(default_factory=list)  # (label, url)
    empty_text: str = ""
    more_url: str = ""
    more_label: str = ""
    order: int = 100


_nav: dict[str, NavEntry] = {}
_feeds: list[Callable] = []
_panels: list[Callable] = []


def register_nav(url_name: str, label, order: int = 100, requires_login: bool = False) -> None:
    _nav[url_name] = NavEntry(url_name, label, order, requires_login)


def register_feed(func: Callable) -> None:
    if func not in _feeds:
        _feeds.append(func)


def register_dashboard_panel(func: Callable) -> None:
    if func not in _panels:
        _panels.append(func)


def nav_entries() -> list[NavEntry]:
    return sorted(_nav.values(), key=lambda e: e.order)


def feeds() -> list[Callable]:
    return list(_feeds)


def dashboard_panels() -> list[Callable]:
    return list(_panels)


# --- demo content -----------------------------------------------------------------------------------
_demo_loaders: list[tuple[int, str, Callable]] = []


def register_demo_loader(name: str, func: Callable, order: int = 100) -> None:
    """`func(*, stdout) -> None` loads an app's demo content idempotently (`panreflex load-demo`).
    The foundation loader (order 0) creates the demo organisations and users first."""
    if all(n != name for _o, n, _f in _demo_loaders):
        _demo_loaders.append((order, name, func))


def demo_loaders() -> list[tuple[int, str, Callable]]:
    return sorted(_demo_loaders, key=lambda t: t[0])


# --- the practice search -----------------------------------------------------------------------------
_practice_search: dict[str, Callable] = {}


def register_practice_search(*, ranked_ids: Callable, similar: Callable) -> None:
    """`ranked_ids(*, viewer, params) -> list[int]`: the examples of a search result, best first;
    `similar(*, practice, viewer, limit) -> list[Practice]`: examples like this one."""
    _practice_search.update(ranked_ids=ranked_ids, similar=similar)


def practice_search_ids(*, viewer, params) -> list[int] | None:
    """Ranked ids of the search result for `params`, or None when no search is registered."""
    func = _practice_search.get("ranked_ids")
    return None if func is None else func(viewer=viewer, params=params)


def similar_practices(*, practice, viewer, limit: int = 5) -> list:
    """Examples like `practice` that `viewer` may see; none when no search is registered."""
    func = _practice_search.get("similar")
    return [] if func is None else list(func(practice=practice, viewer=viewer, limit=limit))
