"""Sign-in (password, then the second factor when switched on), e-mail verification, passwords."""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.encoding import force_str
from django.utils.http import url_has_allowed_host_and_scheme, urlsafe_base64_decode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice

from panreflex.accounts.policy import TOKEN, loads

from .. import services
from ..forms import LoginForm, SecondFactorForm
from ..models import User
from ..tokens import email_verification_token
from ._helpers import set_language_cookie

PENDING_KEY = "accounts_second_factor_pending"
PENDING_SECONDS = 300


class LoginView(auth_views.LoginView):
    panreflex_loads = {}  # what the view takes from its URL (issue 13)
    template_name = "accounts/login.html"
    form_class = LoginForm
    redirect_authenticated_user = True

    def form_valid(self, form):
        user = form.get_user()
        if services.two_factor_enabled(user=user):
            # Password correct: remember who is half-way in, ask for the second factor.
            self.request.session[PENDING_KEY] = {
                "user_id": user.pk, "backend": user.backend, "since": time.time(), "next": self.get_redirect_url(),
            }
            return redirect("accounts:login_second_factor")
        response = super().form_valid(form)
        return set_language_cookie(response, user.language)


def _safe_next(request, url: str) -> str:
    if url and url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return url
    return reverse_lazy(settings.LOGIN_REDIRECT_URL)


@loads()
def login_second_factor(request):
    """Second step of sign-in for people with two-factor sign-in: a TOTP code or a recovery code."""
    if request.user.is_authenticated:
        return redirect(settings.LOGIN_REDIRECT_URL)
    pending = request.session.get(PENDING_KEY)
    if not pending:
        return redirect("accounts:login")
    user = User.objects.filter(pk=pending.get("user_id"), is_active=True).first()
    if user is None or time.time() - pending.get("since", 0) > PENDING_SECONDS:
        request.session.pop(PENDING_KEY, None)
        messages.error(request, _("Sign-in took too long. Please enter your e-mail address and password again."))
        return redirect("accounts:login")
    form = SecondFactorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = services.verify_second_factor(user=user, code=form.cleaned_data["code"])
        if device is not None:
            request.session.pop(PENDING_KEY, None)
            auth_login(request, user, backend=pending["backend"])
            otp_login(request, device)
            if isinstance(device, StaticDevice):
                left = device.token_set.count()
                messages.warning(request, _("You signed in with a recovery code. %(n)d recovery codes are left.") % {"n": left})
            return set_language_cookie(redirect(_safe_next(request, pending.get("next", ""))), user.language)
        form.add_error("code", services.two_factor.MSG_WRONG_CODE)
    return render(request, "accounts/login_second_factor.html", {"form": form})


# --- e-mail verification -------------------------------------------------------------------------
@login_required
@require_POST
@loads()
def verify_email_send(request):
    user = request.user
    if user.email_verified_at and not user.pending_email:
        messages.info(request, _("Your e-mail address is already confirmed."))
    else:
        try:
            address = services.email_verification_send(user=user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("We sent a confirmation link to %(address)s.") % {"address": address})
    return redirect("accounts:profile")


def _user_from_uid(uidb64: str) -> User | None:
    try:
        return User.objects.get(pk=int(force_str(urlsafe_base64_decode(uidb64))), is_active=True)
    except (TypeError, ValueError, OverflowError, User.DoesNotExist):
        return None


@loads(uidb64=TOKEN, token=TOKEN)
def verify_email(request, uidb64: str, token: str):
    """The link from the confirmation e-mail: shows the address, confirms on POST (mail scanners only GET)."""
    user = _user_from_uid(uidb64)
    valid = user is not None and email_verification_token.check_token(user, token)
    if not valid:
        return render(request, "accounts/verify_email.html", {"valid": False}, status=400)
    if request.method == "POST":
        try:
            services.email_verify(user=user, token=token)
        except ValidationError as exc:
            return render(request, "accounts/verify_email.html", {"valid": False, "error": exc.messages[0]}, status=400)
        messages.success(request, _("Thank you: your e-mail address %(address)s is confirmed.") % {"address": user.email})
        return redirect("accounts:profile" if request.user.is_authenticated else "accounts:login")
    return render(request, "accounts/verify_email.html", {"valid": True, "address": user.pending_email or user.email})


# --- passwords (Django's views, own templates) ---------------------------------------------------
class PasswordResetView(auth_views.PasswordResetView):
    panreflex_loads = {}  # what the view takes from its URL (issue 13)
    template_name = "accounts/password_reset.html"
    email_template_name = "accounts/email/password_reset_body.txt"
    subject_template_name = "accounts/email/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    panreflex_loads = {}  # what the view takes from its URL (issue 13)
    template_name = "accounts/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    panreflex_loads = {"uidb64": TOKEN, "token": TOKEN}  # what the view takes from its URL (issue 13)
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    panreflex_loads = {}  # what the view takes from its URL (issue 13)
    template_name = "accounts/password_reset_complete.html"


class PasswordChangeView(auth_views.PasswordChangeView):
    panreflex_loads = {}  # what the view takes from its URL (issue 13)
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:profile")

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(self.request, _("Your password has been changed."))
        return response
