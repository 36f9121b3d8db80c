from __future__ import annotations

from django.db import transaction

from panreflex.audit.services import audit_record, diff, snapshot

from .models import Term

EDITABLE = ("label_de", "label_en", "description_de", "description_en", "position", "is_active", "parent")


@transaction.atomic
def term_create(*, actor, vocabulary: str, code: str, label_de: str, label_en: str, **fields) -> Term:
    term = Term(vocabulary=vocabulary, code=code, label_de=label_de, label_en=label_en,
                **{k: v for k, v in fields.items() if k in EDITABLE})
    term.full_clean()
    term.save()
    audit_record(actor=actor, action="create", obj=term)
    return term


@transaction.atomic
def term_update(*, actor, term: Term, **fields) -> Term:
    before = snapshot(term)
    for name, value in fields.items():
        if name in EDITABLE:
            setattr(term, name, value)
    term.full_clean()
    term.save()
    changes = diff(before, snapshot(term))
    if changes:
        audit_record(actor=actor, action="update", obj=term, changes=changes)
    return term
