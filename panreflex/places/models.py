"""Places: NRW municipalities (AGS), German districts, states and international cities, with boundaries."""

from __future__ import annotations

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

# Size classes of municipalities as used in German municipal statistics and the project's surveys
SIZE_CLASSES = [
    ("xl", _("Large city (500,000 and more)"), 500_000),
    ("l", _("Large city (100,000–499,999)"), 100_000),
    ("m", _("Medium town (50,000–99,999)"), 50_000),
    ("s", _("Small town (20,000–49,999)"), 20_000),
    ("xs", _("Small town or community (under 20,000)"), 0),
]


class Place(models.Model):
    class Kind(models.TextChoices):
        COUNTRY = "country", _("Country")
        STATE = "state", _("State (Land)")
        DISTRICT = "district", _("District (Kreis / kreisfreie Stadt)")
        MUNICIPALITY = "municipality", _("Municipality (Gemeinde)")
        CITY = "city", _("International city")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=200)
    country_code = models.CharField(_("country (ISO 3166-1)"), max_length=2, default="DE")
    ags = models.CharField(
        _("official key (AGS)"),
        max_length=8,
        blank=True,
        db_index=True,
        help_text=_("8 digits for municipalities, 5 for districts, 2 for states."),
    )
    ars = models.CharField(_("regional key (ARS)"), max_length=12, blank=True)
    type_label = models.CharField(_("type"), max_length=100, blank=True)
    parent = models.ForeignKey(
        "self", verbose_name=_("part of"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    population = models.PositiveIntegerField(_("population"), null=True, blank=True)
    population_date = models.DateField(_("population as of"), null=True, blank=True)
    area_km2 = models.DecimalField(_("area (km²)"), max_digits=10, decimal_places=2, null=True, blank=True)
    postcode = models.CharField(_("postcode"), max_length=10, blank=True)
    lon = models.FloatField(_("longitude"), null=True, blank=True)
    lat = models.FloatField(_("latitude"), null=True, blank=True)
    urbanisation = models.CharField(_("degree of urbanisation"), max_length=60, blank=True)
    nuts3 = models.CharField("NUTS 3", max_length=5, blank=True)
    boundary = models.JSONField(_("boundary (GeoJSON geometry, WGS84)"), null=True, blank=True)
    source = models.CharField(_("data source"), max_length=60, blank=True, help_text=_("Dataset key, see Datenquellen."))

    class Meta:
        verbose_name = _("place")
        verbose_name_plural = _("places")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "ags"], condition=~models.Q(ags=""), name="places_place_kind_ags_unique"
            ),
            models.UniqueConstraint(
                fields=["kind", "country_code", "name"],
                condition=models.Q(kind="city"),
                name="places_city_country_name_unique",
            ),
        ]
        indexes = [models.Index(fields=["kind", "name"])]

    def __str__(self) -> str:
        if self.kind == self.Kind.CITY:
            return f"{self.name} ({self.country_code})"
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("places:detail", kwargs={"pk": self.pk})

    @property
    def size_class(self) -> str:
        if self.population is None:
            return ""
        for code, _label, minimum in SIZE_CLASSES:
            if self.population >= minimum:
                return code
        return ""

    @property
    def size_class_label(self):
        code = self.size_class
        return next((label for c, label, _m in SIZE_CLASSES if c == code), "")

    @property
    def state_code(self) -> str:
        """Two-digit state key (05 = Nordrhein-Westfalen) for German places."""
        return self.ags[:2] if self.country_code == "DE" and self.ags else ""
