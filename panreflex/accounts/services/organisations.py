"""Creating organisations (project team) and finding their place by AGS or name."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from panreflex.audit.services import audit_record, diff, snapshot
from panreflex.places.models import Place

from ..models import Organisation, User

# Which kind of place an AGS of this length names
_AGS_KINDS = {8: Place.Kind.MUNICIPALITY, 5: Place.Kind.DISTRICT, 2: Place.Kind.STATE}


def place_lookup(*, query: str, organisation_kind: str = "") -> Place | None:
    """The place an AGS (2, 5 or 8 digits) or a name stands for. Empty query → None.

    Raises ValidationError with a message saying what is wrong (unknown AGS, unknown or ambiguous name).
    """
    query = " ".join((query or "").split())
    if not query:
        return None
    compact = query.replace(" ", "")
    if compact.isdigit():
        kind = _AGS_KINDS.get(len(compact))
        if kind is None:
            raise ValidationError(
                _("“%(ags)s” is not an official key (AGS): it has 8 digits for a municipality, 5 for a district, 2 for a state.")
                % {"ags": compact}
            )
        place = Place.objects.filter(kind=kind, ags=compact).first()
        if place is None:
            raise ValidationError(_("No place has the official key (AGS) %(ags)s.") % {"ags": compact})
        return place
    candidates = list(Place.objects.filter(name__iexact=query).exclude(kind=Place.Kind.COUNTRY))
    if not candidates:
        raise ValidationError(_("No place is called “%(name)s”. Enter its official key (AGS) instead.") % {"name": query})
    if len(candidates) > 1:
        preferred = Place.Kind.DISTRICT if organisation_kind == Organisation.Kind.DISTRICT else Place.Kind.MUNICIPALITY
        narrowed = [p for p in candidates if p.kind == preferred]
        if len(narrowed) == 1:
            return narrowed[0]
        raise ValidationError(
            _("Several places are called “%(name)s”. Enter the official key (AGS) instead.") % {"name": query}
        )
    return candidates[0]


def _unique_slug(name: str) -> str:
    base = (slugify(name) or "organisation")[:70].strip("-")
    slug, n = base, 2
    while Organisation.objects.filter(slug=slug).exists():
        slug = f"{base}-{n}"
        n += 1
    return slug


@transaction.atomic
def organisation_create(*, name: str, kind: str, place: Place | None, actor: User, website: str = "",
                        description: str = "", is_partner: bool = True) -> Organisation:
    name = " ".join((name or "").split())
    if Organisation.objects.filter(name__iexact=name).exists():
        raise ValidationError({"name": _("An organisation with this name already exists.")})
    organisation = Organisation(name=name, slug=_unique_slug(name), kind=kind, place=place, website=website.strip(),
                                description=description.strip(), is_partner=is_partner)
    organisation.full_clean()
    organisation.save()
    audit_record(actor=actor, action="create", obj=organisation, changes=diff({}, snapshot(organisation)))
    return organisation


RESEARCH_TEAM = ("PanReflex-Projektteam", "projektteam")


@transaction.atomic
def research_organisation_ensure(*, actor: User | None = None) -> tuple[Organisation, bool]:
    """The research team's organisation (the first of kind research), created as
    “PanReflex-Projektteam” on an installation that has none yet (a fresh install without demo
    data), so that the import commands work out of the box. Returns (organisation, created)."""
    existing = Organisation.objects.filter(kind=Organisation.Kind.RESEARCH).order_by("pk").first()
    if existing is not None:
        return existing, False
    name, slug = RESEARCH_TEAM
    organisation = Organisation(name=name, slug=slug if not Organisation.objects.filter(slug=slug).exists()
                                else _unique_slug(name), kind=Organisation.Kind.RESEARCH, is_partner=True)
    organisation.full_clean()
    organisation.save()
    audit_record(actor=actor, action="create", obj=organisation, changes=diff({}, snapshot(organisation)))
    return organisation, True


STAFF_FIELDS = ("name", "kind", "place", "is_partner")
COORDINATOR_FIELDS = ("website", "description")


@transaction.atomic
def organisation_update(*, organisation: Organisation, actor: User, **changes) -> Organisation:
    """Change an organisation's profile. Only the fields given are touched; the change is audited."""
    unknown = set(changes) - set(STAFF_FIELDS) - set(COORDINATOR_FIELDS)
    if unknown:
        raise ValueError(f"not changeable: {sorted(unknown)}")
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    if "name" in changes:
        changes["name"] = " ".join((changes["name"] or "").split())
        if Organisation.objects.filter(name__iexact=changes["name"]).exclude(pk=organisation.pk).exists():
            raise ValidationError({"name": _("An organisation with this name already exists.")})
    for key in ("website", "description"):
        if key in changes:
            changes[key] = (changes[key] or "").strip()
    before = snapshot(organisation)
    for key, value in changes.items():
        setattr(organisation, key, value)
    organisation.full_clean()
    changed = diff(before, snapshot(organisation))
    if changed:
        organisation.save()
        audit_record(actor=actor, action="update", obj=organisation, changes=changed)
    return organisation
