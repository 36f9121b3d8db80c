"""Writes concerning one person: profile, e-mail verification, deletion requests, anonymisation."""

from __future__ import annotations

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext_lazy as _

from panreflex.audit.services import audit_forget_actor, audit_record

from ..models import Invitation, Membership, User
from ..tokens import email_verification_token
from .mail import absolute_url, send_account_mail

MSG_EMAIL_TAKEN = _("An account with this e-mail address already exists.")


def normalise_email(email: str) -> str:
    return (email or "").strip().lower()


def email_taken(email: str, *, exclude: User | None = None) -> bool:
    qs = User.objects.filter(email__iexact=normalise_email(email))
    if exclude is not None:
        qs = qs.exclude(pk=exclude.pk)
    return qs.exists()


def user_create(*, email: str, password: str, full_name: str = "", language: str = "",
                email_verified: bool = False) -> User:
    """A new person (used when an invitation is accepted). Validates the password and uniqueness."""
    email = normalise_email(email)
    if email_taken(email):
        raise ValidationError({"email": MSG_EMAIL_TAKEN})
    user = User(email=email, full_name=full_name.strip(), language=language,
                email_verified_at=timezone.now() if email_verified else None)
    validate_password(password, user)
    user.set_password(password)
    user.full_clean(validate_constraints=False)
    user.save()
    return user


def verification_link(user: User) -> str:
    return absolute_url(
        "accounts:verify_email",
        uidb64=urlsafe_base64_encode(force_bytes(user.pk)),
        token=email_verification_token.make_token(user),
    )


def email_verification_send(*, user: User) -> str:
    """Send the confirmation link to the address that needs confirming. Returns that address."""
    address = user.pending_email or user.email
    send_account_mail(
        to=[address],
        template="verify_email",
        context={"user": user, "address": address, "link": verification_link(user),
                 "change": bool(user.pending_email)},
        language=user.language,
    )
    return address


@transaction.atomic
def user_profile_update(*, user: User, full_name: str, language: str, email: str) -> bool:
    """Save name and language; a new e-mail address waits for confirmation (link sent to it).

    Returns True when a confirmation link for a new address was sent.
    """
    email = normalise_email(email)
    user.full_name = full_name.strip()
    user.language = language
    changed_email = email != user.email.lower()
    if changed_email:
        if email_taken(email, exclude=user):
            raise ValidationError({"email": MSG_EMAIL_TAKEN})
        user.pending_email = email
    elif user.pending_email:
        user.pending_email = ""  # back to the current address: drop the pending change
    user.full_clean(validate_constraints=False)
    user.save(update_fields=["full_name", "language", "pending_email"])
    if changed_email:
        email_verification_send(user=user)
        send_account_mail(to=[user.email], template="email_change_notice",
                          context={"user": user, "new_address": email}, language=user.language)
    return changed_email


@transaction.atomic
def email_verify(*, user: User, token: str) -> None:
    """Confirm the address a verification link was sent to. Raises ValidationError when it cannot."""
    if not email_verification_token.check_token(user, token):
        raise ValidationError(_("This confirmation link is invalid or has expired. Request a new one from your profile."))
    if user.pending_email:
        if email_taken(user.pending_email, exclude=user):
            raise ValidationError(MSG_EMAIL_TAKEN)
        user.email = user.pending_email
        user.pending_email = ""
    user.email_verified_at = timezone.now()
    user.save(update_fields=["email", "pending_email", "email_verified_at"])


@transaction.atomic
def user_request_deletion(*, user: User) -> None:
    """Record the wish to have the account deleted and tell the project team."""
    if user.deletion_requested_at is not None:
        return
    user.deletion_requested_at = timezone.now()
    user.save(update_fields=["deletion_requested_at"])
    staff = list(User.objects.filter(is_staff=True, is_active=True).values_list("email", flat=True))
    if staff:
        send_account_mail(to=staff, template="deletion_requested",
                          context={"person": user, "admin_link": absolute_url("admin:accounts_user_change", object_id=user.pk)})


@transaction.atomic
def user_cancel_deletion_request(*, user: User) -> None:
    user.deletion_requested_at = None
    user.save(update_fields=["deletion_requested_at"])


@transaction.atomic
def user_anonymise(*, user: User, actor: User) -> None:
    """Carry out a deletion request: remove memberships, second factors and personal data; deactivate.

    The row stays (content and audit entries keep pointing at it) but nothing identifies the person.
    """
    from django_otp.plugins.otp_static.models import StaticDevice
    from django_otp.plugins.otp_totp.models import TOTPDevice

    for membership in Membership.objects.filter(user=user).select_related("organisation", "user"):
        audit_record(actor=actor, action="delete", obj=membership, note="account anonymised")
        membership.delete()
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    anonymous_address = f"deleted-{user.pk}@invalid.invalid"
    # invitations addressed to the person keep no trace of the address either
    Invitation.objects.filter(email__iexact=user.email).update(email=anonymous_address)
    user.email = anonymous_address
    user.pending_email = ""
    user.full_name = ""
    user.language = ""
    user.is_active = False
    user.is_staff = False
    user.is_superuser = False
    user.email_verified_at = None
    user.set_unusable_password()
    user.save()
    user.groups.clear()
    user.user_permissions.clear()
    audit_forget_actor(user=user)
