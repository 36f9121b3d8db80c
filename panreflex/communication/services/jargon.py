"""The shared jargon list the readability hints point at: add, change, delete (validated, audited)."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from panreflex.audit.models import AuditEntry
from panreflex.audit.services import audit_record, diff, snapshot

from ..models import LANGUAGE_NAMES, JargonWord

# the hints compare single words (see readability._WORD): letters, digits, hyphen, median dot, apostrophe
_ONE_WORD = re.compile(r"[\w\-·’']+", re.UNICODE)


def _clean(*, word: str, language: str, suggestion: str, instance: JargonWord | None = None) -> dict:
    word = (word or "").strip()
    suggestion = (suggestion or "").strip()
    errors = {}
    if not word:
        errors["word"] = _("Enter the word the hints should flag.")
    elif not _ONE_WORD.fullmatch(word):
        errors["word"] = _("Enter one word without spaces or punctuation (hyphen and median dot are allowed): "
                           "the hints compare single words.")
    if language not in LANGUAGE_NAMES:
        errors["language"] = _("Choose one of the listed languages.")
    if not errors:
        same = JargonWord.objects.filter(language=language, word__iexact=word)
        if instance is not None:
            same = same.exclude(pk=instance.pk)
        if same.exists():
            errors["word"] = _("“%(word)s” is already on the list for %(lang)s.") % {
                "word": word, "lang": LANGUAGE_NAMES[language]}
    if suggestion and suggestion.lower() == word.lower():
        errors["suggestion"] = _("The plainer alternative must differ from the word itself.")
    if errors:
        raise ValidationError(errors)
    return {"word": word, "language": language, "suggestion": suggestion}


@transaction.atomic
def jargon_create(*, actor, word: str, language: str, suggestion: str = "") -> JargonWord:
    entry = JargonWord.objects.create(**_clean(word=word, language=language, suggestion=suggestion))
    audit_record(actor=actor, action=AuditEntry.Action.CREATE, obj=entry)
    return entry


@transaction.atomic
def jargon_update(*, entry: JargonWord, actor, word: str, language: str, suggestion: str = "") -> JargonWord:
    data = _clean(word=word, language=language, suggestion=suggestion, instance=entry)
    before = snapshot(entry)
    for key, value in data.items():
        setattr(entry, key, value)
    entry.save()
    audit_record(actor=actor, action=AuditEntry.Action.UPDATE, obj=entry, changes=diff(before, snapshot(entry)))
    return entry


@transaction.atomic
def jargon_delete(*, entry: JargonWord, actor) -> None:
    audit_record(actor=actor, action=AuditEntry.Action.DELETE, obj=entry, note=f"{entry.language}: {entry.word}")
    entry.delete()
