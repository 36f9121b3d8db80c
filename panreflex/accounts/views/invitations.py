"""Accepting an invitation from the e-mail link."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from panreflex.accounts.policy import TOKEN, loads

from .. import services
from ..forms import AcceptInvitationForm
from ._helpers import apply_errors

STATUS = {"unknown": 404, "expired": 410, "revoked": 410, "used": 410}


def _invalid(request, exc: services.InvitationError):
    return render(request, "accounts/invitation_invalid.html", {"message": exc.messages[0]},
                  status=STATUS.get(exc.code, 400))


@loads(token=TOKEN)
def invitation_accept(request, token):
    try:
        invitation = services.invitation_for_token(token)
    except services.InvitationError as exc:
        return _invalid(request, exc)
    user = request.user
    context = {"invitation": invitation, "organisation": invitation.organisation}

    if user.is_authenticated:
        if request.method == "POST":
            try:
                services.invitation_accept_existing(token=token, user=user)
            except services.InvitationError as exc:
                return _invalid(request, exc)
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
                return redirect("accounts:invitation_accept", token=token)
            messages.success(request, _("Welcome to %(organisation)s.") % {"organisation": invitation.organisation})
            return redirect(invitation.organisation)
        context["same_person"] = user.email.lower() == invitation.email.lower()
        return render(request, "accounts/invitation_accept.html", context)

    if services.email_taken(invitation.email):
        context["existing_account"] = True
        return render(request, "accounts/invitation_accept.html", context)

    form = AcceptInvitationForm(request.POST or None, email=invitation.email)
    if request.method == "POST" and form.is_valid():
        try:
            new_user = services.invitation_accept_new_user(
                token=token, full_name=form.cleaned_data["full_name"], password=form.cleaned_data["password1"],
                language=get_language() if get_language() in dict(settings.LANGUAGES) else "",
            )
        except services.InvitationError as exc:
            return _invalid(request, exc)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            auth_login(request, new_user, backend="panreflex.accounts.backends.EmailBackend")
            messages.success(request, _("Welcome to %(organisation)s. Your account is ready.") % {
                "organisation": invitation.organisation})
            return redirect(invitation.organisation)
    context["form"] = form
    return render(request, "accounts/invitation_accept.html", context)
