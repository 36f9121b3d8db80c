"""Optional two-factor sign-in: one TOTP device (authenticator app) plus 10 one-time recovery codes."""

from __future__ import annotations

from base64 import b32encode
from binascii import unhexlify

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.util import random_hex

from ..models import User

RECOVERY_CODE_COUNT = 10
MSG_WRONG_CODE = _("The code is not correct. Enter the current six-digit code from your app (or a recovery code).")


def new_secret() -> str:
    """A fresh 20-byte TOTP key, hex-encoded as django-otp stores it."""
    return random_hex(20)


def secret_as_base32(key_hex: str) -> str:
    """The key as authenticator apps expect it when typed in (base32, groups of four)."""
    text = b32encode(unhexlify(key_hex)).decode().rstrip("=")
    return " ".join(text[i:i + 4] for i in range(0, len(text), 4))


def provisioning_device(*, user: User, key_hex: str) -> TOTPDevice:
    """An unsaved device for the set-up page (QR code URL); saved only once a code confirms it."""
    return TOTPDevice(user=user, key=key_hex, name="authenticator", confirmed=False)


def _clean_code(code: str) -> str:
    return "".join((code or "").split()).lower()


def code_matches_secret(*, key_hex: str, code: str) -> bool:
    code = _clean_code(code)
    if not code.isdigit() or len(code) != 6:
        return False
    return TOTP(unhexlify(key_hex), step=30, t0=0, digits=6, drift=0).verify(int(code), tolerance=1)


def two_factor_enabled(*, user: User) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


@transaction.atomic
def two_factor_enable(*, user: User, key_hex: str, code: str) -> list[str]:
    """Confirm the new authenticator with a code; returns the 10 recovery codes (shown once)."""
    if two_factor_enabled(user=user):
        raise ValidationError(_("Two-factor sign-in is already switched on."))
    if not code_matches_secret(key_hex=key_hex, code=code):
        raise ValidationError({"code": MSG_WRONG_CODE})
    TOTPDevice.objects.filter(user=user).delete()
    TOTPDevice.objects.create(user=user, key=key_hex, name="authenticator", confirmed=True)
    return recovery_codes_replace(user=user)


@transaction.atomic
def recovery_codes_replace(*, user: User) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name="recovery codes", confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=c) for c in codes])
    return codes


def verify_second_factor(*, user: User, code: str):
    """The device (TOTP or recovery codes) that accepts the code, else None. A recovery code is used up.

    django-otp throttles each device after failures, so guessing is slowed down.
    """
    code = _clean_code(code)
    if not code or len(code) > 16:
        return None
    with transaction.atomic():
        for device in TOTPDevice.objects.filter(user=user, confirmed=True):
            if device.verify_token(code):
                return device
        for device in StaticDevice.objects.filter(user=user, confirmed=True):
            if device.verify_token(code):
                return device
    return None


@transaction.atomic
def recovery_codes_renew(*, user: User, code: str) -> list[str]:
    """New recovery codes after confirming with a current code (or one of the old recovery codes)."""
    if verify_second_factor(user=user, code=code) is None:
        raise ValidationError({"code": MSG_WRONG_CODE})
    return recovery_codes_replace(user=user)


@transaction.atomic
def two_factor_disable(*, user: User, password: str, code: str) -> None:
    """Switch two-factor sign-in off; needs the password and a current code (or a recovery code)."""
    errors = {}
    if not user.check_password(password or ""):
        errors["password"] = _("The password is not correct.")
    if verify_second_factor(user=user, code=code) is None:
        errors["code"] = MSG_WRONG_CODE
    if errors:
        raise ValidationError(errors)
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
