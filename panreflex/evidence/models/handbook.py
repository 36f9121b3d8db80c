"""Handbook editions: chapters ordering recommendations, an introduction and an evidence appendix.

While an edition is a draft, its chapters and entries are edited. Publishing freezes the whole content
(every recommendation with its evidence as it was) into `content`; the published HTML and PDF are
rendered from that frozen content only, so a published edition never changes, whatever happens to the
recommendations later.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class HandbookEdition(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    number = models.PositiveIntegerField(_("edition number"), unique=True)
    title = models.CharField(_("title"), max_length=200)
    introduction = models.TextField(_("introduction (Markdown)"), blank=True, max_length=50_000)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    content = models.JSONField(_("frozen content"), default=dict, blank=True, editable=False)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    pdf = models.FileField(_("PDF"), upload_to="handbook/", blank=True)

    class Meta:
        verbose_name = _("handbook edition")
        verbose_name_plural = _("handbook editions")
        ordering = ["-number"]

    def __str__(self) -> str:
        return f"{self.title} ({_('edition')} {self.number})"

    def get_absolute_url(self) -> str:
        return reverse("evidence:handbook_edition", kwargs={"number": self.number})

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED


class HandbookChapter(models.Model):
    edition = models.ForeignKey(HandbookEdition, on_delete=models.CASCADE, related_name="chapters")
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    title = models.CharField(_("title"), max_length=200)
    introduction = models.TextField(_("introduction (Markdown)"), blank=True, max_length=20_000)

    class Meta:
        verbose_name = _("chapter")
        verbose_name_plural = _("chapters")
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.title


class HandbookEntry(models.Model):
    chapter = models.ForeignKey(HandbookChapter, on_delete=models.CASCADE, related_name="entries")
    recommendation = models.ForeignKey("evidence.Recommendation", on_delete=models.PROTECT, related_name="+")
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("handbook entry")
        verbose_name_plural = _("handbook entries")
        ordering = ["position", "id"]
        constraints = [models.UniqueConstraint(fields=["chapter", "recommendation"], name="evidence_entry_once")]

    def __str__(self) -> str:
        return str(self.recommendation)
