"""Municipal surveys: questionnaires (versioned item trees), fieldwork (invitations) and responses.

A questionnaire version is a tree of `Item`s (groups, repeats, Likert matrices and questions) with
named choice lists, close to the XLSForm model so that forms round-trip. A version that has gone into
the field is frozen (`frozen_at`); changes then go into a new version.
"""

from __future__ import annotations

import contextvars
import re
import secrets

from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from panreflex.accounts.models import Organisation, OwnedContent

LANGS = ("de", "en")
# the questionnaire language a respondent picked (any language of the form, e.g. "tr"), apart from
# the interface language; set for one request by the respondent views
questionnaire_language: contextvars.ContextVar[str] = contextvars.ContextVar("questionnaire_language", default="")


def pick_label(labels: dict | None, lang: str | None = None) -> str:
    """The label in the questionnaire language (or the active interface language), falling back to
    German, English and then any language the text has."""
    labels = labels or {}
    lang = lang or questionnaire_language.get() or (get_language() or "de")[:2]
    return labels.get(lang) or next((labels[k] for k in LANGS if labels.get(k)), "") or next(
        (v for v in labels.values() if v), "")


# XLSForm types filled by the device, never asked (kept as `xlsform` fields for export)
METADATA_TYPES = {"start", "end", "today", "deviceid", "subscriberid", "simserial", "phonenumber", "username",
                  "email", "audit", "uri:deviceid", "uri:subscriberid", "uri:simserial", "uri:phonenumber",
                  "uri:username", "uri:email", "start-geopoint", "background-audio", "background-geopoint"}


def new_token() -> str:
    return secrets.token_urlsafe(24)


