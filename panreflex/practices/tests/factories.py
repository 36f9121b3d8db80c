"""Factories for practice examples (they go through the service, like real writes)."""

from __future__ import annotations

from datetime import date

from panreflex.accounts.models import Visibility
from panreflex.practices.models import Practice
from panreflex.practices.services import practice_create
from panreflex.taxonomy.models import Term


def term(vocabulary: str, code: str | None = None) -> Term:
    qs = Term.objects.filter(vocabulary=vocabulary)
    return qs.get(code=code) if code else qs.order_by("position", "code").first()


def make_practice(*, organisation, author=None, title="Impfbus für Stadtteile", status=Practice.Status.DRAFT,
                  visibility=Visibility.PRIVATE, m2m=None, sources=None, **data) -> Practice:
    values = {
        "title": title,
        "summary": "Ein Bus brachte Impfungen in Stadtteile mit niedriger Impfquote.",
        "description": "Der **Impfbus** fuhr wöchentlich.",
        "period_start": date(2021, 5, 1),
        "period_end": date(2021, 9, 1),
    }
    values.update(data)
    return practice_create(organisation=organisation, author=author, data=values, m2m=m2m, sources=sources,
                           status=status, visibility=visibility)
