"""Practice examples (Praxisbeispiele) – issue #3.

A practice example is OwnedContent (organisation + visibility). It becomes public only when it is
published after peer review (status PUBLISHED sets `released_at`). Every saved state is kept as a
`PracticeVersion` (JSON snapshot) so that versions can be compared.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from panreflex.accounts.models import Organisation, OwnedContent, Visibility

# What each visibility means for a practice example: exactly the rule in `practices/rules.py` (issue 13).
PRACTICE_VISIBILITY_CHOICES = [
    (Visibility.PRIVATE.value, _("Private: own organisation (and, while in review, its reviewers)")),
    (Visibility.NETWORK.value, _("Network: once published, signed-in members of partner organisations")),
    (Visibility.PUBLIC.value, _("Public: once published after review, everyone")),
]


class Practice(OwnedContent):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        IN_REVIEW = "in_review", _("In review")
        CHANGES_REQUESTED = "changes_requested", _("Changes requested")
        PUBLISHED = "published", _("Published")
        ARCHIVED = "archived", _("Archived")

    title = models.CharField(_("title"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    summary = models.TextField(_("short summary"), max_length=1000)
    summary_en = models.TextField(_("short summary (English)"), max_length=1000, blank=True)
    description = models.TextField(_("full description (Markdown)"), blank=True, max_length=50_000)

    places = models.ManyToManyField(
        "places.Place", verbose_name=_("municipalities or cities"), blank=True, related_name="practices",
        help_text=_("German municipalities (by AGS) or international cities."),
    )
    levels = models.ManyToManyField(
        "taxonomy.Term", verbose_name=_("administrative levels"), blank=True, related_name="+",
        limit_choices_to={"vocabulary": "level"},
    )
    themes = models.ManyToManyField(
        "taxonomy.Term", verbose_name=_("focus themes"), blank=True, related_name="+",
        limit_choices_to={"vocabulary": "theme"},
    )
    subtopics = models.ManyToManyField(
        "taxonomy.Term", verbose_name=_("subtopics"), blank=True, related_name="+",
        limit_choices_to={"vocabulary": "subtopic"},
    )
    phases = models.ManyToManyField(
        "taxonomy.Term", verbose_name=_("crisis phases"), blank=True, related_name="+",
        limit_choices_to={"vocabulary": "phase"},
    )
    period_start = models.DateField(_("start (month)"), null=True, blank=True, help_text=_("Month precision."))
    period_end = models.DateField(_("end (month)"), null=True, blank=True, help_text=_("Month precision; empty = ongoing."))
    target_groups = models.ManyToManyField(
        "taxonomy.Term", verbose_name=_("target groups"), blank=True, related_name="+",
        limit_choices_to={"vocabulary": "target_group"},
    )
    actor_organisations = models.ManyToManyField(
        Organisation, verbose_name=_("organisations involved"), blank=True, related_name="practices_involved"
    )
    actors_text = models.TextField(_("other actors involved"), blank=True, max_length=2000,
                                   help_text=_("One per line."))
    innovation_kinds = models.ManyToManyField(
        "taxonomy.Term", verbose_name=_("kind of innovation"), blank=True, related_name="+",
        limit_choices_to={"vocabulary": "innovation_kind"},
    )
    challenge = models.TextField(_("the challenge"), blank=True, max_length=10_000)
    measures = models.TextField(_("what was done"), blank=True, max_length=20_000)
    resources_staff = models.CharField(_("resources: staff"), max_length=500, blank=True)
    resources_cost = models.CharField(_("resources: cost"), max_length=500, blank=True)
    results = models.TextField(_("results and figures"), blank=True, max_length=10_000)
    went_well = models.TextField(_("what went well"), blank=True, max_length=10_000)
    went_less_well = models.TextField(_("what went less well"), blank=True, max_length=10_000)
    good_practice = models.JSONField(
        _("characteristics of good practice"), default=list, blank=True,
        help_text=_("List of {criterion, justification}."),
    )
    transfer_crises = models.TextField(_("transferability to other crises"), blank=True, max_length=5000)
    transfer_municipalities = models.TextField(_("transferability to other municipalities"), blank=True, max_length=5000)
    transfer_conditions = models.TextField(_("conditions for transfer"), blank=True, max_length=5000)
    adaptation_germany = models.TextField(
        _("adaptation to German municipalities"), blank=True, max_length=5000,
        help_text=_("For international examples: legal frame, competences, size."),
    )
    evidence_strength = models.ForeignKey(
        "taxonomy.Term", verbose_name=_("strength of evidence"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+", limit_choices_to={"vocabulary": "evidence_strength"},
    )
    uncertainty_notes = models.TextField(_("uncertainty notes"), blank=True, max_length=5000)
    contact_name = models.CharField(_("contact person"), max_length=200, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    contact_consent = models.BooleanField(_("the contact person agreed to be named"), default=False)

    draft_shared = models.BooleanField(
        _("show the draft to partner organisations before publication"), default=False,
        help_text=_("Only for network or public examples. Without it, a draft is seen only by its organisation "
                    "and, while in review, by its reviewers."),
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("reviewer"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+", help_text=_("Who took the current review."),
    )
    pending = models.JSONField(
        _("changes awaiting review"), null=True, blank=True, editable=False,
        help_text=_("Edits to a published example, kept apart until a reviewer approves them."),
    )
    pending_status = models.CharField(
        _("status of the changes awaiting review"), max_length=20, choices=Status.choices, blank=True, editable=False
    )
    is_demo = models.BooleanField(_("generated demo/benchmark data"), default=False)
    external_key = models.CharField(
        _("external key"), max_length=100, blank=True, db_index=True,
        help_text=_("Stable key from an import (e.g. the fact list number) to keep imports idempotent."),
    )

    class Meta:
        verbose_name = _("practice example")
        verbose_name_plural = _("practice examples")
        ordering = ["-published_at", "-created_at"]
        indexes = [
            models.Index(fields=["status", "visibility"]),
            models.Index(fields=["period_start"]),
            # the columns that decide visibility, facets and sort order, for lists that read many examples
            # by id (the search): read from this index instead of the wide rows with all their texts
            models.Index(fields=["id", "visibility", "released_at", "organisation", "status", "published_at",
                                 "created_at", "period_start", "period_end", "evidence_strength"],
                         name="practice_list_columns"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(period_end__isnull=True)
                | models.Q(period_start__isnull=True)
                | models.Q(period_end__gte=models.F("period_start")),
                name="practices_period_order",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("practices:detail", kwargs={"pk": self.pk})

    @property
    def visibility_label(self) -> str:
        return str(dict(PRACTICE_VISIBILITY_CHOICES).get(self.visibility, self.visibility))

    @property
    def is_international(self) -> bool:
        return any(p.country_code != "DE" for p in self.places.all())


def workflow_state(practice: Practice) -> str:
    """The state that matters for the next step: that of the staged changes, if any."""
    return practice.pending_status or practice.status


class PracticeSource(models.Model):
    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="sources")
    title = models.CharField(_("title"), max_length=500)
    url = models.URLField(_("address"), max_length=1000, blank=True)
    published_on = models.DateField(_("date"), null=True, blank=True)
    accessed_on = models.DateField(_("accessed on"), null=True, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("source")
        verbose_name_plural = _("sources")
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.title


def attachment_path(instance, filename):
    return f"practices/{instance.practice_id}/{secrets.token_hex(8)}{instance.extension}"


class PracticeAttachment(models.Model):
    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="attachments")
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(_("file"), upload_to=attachment_path)
    content_type = models.CharField(max_length=100)
    extension = models.CharField(max_length=10)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["uploaded_at"]

    def __str__(self) -> str:
        return self.title


class PracticeVersion(models.Model):
    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    snapshot = models.JSONField()
    status = models.CharField(max_length=20, choices=Practice.Status.choices)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("version")
        verbose_name_plural = _("versions")
        ordering = ["-number"]
        constraints = [models.UniqueConstraint(fields=["practice", "number"], name="practices_version_unique")]

    def __str__(self) -> str:
        return f"{self.practice} v{self.number}"


class PracticeReview(models.Model):
    class Decision(models.TextChoices):
        COMMENT = "comment", _("Comments only")
        CHANGES = "changes", _("Changes requested")
        APPROVE = "approve", _("Approved")

    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="reviews")
    version = models.ForeignKey(PracticeVersion, null=True, on_delete=models.SET_NULL, related_name="reviews")
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    decision = models.CharField(_("decision"), max_length=10, choices=Decision.choices)
    summary = models.TextField(_("overall comment"), blank=True, max_length=5000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.get_decision_display()}: {self.practice_id}"


class ReviewComment(models.Model):
    review = models.ForeignKey(PracticeReview, on_delete=models.CASCADE, related_name="comments")
    field = models.CharField(_("field"), max_length=60)
    text = models.TextField(_("comment"), max_length=5000)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.field or '-'}: {self.text[:60]}"

    @property
    def field_label(self) -> str:
        """The commented field's label in the active language ("" = the whole example)."""
        if not self.field:
            return ""
        from .diffing import field_label

        return field_label(self.field).capitalize()


class WatchlistEntry(models.Model):
    """Personal watch list (Merkliste)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="practice_watchlist")
    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["user", "practice"], name="practices_watch_unique")]

    def __str__(self) -> str:
        return f"{self.user_id} → {self.practice_id}"


def _share_token() -> str:
    return secrets.token_urlsafe(16)


class Collection(models.Model):
    """A named, ordered, shareable collection of practice examples."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="practice_collections")
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True, max_length=5000)
    is_shared = models.BooleanField(_("shared by link"), default=False)
    share_token = models.CharField(max_length=40, unique=True, default=_share_token, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("collection")
        verbose_name_plural = _("collections")
        ordering = ["-updated_at"]

    def __str__(self) -> str:
        return self.title


class CollectionItem(models.Model):
    collection = models.ForeignKey(Collection, on_delete=models.CASCADE, related_name="items")
    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="+")
    position = models.PositiveIntegerField(default=0)
    note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        ordering = ["position", "id"]
        constraints = [models.UniqueConstraint(fields=["collection", "practice"], name="practices_collection_item_unique")]

    def __str__(self) -> str:
        return f"{self.collection_id}: {self.practice_id}"
