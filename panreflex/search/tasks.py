"""Background tasks of the search (django-tasks)."""

from __future__ import annotations

from django_tasks import task


@task()
def compact_search_index() -> int:
    """Write a new segment of the search's posting lists (`postings.compact`): asked for by a search
    process whose overlay of changed documents grew large. Returns the number of documents."""
    from .postings import compact

    return compact()
