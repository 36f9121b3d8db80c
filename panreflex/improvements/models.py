"""Action items of an organisation's improvement plan (issue #4).

An action item is a corrective action in the sense of the HSEEP improvement plan: what is to be done,
which capability or area it strengthens, who is responsible (organisation, person, point of contact),
when it starts and is due, and how far it has come. Items come from any source (typed by
`source_kind` + `source_id`): a workshop card, an assessment, an exercise, a recommendation, or a
manual entry. Reminders that were sent are recorded in `ActionItemReminder`, so none is sent twice.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from panreflex.accounts.models import Organisation, OwnedContent


class ActionItem(OwnedContent):
    class SourceKind(models.TextChoices):
        MANUAL = "manual", _("Manual entry")
        WORKSHOP = "workshop", _("Workshop")
        ASSESSMENT = "assessment", _("Assessment")
        EXERCISE = "exercise", _("Exercise")
        RECOMMENDATION = "recommendation", _("Recommendation")

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")
        DROPPED = "dropped", _("Dropped")

    title = models.CharField(_("corrective action"), max_length=300)
    description = models.TextField(_("description"), blank=True, max_length=10_000)
    source_kind = models.CharField(
        _("source"), max_length=20, choices=SourceKind.choices, default=SourceKind.MANUAL, db_index=True
    )
    source_id = models.PositiveBigIntegerField(_("source id"), null=True, blank=True)
    source_label = models.CharField(_("source (label)"), max_length=300, blank=True)
    source_url = models.CharField(_("source (address)"), max_length=500, blank=True)
    capability = models.CharField(
        _("capability or area"), max_length=200, blank=True,
        help_text=_("The capability element or area of the response this action strengthens."),
    )
    responsible_organisation = models.ForeignKey(
        Organisation, verbose_name=_("responsible organisation"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    responsible_person = models.CharField(_("responsible person"), max_length=200, blank=True)
    responsible_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("responsible user account"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
        help_text=_("The signed-in person who may update status and progress and receives reminders."),
    )
    point_of_contact = models.CharField(_("point of contact"), max_length=200, blank=True)
    start_date = models.DateField(_("start date"), null=True, blank=True)
    due_date = models.DateField(_("completion date (due)"), null=True, blank=True, db_index=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.OPEN, db_index=True)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    notes = models.TextField(_("notes"), blank=True, max_length=10_000)
    theme = models.ForeignKey(
        "taxonomy.Term", verbose_name=_("focus theme"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+", limit_choices_to={"vocabulary": "theme"},
    )
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)
    is_demo = models.BooleanField(_("demo content"), default=False)

    class Meta:
        verbose_name = _("action item")
        verbose_name_plural = _("action items")
        ordering = ["due_date", "id"]
        indexes = [
            models.Index(fields=["organisation", "status"]),
            models.Index(fields=["source_kind", "source_id"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(progress__lte=100), name="improvements_actionitem_progress_max",
                violation_error_message=_("Progress is a percentage between 0 and 100."),
            ),
            models.CheckConstraint(
                condition=models.Q(start_date__isnull=True)
                | models.Q(due_date__isnull=True)
                | models.Q(due_date__gte=models.F("start_date")),
                name="improvements_actionitem_dates_order",
                violation_error_message=_("The completion date must not be before the start date."),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("improvements:detail", kwargs={"pk": self.pk})

    @property
    def is_closed(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.DROPPED)

    def is_overdue(self, today=None) -> bool:
        today = today or timezone.localdate()
        return bool(self.due_date and not self.is_closed and self.due_date < today)


class ActionItemReminder(models.Model):
    """A reminder e-mail that was sent (one per item, kind and due date: never twice)."""

    class Kind(models.TextChoices):
        BEFORE = "before", _("Before the due date")
        AFTER = "after", _("After the due date")

    item = models.ForeignKey(ActionItem, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    due_date = models.DateField(_("due date reminded of"))
    recipients = models.TextField(_("recipients"), blank=True)
    sent_at = models.DateTimeField(_("sent"), default=timezone.now)

    class Meta:
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        ordering = ["-sent_at"]
        constraints = [
            models.UniqueConstraint(fields=["item", "kind", "due_date"], name="improvements_reminder_once")
        ]

    def __str__(self) -> str:
        return f"{self.item} – {self.get_kind_display()} {self.due_date}"
