"""Insights (Erkenntnisse) and their typed, quotable sources (issue #5).

An insight is one identified lesson. It rests on sources (practice examples, workshop cards, whole
workshops, survey results, documents, interview passages), each a typed link with an optional quote.
An insight becomes "learned" only with evidence that the change was implemented: a done action item of
the improvement plan (`learned_action_item`) or a note on an exercise result or document
(`learned_evidence`). Merging keeps every source on the surviving insight and records the merge
(`merged_into`, `merged_at`); a split records where a new insight came from (`split_from`).
"""

from __future__ import annotations

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from panreflex.accounts.models import Organisation, OwnedContent


class Insight(OwnedContent):
    class Kind(models.TextChoices):
        STRENGTH = "strength", _("Strength")
        IMPROVEMENT = "improvement", _("Area for improvement")
        INNOVATION = "innovation", _("Innovation")
        OPEN_QUESTION = "open_question", _("Open question")

    class Status(models.TextChoices):
        IDENTIFIED = "identified", _("Identified")
        LEARNED = "learned", _("Learned")

    statement = models.TextField(_("statement"), max_length=2000)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, db_index=True)
    themes = models.ManyToManyField(
        "taxonomy.Term", verbose_name=_("focus themes"), blank=True, related_name="+",
        limit_choices_to={"vocabulary": "theme"},
    )
    phase = models.ForeignKey(
        "taxonomy.Term", verbose_name=_("crisis phase"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+", limit_choices_to={"vocabulary": "phase"},
    )
    organisations_concerned = models.ManyToManyField(
        Organisation, verbose_name=_("organisations concerned"), blank=True, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.IDENTIFIED, db_index=True
    )
    learned_evidence = models.TextField(
        _("evidence of implementation"), blank=True, max_length=5000,
        help_text=_("How the change was implemented, e.g. an exercise result or a document."),
    )
    learned_action_item = models.ForeignKey(
        "improvements.ActionItem", verbose_name=_("done action item"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    merged_into = models.ForeignKey(
        "self", verbose_name=_("merged into"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="merged_from",
    )
    merged_at = models.DateTimeField(_("merged"), null=True, blank=True)
    split_from = models.ForeignKey(
        "self", verbose_name=_("split from"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="split_into",
    )
    is_demo = models.BooleanField(_("demo content"), default=False)
    external_key = models.CharField(_("external key"), max_length=100, blank=True, db_index=True)

    class Meta:
        verbose_name = _("insight")
        verbose_name_plural = _("insights")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["organisation", "status"])]

    def __str__(self) -> str:
        text = self.statement.strip().splitlines()[0] if self.statement.strip() else ""
        return text[:120] + ("…" if len(text) > 120 else "")

    def get_absolute_url(self) -> str:
        return reverse("evidence:insight_detail", kwargs={"pk": self.pk})

    @property
    def is_merged(self) -> bool:
        return self.merged_into_id is not None


class InsightSource(models.Model):
    """One typed, quotable link from an insight to what it rests on."""

    class Kind(models.TextChoices):
        PRACTICE = "practice", _("Practice example")
        WORKSHOP_CARD = "workshop_card", _("Workshop card")
        WORKSHOP = "workshop", _("Workshop")
        SURVEY_RESULT = "survey_result", _("Survey result")
        DOCUMENT = "document", _("Document")
        INTERVIEW = "interview", _("Interview passage")

    insight = models.ForeignKey(Insight, on_delete=models.CASCADE, related_name="sources")
    kind = models.CharField(_("kind of source"), max_length=20, choices=Kind.choices, db_index=True)
    object_id = models.PositiveBigIntegerField(_("object id"), null=True, blank=True, db_index=True)
    label = models.CharField(_("label"), max_length=300)
    url = models.CharField(_("address"), max_length=1000, blank=True)
    quote = models.TextField(_("quote"), blank=True, max_length=5000)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("source of an insight")
        verbose_name_plural = _("sources of insights")
        ordering = ["position", "id"]
        indexes = [models.Index(fields=["kind", "object_id"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.label}"
