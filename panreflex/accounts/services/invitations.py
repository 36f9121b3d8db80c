"""Invitations by e-mail link. Only the SHA-256 hash of the token is stored; the link holds the token."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from panreflex.audit.services import audit_record, diff, snapshot

from ..models import Invitation, Membership, Organisation, User
from .mail import absolute_url, send_account_mail
from .memberships import membership_create
from .users import normalise_email, user_create


class InvitationError(ValidationError):
    """An invitation link that cannot be used; `code` says why (unknown, expired, revoked, used)."""


MESSAGES = {
    "unknown": _("This invitation link is not valid. Check that you copied the whole link from the e-mail."),
    "expired": _("This invitation has expired. Ask the coordinator of the organisation for a new one."),
    "revoked": _("This invitation was withdrawn. Ask the coordinator of the organisation for a new one."),
    "used": _("This invitation has already been accepted. Sign in with your e-mail address and password."),
}
MSG_ALREADY_MEMBER = _("%(email)s is already a member of %(organisation)s.")
MSG_PENDING = _("An invitation to %(email)s is still open. You can send it again from the list of invitations.")
MSG_WRONG_ACCOUNT = _(
    "This invitation is for %(email)s, but you are signed in as %(current)s. Sign out and open the link again."
)


def _expiry():
    return timezone.now() + timedelta(days=settings.INVITATION_VALID_DAYS)


def _send(invitation: Invitation, token: str) -> None:
    send_account_mail(
        to=[invitation.email],
        template="invitation",
        context={
            "invitation": invitation,
            "organisation": invitation.organisation,
            "inviter": invitation.invited_by,
            "role": invitation.get_role_display(),
            "link": absolute_url("accounts:invitation_accept", token=token),
            "valid_days": settings.INVITATION_VALID_DAYS,
        },
    )


@transaction.atomic
def invitation_create(*, organisation: Organisation, email: str, role: str, invited_by: User) -> Invitation:
    """Invite an address into an organisation with a role, and send the link."""
    email = normalise_email(email)
    if Membership.objects.filter(organisation=organisation, user__email__iexact=email).exists():
        raise ValidationError({"email": MSG_ALREADY_MEMBER % {"email": email, "organisation": organisation.name}})
    open_invitations = Invitation.objects.select_for_update().filter(
        organisation=organisation, email__iexact=email, accepted_at__isnull=True, revoked_at__isnull=True,
        expires_at__gt=timezone.now(),
    )
    if open_invitations.exists():
        raise ValidationError({"email": MSG_PENDING % {"email": email}})
    token, token_hash = Invitation.new_token()
    invitation = Invitation(organisation=organisation, email=email, role=role, invited_by=invited_by,
                            token_hash=token_hash, expires_at=_expiry())
    invitation.full_clean()
    invitation.save()
    audit_record(actor=invited_by, action="create", obj=invitation,
                 changes=diff({}, snapshot(invitation, fields=["email", "role", "expires_at"])))
    _send(invitation, token)
    return invitation


@transaction.atomic
def invitation_resend(*, invitation: Invitation, actor: User) -> Invitation:
    """Send a fresh link (the old one stops working) with a new expiry date."""
    invitation = Invitation.objects.select_for_update().select_related("organisation").get(pk=invitation.pk)
    if invitation.accepted_at or invitation.revoked_at:
        raise ValidationError(_("Only open or expired invitations can be sent again."))
    before = snapshot(invitation, fields=["expires_at"])
    token, invitation.token_hash = Invitation.new_token()
    invitation.expires_at = _expiry()
    invitation.invited_by = actor
    invitation.save(update_fields=["token_hash", "expires_at", "invited_by"])
    audit_record(actor=actor, action="update", obj=invitation, note="sent again",
                 changes=diff(before, snapshot(invitation, fields=["expires_at"])))
    _send(invitation, token)
    return invitation


@transaction.atomic
def invitation_revoke(*, invitation: Invitation, actor: User) -> Invitation:
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.accepted_at:
        raise ValidationError(_("This invitation has already been accepted; remove the membership instead."))
    if invitation.revoked_at:
        return invitation
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at"])
    audit_record(actor=actor, action="status", obj=invitation, note="revoked",
                 changes={"revoked_at": [None, invitation.revoked_at.isoformat()]})
    return invitation


def invitation_for_token(token: str, *, for_update: bool = False) -> Invitation:
    """The open invitation a link's token stands for, else InvitationError with a clear message."""
    if not token or len(token) > 100:
        raise InvitationError(MESSAGES["unknown"], code="unknown")
    qs = Invitation.objects.select_related("organisation", "invited_by")
    if for_update:
        qs = qs.select_for_update(of=("self",))
    invitation = qs.filter(token_hash=Invitation.hash_token(token)).first()
    if invitation is None:
        raise InvitationError(MESSAGES["unknown"], code="unknown")
    if invitation.accepted_at is not None:
        raise InvitationError(MESSAGES["used"], code="used")
    if invitation.revoked_at is not None:
        raise InvitationError(MESSAGES["revoked"], code="revoked")
    if invitation.is_expired:
        raise InvitationError(MESSAGES["expired"], code="expired")
    return invitation


def _mark_accepted(invitation: Invitation, user: User) -> None:
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    audit_record(actor=user, action="status", obj=invitation, note="accepted",
                 changes={"accepted_at": [None, invitation.accepted_at.isoformat()]})


@transaction.atomic
def invitation_accept_new_user(*, token: str, full_name: str, password: str, language: str = "") -> User:
    """A new person accepts: account (address verified by the link), membership, invitation closed."""
    invitation = invitation_for_token(token, for_update=True)
    user = user_create(email=invitation.email, password=password, full_name=full_name, language=language,
                       email_verified=True)
    membership_create(user=user, organisation=invitation.organisation, role=invitation.role, actor=user)
    _mark_accepted(invitation, user)
    return user


@transaction.atomic
def invitation_accept_existing(*, token: str, user: User) -> Membership:
    """A signed-in person whose address the invitation names accepts it."""
    invitation = invitation_for_token(token, for_update=True)
    if normalise_email(user.email) != invitation.email.lower():
        raise ValidationError(MSG_WRONG_ACCOUNT % {"email": invitation.email, "current": user.email})
    if Membership.objects.filter(user=user, organisation=invitation.organisation).exists():
        raise ValidationError(MSG_ALREADY_MEMBER % {"email": user.email, "organisation": invitation.organisation.name})
    membership = membership_create(user=user, organisation=invitation.organisation, role=invitation.role, actor=user)
    if user.email_verified_at is None:
        user.email_verified_at = timezone.now()
        user.save(update_fields=["email_verified_at"])
    _mark_accepted(invitation, user)
    return membership

