"""The person's own page: profile, language, e-mail change, data export, deletion request."""

from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from panreflex.accounts.policy import loads

from .. import selectors, services
from ..forms import ProfileForm
from ._helpers import apply_errors, set_language_cookie


@login_required
@loads()
def profile(request):
    user = request.user
    memberships = list(selectors.memberships_of(user=user))
    return render(request, "accounts/profile.html", {
        "memberships": memberships,
        "coordinated": [m.organisation for m in memberships if m.role == "coordinator"],
        "two_factor": services.two_factor_enabled(user=user),
    })


@login_required
@loads()
def profile_edit(request):
    user = request.user
    initial = {"full_name": user.full_name, "email": user.pending_email or user.email, "language": user.language}
    form = ProfileForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            email_sent = services.user_profile_update(
                user=user, full_name=data["full_name"], language=data["language"], email=data["email"]
            )
        except ValidationError as exc:
            user.refresh_from_db()
            apply_errors(form, exc)
        else:
            if data["language"]:
                translation.activate(data["language"])
            messages.success(request, _("Your profile has been saved."))
            if email_sent:
                messages.info(request, _("We sent a confirmation link to %(address)s. Your new address takes effect "
                                         "once you open it.") % {"address": data["email"]})
            return set_language_cookie(redirect("accounts:profile"), data["language"])
    return render(request, "accounts/profile_edit.html", {"form": form})


@login_required
@loads()
def data_export(request):
    """All personal data of this domain as a JSON download."""
    data = selectors.user_data_export(user=request.user)
    body = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="panreflex-meine-daten-{stamp}.json"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
@loads()
def deletion_request(request):
    """Confirmation page; POST records the request and tells the project team."""
    if request.method == "POST" and request.user.deletion_requested_at is None:
        try:
            services.user_request_deletion(user=request.user)
        except ValidationError as exc:
            request.user.refresh_from_db()
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Your request has been recorded. The project team will delete your account."))
        return redirect("accounts:deletion_request")
    return render(request, "accounts/deletion_request.html")


@login_required
@require_POST
@loads()
def deletion_cancel(request):
    services.user_cancel_deletion_request(user=request.user)
    messages.success(request, _("Your deletion request has been withdrawn."))
    return redirect("accounts:profile")
