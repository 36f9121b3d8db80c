"""Memberships: who belongs to an organisation with which role. Every change is audited."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from panreflex.audit.services import audit_record, diff, snapshot

from .. import access
from ..models import Membership, Organisation, Role, User

MSG_LAST_COORDINATOR = _(
    "This is the last coordinator of the organisation. Make another member coordinator first."
)


def _is_last_coordinator(membership: Membership) -> bool:
    if membership.role != Role.COORDINATOR:
        return False
    others = (
        Membership.objects.filter(organisation_id=membership.organisation_id, role=Role.COORDINATOR)
        .exclude(pk=membership.pk)
        .select_for_update()
    )
    return not others.exists()


@transaction.atomic
def membership_create(*, user: User, organisation: Organisation, role: str, actor: User | None) -> Membership:
    if Membership.objects.filter(user=user, organisation=organisation).exists():
        raise ValidationError(_("%(person)s is already a member of %(organisation)s.")
                              % {"person": user.email, "organisation": organisation.name})
    membership = Membership(user=user, organisation=organisation, role=role)
    membership.full_clean()
    membership.save()
    audit_record(actor=actor, action="create", obj=membership, changes=diff({}, snapshot(membership)))
    access.forget_cached_roles(user)
    return membership


@transaction.atomic
def membership_change_role(*, membership: Membership, role: str, actor: User) -> Membership:
    membership = Membership.objects.select_for_update().select_related("user", "organisation").get(pk=membership.pk)
    if role not in Role.values:
        raise ValidationError({"role": _("Choose one of the roles offered.")})
    if role == membership.role:
        return membership
    if _is_last_coordinator(membership):
        raise ValidationError(MSG_LAST_COORDINATOR)
    before = snapshot(membership)
    membership.role = role
    membership.full_clean()
    membership.save(update_fields=["role"])
    audit_record(actor=actor, action="update", obj=membership, changes=diff(before, snapshot(membership)))
    access.forget_cached_roles(membership.user)
    return membership


@transaction.atomic
def membership_remove(*, membership: Membership, actor: User) -> None:
    membership = Membership.objects.select_for_update().select_related("user", "organisation").get(pk=membership.pk)
    if _is_last_coordinator(membership):
        raise ValidationError(MSG_LAST_COORDINATOR)
    audit_record(actor=actor, action="delete", obj=membership, changes=diff(snapshot(membership), {}))
    membership.delete()
    access.forget_cached_roles(membership.user)
