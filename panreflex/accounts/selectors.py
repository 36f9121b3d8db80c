"""Reads of the accounts domain."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from .models import Invitation, Membership, Organisation, Role, User


def memberships_of(*, user) -> QuerySet[Membership]:
    return Membership.objects.filter(user=user).select_related("organisation")


def organisation_list() -> QuerySet[Organisation]:
    return Organisation.objects.select_related("place").annotate(member_count=Count("memberships"))


def organisation_members(*, organisation: Organisation) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(organisation=organisation)
        .select_related("user")
        .order_by("user__full_name", "user__email")
    )


def coordinator_count(*, organisation: Organisation) -> int:
    return Membership.objects.filter(organisation=organisation, role=Role.COORDINATOR).count()


def open_invitations(*, organisation: Organisation) -> QuerySet[Invitation]:
    """Invitations not accepted and not withdrawn (expired ones included, so they can be sent again)."""
    return (
        Invitation.objects.filter(organisation=organisation, accepted_at__isnull=True, revoked_at__isnull=True)
        .select_related("invited_by")
        .order_by("-created_at")
    )


def deletion_requests() -> QuerySet[User]:
    return User.objects.filter(deletion_requested_at__isnull=False, is_active=True).order_by("deletion_requested_at")


def _iso(value) -> str | None:
    return value.isoformat() if value else None


def user_data_export(*, user: User) -> dict[str, Any]:
    """Everything the platform keeps about a person in this domain, as JSON-friendly data."""
    from panreflex.audit.models import AuditEntry

    memberships = memberships_of(user=user)
    invitations = Invitation.objects.filter(invited_by=user).select_related("organisation")
    received = Invitation.objects.filter(Q(accepted_by=user) | Q(email__iexact=user.email)).select_related("organisation")
    audit = AuditEntry.objects.filter(actor=user).select_related("content_type").order_by("at")
    from .services.two_factor import two_factor_enabled

    return {
        "format": "panreflex-personal-data/1",
        "exported_at": timezone.now().isoformat(),
        "profile": {
            "email": user.email,
            "pending_email": user.pending_email or None,
            "full_name": user.full_name,
            "language": user.language or None,
            "email_verified_at": _iso(user.email_verified_at),
            "date_joined": _iso(user.date_joined),
            "last_login": _iso(user.last_login),
            "deletion_requested_at": _iso(user.deletion_requested_at),
            "project_team": user.is_staff,
            "two_factor_enabled": two_factor_enabled(user=user),
        },
        "memberships": [
            {"organisation": m.organisation.name, "role": m.role, "since": _iso(m.created_at)} for m in memberships
        ],
        "invitations_sent": [
            {"organisation": i.organisation.name, "email": i.email, "role": i.role, "created_at": _iso(i.created_at),
             "expires_at": _iso(i.expires_at), "accepted_at": _iso(i.accepted_at), "revoked_at": _iso(i.revoked_at)}
            for i in invitations
        ],
        "invitations_received": [
            {"organisation": i.organisation.name, "role": i.role, "created_at": _iso(i.created_at),
             "accepted_at": _iso(i.accepted_at)}
            for i in received
        ],
        "audit_entries": [
            {"at": _iso(e.at), "action": e.action, "object_type": e.content_type.model, "object": e.object_repr,
             "changes": e.changes, "note": e.note}
            for e in audit
        ],
    }


def member_changes(*, organisation: Organisation, limit: int = 20):
    """Recent audit entries about the memberships and invitations of an organisation (newest first)."""
    from django.contrib.contenttypes.models import ContentType

    from panreflex.audit.models import AuditEntry

    types = ContentType.objects.get_for_models(Membership, Invitation).values()
    return (
        AuditEntry.objects.filter(organisation_id=organisation.pk, content_type__in=list(types))
        .select_related("actor")
        .order_by("-at", "-id")[:limit]
    )