class Survey(OwnedContent):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        FIELD = "field", _("In the field")
        CLOSED = "closed", _("Closed")

    title = models.CharField(_("title (German)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    description = models.TextField(_("introduction"), blank=True, max_length=5000)
    form_id = models.SlugField(_("form ID"), max_length=100, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    anonymous = models.BooleanField(
        _("anonymous"),
        default=False,
        help_text=_("On submission the link between the response and the invitation is removed."),
    )
    starts_at = models.DateTimeField(_("start"), null=True, blank=True)
    ends_at = models.DateTimeField(_("end"), null=True, blank=True)
    open_token = models.CharField(_("open link token"), max_length=64, blank=True, db_index=True)
    import_report = models.JSONField(_("import report"), default=list, blank=True)
    is_demo = models.BooleanField(_("demo content"), default=False)

    class Meta:
        verbose_name = _("survey")
        verbose_name_plural = _("surveys")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("surveys:detail", kwargs={"pk": self.pk})

    @property
    def display_title(self) -> str:
        return pick_label({"de": self.title, "en": self.title_en})

    def is_open_at(self, when=None) -> bool:
        when = when or timezone.now()
        if self.status != self.Status.FIELD:
            return False
        if self.starts_at and when < self.starts_at:
            return False
        return not (self.ends_at and when >= self.ends_at)


class SurveyVersion(models.Model):
    survey = models.ForeignKey(Survey, verbose_name=_("survey"), on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    frozen_at = models.DateTimeField(_("frozen"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    # the form's languages in order: [[code, XLSForm column name], …], e.g. [["tr", "Türkçe (tr)"]];
    # a column name "" is the plain `label` column. Empty: German and English.
    languages = models.JSONField(_("languages"), default=list, blank=True)
    # the XLSForm settings sheet (instance_name, default_language, style, allow_choice_duplicates, …)
    settings = models.JSONField(_("form settings"), default=dict, blank=True)

    class Meta:
        verbose_name = _("questionnaire version")
        verbose_name_plural = _("questionnaire versions")
        ordering = ["survey", "number"]
        constraints = [models.UniqueConstraint(fields=["survey", "number"], name="surveys_version_unique")]

    def __str__(self) -> str:
        return f"{self.survey} v{self.number}"

    @property
    def is_frozen(self) -> bool:
        return self.frozen_at is not None

    @property
    def language_codes(self) -> list[str]:
        return [code for code, _header in self.languages] or list(LANGS)

    def language_names(self) -> list[tuple[str, str]]:
        """(code, display name) of every language of the form."""
        if not self.languages:
            return [("de", "Deutsch"), ("en", "English")]
        out = []
        for code, header in self.languages:
            name = re.sub(r"\s*\([^)]*\)\s*$", "", header or "").strip() or code
            out.append((code, name))
        return out


class ChoiceList(models.Model):
    version = models.ForeignKey(SurveyVersion, on_delete=models.CASCADE, related_name="choice_lists")
    name = models.CharField(_("list name"), max_length=100)
    # an external list: the CSV attachment it was read from (select_one_from_file x.csv)
    source_file = models.CharField(_("CSV attachment"), max_length=200, blank=True)
    source_csv = models.TextField(blank=True)

    class Meta:
        verbose_name = _("choice list")
        verbose_name_plural = _("choice lists")
        ordering = ["version", "name"]
        constraints = [models.UniqueConstraint(fields=["version", "name"], name="surveys_choicelist_unique")]

    def __str__(self) -> str:
        return self.name


class Choice(models.Model):
    choice_list = models.ForeignKey(ChoiceList, on_delete=models.CASCADE, related_name="choices")
    name = models.CharField(_("code"), max_length=100)
    labels = models.JSONField(_("labels"), default=dict)
    position = models.PositiveIntegerField(default=0)
    # further columns of the choices sheet (the ones `choice_filter` reads, e.g. {"state": "nrw"}, and
    # media); a code may repeat in a list when the form allows it (cascading selects)
    filters = models.JSONField(_("filter columns"), default=dict, blank=True)

    class Meta:
        verbose_name = _("choice")
        verbose_name_plural = _("choices")
        ordering = ["choice_list", "position", "pk"]

    def __str__(self) -> str:
        return self.name

    @property
    def label(self) -> str:
        return pick_label(self.labels) or self.name


class Item(models.Model):
    """A node of the questionnaire: a container (group, repeat, Likert matrix), a question or a note."""

    class Kind(models.TextChoices):
        GROUP = "group", _("Section (group)")
        REPEAT = "repeat", _("Repeated section")
        MATRIX = "matrix", _("Likert matrix")
        SINGLE = "single", _("Single choice")
        MULTIPLE = "multiple", _("Multiple choice")
        LIKERT = "likert", _("Likert scale")
        INTEGER = "integer", _("Whole number")
        DECIMAL = "decimal", _("Decimal number")
        TEXT = "text", _("Short text")
        LONGTEXT = "longtext", _("Long text")
        DATE = "date", _("Date")
        RANKING = "ranking", _("Ranking")
        YESNO = "yesno", _("Yes/no")
        MUNICIPALITY = "municipality", _("Municipality")
        FILE = "file", _("File upload")
        NOTE = "note", _("Note (no answer)")
        LOOP = "loop", _("Loop over a choice list")
        CALCULATE = "calculate", _("Calculation")
        HIDDEN = "hidden", _("Hidden value")
        ACKNOWLEDGE = "acknowledge", _("Acknowledgement")
        RANGE = "range", _("Range (slider)")
        TIME = "time", _("Time")
        DATETIME = "datetime", _("Date and time")
        OTHER = "xlsform", _("Other XLSForm field")

    CONTAINERS = {Kind.GROUP, Kind.REPEAT, Kind.MATRIX, Kind.LOOP}
    REPEATING = {Kind.REPEAT, Kind.LOOP}
    COMPUTED = {Kind.CALCULATE, Kind.HIDDEN}
    CHOICE_KINDS = {Kind.SINGLE, Kind.MULTIPLE, Kind.LIKERT, Kind.RANKING, Kind.YESNO}
    CLOSED_KINDS = {Kind.SINGLE, Kind.MULTIPLE, Kind.LIKERT, Kind.YESNO, Kind.MUNICIPALITY}
    NUMBER_KINDS = {Kind.INTEGER, Kind.DECIMAL}

    version = models.ForeignKey(SurveyVersion, on_delete=models.CASCADE, related_name="items")
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE, related_name="children")
    position = models.PositiveIntegerField(default=0)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    name = models.CharField(
        _("name"), max_length=100, help_text=_("Variable name: letters, digits and underscores, unique in the form.")
    )
    labels = models.JSONField(_("wording"), default=dict, blank=True)
    hints = models.JSONField(_("help text"), default=dict, blank=True)
    required = models.BooleanField(_("required"), default=False)
    relevant = models.CharField(_("show only if"), max_length=1000, blank=True)
    constraint = models.CharField(_("validation rule"), max_length=1000, blank=True)
    constraint_messages = models.JSONField(_("validation message"), default=dict, blank=True)
    choice_list = models.ForeignKey(
        ChoiceList, null=True, blank=True, on_delete=models.PROTECT, related_name="items", verbose_name=_("choices")
    )
    allow_other = models.BooleanField(_("“other, namely” option"), default=False)
    randomize = models.BooleanField(_("random order"), default=False)
    unit = models.CharField(_("unit"), max_length=40, blank=True)
    min_value = models.DecimalField(_("minimum"), max_digits=14, decimal_places=4, null=True, blank=True)
    max_value = models.DecimalField(_("maximum"), max_digits=14, decimal_places=4, null=True, blank=True)
    repeat_count = models.PositiveIntegerField(_("number of repetitions"), null=True, blank=True)
    appearance = models.CharField(_("appearance"), max_length=100, blank=True)
    calculation = models.CharField(_("calculation"), max_length=2000, blank=True)
    choice_filter = models.CharField(_("choice filter"), max_length=1000, blank=True)
    default = models.CharField(_("default answer"), max_length=500, blank=True)
    read_only = models.BooleanField(_("read only"), default=False)
    trigger = models.CharField(_("recalculate when"), max_length=200, blank=True)
    # what an XLSForm row had beyond these fields, written back on export: {"type": the original
    # type of an `xlsform` field, "columns": {column: value}}; file questions: {"accept": …}
    extra = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["version", "position", "pk"]
        constraints = [models.UniqueConstraint(fields=["version", "name"], name="surveys_item_name_unique")]

    def __str__(self) -> str:
        return self.name

    @property
    def label(self) -> str:
        return pick_label(self.labels) or self.name

    @property
    def hint(self) -> str:
        return pick_label(self.hints)

    @property
    def constraint_message(self) -> str:
        return pick_label(self.constraint_messages)

    @property
    def is_container(self) -> bool:
        return self.kind in self.CONTAINERS

    @property
    def is_question(self) -> bool:
        """Answered by the respondent (calculations, hidden values and metadata fields are not)."""
        return self.kind not in self.CONTAINERS and self.kind != self.Kind.NOTE and self.kind not in self.COMPUTED \
            and not (self.kind == self.Kind.OTHER and self.is_metadata)

    @property
    def is_metadata(self) -> bool:
        return self.kind == self.Kind.OTHER and (self.extra or {}).get("type", "") in METADATA_TYPES

    @property
    def is_stored(self) -> bool:
        """Has a value in the response (answered or computed)."""
        return self.is_question or self.kind in self.COMPUTED

    @property
    def is_closed(self) -> bool:
        return self.kind in self.CLOSED_KINDS


class Invitation(models.Model):
    """A personal link: one per organisation, municipality or person."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="invitations")
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("organisation")
    )
    place = models.ForeignKey(
        "places.Place", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("municipality")
    )
    name = models.CharField(_("name"), max_length=200, blank=True)
    email = models.EmailField(_("e-mail address"), blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    opened_at = models.DateTimeField(_("opened"), null=True, blank=True)
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("last reminder"), null=True, blank=True)
    reminder_count = models.PositiveIntegerField(_("reminders"), default=0)
    is_demo = models.BooleanField(_("demo content"), default=False)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["survey", "name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "place"], condition=models.Q(place__isnull=False), name="surveys_invitation_place_unique"
            ),
            models.UniqueConstraint(
                fields=["survey", "organisation"],
                condition=models.Q(organisation__isnull=False),
                name="surveys_invitation_org_unique",
            ),
        ]

    def __str__(self) -> str:
        return self.name or self.email or str(self.pk)

    def get_respond_url(self) -> str:
        return reverse("surveys:respond", kwargs={"token": self.token})


class Response(models.Model):
    class Status(models.TextChoices):
        PARTIAL = "partial", _("Partly answered")
        COMPLETE = "complete", _("Submitted")

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="responses")
    version = models.ForeignKey(SurveyVersion, on_delete=models.PROTECT, related_name="responses")
    invitation = models.OneToOneField(
        Invitation, null=True, blank=True, on_delete=models.SET_NULL, related_name="response"
    )
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PARTIAL)
    place = models.ForeignKey("places.Place", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    size_class = models.CharField(_("size class"), max_length=4, blank=True)
    state_code = models.CharField(_("state"), max_length=2, blank=True)
    started_at = models.DateTimeField(_("started"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    is_demo = models.BooleanField(_("demo content"), default=False)

    class Meta:
        verbose_name = _("response")
        verbose_name_plural = _("responses")
        ordering = ["survey", "pk"]
        indexes = [models.Index(fields=["survey", "status"])]

    def __str__(self) -> str:
        return f"{self.survey} #{self.pk}"


class Answer(models.Model):
    """One answer. `code` holds a single choice (or AGS), `codes` a space-delimited list (" a b "),
    `number` numbers, `text` free text (and the “other, namely” text)."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="answers")
    instance = models.PositiveIntegerField(default=0)
    code = models.CharField(max_length=100, blank=True)
    codes = models.CharField(max_length=2000, blank=True)
    number = models.DecimalField(max_digits=18, decimal_places=6, null=True, blank=True)
    date = models.DateField(null=True, blank=True)
    text = models.TextField(blank=True)
    file = models.FileField(upload_to="surveys/uploads/%Y/%m/", blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        ordering = ["response", "item", "instance"]
        constraints = [
            models.UniqueConstraint(fields=["response", "item", "instance"], name="surveys_answer_unique")
        ]
        indexes = [models.Index(fields=["item", "code"])]

    def __str__(self) -> str:
        return f"{self.item.name}={self.code or self.codes or self.number or self.text}"

    @property
    def code_list(self) -> list[str]:
        return self.codes.split()
