"""Every rule of who may see and change what, in one place.

Views call these functions first. An object a user may not see is answered with 404 (never 403), so
that its existence does not leak. Roles rank viewer < member < editor < coordinator; platform staff
(`user.is_staff`, the project team) may see and change everything.

Content that inherits `accounts.models.OwnedContent` follows the visibility contract:
- private: members (any role) of the owning organisation;
- network: signed-in members of any partner organisation (and the owners);
- public: everyone, once released (`released_at` set); before release it behaves like network.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import Model, Q, QuerySet
from django.http import Http404

from .models import Membership, Organisation, OwnedContent, Role, Visibility

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from .models import User

ROLE_RANK = {Role.VIEWER: 1, Role.MEMBER: 2, Role.EDITOR: 3, Role.COORDINATOR: 4}


def is_authenticated(user: User | AnonymousUser | None) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def is_staff(user: User | AnonymousUser | None) -> bool:
    """Platform staff = the project team."""
    return is_authenticated(user) and bool(user.is_staff)


def _roles(user) -> dict[int, str]:
    """organisation id -> role, cached on the user object for the request."""
    if not is_authenticated(user):
        return {}
    cache = getattr(user, "_panreflex_roles", None)
    if cache is None:
        cache = dict(Membership.objects.filter(user=user).values_list("organisation_id", "role"))
        user._panreflex_roles = cache
    return cache


def forget_cached_roles(user) -> None:
    if hasattr(user, "_panreflex_roles"):
        del user._panreflex_roles


def role_in(user, organisation: Organisation | int | None) -> str | None:
    if organisation is None:
        return None
    org_id = organisation if isinstance(organisation, int) else organisation.pk
    return _roles(user).get(org_id)


def has_role(user, organisation: Organisation | int | None, minimum: str) -> bool:
    role = role_in(user, organisation)
    return role is not None and ROLE_RANK[role] >= ROLE_RANK[minimum]


def organisation_ids(user, minimum: str = Role.VIEWER) -> list[int]:
    return [org for org, role in _roles(user).items() if ROLE_RANK[role] >= ROLE_RANK[minimum]]


def is_network_member(user) -> bool:
    """Signed-in member of a partner organisation, or staff."""
    if is_staff(user):
        return True
    if not is_authenticated(user):
        return False
    cache = getattr(user, "_panreflex_network", None)
    if cache is None:
        cache = Membership.objects.filter(user=user, organisation__is_partner=True).exists()
        user._panreflex_network = cache
    return cache


# --- organisations -------------------------------------------------------------------------------
def can_view_organisation(user, organisation: Organisation) -> bool:
    return True  # organisations and their names are public information


def can_manage_members(user, organisation: Organisation) -> bool:
    return is_staff(user) or has_role(user, organisation, Role.COORDINATOR)


def can_view_members(user, organisation: Organisation) -> bool:
    """Who belongs to an organisation is visible to its members (any role) and to staff."""
    return is_staff(user) or role_in(user, organisation) is not None


def can_edit_organisation(user, organisation: Organisation) -> bool:
    """Coordinators keep their organisation's description and website up to date; staff change everything."""
    return can_manage_members(user, organisation)


def can_create_organisation(user) -> bool:
    """New organisations are set up by the project team."""
    return is_staff(user)


def can_edit_for(user, organisation: Organisation | int | None) -> bool:
    """May create and change content owned by this organisation."""
    return is_staff(user) or has_role(user, organisation, Role.EDITOR)


def can_contribute_for(user, organisation: Organisation | int | None) -> bool:
    """May contribute (comment, add cards, answer) on behalf of this organisation."""
    return is_staff(user) or has_role(user, organisation, Role.MEMBER)


def editable_organisations(user) -> QuerySet[Organisation]:
    if is_staff(user):
        return Organisation.objects.all()
    return Organisation.objects.filter(pk__in=organisation_ids(user, Role.EDITOR))


# --- owned content (visibility contract) ---------------------------------------------------------
def visible_q(user, *, prefix: str = "") -> Q:
    """Q object selecting the OwnedContent rows `user` may see. `prefix` e.g. "practice__"."""
    p = prefix
    public = Q(**{f"{p}visibility": Visibility.PUBLIC, f"{p}released_at__isnull": False})
    if is_staff(user):
        return Q()
    if not is_authenticated(user):
        return public
    own = Q(**{f"{p}organisation_id__in": organisation_ids(user)})
    if is_network_member(user):
        network = Q(**{f"{p}visibility__in": [Visibility.NETWORK, Visibility.PUBLIC]})
        return public | own | network
    return public | own


def filter_visible(user, queryset: QuerySet, *, prefix: str = "") -> QuerySet:
    return queryset.filter(visible_q(user, prefix=prefix))


def can_view(user, obj: OwnedContent) -> bool:
    if is_staff(user):
        return True
    if obj.visibility == Visibility.PUBLIC and obj.released_at is not None:
        return True
    if not is_authenticated(user):
        return False
    if role_in(user, obj.organisation_id) is not None:
        return True
    return obj.visibility in (Visibility.NETWORK, Visibility.PUBLIC) and is_network_member(user)


def can_edit(user, obj: OwnedContent) -> bool:
    return can_edit_for(user, obj.organisation_id)


def can_release(user, obj: OwnedContent | None = None) -> bool:
    """Editorial release of public content is done by the project team."""
    return is_staff(user)


def can_view_audit(user, obj: Model) -> bool:
    """Editors see the audit trail of the objects they may edit."""
    org_id = getattr(obj, "organisation_id", None)
    return is_staff(user) or (org_id is not None and has_role(user, org_id, Role.EDITOR))


# --- lookup helpers for views --------------------------------------------------------------------
def get_visible_or_404(user, queryset: QuerySet, **lookup: Any):
    """Fetch an OwnedContent object the user may see, else 404."""
    try:
        obj = queryset.get(**lookup)
    except queryset.model.DoesNotExist as exc:
        raise Http404 from exc
    if not can_view(user, obj):
        raise Http404
    return obj


def get_editable_or_404(user, queryset: QuerySet, **lookup: Any):
    """Fetch an OwnedContent object the user may change. Invisible → 404; visible but read-only → 404 too,
    so that no existence leaks through edit URLs (views show a read-only page instead where useful)."""
    obj = get_visible_or_404(user, queryset, **lookup)
    if not can_edit(user, obj):
        raise Http404
    return obj


def require(condition: bool) -> None:
    """Raise 404 unless the condition holds (used for rules that do not concern an object)."""
    if not condition:
        raise Http404
