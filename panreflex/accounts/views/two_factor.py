"""Switching two-factor sign-in on (QR code + secret, confirm with a code, recovery codes) and off."""

from __future__ import annotations

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from panreflex.accounts.policy import loads

from .. import services
from ..forms import SecondFactorForm, TwoFactorDisableForm, TwoFactorSetupForm
from ._helpers import apply_errors

SETUP_KEY = "accounts_totp_setup_key"
CODES_KEY = "accounts_recovery_codes"


@login_required
@loads()
def two_factor(request):
    return render(request, "accounts/two_factor.html",
                  {"enabled": services.two_factor_enabled(user=request.user)})


@login_required
@loads()
def two_factor_setup(request):
    user = request.user
    if services.two_factor_enabled(user=user):
        messages.info(request, _("Two-factor sign-in is already switched on."))
        return redirect("accounts:two_factor")
    key = request.session.get(SETUP_KEY)
    if not key:
        key = services.new_secret()
        request.session[SETUP_KEY] = key  # kept in the session until a code confirms it
    form = TwoFactorSetupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            codes = services.two_factor_enable(user=user, key_hex=key, code=form.cleaned_data["code"])
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            request.session.pop(SETUP_KEY, None)
            request.session[CODES_KEY] = codes
            messages.success(request, _("Two-factor sign-in is switched on."))
            return redirect("accounts:two_factor_codes")
    device = services.provisioning_device(user=user, key_hex=key)
    qr = segno.make(device.config_url, error="m")
    return render(request, "accounts/two_factor_setup.html", {
        "form": form,
        "qr_data_uri": qr.png_data_uri(scale=5, border=2),
        "secret": services.secret_as_base32(key),
    })


@login_required
@loads()
def two_factor_codes(request):
    """The recovery codes, shown once after switching on (they stay in the session until 'done')."""
    codes = request.session.get(CODES_KEY)
    if not codes:
        return redirect("accounts:two_factor")
    if request.method == "POST":
        request.session.pop(CODES_KEY, None)
        return redirect("accounts:two_factor")
    return render(request, "accounts/two_factor_codes.html", {"codes": codes})


@login_required
@loads()
def two_factor_codes_download(request):
    codes = request.session.get(CODES_KEY)
    if not codes:
        return redirect("accounts:two_factor")
    lines = [
        _("PanReflex recovery codes for %(email)s") % {"email": request.user.email},
        _("Created: %(when)s") % {"when": timezone.localtime().strftime("%Y-%m-%d %H:%M")},
        _("Each code can be used once instead of the code from your app."),
        "",
        *codes,
        "",
    ]
    response = HttpResponse("\r\n".join(lines), content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="panreflex-recovery-codes.txt"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
@loads()
def two_factor_disable(request):
    user = request.user
    if not services.two_factor_enabled(user=user):
        return redirect("accounts:two_factor")
    form = TwoFactorDisableForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.two_factor_disable(user=user, password=form.cleaned_data["password"], code=form.cleaned_data["code"])
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Two-factor sign-in is switched off."))
            return redirect("accounts:two_factor")
    return render(request, "accounts/two_factor_disable.html", {"form": form})





@login_required
@loads()
def two_factor_new_codes(request):
    """Replace the recovery codes (the old ones stop working); needs a current code."""
    user = request.user
    if not services.two_factor_enabled(user=user):
        return redirect("accounts:two_factor")
    form = SecondFactorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            codes = services.recovery_codes_renew(user=user, code=form.cleaned_data["code"])
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            request.session[CODES_KEY] = codes
            messages.success(request, _("You have new recovery codes. The old ones no longer work."))
            return redirect("accounts:two_factor_codes")
    return render(request, "accounts/two_factor_new_codes.html", {"form": form})
