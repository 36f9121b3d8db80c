"""Risk and crisis communication (issue 17).

- `CommunicationPlan`: an organisation's plan along the four phases of the federal guideline on crisis
  communication (potential, latent, acute, post-crisis), with audiences (`PlanAudience`: internal,
  public, media, other agencies, or a group of the vulnerable-groups catalogue) and their channels,
  languages and plain-language needs, the approval chain (`PlanMember`), multipliers
  (`Multiplier`, personal data only with recorded consent) and a prepared dark site. Every change
  raises the version and keeps a snapshot (`PlanVersion`).
- `Message`: a message for one audience with versions per language (`MessageVersion`), plain-language
  and Leichte Sprache versions linked to their standard-language source, and an approval workflow
  whose steps are recorded (`MessageEvent`); approved versions are frozen.
- `MessageTemplate`: the template library, linked to the practice examples a template comes from.
- `Rumour`: the rumour and misinformation register (WHO social-listening categories) and the weekly
  summaries (`WeeklySummary`, a PDF the background worker renders).
- `Alert`, `AlertInfo`, `AlertArea`: public warnings in OASIS CAP 1.2, composed here or imported.
- `JargonWord`: the staff-edited list of jargon the readability hints point at.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from panreflex.accounts.models import Organisation, OwnedContent


class Phase(models.TextChoices):
    """Phases of the BMI guideline on crisis communication (Leitfaden Krisenkommunikation)."""

    POTENTIAL = "potential", _("Potential crisis (green)")
    LATENT = "latent", _("Latent crisis (yellow)")
    ACUTE = "acute", _("Acute crisis (red)")
    POST = "post", _("Post-crisis (blue)")


class Channel(models.TextChoices):
    PRESS = "press", _("Press")
    WEB = "web", _("Website")
    SOCIAL = "social", _("Social media")
    SMS = "sms", _("SMS")
    WARNING_APP = "warning_app", _("Warning apps")
    POSTER = "poster", _("Posters and flyers")
    MULTIPLIERS = "multipliers", _("Multipliers and community ambassadors")
    HOTLINE = "hotline", _("Hotline")
    LOUDSPEAKER = "loudspeaker", _("Loudspeaker vans")


class Variant(models.TextChoices):
    STANDARD = "standard", _("Standard language")
    PLAIN = "plain", _("Plain language")
    EASY = "easy", _("Leichte Sprache (easy-to-read)")


# Languages a plan can configure (BCP 47 primary tags); the list is what German municipalities use most.
LANGUAGES = [
    ("de", _("German")), ("en", _("English")), ("tr", _("Turkish")), ("ar", _("Arabic")),
    ("uk", _("Ukrainian")), ("ru", _("Russian")), ("pl", _("Polish")), ("ro", _("Romanian")),
    ("bg", _("Bulgarian")), ("fa", _("Persian")), ("fr", _("French")), ("es", _("Spanish")),
    ("it", _("Italian")), ("el", _("Greek")), ("ku", _("Kurdish")), ("sq", _("Albanian")),
]
LANGUAGE_NAMES = dict(LANGUAGES)


class CommunicationPlan(OwnedContent):
    title = models.CharField(_("title"), max_length=200)
    crisis_kind = models.ForeignKey(
        "taxonomy.Term", verbose_name=_("kind of crisis"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+", limit_choices_to={"vocabulary": "crisis_kind"},
    )
    current_phase = models.CharField(_("current phase"), max_length=12, choices=Phase.choices, default=Phase.POTENTIAL)
    phase_notes = models.JSONField(
        _("what happens in each phase"), default=dict, blank=True,
        help_text=_("Per phase: goals, tasks and the messages that are prepared."),
    )
    languages = models.JSONField(_("languages"), default=list, blank=True)
    dark_site_title = models.CharField(_("dark site: title"), max_length=200, blank=True)
    dark_site_text = models.TextField(
        _("dark site: text (Markdown)"), max_length=20_000, blank=True,
        help_text=_("A public page kept unpublished until the crisis."),
    )
    dark_site_published_at = models.DateTimeField(_("dark site published"), null=True, blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)
    is_demo = models.BooleanField(_("demo content"), default=False)

    class Meta:
        verbose_name = _("communication plan")
        verbose_name_plural = _("communication plans")
        ordering = ["title", "id"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("communication:plan_detail", kwargs={"pk": self.pk})

    def language_names(self) -> list[str]:
        return [str(LANGUAGE_NAMES.get(code, code)) for code in self.languages]


class PlanVersion(models.Model):
    """A snapshot of a plan after a change (the plan's history)."""

    plan = models.ForeignKey(CommunicationPlan, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    snapshot = models.JSONField(_("content"), default=dict)
    note = models.CharField(_("what changed"), max_length=300, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("plan version")
        verbose_name_plural = _("plan versions")
        ordering = ["plan", "-number"]
        constraints = [models.UniqueConstraint(fields=["plan", "number"], name="communication_planversion_unique")]

    def __str__(self) -> str:
        return f"{self.plan} v{self.number}"


class PlanAudience(models.Model):
    class Kind(models.TextChoices):
        INTERNAL = "internal", _("Internal (administration, crisis staff)")
        PUBLIC = "public", _("General public")
        MEDIA = "media", _("Media")
        AGENCIES = "agencies", _("Other agencies and organisations")
        GROUP = "group", _("Target group from the vulnerable-groups catalogue")

    plan = models.ForeignKey(CommunicationPlan, on_delete=models.CASCADE, related_name="audiences")
    kind = models.CharField(_("kind of audience"), max_length=12, choices=Kind.choices)
    group = models.ForeignKey(
        "vulnerability.VulnerableGroup", verbose_name=_("vulnerable group"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )
    name = models.CharField(_("name"), max_length=200)
    channels = models.JSONField(_("channels"), default=list, blank=True)
    languages = models.JSONField(_("languages"), default=list, blank=True)
    needs_plain = models.BooleanField(_("needs plain language"), default=False)
    needs_easy = models.BooleanField(_("needs Leichte Sprache"), default=False)
    notes = models.TextField(_("notes"), max_length=3000, blank=True)

    class Meta:
        verbose_name = _("audience")
        verbose_name_plural = _("audiences")
        ordering = ["plan", "kind", "name"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(kind="group") | models.Q(group__isnull=False),
                name="communication_audience_group_given",
                violation_error_message=_("Choose the group from the catalogue."),
            ),
        ]

    def __str__(self) -> str:
        return self.name


class PlanMember(models.Model):
    """A person in the plan's approval chain."""

    class Role(models.TextChoices):
        DRAFTER = "drafter", _("Drafts")
        APPROVER = "approver", _("Approves")
        DEPUTY = "deputy", _("Approves as deputy")

    plan = models.ForeignKey(CommunicationPlan, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("person"), on_delete=models.CASCADE,
                             related_name="+")
    role = models.CharField(_("role"), max_length=10, choices=Role.choices)
    responsibility = models.CharField(_("responsibility"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("member of the approval chain")
        verbose_name_plural = _("approval chain")
        ordering = ["plan", "role", "id"]
        constraints = [models.UniqueConstraint(fields=["plan", "user", "role"], name="communication_member_unique")]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()}"


class Multiplier(models.Model):
    """A multiplier or community ambassador: organisation and role; a named person and contact details
    only with recorded consent."""

    plan = models.ForeignKey(CommunicationPlan, on_delete=models.CASCADE, related_name="multipliers")
    organisation_name = models.CharField(_("organisation"), max_length=200)
    role = models.CharField(_("role"), max_length=200)
    audiences = models.ManyToManyField(PlanAudience, verbose_name=_("reaches"), blank=True, related_name="multipliers")
    contact_person = models.CharField(_("contact person"), max_length=200, blank=True)
    contact_details = models.CharField(_("contact details"), max_length=300, blank=True)
    consent_at = models.DateField(_("consent recorded on"), null=True, blank=True)
    consent_note = models.CharField(_("how consent was given"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("multiplier")
        verbose_name_plural = _("multipliers")
        ordering = ["plan", "organisation_name"]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(contact_person="") & models.Q(contact_details="")) | models.Q(consent_at__isnull=False),
                name="communication_multiplier_consent",
                violation_error_message=_("Personal contact data may only be stored with recorded consent."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation_name} ({self.role})"


class GapAction(models.Model):
    """A gap of the plan matrix that became an action item of the improvement plan."""

    plan = models.ForeignKey(CommunicationPlan, on_delete=models.CASCADE, related_name="gap_actions")
    gap_key = models.CharField(max_length=120)
    action_item_id = models.PositiveBigIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["plan", "gap_key"], name="communication_gap_once")]

    def __str__(self) -> str:
        return self.gap_key


# --- messages -------------------------------------------------------------------------------------------
class Message(OwnedContent):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        REVIEW = "review", _("In review")
        APPROVED = "approved", _("Approved")
        PUBLISHED = "published", _("Published")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    plan = models.ForeignKey(CommunicationPlan, verbose_name=_("communication plan"), on_delete=models.PROTECT,
                             related_name="messages")
    audience = models.ForeignKey(PlanAudience, verbose_name=_("audience"), null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="messages")
    phase = models.CharField(_("phase"), max_length=12, choices=Phase.choices, default=Phase.ACUTE)
    title = models.CharField(_("title"), max_length=200)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True)
    template = models.ForeignKey("MessageTemplate", verbose_name=_("template"), null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="+")
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True)
    is_demo = models.BooleanField(_("demo content"), default=False)

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["-updated_at", "id"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("communication:message_detail", kwargs={"pk": self.pk})

    @property
    def is_frozen(self) -> bool:
        return self.status in (self.Status.APPROVED, self.Status.PUBLISHED, self.Status.WITHDRAWN)


class MessageVersion(models.Model):
    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="versions")
    language = models.CharField(_("language"), max_length=8, choices=LANGUAGES)
    variant = models.CharField(_("variant"), max_length=10, choices=Variant.choices, default=Variant.STANDARD)
    source = models.ForeignKey("self", verbose_name=_("standard-language source"), null=True, blank=True,
                               on_delete=models.SET_NULL, related_name="derived")
    headline = models.CharField(_("headline"), max_length=200, blank=True)
    text = models.TextField(_("text"), max_length=20_000)
    scores = models.JSONField(_("readability"), default=dict, blank=True)
    frozen_at = models.DateTimeField(_("frozen"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("language version")
        verbose_name_plural = _("language versions")
        ordering = ["message", "language", "variant"]
        constraints = [
            models.UniqueConstraint(fields=["message", "language", "variant"], name="communication_version_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.message} [{self.language}/{self.variant}]"


class MessageEvent(models.Model):
    """One step of the approval workflow: who did what, when."""

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="events")
    from_status = models.CharField(max_length=10, choices=Message.Status.choices, blank=True)
    to_status = models.CharField(max_length=10, choices=Message.Status.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    note = models.CharField(_("note"), max_length=500, blank=True)
    at = models.DateTimeField(_("when"), auto_now_add=True)

    class Meta:
        ordering = ["message", "at", "id"]

    def __str__(self) -> str:
        return f"{self.message}: {self.from_status} → {self.to_status}"


class MessageTemplate(OwnedContent):
    title = models.CharField(_("title"), max_length=200)
    crisis_kind = models.ForeignKey(
        "taxonomy.Term", verbose_name=_("kind of crisis"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+", limit_choices_to={"vocabulary": "crisis_kind"},
    )
    audience_kind = models.CharField(_("kind of audience"), max_length=12, choices=PlanAudience.Kind.choices,
                                     default=PlanAudience.Kind.PUBLIC)
    group = models.ForeignKey("vulnerability.VulnerableGroup", verbose_name=_("vulnerable group"), null=True,
                              blank=True, on_delete=models.SET_NULL, related_name="+")
    phase = models.CharField(_("phase"), max_length=12, choices=Phase.choices, default=Phase.ACUTE)
    language = models.CharField(_("language"), max_length=8, choices=LANGUAGES, default="de")
    variant = models.CharField(_("variant"), max_length=10, choices=Variant.choices, default=Variant.STANDARD)
    headline = models.CharField(_("headline"), max_length=200, blank=True)
    text = models.TextField(_("text"), max_length=20_000)
    practices = models.ManyToManyField("practices.Practice", verbose_name=_("comes from practice examples"),
                                       blank=True, related_name="+")
    is_demo = models.BooleanField(_("demo content"), default=False)

    class Meta:
        verbose_name = _("message template")
        verbose_name_plural = _("message templates")
        ordering = ["title", "id"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("communication:template_detail", kwargs={"pk": self.pk})


class JargonWord(models.Model):
    """A word the readability hints flag as jargon, with a plainer alternative (staff edit the list)."""

    word = models.CharField(_("word"), max_length=100)
    language = models.CharField(_("language"), max_length=8, choices=LANGUAGES, default="de")
    suggestion = models.CharField(_("plainer alternative"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("jargon word")
        verbose_name_plural = _("jargon words")
        ordering = ["language", "word"]
        constraints = [models.UniqueConstraint(fields=["language", "word"], name="communication_jargon_unique")]

    def __str__(self) -> str:
        return self.word


# --- rumours ----------------------------------------------------------------------------------------------
class Rumour(OwnedContent):
    class Category(models.TextChoices):
        QUESTION = "question", _("Question")
        CONCERN = "concern", _("Concern")
        VOID = "void", _("Information void")
        MISINFORMATION = "misinformation", _("Misinformation narrative")

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        MONITORING = "monitoring", _("Monitoring")
        ANSWERED = "answered", _("Answered")
        CLOSED = "closed", _("Closed")

    category = models.CharField(_("category"), max_length=16, choices=Category.choices)
    claim = models.TextField(_("claim or question"), max_length=3000)
    first_seen_at = models.DateTimeField(_("first seen"))
    first_seen_where = models.CharField(_("where first seen"), max_length=300)
    channels = models.JSONField(_("channels"), default=list, blank=True)
    reach = models.PositiveIntegerField(_("reach (estimate, people)"), null=True, blank=True)
    groups = models.ManyToManyField("vulnerability.VulnerableGroup", verbose_name=_("groups affected"), blank=True,
                                    related_name="+")
    audiences_note = models.CharField(_("audiences affected"), max_length=300, blank=True)
    likelihood = models.PositiveSmallIntegerField(_("likelihood of spread (1–5)"), default=3)
    harm = models.PositiveSmallIntegerField(_("harm (1–5)"), default=3)
    fact_check = models.TextField(_("fact check"), max_length=5000, blank=True)
    sources = models.TextField(_("sources of the fact check"), max_length=3000, blank=True)
    response = models.ForeignKey(Message, verbose_name=_("response (message)"), null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="rumours")
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.OPEN, db_index=True)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    duplicate_of = models.ForeignKey("self", verbose_name=_("duplicate of"), null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="duplicates")
    is_demo = models.BooleanField(_("demo content"), default=False)

    class Meta:
        verbose_name = _("rumour")
        verbose_name_plural = _("rumours")
        ordering = ["-first_seen_at", "id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(likelihood__gte=1, likelihood__lte=5),
                                   name="communication_rumour_likelihood"),
            models.CheckConstraint(condition=models.Q(harm__gte=1, harm__lte=5), name="communication_rumour_harm"),
        ]

    def __str__(self) -> str:
        return self.claim[:80]

    def get_absolute_url(self) -> str:
        return reverse("communication:rumour_detail", kwargs={"pk": self.pk})

    @property
    def risk(self) -> int:
        return self.likelihood * self.harm

    @property
    def risk_level(self) -> str:
        return "high" if self.risk >= 15 else "medium" if self.risk >= 8 else "low"


class WeeklySummary(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    week_start = models.DateField(_("week from"))
    pdf = models.FileField(_("PDF"), upload_to="communication/weekly/", blank=True)
    created_at = models.DateTimeField(_("created"), auto_now=True)

    class Meta:
        verbose_name = _("weekly summary")
        verbose_name_plural = _("weekly summaries")
        ordering = ["-week_start"]
        constraints = [models.UniqueConstraint(fields=["organisation", "week_start"], name="communication_weekly_once")]

    def __str__(self) -> str:
        return f"{self.organisation} {self.week_start}"


# --- CAP 1.2 alerts -------------------------------------------------------------------------------------
class Alert(OwnedContent):
    """A CAP 1.2 alert. Composed alerts are written here (XML generated on export); imported alerts keep
    the original document byte for byte (`original`), including an unverified signature."""

    class Status(models.TextChoices):
        ACTUAL = "Actual", _("Actual")
        EXERCISE = "Exercise", _("Exercise")
        SYSTEM = "System", _("System")
        TEST = "Test", _("Test")
        DRAFT = "Draft", _("Draft")

    class MsgType(models.TextChoices):
        ALERT = "Alert", _("Alert")
        UPDATE = "Update", _("Update")
        CANCEL = "Cancel", _("Cancel")
        ACK = "Ack", _("Acknowledgement")
        ERROR = "Error", _("Error")

    class Scope(models.TextChoices):
        PUBLIC = "Public", _("Public")
        RESTRICTED = "Restricted", _("Restricted")
        PRIVATE = "Private", _("Private")

    class Origin(models.TextChoices):
        COMPOSED = "composed", _("Composed here")
        IMPORTED = "imported", _("Imported")

    organisation = models.ForeignKey(Organisation, verbose_name=_("organisation"), null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+",
                                     help_text=_("Empty for warnings imported into the shared register."))
    identifier = models.CharField(_("identifier"), max_length=250)
    sender = models.CharField(_("sender"), max_length=250)
    sent = models.DateTimeField(_("sent"))
    sent_text = models.CharField(_("sent (as written)"), max_length=40, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.ACTUAL)
    msg_type = models.CharField(_("message type"), max_length=10, choices=MsgType.choices, default=MsgType.ALERT)
    scope = models.CharField(_("scope"), max_length=10, choices=Scope.choices, default=Scope.PUBLIC)
    source = models.CharField(_("source"), max_length=250, blank=True)
    restriction = models.CharField(_("restriction"), max_length=500, blank=True)
    addresses = models.TextField(_("addresses"), blank=True)
    codes = models.JSONField(_("codes"), default=list, blank=True)
    note = models.TextField(_("note"), blank=True)
    references = models.TextField(_("references"), blank=True)
    incidents = models.TextField(_("incidents"), blank=True)
    previous = models.ForeignKey("self", verbose_name=_("updates or cancels"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="followers")
    origin = models.CharField(_("origin"), max_length=10, choices=Origin.choices, default=Origin.COMPOSED)
    original = models.BinaryField(_("original document"), null=True, blank=True, editable=False)
    encoding = models.CharField(_("declared encoding"), max_length=40, blank=True)
    signed = models.BooleanField(_("signed (signature not verified)"), default=False)
    is_demo = models.BooleanField(_("demo content"), default=False)

    class Meta:
        verbose_name = _("CAP alert")
        verbose_name_plural = _("CAP alerts")
        ordering = ["-sent", "id"]
        constraints = [
            models.UniqueConstraint(fields=["sender", "identifier"], name="communication_alert_unique"),
        ]

    def __str__(self) -> str:
        return self.identifier

    def get_absolute_url(self) -> str:
        return reverse("communication:alert_detail", kwargs={"pk": self.pk})

    @property
    def reference_key(self) -> str:
        """This alert as an entry of another alert's `references`: sender,identifier,sent."""
        from .cap import format_datetime

        return f"{self.sender},{self.identifier},{self.sent_text or format_datetime(self.sent)}"


class AlertInfo(models.Model):
    alert = models.ForeignKey(Alert, on_delete=models.CASCADE, related_name="infos")
    position = models.PositiveSmallIntegerField(default=0)
    language = models.CharField(_("language"), max_length=35, default="de-DE")
    categories = models.JSONField(_("categories"), default=list)
    event = models.CharField(_("event"), max_length=250)
    response_types = models.JSONField(_("response types"), default=list, blank=True)
    urgency = models.CharField(_("urgency"), max_length=12)
    severity = models.CharField(_("severity"), max_length=12)
    certainty = models.CharField(_("certainty"), max_length=12)
    audience = models.CharField(_("audience"), max_length=250, blank=True)
    event_codes = models.JSONField(default=list, blank=True)
    effective = models.CharField(_("effective"), max_length=40, blank=True)
    onset = models.CharField(_("onset"), max_length=40, blank=True)
    expires = models.CharField(_("expires"), max_length=40, blank=True)
    sender_name = models.CharField(_("sender name"), max_length=250, blank=True)
    headline = models.CharField(_("headline"), max_length=250, blank=True)
    description = models.TextField(_("description"), blank=True)
    instruction = models.TextField(_("instruction"), blank=True)
    web = models.CharField(_("web"), max_length=500, blank=True)
    contact = models.CharField(_("contact"), max_length=250, blank=True)
    parameters = models.JSONField(default=list, blank=True)
    resources = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["alert", "position"]

    def __str__(self) -> str:
        return f"{self.alert} [{self.language}]"


class AlertArea(models.Model):
    info = models.ForeignKey(AlertInfo, on_delete=models.CASCADE, related_name="areas")
    position = models.PositiveSmallIntegerField(default=0)
    area_desc = models.CharField(_("area description"), max_length=500)
    polygons = models.JSONField(_("polygons ([lat, lon] pairs)"), default=list, blank=True)
    circles = models.JSONField(default=list, blank=True)
    geocodes = models.JSONField(default=list, blank=True)
    altitude = models.CharField(max_length=30, blank=True)
    ceiling = models.CharField(max_length=30, blank=True)

    class Meta:
        ordering = ["info", "position"]

    def __str__(self) -> str:
        return self.area_desc
