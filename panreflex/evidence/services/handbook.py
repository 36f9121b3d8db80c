"""Writes of handbook editions. Drafts are edited freely; publishing freezes the content; a published
edition is never changed again (every write below refuses it)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from panreflex.audit.models import AuditEntry
from panreflex.audit.services import audit_record

from ..models import HandbookChapter, HandbookEdition, HandbookEntry, Recommendation


def _refuse_published(edition: HandbookEdition) -> None:
    if edition.status == HandbookEdition.Status.PUBLISHED:
        raise ValidationError(
            _("Edition %(number)s is published and can no longer be changed. Start a new edition instead.")
            % {"number": edition.number},
            code="edition_published",
        )


def _locked(edition: HandbookEdition) -> HandbookEdition:
    edition = HandbookEdition.objects.select_for_update().get(pk=edition.pk)
    _refuse_published(edition)
    return edition


@transaction.atomic
def handbook_edition_create(*, actor, title: str, introduction: str = "", copy_from: HandbookEdition | None = None
                            ) -> HandbookEdition:
    """A new draft edition with the next number; optionally with the chapters and entries of an earlier one."""
    number = (HandbookEdition.objects.aggregate(m=Max("number"))["m"] or 0) + 1
    edition = HandbookEdition(number=number, title=(title or "").strip(), introduction=introduction,
                              created_by=actor if getattr(actor, "is_authenticated", False) else None)
    if copy_from is not None and not introduction:
        edition.introduction = copy_from.introduction
    edition.full_clean()
    edition.save()
    if copy_from is not None:
        for chapter in copy_from.chapters.prefetch_related("entries"):
            new = HandbookChapter.objects.create(edition=edition, position=chapter.position, title=chapter.title,
                                                 introduction=chapter.introduction)
            HandbookEntry.objects.bulk_create(
                HandbookEntry(chapter=new, recommendation_id=e.recommendation_id, position=e.position)
                for e in chapter.entries.all()
            )
    audit_record(actor=actor, action=AuditEntry.Action.CREATE, obj=edition,
                 changes={"number": [None, number], "title": [None, edition.title]})
    return edition


@transaction.atomic
def handbook_edition_update(*, edition: HandbookEdition, actor, title: str, introduction: str) -> HandbookEdition:
    edition = _locked(edition)
    changes = {}
    if edition.title != title.strip():
        changes["title"] = [edition.title, title.strip()]
    if edition.introduction != introduction:
        changes["introduction"] = [edition.introduction[:200], introduction[:200]]
    edition.title, edition.introduction = title.strip(), introduction
    edition.full_clean()
    edition.save()
    if changes:
        audit_record(actor=actor, action=AuditEntry.Action.UPDATE, obj=edition, changes=changes)
    return edition


@transaction.atomic
def handbook_chapter_add(*, edition: HandbookEdition, actor, title: str, introduction: str = "") -> HandbookChapter:
    edition = _locked(edition)
    position = (edition.chapters.aggregate(m=Max("position"))["m"] or 0) + 1
    chapter = HandbookChapter(edition=edition, position=position, title=(title or "").strip(),
                              introduction=introduction)
    chapter.full_clean()
    chapter.save()
    return chapter


@transaction.atomic
def handbook_chapter_delete(*, chapter: HandbookChapter, actor) -> None:
    _locked(chapter.edition)
    chapter.delete()


def _swap(items: list, index: int, delta: int) -> None:
    other = index + delta
    if 0 <= other < len(items):
        a, b = items[index], items[other]
        a.position, b.position = b.position, a.position
        if a.position == b.position:
            a.position, b.position = other, index
        a.save(update_fields=["position"])
        b.save(update_fields=["position"])


@transaction.atomic
def handbook_chapter_move(*, chapter: HandbookChapter, actor, delta: int) -> None:
    edition = _locked(chapter.edition)
    chapters = list(edition.chapters.all())
    _swap(chapters, [c.pk for c in chapters].index(chapter.pk), delta)


@transaction.atomic
def handbook_entry_add(*, chapter: HandbookChapter, actor, recommendation: Recommendation) -> HandbookEntry:
    edition = _locked(chapter.edition)
    if recommendation.status not in (Recommendation.Status.AGREED, Recommendation.Status.PUBLISHED):
        raise ValidationError(
            _("Only agreed or published recommendations can go into a handbook (“%(title)s” is %(status)s).")
            % {"title": recommendation.title, "status": recommendation.get_status_display().lower()},
            code="entry_status",
        )
    if HandbookEntry.objects.filter(chapter__edition=edition, recommendation=recommendation).exists():
        raise ValidationError(_("“%(title)s” is already in this edition.") % {"title": recommendation.title},
                              code="entry_twice")
    position = (chapter.entries.aggregate(m=Max("position"))["m"] or 0) + 1
    return HandbookEntry.objects.create(chapter=chapter, recommendation=recommendation, position=position)


@transaction.atomic
def handbook_entry_remove(*, entry: HandbookEntry, actor) -> None:
    _locked(entry.chapter.edition)
    entry.delete()


@transaction.atomic
def handbook_entry_move(*, entry: HandbookEntry, actor, delta: int) -> None:
    _locked(entry.chapter.edition)
    entries = list(entry.chapter.entries.all())
    _swap(entries, [e.pk for e in entries].index(entry.pk), delta)


@transaction.atomic
def handbook_edition_publish(*, edition: HandbookEdition, actor) -> HandbookEdition:
    """Freeze the edition. Refused: an empty edition, recommendations that are not published, and
    recommendations without evidence."""
    from ..handbook import freeze_content

    edition = _locked(edition)
    entries = list(HandbookEntry.objects.filter(chapter__edition=edition).select_related("recommendation"))
    if not entries:
        raise ValidationError(_("An edition without recommendations cannot be published."), code="edition_empty")
    unpublished = [e.recommendation.title for e in entries if e.recommendation.status != Recommendation.Status.PUBLISHED]
    if unpublished:
        raise ValidationError(
            _("These recommendations are not published yet: %(titles)s.") % {"titles": "; ".join(unpublished)},
            code="edition_unpublished",
        )
    recs_with_evidence = set(
        Recommendation.objects.filter(pk__in=[e.recommendation_id for e in entries], evidence__isnull=False)
        .values_list("pk", flat=True)
    )
    without = [e.recommendation.title for e in entries if e.recommendation_id not in recs_with_evidence]
    if without:
        raise ValidationError(
            _("These recommendations rest on no evidence and cannot be published: %(titles)s.")
            % {"titles": "; ".join(without)},
            code="edition_without_evidence",
        )
    now = timezone.now()
    edition.published_at = now
    edition.content = freeze_content(edition)
    edition.status = HandbookEdition.Status.PUBLISHED
    edition.published_by = actor if getattr(actor, "is_authenticated", False) else None
    edition.save()
    audit_record(actor=actor, action=AuditEntry.Action.STATUS, obj=edition, changes={"status": ["draft", "published"]})
    return edition


@transaction.atomic
def handbook_edition_store_pdf(*, edition: HandbookEdition, pdf: bytes) -> HandbookEdition:
    """Keep the rendered PDF of a published edition (rendered once from the frozen content)."""
    from django.core.files.base import ContentFile

    edition = HandbookEdition.objects.select_for_update().get(pk=edition.pk)
    if edition.status != HandbookEdition.Status.PUBLISHED:
        raise ValidationError(_("Only a published edition has a PDF."), code="pdf_draft")
    if not edition.pdf:
        edition.pdf.save(f"handbuch-ausgabe-{edition.number}.pdf", ContentFile(pdf), save=False)
        HandbookEdition.objects.filter(pk=edition.pk).update(pdf=edition.pdf.name)
    return edition
