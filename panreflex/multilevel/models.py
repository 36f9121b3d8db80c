"""Crisis management in the multi-level system (issue #18).

- `Event`: a dated decision or measure on one level (federal, state, district, municipality; or the
  OxCGRT "national" value). Shipped reference rows (OxCGRT, CCCSL, the curated NRW list) have no owning
  organisation and are public; a city's own measures are owned by its organisation and follow the
  visibility contract of `OwnedContent`.
- `EventDocument`: a document uploaded as the source of an own measure (PDF, office file), checked by
  its content and only ever downloaded as an attachment.
- `EventLink`: a higher rule → the local measure that implemented or deviated from it (reaction time).
- `Series`: a daily series drawn under the timeline (7-day incidence, ICU occupancy, stringency index).
- `Actor` and `Relation`: the actors network of a municipality (owned content).
- `NavigatorEntry`: the staff-curated "who decides" summary of a topic for a period.

Access rules of all of them live in `rules.py`.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from panreflex.accounts.models import Organisation, OwnedContent, Visibility


class Level(models.TextChoices):
    NATIONAL = "national", _("National value (OxCGRT)")
    FEDERAL = "federal", _("Federal")
    STATE = "state", _("State")
    DISTRICT_GOVERNMENT = "district_government", _("District government (Bezirksregierung)")
    DISTRICT = "district", _("District")
    MUNICIPALITY = "municipality", _("Municipality")
    CIVIL_SOCIETY = "civil_society", _("Civil society")


ACTOR_LEVELS = [c for c in Level if c != Level.NATIONAL]
# Rank from the top of the hierarchy; used for swimlane order and "higher than" checks.
LEVEL_RANK = {
    Level.NATIONAL: 0, Level.FEDERAL: 1, Level.STATE: 2, Level.DISTRICT_GOVERNMENT: 3, Level.DISTRICT: 4,
    Level.MUNICIPALITY: 5, Level.CIVIL_SOCIETY: 6,
}


class Topic(models.TextChoices):
    SCHOOL_CLOSURES = "school-closures", _("School closures")
    BUSINESS_CLOSURES = "business-closures", _("Business and workplace closures")
    PUBLIC_EVENTS = "public-events", _("Public events")
    CONTACT_RESTRICTIONS = "contact-restrictions", _("Contact restrictions")
    PUBLIC_TRANSPORT = "public-transport", _("Public transport")
    STAY_AT_HOME = "stay-at-home", _("Stay at home")
    INTERNAL_MOVEMENT = "internal-movement", _("Internal movement")
    INTERNATIONAL_TRAVEL = "international-travel", _("International travel")
    QUARANTINE = "quarantine", _("Quarantine orders")
    TESTING = "testing", _("Testing")
    CONTACT_TRACING = "contact-tracing", _("Contact tracing")
    MASKS = "masks", _("Mask rules")
    VACCINATION = "vaccination", _("Vaccination")
    ACCESS_RULES = "access-rules", _("Access rules (3G/2G)")
    ELDERLY = "elderly", _("Protection of the elderly")
    VULNERABLE = "vulnerable-groups", _("Protection of vulnerable groups")
    PUBLIC_INFORMATION = "public-information", _("Public information")
    HEALTHCARE = "healthcare-capacity", _("Healthcare capacity")
    HYGIENE = "hygiene", _("Hygiene")
    SURVEILLANCE = "surveillance", _("Surveillance")
    ECONOMIC_SUPPORT = "economic-support", _("Economic support")
    CRISIS_MANAGEMENT = "crisis-management", _("Crisis management")
    ENFORCEMENT = "enforcement", _("Enforcement")
    LEGAL_FRAMEWORK = "legal-framework", _("Legal framework")
    MULTIPLE = "multiple", _("Several topics")
    OTHER = "other", _("Other")


# the English topic names of the shipped files (SOURCES.md) → codes
TOPIC_FROM_SOURCE = {
    "school closures": Topic.SCHOOL_CLOSURES, "business and workplace closures": Topic.BUSINESS_CLOSURES,
    "public events": Topic.PUBLIC_EVENTS, "contact restrictions": Topic.CONTACT_RESTRICTIONS,
    "public transport": Topic.PUBLIC_TRANSPORT, "stay at home": Topic.STAY_AT_HOME,
    "internal movement": Topic.INTERNAL_MOVEMENT, "international travel": Topic.INTERNATIONAL_TRAVEL,
    "quarantine": Topic.QUARANTINE, "testing": Topic.TESTING, "contact tracing": Topic.CONTACT_TRACING,
    "masks": Topic.MASKS, "vaccination": Topic.VACCINATION, "access rules (3G/2G)": Topic.ACCESS_RULES,
    "protection of the elderly": Topic.ELDERLY, "protection of vulnerable groups": Topic.VULNERABLE,
    "public information": Topic.PUBLIC_INFORMATION, "healthcare capacity": Topic.HEALTHCARE,
    "hygiene": Topic.HYGIENE, "surveillance": Topic.SURVEILLANCE, "economic support": Topic.ECONOMIC_SUPPORT,
    "crisis management": Topic.CRISIS_MANAGEMENT, "enforcement": Topic.ENFORCEMENT,
    "legal framework": Topic.LEGAL_FRAMEWORK, "multiple": Topic.MULTIPLE, "other": Topic.OTHER,
}

# The topics of the "who decides" navigator (issue #18)
NAVIGATOR_TOPICS = [
    Topic.SCHOOL_CLOSURES, Topic.TESTING, Topic.VACCINATION, Topic.QUARANTINE, Topic.CONTACT_TRACING,
    Topic.PUBLIC_EVENTS, Topic.MASKS, Topic.CONTACT_RESTRICTIONS, Topic.ACCESS_RULES,
]


# The daily OxCGRT indicators shipped in data/oxcgrt-deu-daily.csv that a navigator topic draws under
# its events (column → topic, label with the indicator's scale)
OXCGRT_INDICATORS = {
    "c1_school_closing": (Topic.SCHOOL_CLOSURES, _("OxCGRT C1 school closing (level 0–3)")),
    "c2_workplace_closing": (Topic.BUSINESS_CLOSURES, _("OxCGRT C2 workplace closing (level 0–3)")),
    "c3_cancel_public_events": (Topic.PUBLIC_EVENTS, _("OxCGRT C3 cancelling public events (level 0–2)")),
    "c4_restrictions_on_gatherings": (Topic.CONTACT_RESTRICTIONS, _("OxCGRT C4 restrictions on gatherings (level 0–4)")),
    "c5_close_public_transport": (Topic.PUBLIC_TRANSPORT, _("OxCGRT C5 closing public transport (level 0–2)")),
    "c6_stay_at_home_requirements": (Topic.STAY_AT_HOME, _("OxCGRT C6 stay-at-home requirements (level 0–3)")),
    "c7_movementrestrictions": (Topic.INTERNAL_MOVEMENT, _("OxCGRT C7 restrictions on internal movement (level 0–2)")),
    "c8_internationaltravel": (Topic.INTERNATIONAL_TRAVEL, _("OxCGRT C8 international travel controls (level 0–4)")),
    "e1_income_support": (Topic.ECONOMIC_SUPPORT, _("OxCGRT E1 income support (level 0–2)")),
    "h1_public_information_campaigns": (Topic.PUBLIC_INFORMATION, _("OxCGRT H1 public information campaigns (level 0–2)")),
    "h2_testing_policy": (Topic.TESTING, _("OxCGRT H2 testing policy (level 0–3)")),
    "h3_contact_tracing": (Topic.CONTACT_TRACING, _("OxCGRT H3 contact tracing (level 0–2)")),
    "h6_facial_coverings": (Topic.MASKS, _("OxCGRT H6 facial coverings (level 0–4)")),
    "h7_vaccination_policy": (Topic.VACCINATION, _("OxCGRT H7 vaccination policy (level 0–5)")),
    "h8_protection_of_elderly_people": (Topic.ELDERLY, _("OxCGRT H8 protection of elderly people (level 0–3)")),
}
INDICATOR_FOR_TOPIC = {topic.value: column for column, (topic, _label) in OXCGRT_INDICATORS.items()}


class Dataset(models.TextChoices):
    OXCGRT = "oxcgrt", _("OxCGRT indicator changes (Germany)")
    CCCSL = "cccsl", _("CCCSL measures (Germany and NRW, first wave)")
    CURATED = "curated", _("NRW Coronaschutzverordnung versions (transcribed, incomplete)")
    OWN = "own", _("Entered or imported by the organisation")


# Dataset key in core.datasources for the credit line of each shipped dataset
DATASET_CREDIT_KEY = {
    Dataset.OXCGRT: "oxcgrt-deu", Dataset.CCCSL: "cccsl-deu-nrw", Dataset.CURATED: "curated-nrw",
}


class EventKind(models.TextChoices):
    DECISION = "decision", _("Decision (e.g. federal government, conference of minister-presidents)")
    LAW = "law", _("Law")
    ORDINANCE = "ordinance", _("Ordinance (Verordnung)")
    DECREE = "decree", _("Decree (Erlass)")
    GENERAL_RULING = "general_ruling", _("General ruling (Allgemeinverfügung)")
    MEASURE = "measure", _("Measure")
    COMMUNICATION = "communication", _("Communication")
    INDICATOR = "indicator", _("Indicator change (OxCGRT)")


class Event(models.Model):
    key = models.CharField(_("identifier"), max_length=120, blank=True)
    dataset = models.CharField(_("dataset"), max_length=20, choices=Dataset.choices, default=Dataset.OWN, db_index=True)
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        help_text=_("Owner of an organisation's own measure; empty for the shipped reference data."),
    )
    visibility = models.CharField(_("visibility"), max_length=10, choices=Visibility.choices, default=Visibility.PRIVATE)
    released_at = models.DateTimeField(_("released"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    municipality = models.ForeignKey(
        "places.Place", verbose_name=_("municipality"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+", help_text=_("The municipality a local measure applies to."),
    )
    level = models.CharField(_("level"), max_length=20, choices=Level.choices, db_index=True)
    jurisdiction = models.CharField(_("jurisdiction"), max_length=12, help_text=_("DE, DE-NW or a municipality key (AGS)."))
    kind = models.CharField(_("kind"), max_length=20, choices=EventKind.choices, default=EventKind.MEASURE)
    topic = models.CharField(_("topic"), max_length=30, choices=Topic.choices, db_index=True)
    title = models.CharField(_("title"), max_length=500)
    legal_basis = models.CharField(_("legal basis"), max_length=300, blank=True)
    date_announced = models.DateField(_("announced"), null=True, blank=True)
    date_in_force = models.DateField(_("in force from"), null=True, blank=True)
    date_end = models.DateField(_("ended"), null=True, blank=True)
    start = models.DateField(_("start"), db_index=True, help_text=_("In force from, else announced (for the time axis)."))
    source_ref = models.CharField(_("source reference"), max_length=300, blank=True)
    source_url = models.CharField(_("source (address or document)"), max_length=1000, blank=True)
    source_label = models.CharField(_("dataset as named by its source"), max_length=200, blank=True)
    measure_code = models.CharField(_("measure code"), max_length=300, blank=True)
    value = models.CharField(_("value"), max_length=300, blank=True)
    previous_value = models.CharField(_("previous value"), max_length=300, blank=True)
    note = models.TextField(_("note"), blank=True, max_length=5000)
    is_demo = models.BooleanField(_("demo content"), default=False)

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["start", "id"]
        indexes = [models.Index(fields=["municipality", "start"]), models.Index(fields=["jurisdiction", "start"])]
        constraints = [
            # identifiers are unique per shipped dataset, and per organisation for its own measures (so that
            # an import never learns which identifiers other organisations use)
            models.UniqueConstraint(fields=["dataset", "key"], condition=models.Q(organisation__isnull=True) & ~models.Q(key=""),
                                    name="multilevel_event_reference_key"),
            models.UniqueConstraint(fields=["organisation", "key"],
                                    condition=models.Q(organisation__isnull=False) & ~models.Q(key=""),
                                    name="multilevel_event_own_key"),
            models.CheckConstraint(
                condition=models.Q(date_announced__isnull=False) | models.Q(date_in_force__isnull=False),
                name="multilevel_event_has_date",
            ),
            models.CheckConstraint(
                condition=models.Q(date_end__isnull=True) | models.Q(date_end__gte=models.F("start")),
                name="multilevel_event_end_after_start",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("multilevel:event", kwargs={"pk": self.pk})

    @property
    def is_reference(self) -> bool:
        return self.organisation_id is None

    @property
    def lead_days(self) -> int | None:
        """Lead time: days from announcement to entry into force."""
        if self.date_announced and self.date_in_force:
            return (self.date_in_force - self.date_announced).days
        return None


def document_path(instance, filename):
    """Stored under a random name (the user's file name is only a label): nothing guessable, no path tricks."""
    return f"multilevel/events/{instance.event_id}/{secrets.token_hex(8)}{instance.extension}"


class EventDocument(models.Model):
    """A document that is the source of an event (the ordinance, the general ruling, the minutes)."""

    event = models.ForeignKey(Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="documents")
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(_("file"), upload_to=document_path)
    content_type = models.CharField(max_length=100)
    extension = models.CharField(max_length=10)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(_("uploaded"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("source document")
        verbose_name_plural = _("source documents")
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("multilevel:document", kwargs={"pk": self.pk})


class EventLink(models.Model):
    class Kind(models.TextChoices):
        IMPLEMENTS = "implements", _("implements")
        TIGHTENS = "tightens", _("goes further than")
        DEVIATES = "deviates", _("deviates from")
        RELAXES = "relaxes", _("relaxes")

    higher = models.ForeignKey(Event, verbose_name=_("higher rule"), on_delete=models.CASCADE, related_name="lower_links")
    lower = models.ForeignKey(Event, verbose_name=_("local measure"), on_delete=models.CASCADE, related_name="higher_links")
    kind = models.CharField(_("relation"), max_length=20, choices=Kind.choices, default=Kind.IMPLEMENTS)
    note = models.TextField(_("note"), blank=True, max_length=2000)
    improvised = models.TextField(_("what was improvised"), blank=True, max_length=4000)
    worked = models.TextField(_("what worked"), blank=True, max_length=4000)
    transfer = models.TextField(_("what would transfer to another long crisis"), blank=True, max_length=4000)
    transfer_to = models.ManyToManyField(
        "taxonomy.Term", verbose_name=_("would transfer to"), blank=True, related_name="+",
        limit_choices_to={"vocabulary": "crisis_kind"}, help_text=_("Other long crises the lesson applies to."),
    )
    insights = models.ManyToManyField(
        "evidence.Insight", verbose_name=_("insights on what worked"), blank=True, related_name="+",
    )
    practices = models.ManyToManyField(
        "practices.Practice", verbose_name=_("practice examples of what worked"), blank=True, related_name="+",
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("link between rule and measure")
        verbose_name_plural = _("links between rules and measures")
        ordering = ["higher__start", "lower__start", "id"]
        constraints = [
            models.UniqueConstraint(fields=["higher", "lower"], name="multilevel_link_once"),
            models.CheckConstraint(condition=~models.Q(higher=models.F("lower")), name="multilevel_link_not_self"),
        ]

    def __str__(self) -> str:
        return f"{self.higher} → {self.lower}"

    @property
    def reaction_days(self) -> int:
        """Local reaction time: days from the higher rule to the local measure (start dates)."""
        return (self.lower.start - self.higher.start).days


class Series(models.Model):
    class Kind(models.TextChoices):
        INCIDENCE = "incidence", _("7-day incidence per 100,000")
        ICU = "icu", _("ICU beds occupied by COVID-19 patients (%)")
        STRINGENCY = "stringency", _("OxCGRT stringency index (0–100)")
        INDICATOR = "indicator", _("OxCGRT indicator (daily level)")
        OTHER = "other", _("Other series")

    municipality = models.ForeignKey(
        "places.Place", verbose_name=_("municipality"), null=True, blank=True, on_delete=models.CASCADE,
        related_name="+", help_text=_("Empty for a national series."),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    label = models.CharField(_("label"), max_length=200, blank=True)
    credit = models.CharField(_("credit line"), max_length=300)
    start = models.DateField(_("first day"))
    values = models.JSONField(_("daily values"), default=list)

    class Meta:
        verbose_name = _("series")
        verbose_name_plural = _("series")
        ordering = ["municipality_id", "kind", "id"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "kind", "label"], name="multilevel_series_once"),
        ]

    def __str__(self) -> str:
        return self.label or self.get_kind_display()

    @property
    def title(self) -> str:
        if self.kind == self.Kind.INDICATOR and self.label in OXCGRT_INDICATORS:
            return str(OXCGRT_INDICATORS[self.label][1])
        return self.label or str(self.get_kind_display())


class Actor(OwnedContent):
    class Kind(models.TextChoices):
        CRISIS_STAFF = "crisis_staff", _("Crisis staff")
        ADMIN_STAFF = "admin_staff", _("Administrative staff")
        OPERATIONAL_COMMAND = "operational_command", _("Operational command")
        HEALTH_OFFICE = "health_office", _("Public health office")
        PUBLIC_ORDER = "public_order", _("Public order office")
        FIRE_BRIGADE = "fire_brigade", _("Fire brigade")
        SOCIAL_OFFICE = "social_office", _("Social office")
        PRESS_OFFICE = "press_office", _("Press office")
        WELFARE = "welfare", _("Welfare association")
        MIGRANT_ORG = "migrant_org", _("Migrant organisation")
        HOSPITAL = "hospital", _("Hospital")
        SCHOOL = "school", _("School or school authority")
        DISTRICT_GOVERNMENT = "district_government", _("District government")
        STATE_MINISTRY = "state_ministry", _("State ministry")
        FEDERAL_BODY = "federal_body", _("Federal body")
        MPK = "mpk", _("Conference of minister-presidents")
        OTHER = "other", _("Other")

    municipality = models.ForeignKey(
        "places.Place", verbose_name=_("network of municipality"), on_delete=models.PROTECT, related_name="+",
    )
    name = models.CharField(_("name"), max_length=200)
    level = models.CharField(_("level"), max_length=20, choices=[(c.value, c.label) for c in ACTOR_LEVELS])
    kind = models.CharField(_("type"), max_length=30, choices=Kind.choices)
    place = models.ForeignKey(
        "places.Place", verbose_name=_("seat"), null=True, blank=True, on_delete=models.PROTECT, related_name="+",
    )
    parent_body = models.CharField(_("organisation it belongs to"), max_length=200, blank=True)
    contact_role = models.CharField(
        _("contact role"), max_length=200, blank=True,
        help_text=_("A role or function (e.g. head of the crisis staff), never a person's name or contact data."),
    )
    # personal contact data: only with the person's recorded consent; shown only to editors of the owner
    contact_name = models.CharField(_("contact person"), max_length=200, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=40, blank=True)
    contact_consent_on = models.DateField(
        _("consent recorded on"), null=True, blank=True,
        help_text=_("The day the person agreed to have their contact data stored here (required for any of them)."),
    )
    contact_consent_note = models.CharField(
        _("how the consent was recorded"), max_length=300, blank=True,
        help_text=_("E.g. “signed form, filed in the crisis staff's records”."),
    )
    note = models.TextField(_("note"), blank=True, max_length=2000)
    is_demo = models.BooleanField(_("demo content"), default=False)

    class Meta:
        verbose_name = _("actor")
        verbose_name_plural = _("actors")
        ordering = ["municipality_id", "name"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "organisation", "name"], name="multilevel_actor_name"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("multilevel:actor_edit", kwargs={"pk": self.pk})


class Relation(OwnedContent):
    class Kind(models.TextChoices):
        DIRECTS = "directs", _("gives directives to")
        COORDINATES = "coordinates", _("coordinates with")
        INFORMS = "informs", _("informs")
        SUPPORTS = "supports", _("supports")
        FUNDS = "funds", _("funds")
        ADVISES = "advises", _("advises")

    HIERARCHY = (Kind.DIRECTS,)

    source = models.ForeignKey(Actor, verbose_name=_("from"), on_delete=models.CASCADE, related_name="outgoing")
    target = models.ForeignKey(Actor, verbose_name=_("to"), on_delete=models.CASCADE, related_name="incoming")
    kind = models.CharField(_("relation"), max_length=20, choices=Kind.choices)
    topic = models.CharField(_("topic"), max_length=30, choices=Topic.choices, blank=True,
                             help_text=_("The topic the actors worked together on, if the relation concerns one."))
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid until"), null=True, blank=True)
    source_ref = models.CharField(_("source"), max_length=500, blank=True)
    note = models.TextField(_("note"), blank=True, max_length=2000)
    is_demo = models.BooleanField(_("demo content"), default=False)

    class Meta:
        verbose_name = _("relation")
        verbose_name_plural = _("relations")
        ordering = ["source__name", "kind", "target__name", "id"]
        constraints = [
            models.CheckConstraint(condition=~models.Q(source=models.F("target")), name="multilevel_relation_not_self"),
            models.CheckConstraint(
                condition=models.Q(valid_from__isnull=True) | models.Q(valid_to__isnull=True)
                | models.Q(valid_to__gte=models.F("valid_from")),
                name="multilevel_relation_period",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.source} {self.get_kind_display()} {self.target}"


class NavigatorEntry(models.Model):
    """Staff's summary of who decided and who implemented a topic in a period (public when published)."""

    topic = models.CharField(_("topic"), max_length=30, choices=Topic.choices, db_index=True)
    period_start = models.DateField(_("from"))
    period_end = models.DateField(_("until"), null=True, blank=True)
    deciding_level = models.CharField(_("decided by (level)"), max_length=20, choices=Level.choices)
    implementing_level = models.CharField(_("implemented by (level)"), max_length=20, choices=Level.choices)
    legal_basis = models.CharField(_("legal basis"), max_length=300, blank=True)
    summary = models.TextField(_("summary"), max_length=4000)
    events = models.ManyToManyField(Event, verbose_name=_("events it rests on"), blank=True, related_name="+")
    is_published = models.BooleanField(_("published"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("navigator entry")
        verbose_name_plural = _("navigator entries")
        ordering = ["topic", "period_start", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(period_end__isnull=True) | models.Q(period_end__gte=models.F("period_start")),
                name="multilevel_navigator_period",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_topic_display()} {self.period_start}"
