"""Shared vocabularies: one Term model, many vocabularies, German and English labels, editable by staff.

Later waves add vocabularies (e.g. the seven levers, CAP categories) as new `Vocabulary` values plus a
data migration; no new model is needed.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class Vocabulary(models.TextChoices):
    THEME = "theme", _("Focus theme")
    SUBTOPIC = "subtopic", _("Subtopic")
    PHASE = "phase", _("Crisis phase")
    TARGET_GROUP = "target_group", _("Target group")
    ACTOR_TYPE = "actor_type", _("Actor type")
    LEVEL = "level", _("Administrative level")
    INNOVATION_KIND = "innovation_kind", _("Kind of innovation")
    EVIDENCE_STRENGTH = "evidence_strength", _("Strength of evidence")
    LEVER = "lever", _("Lever of municipal resilience")
    CRISIS_KIND = "crisis_kind", _("Kind of crisis")


class TermQuerySet(models.QuerySet):
    def of(self, vocabulary: str) -> TermQuerySet:
        return self.filter(vocabulary=vocabulary, is_active=True)


class Term(models.Model):
    vocabulary = models.CharField(_("vocabulary"), max_length=30, choices=Vocabulary.choices, db_index=True)
    code = models.SlugField(_("code"), max_length=60)
    label_de = models.CharField(_("label (German)"), max_length=200)
    label_en = models.CharField(_("label (English)"), max_length=200)
    description_de = models.TextField(_("description (German)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    parent = models.ForeignKey(
        "self", verbose_name=_("parent"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    objects = TermQuerySet.as_manager()

    class Meta:
        verbose_name = _("term")
        verbose_name_plural = _("terms")
        ordering = ["vocabulary", "position", "code"]
        constraints = [models.UniqueConstraint(fields=["vocabulary", "code"], name="taxonomy_term_unique")]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return self.label_en if (get_language() or "de").startswith("en") else self.label_de

    @property
    def description(self) -> str:
        return self.description_en if (get_language() or "de").startswith("en") else self.description_de
