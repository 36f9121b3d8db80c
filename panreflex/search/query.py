"""Query execution (temporary minimal version: visibility + theme filter, newest first)."""

from panreflex.accounts import access
from panreflex.practices.models import Practice


def _base(viewer, params):
    qs = access.filter_visible(viewer, Practice.objects.all())
    themes = params.getlist("theme") if hasattr(params, "getlist") else params.get("theme") or []
    if themes:
        qs = qs.filter(themes__code__in=themes).distinct()
    return qs


def search_ids(*, viewer, params) -> list[int]:
    return list(_base(viewer, params).values_list("id", flat=True))


def similar(*, practice, viewer, limit=5):
    qs = _base(viewer, {}).exclude(pk=practice.pk).filter(themes__in=practice.themes.all()).distinct()
    return list(qs[:limit])
