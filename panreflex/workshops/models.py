"""Reflection spaces (Reflexionsräume): debriefing and innovation workshops – issue #4.

A `WorkshopTemplate` defines the questions (one board column each) and the phases of a kind of
workshop. A `Workshop` copies them into its own `Column`s and phase list when it is set up, so that
later edits of the template never change a workshop that already ran. Everything made in the room
(cards, clusters, votes, timeline events, ratings, root-cause notes) belongs to one workshop.

Contributors are either signed-in users or guests who joined through an invitation link (`Guest`)
after consenting to the data processing. Card texts are plain text (shown escaped, never as HTML).
Cards carry a `version` for optimistic locking: a stale edit is refused, no update is lost.
`Workshop.seq` counts the changes of a workshop; realtime events carry it, so a client that
reconnects can load the current state and ignore events it already has.
"""

from __future__ import annotations

import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from panreflex.accounts.models import Organisation, OwnedContent


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class Kind(models.TextChoices):
    DEBRIEFING = "debriefing", _("Debriefing workshop (PanReflex)")
    AFTER_ACTION = "after_action", _("After-action review (WHO)")
    INTRA_ACTION = "intra_action", _("Intra-action review (WHO)")
    INNOVATION = "innovation", _("Innovation workshop (design thinking)")
    CUSTOM = "custom", _("Own format")


class FindingKind(models.TextChoices):
    """What the cards of a column say by default (used when results become insights)."""

    STRENGTH = "strength", _("Strength")
    IMPROVEMENT = "improvement", _("Area for improvement")
    INNOVATION = "innovation", _("Innovation")
    OPEN_QUESTION = "open_question", _("Open question")
    NOTE = "note", _("Observation")


