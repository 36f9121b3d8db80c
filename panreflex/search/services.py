"""Search writes: the index of practice examples and the staff-edited synonym list (issue #3).

`practice_index` / `practice_unindex` keep the full-text index of one practice example in step;
`practice_reindex_all` rebuilds it. The search calls them when the practices app announces a committed
change (`practices.signals.practice_changed`, connected in `apps.py`).
Synonyms are expanded at query time, so changing them needs no reindex.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from panreflex.audit.services import audit_record, diff, snapshot

from . import index
from .analysis import parse_synonyms
from .models import Synonym

SYNONYM_FIELDS = ["terms", "note"]


def practice_index(*, practice_id: int) -> None:
    """(Re)index one practice example; unindexes it when it no longer exists."""
    index.index_practice(practice_id=practice_id)


def practice_unindex(*, practice_id: int) -> None:
    """Remove one practice example from the index."""
    index.unindex_practice(practice_id=practice_id)


def practice_reindex_all() -> int:
    """Rebuild the whole index; returns the number of indexed practice examples."""
    return index.reindex_all()


# --- synonyms (staff) ------------------------------------------------------------------------------
def _clean_terms(terms: str) -> str:
    words = [" ".join(t.split()) for t in terms.replace(";", ",").split(",") if t.strip()]
    words = list(dict.fromkeys(words))
    if len(words) < 2 or not parse_synonyms([", ".join(words)]):
        raise ValidationError({"terms": _("Enter at least two different words, separated by commas.")})
    return ", ".join(words)


def synonym_create(*, actor, terms: str, note: str = "") -> Synonym:
    with transaction.atomic():
        synonym = Synonym(terms=_clean_terms(terms), note=note.strip(), updated_by=actor)
        synonym.full_clean()
        synonym.save()
        audit_record(actor=actor, action="create", obj=synonym, changes=snapshot(synonym, fields=SYNONYM_FIELDS))
    return synonym


def synonym_update(*, actor, synonym: Synonym, terms: str, note: str = "") -> Synonym:
    with transaction.atomic():
        before = snapshot(synonym, fields=SYNONYM_FIELDS)
        synonym.terms = _clean_terms(terms)
        synonym.note = note.strip()
        synonym.updated_by = actor
        synonym.full_clean()
        synonym.save()
        audit_record(actor=actor, action="update", obj=synonym,
                     changes=diff(before, snapshot(synonym, fields=SYNONYM_FIELDS)))
    return synonym


def synonym_delete(*, actor, synonym: Synonym) -> None:
    with transaction.atomic():
        audit_record(actor=actor, action="delete", obj=synonym, changes=snapshot(synonym, fields=SYNONYM_FIELDS))
        synonym.delete()
