from __future__ import annotations

from django.db.models import Count, QuerySet

from .models import Term, Vocabulary


def vocabulary_overview() -> list[tuple[str, str, int]]:
    counts = dict(Term.objects.values_list("vocabulary").annotate(n=Count("id")))
    return [(value, label, counts.get(value, 0)) for value, label in Vocabulary.choices]


def terms_of(*, vocabulary: str, include_inactive: bool = False) -> QuerySet[Term]:
    qs = Term.objects.filter(vocabulary=vocabulary).select_related("parent")
    if not include_inactive:
        qs = qs.filter(is_active=True)
    return qs.order_by("parent__position", "position", "code")


def term_by_code_or_label(*, vocabulary: str, value: str) -> Term | None:
    """Find a term by code or by its German or English label (case-insensitive). For imports."""
    text = (value or "").strip()
    if not text:
        return None
    qs = Term.objects.filter(vocabulary=vocabulary)
    return (
        qs.filter(code__iexact=text).first()
        or qs.filter(label_de__iexact=text).first()
        or qs.filter(label_en__iexact=text).first()
    )