class WorkshopTemplate(models.Model):
    """Questions and phases of a kind of workshop. Platform templates (no organisation) are edited by
    staff; copies belong to an organisation and are edited by its editors."""

    code = models.SlugField(_("code"), max_length=80, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.CUSTOM)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True, max_length=5000)
    # [{"title": str, "help": str, "finding": FindingKind}]
    questions = models.JSONField(_("questions (board columns)"), default=list)
    # [{"key": str, "title": str, "minutes": int}]
    phases = models.JSONField(_("phases"), default=list)
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), null=True, blank=True, on_delete=models.CASCADE,
        related_name="+", help_text=_("Empty for the platform's own templates."),
    )
    copied_from = models.ForeignKey(
        "self", verbose_name=_("copied from"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    is_builtin = models.BooleanField(_("shipped with the platform"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("workshop template")
        verbose_name_plural = _("workshop templates")
        ordering = ["-is_builtin", "name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("workshops:template_detail", kwargs={"pk": self.pk})


class Workshop(OwnedContent):
    class Mode(models.TextChoices):
        ONSITE = "onsite", _("On site")
        ONLINE = "online", _("Online")
        HYBRID = "hybrid", _("Hybrid")

    title = models.CharField(_("title"), max_length=200)
    template = models.ForeignKey(
        WorkshopTemplate, verbose_name=_("template"), on_delete=models.PROTECT, related_name="workshops"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    description = models.TextField(_("purpose and notes"), blank=True, max_length=5000)
    themes = models.ManyToManyField(
        "taxonomy.Term", verbose_name=_("focus themes"), blank=True, related_name="+",
        limit_choices_to={"vocabulary": "theme"},
    )
    organisations = models.ManyToManyField(
        Organisation, verbose_name=_("organisations involved"), blank=True, related_name="workshops_involved"
    )
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    mode = models.CharField(_("mode"), max_length=10, choices=Mode.choices, default=Mode.ONSITE)
    location = models.CharField(_("place"), max_length=300, blank=True)
    online_url = models.URLField(_("link to the video meeting"), blank=True)
    facilitators = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("facilitators"), blank=True, related_name="workshops_facilitated"
    )
    participants = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("participants"), blank=True, related_name="workshops_joined"
    )
    allow_anonymous = models.BooleanField(
        _("anonymous contributions allowed"), default=False,
        help_text=_("Participants may hide their name on a card."),
    )
    # live state, changed by facilitators
    phase = models.CharField(_("current phase"), max_length=40, blank=True)
    phases = models.JSONField(_("phases"), default=list)
    locked = models.BooleanField(_("locked"), default=False)
    votes_per_person = models.PositiveSmallIntegerField(_("votes per person"), default=5)
    voting_open = models.BooleanField(_("voting open"), default=False)
    votes_revealed = models.BooleanField(_("votes revealed"), default=False)
    timer_ends_at = models.DateTimeField(_("timer ends"), null=True, blank=True)
    seq = models.PositiveBigIntegerField(_("change counter"), default=0)
    is_demo = models.BooleanField(_("demo content"), default=False)

    class Meta:
        verbose_name = _("workshop")
        verbose_name_plural = _("workshops")
        ordering = ["-starts_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(ends_at__gte=models.F("starts_at")), name="workshops_dates_order"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("workshops:detail", kwargs={"pk": self.pk})

    @property
    def group_name(self) -> str:
        return f"workshop-{self.pk}"

    @property
    def phase_title(self) -> str:
        for phase in self.phases:
            if phase.get("key") == self.phase:
                return phase.get("title", "")
        return ""


class AgendaItem(models.Model):
    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="agenda")
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    title = models.CharField(_("agenda item"), max_length=200)
    minutes = models.PositiveSmallIntegerField(_("time box (minutes)"), default=15)

    class Meta:
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda")
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.title


class Guest(models.Model):
    """A person without an account, invited to one workshop by link. Only the token's hash is stored;
    the guest may contribute only after consenting to the data processing."""

    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="guests")
    email = models.EmailField(_("e-mail address"), blank=True)
    name = models.CharField(_("name"), max_length=150, blank=True)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    expires_at = models.DateTimeField(_("link valid until"))
    consented_at = models.DateTimeField(_("consent given"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("guest")
        verbose_name_plural = _("guests")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.name or self.email or _("Guest")

    @staticmethod
    def new_token() -> tuple[str, str]:
        token = secrets.token_urlsafe(32)
        return token, hash_token(token)

    @property
    def is_expired(self) -> bool:
        return timezone.now() >= self.expires_at

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None and not self.is_expired and self.consented_at is not None


class Column(models.Model):
    """One board column = one question of the template."""

    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="columns")
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    title = models.CharField(_("question"), max_length=300)
    help = models.CharField(_("hint"), max_length=500, blank=True)
    finding = models.CharField(_("kind of finding"), max_length=20, choices=FindingKind.choices,
                               default=FindingKind.NOTE)

    class Meta:
        verbose_name = _("board column")
        verbose_name_plural = _("board columns")
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.title


class Contribution(models.Model):
    """Author fields shared by everything a participant adds (a user or a guest)."""

    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("author"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    author_guest = models.ForeignKey(
        Guest, verbose_name=_("author (guest)"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        abstract = True

    @property
    def author_label(self) -> str:
        if getattr(self, "anonymous", False):
            return str(_("Anonymous"))
        if self.author_id:
            return self.author.display_name
        if self.author_guest_id:
            return f"{self.author_guest} ({_('guest')})"
        return str(_("unknown"))

    @property
    def author_key(self) -> str:
        """The author's key in the room (`u<id>`, `g<id>`; as `Actor.key`)."""
        if self.author_id:
            return f"u{self.author_id}"
        if self.author_guest_id:
            return f"g{self.author_guest_id}"
        return ""

    def is_by(self, actor) -> bool:
        if actor.user is not None:
            return self.author_id == actor.user.pk
        if actor.guest is not None:
            return self.author_guest_id == actor.guest.pk
        return False


class Cluster(models.Model):
    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="clusters")
    column = models.ForeignKey(Column, verbose_name=_("column"), on_delete=models.CASCADE, related_name="clusters")
    title = models.CharField(_("cluster title"), max_length=200)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("cluster")
        verbose_name_plural = _("clusters")
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.title


class Card(Contribution):
    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="cards")
    column = models.ForeignKey(Column, verbose_name=_("column"), on_delete=models.CASCADE, related_name="cards")
    cluster = models.ForeignKey(
        Cluster, verbose_name=_("cluster"), null=True, blank=True, on_delete=models.SET_NULL, related_name="cards"
    )
    text = models.TextField(_("text"), max_length=2000)
    anonymous = models.BooleanField(_("anonymous"), default=False)
    version = models.PositiveIntegerField(_("version"), default=1)
    position = models.PositiveIntegerField(default=0)
    is_demo = models.BooleanField(_("demo content"), default=False)

    class Meta:
        verbose_name = _("card")
        verbose_name_plural = _("cards")
        ordering = ["position", "id"]
        indexes = [models.Index(fields=["workshop", "column"])]

    def __str__(self) -> str:
        first = self.text.strip().splitlines()[0] if self.text.strip() else ""
        return first[:80] + ("…" if len(first) > 80 else "")

    def get_absolute_url(self) -> str:
        return reverse("workshops:room", kwargs={"pk": self.workshop_id}) + f"#card-{self.pk}"


class Vote(models.Model):
    """One dot. A person may put several dots on one card, up to the workshop's votes per person."""

    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="votes")
    card = models.ForeignKey(Card, on_delete=models.CASCADE, related_name="votes")
    voter = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE,
                              related_name="+")
    voter_guest = models.ForeignKey(Guest, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("vote")
        verbose_name_plural = _("votes")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(voter__isnull=False, voter_guest__isnull=True)
                | models.Q(voter__isnull=True, voter_guest__isnull=False),
                name="workshops_vote_one_voter",
            )
        ]

    def __str__(self) -> str:
        return f"{self.card_id}: {self.voter_id or self.voter_guest_id}"


class TimelineEvent(Contribution):
    class Source(models.TextChoices):
        PARTICIPANT = "participant", _("Participant")
        DATA = "data", _("Open data")

    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="timeline")
    date = models.DateField(_("date"))
    title = models.CharField(_("event"), max_length=200)
    description = models.TextField(_("description"), blank=True, max_length=2000)
    source = models.CharField(_("source"), max_length=20, choices=Source.choices, default=Source.PARTICIPANT)
    source_note = models.CharField(_("data source"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("timeline event")
        verbose_name_plural = _("timeline events")
        ordering = ["date", "id"]

    def __str__(self) -> str:
        return f"{self.date:%d.%m.%Y} {self.title}"


class Rating(Contribution):
    """HSEEP-style rating of one capability or area of the response."""

    class Level(models.TextChoices):
        P = "P", _("P – performed without challenges")
        S = "S", _("S – performed with some challenges")
        M = "M", _("M – performed with major challenges")
        U = "U", _("U – unable to be performed")

    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="ratings")
    capability = models.CharField(_("capability or area"), max_length=200)
    level = models.CharField(_("rating"), max_length=1, choices=Level.choices)
    justification = models.TextField(_("justification"), max_length=3000)

    class Meta:
        verbose_name = _("rating")
        verbose_name_plural = _("ratings")
        ordering = ["capability", "id"]
        constraints = [
            models.UniqueConstraint(fields=["workshop", "capability"], name="workshops_rating_unique"),
            models.CheckConstraint(condition=models.Q(level__in=["P", "S", "M", "U"]), name="workshops_rating_level"),
        ]

    def __str__(self) -> str:
        return f"{self.capability}: {self.level}"


class RootCause(Contribution):
    """A root-cause note: why something went less well (attached to a card or to the workshop)."""

    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="root_causes")
    card = models.ForeignKey(Card, verbose_name=_("card"), null=True, blank=True, on_delete=models.CASCADE,
                             related_name="root_causes")
    text = models.TextField(_("root cause"), max_length=2000)

    class Meta:
        verbose_name = _("root-cause note")
        verbose_name_plural = _("root-cause notes")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.text[:80]


class Outcome(models.Model):
    """What a workshop led to in another domain (an insight or an action item), with the cards it
    came from. The target lives in evidence or improvements; this row keeps the link to the cards."""

    class Target(models.TextChoices):
        INSIGHT = "insight", _("Insight")
        ACTION_ITEM = "action_item", _("Action item")

    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="outcomes")
    target = models.CharField(max_length=20, choices=Target.choices)
    target_id = models.PositiveBigIntegerField()
    title = models.CharField(max_length=300)
    cards = models.ManyToManyField(Card, blank=True, related_name="outcomes")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [models.UniqueConstraint(fields=["target", "target_id"], name="workshops_outcome_unique")]

    def __str__(self) -> str:
        return self.title
