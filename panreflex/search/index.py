"""Index backends (temporary minimal version)."""


def index_practice(*, practice_id: int) -> None:
    return None


def unindex_practice(*, practice_id: int) -> None:
    return None


def reindex_all() -> int:
    from panreflex.practices.models import Practice

    return Practice.objects.count()
