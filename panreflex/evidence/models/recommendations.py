"""Recommendations (Handlungsempfehlungen) with their evidence, review comments, versions and the
feedback of municipalities (issue #5).

Evidence links point at an insight, a practice example or another recommendation (a specific
recommendation may rest on a broader one); links between recommendations must not form a circle.
The strength of each link is shown: a practice example carries its own strength (press report,
documented by the municipality, evaluated); an insight is as strong as its strongest source; a
recommendation as its strongest evidence.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from panreflex.accounts.models import Organisation, OwnedContent


class Addressee(models.TextChoices):
    LEADERSHIP = "leadership", _("Administrative leadership")
    CRISIS_STAFF = "crisis_staff", _("Crisis staff")
    SPECIALIST_OFFICES = "specialist_offices", _("Specialist offices")
    COUNCIL = "council", _("Council")
    STATE = "state", _("State level")


class Recommendation(OwnedContent):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        IN_REVIEW = "in_review", _("In review")
        AGREED = "agreed", _("Agreed")
        PUBLISHED = "published", _("Published")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    class Level(models.TextChoices):
        HIGH = "high", _("high")
        MEDIUM = "medium", _("medium")
        LOW = "low", _("low")

    title = models.CharField(_("title"), max_length=200)
    statement = models.TextField(_("recommendation"), max_length=600,
                                 help_text=_("The recommendation in one or two sentences."))
    explanation = models.TextField(_("explanation (Markdown)"), blank=True, max_length=20_000)
    addressees = models.JSONField(_("addressees"), default=list, blank=True)
    themes = models.ManyToManyField(
        "taxonomy.Term", verbose_name=_("focus themes"), blank=True, related_name="+",
        limit_choices_to={"vocabulary": "theme"},
    )
    lever = models.ForeignKey(
        "taxonomy.Term", verbose_name=_("lever"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+", limit_choices_to={"vocabulary": "lever"},
    )
    priority = models.CharField(_("priority"), max_length=10, choices=Level.choices, default=Level.MEDIUM)
    effort = models.CharField(_("effort"), max_length=10, choices=Level.choices, default=Level.MEDIUM)
    preconditions = models.TextField(_("preconditions"), blank=True, max_length=5000)
    steps = models.TextField(_("concrete steps (Markdown)"), blank=True, max_length=10_000)
    related = models.ManyToManyField("self", verbose_name=_("related recommendations"), blank=True, symmetrical=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True)
    version = models.PositiveIntegerField(_("version"), default=1)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    is_demo = models.BooleanField(_("demo content"), default=False)
    external_key = models.CharField(_("external key"), max_length=100, blank=True, db_index=True)

    class Meta:
        verbose_name = _("recommendation")
        verbose_name_plural = _("recommendations")
        ordering = ["lever__position", "title", "id"]
        indexes = [models.Index(fields=["status", "visibility"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("evidence:recommendation_detail", kwargs={"pk": self.pk})

    def addressee_labels(self) -> list[str]:
        labels = dict(Addressee.choices)
        return [str(labels.get(a, a)) for a in self.addressees]

    @property
    def is_editable(self) -> bool:
        return self.status in (self.Status.DRAFT, self.Status.IN_REVIEW)


class RecommendationEvidence(models.Model):
    class Kind(models.TextChoices):
        INSIGHT = "insight", _("Insight")
        PRACTICE = "practice", _("Practice example")
        RECOMMENDATION = "recommendation", _("Recommendation")

    recommendation = models.ForeignKey(Recommendation, on_delete=models.CASCADE, related_name="evidence")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    insight = models.ForeignKey("evidence.Insight", null=True, blank=True, on_delete=models.PROTECT,
                                related_name="recommendation_links", verbose_name=_("insight"))
    practice = models.ForeignKey("practices.Practice", null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="+", verbose_name=_("practice example"))
    target = models.ForeignKey(Recommendation, null=True, blank=True, on_delete=models.PROTECT,
                               related_name="supports", verbose_name=_("recommendation it rests on"))
    note = models.CharField(_("note"), max_length=500, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("evidence link")
        verbose_name_plural = _("evidence links")
        ordering = ["position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(kind="insight", insight__isnull=False, practice__isnull=True, target__isnull=True)
                    | models.Q(kind="practice", insight__isnull=True, practice__isnull=False, target__isnull=True)
                    | models.Q(kind="recommendation", insight__isnull=True, practice__isnull=True,
                               target__isnull=False)
                ),
                name="evidence_link_one_target",
            ),
            models.UniqueConstraint(fields=["recommendation", "insight"], name="evidence_link_insight_once"),
            models.UniqueConstraint(fields=["recommendation", "practice"], name="evidence_link_practice_once"),
            models.UniqueConstraint(fields=["recommendation", "target"], name="evidence_link_target_once"),
        ]

    def __str__(self) -> str:
        return f"{self.recommendation} ← {self.linked}"

    @property
    def linked(self):
        return self.insight or self.practice or self.target


class RecommendationComment(models.Model):
    recommendation = models.ForeignKey(Recommendation, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+",
                               verbose_name=_("author"))
    text = models.TextField(_("comment"), max_length=5000)
    version = models.PositiveIntegerField(_("version"), default=1)
    transition = models.CharField(_("status change"), max_length=40, blank=True)
    created_at = models.DateTimeField(_("written"), default=timezone.now)

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.text[:80]


class RecommendationVersion(models.Model):
    recommendation = models.ForeignKey(Recommendation, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    status = models.CharField(_("status"), max_length=20, choices=Recommendation.Status.choices)
    data = models.JSONField(_("content"), default=dict)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("saved by"))
    created_at = models.DateTimeField(_("saved"), default=timezone.now)

    class Meta:
        verbose_name = _("version")
        verbose_name_plural = _("versions")
        ordering = ["-number", "-id"]
        constraints = [models.UniqueConstraint(fields=["recommendation", "number"], name="evidence_version_once")]

    def __str__(self) -> str:
        return f"{self.recommendation} v{self.number}"


class Feedback(models.Model):
    """How far an organisation has adopted a recommendation. One answer per organisation."""

    class Answer(models.TextChoices):
        IN_PLACE = "in_place", _("Already in place")
        PLANNED = "planned", _("Planned")
        UNDER_DISCUSSION = "under_discussion", _("Under discussion")
        NOT_RELEVANT = "not_relevant", _("Not relevant")

    recommendation = models.ForeignKey(Recommendation, on_delete=models.CASCADE, related_name="feedback")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+",
                                     verbose_name=_("organisation"))
    answer = models.CharField(_("answer"), max_length=20, choices=Answer.choices)
    note = models.TextField(_("note"), blank=True, max_length=2000)
    action_item = models.ForeignKey("improvements.ActionItem", null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+", verbose_name=_("action item"))
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(_("answered"), default=timezone.now)

    class Meta:
        verbose_name = _("feedback")
        verbose_name_plural = _("feedback")
        constraints = [
            models.UniqueConstraint(fields=["recommendation", "organisation"], name="evidence_feedback_once")
        ]

    def __str__(self) -> str:
        return f"{self.organisation}: {self.get_answer_display()}"
