"""Demo loader: rebuild the search index after the practice examples were loaded (idempotent)."""

from .services import practice_reindex_all


def load_demo_search(*, stdout=None) -> None:
    count = practice_reindex_all()
    if stdout is not None:
        stdout.write(f"search: indexed {count} practice examples")
