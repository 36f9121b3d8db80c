"""Writes of places. Reference places come from migrations (reference.py); users add international cities."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from panreflex.audit.services import audit_record

from .models import Place

# ISO 3166-1 alpha-2 codes (the official list, 249 entries)
ISO_COUNTRIES = set(
    "AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY "
    "BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK "
    "FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR "
    "IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK "
    "ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM "
    "PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF "
    "TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW".split()
)


def validate_country_code(code: str) -> str:
    code = (code or "").strip().upper()
    if code not in ISO_COUNTRIES:
        raise ValidationError(
            _("“%(code)s” is not an ISO 3166-1 country code (two letters, e.g. DK, NZ).") % {"code": code},
            code="country",
        )
    if code == "DE":
        raise ValidationError(
            _("German municipalities are already in the platform; choose them by their AGS instead."),
            code="country_de",
        )
    return code


@transaction.atomic
def city_create(*, actor, name: str, country_code: str, population: int | None = None) -> Place:
    """Add an international city (name, ISO country code, population)."""
    country_code = validate_country_code(country_code)
    name = (name or "").strip()
    if Place.objects.filter(kind=Place.Kind.CITY, country_code=country_code, name__iexact=name).exists():
        raise ValidationError(
            _("%(name)s (%(country)s) is already in the platform.") % {"name": name, "country": country_code},
            code="duplicate",
        )
    place = Place(kind=Place.Kind.CITY, name=name, country_code=country_code, population=population, source="user")
    place.full_clean()
    place.save()
    audit_record(actor=actor, action="create", obj=place)
    return place


def city_get_or_create(*, actor, name: str, country_code: str, population: int | None = None) -> Place:
    existing = Place.objects.filter(
        kind=Place.Kind.CITY, country_code=(country_code or "").strip().upper(), name__iexact=(name or "").strip()
    ).first()
    return existing or city_create(actor=actor, name=name, country_code=country_code, population=population)


def validate_ags(value: str) -> Place:
    """The German place with this AGS (8 digits municipality, 5 district, 2 state), or a clear error."""
    value = (value or "").strip()
    if not value.isdigit() or len(value) not in (2, 5, 8):
        raise ValidationError(
            _("“%(value)s” is not an official municipality key (AGS): 8 digits for a municipality, "
              "5 for a district, 2 for a state.") % {"value": value},
            code="ags_format",
        )
    kind = {8: Place.Kind.MUNICIPALITY, 5: Place.Kind.DISTRICT, 2: Place.Kind.STATE}[len(value)]
    place = Place.objects.filter(kind=kind, ags=value).first()
    if place is None:
        raise ValidationError(_("There is no place with the key (AGS) %(value)s.") % {"value": value}, code="ags_unknown")
    return place
