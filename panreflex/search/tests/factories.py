"""Test data for the search: practice examples through the practices service, then indexed."""

from __future__ import annotations

from datetime import date

from panreflex.accounts.models import Visibility
from panreflex.places.models import Place
from panreflex.practices.models import Practice
from panreflex.practices.services import practice_create
from panreflex.search.services import practice_reindex_all
from panreflex.taxonomy.models import Term


def term(vocabulary: str, code: str) -> Term:
    return Term.objects.get(vocabulary=vocabulary, code=code)


def place(ags: str) -> Place:
    return Place.objects.get(kind=Place.Kind.MUNICIPALITY, ags=ags)


def practice(*, organisation, title: str, summary: str = "", description: str = "", public: bool = True,
             visibility: str | None = None, status: str | None = None, themes=(), places=(), targets=(),
             evidence: str = "", period_start=date(2021, 3, 1), period_end=None, **data) -> Practice:
    """A published public example by default; `public=False` gives a private draft."""
    m2m = {}
    if themes:
        m2m["themes"] = [term("theme", c) for c in themes]
    if places:
        m2m["places"] = [place(a) for a in places]
    if targets:
        m2m["target_groups"] = [term("target_group", c) for c in targets]
    values = {"title": title, "summary": summary or title, "description": description,
              "period_start": period_start, "period_end": period_end, **data}
    if evidence:
        values["evidence_strength"] = term("evidence_strength", evidence)
    return practice_create(
        organisation=organisation, author=None, data=values, m2m=m2m, index=False,
        status=status or (Practice.Status.PUBLISHED if public else Practice.Status.DRAFT),
        visibility=visibility or (Visibility.PUBLIC if public else Visibility.PRIVATE),
    )


def reindex() -> int:
    return practice_reindex_all()
