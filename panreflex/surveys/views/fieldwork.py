"""Fieldwork: start/close, distribution lists, e-mails, reminders, live response rate."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from panreflex.accounts import access
from panreflex.accounts.policy import loads
from panreflex.lib.tabular import write_csv

from .. import services
from ..forms import DistributionForm
from ..models import Survey
from ..selectors import invitation_rows, tracking
from ..services.fieldwork import invitations_create, places_for_distribution
from ..tasks import send_survey_invitations, send_survey_reminders


def _survey(request, pk):
    return access.get_editable_or_404(request.user, Survey.objects.select_related("organisation"), pk=pk)


@loads(pk=Survey)
def fieldwork(request, pk):
    survey = _survey(request, pk)
    form = DistributionForm(None, initial={"state": "05", "min_population": 50000, "send_now": True})
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "start":
                services.survey_start_fieldwork(actor=request.user, survey=survey)
                messages.success(request, _("The survey is in the field; the questionnaire version is frozen."))
            elif action == "close":
                services.survey_close(actor=request.user, survey=survey)
                messages.success(request, _("The survey was closed."))
            elif action == "send":
                send_survey_invitations.enqueue(survey.pk)
                messages.success(request, _("The invitation e-mails are being sent."))
            elif action == "remind":
                send_survey_reminders.enqueue(survey.pk, 0)
                messages.success(request, _("Reminders are being sent to everyone who has not submitted yet."))
            elif action == "distribute":
                form = DistributionForm(request.POST)
                if form.is_valid():
                    d = form.cleaned_data
                    places = places_for_distribution(state_code=d["state"], min_population=d["min_population"],
                                                     size_classes=d["size_classes"]) if d["state"] else []
                    created = invitations_create(actor=request.user, survey=survey, places=places,
                                                 organisations=d["organisations"], people=d["people"])
                    messages.success(request, _("%(n)s invitation(s) were added.") % {"n": len(created)})
                    if d["send_now"] and survey.status == Survey.Status.FIELD:
                        send_survey_invitations.enqueue(survey.pk)
                    elif d["send_now"]:
                        messages.info(request, _("E-mails are sent once the survey is in the field."))
                    return redirect("surveys:fieldwork", pk=survey.pk)
            else:
                access.require(False)
        except services.SurveyError as exc:
            messages.error(request, " ".join(exc.messages))
        if action != "distribute" or form.is_valid():
            return redirect("surveys:fieldwork", pk=survey.pk)
    open_url = settings.SITE_URL + reverse("surveys:open", kwargs={"token": survey.open_token}) if survey.open_token else ""
    return render(request, "surveys/fieldwork.html", {
        "survey": survey, "form": form, "tracking": tracking(survey), "invitations": invitation_rows(survey)[:500],
        "open_url": open_url, "site_url": settings.SITE_URL,
    })


@loads(pk=Survey)
def tracking_panel(request, pk):
    survey = _survey(request, pk)
    return render(request, "surveys/fieldwork.html#tracking", {"survey": survey, "tracking": tracking(survey)})


@loads(pk=Survey)
def links_csv(request, pk):
    survey = _survey(request, pk)
    rows = [
        [inv.name, inv.place.ags if inv.place_id else "", inv.organisation.name if inv.organisation_id else "", inv.email,
         settings.SITE_URL + inv.get_respond_url(), "x" if inv.sent_at else "", "x" if inv.completed_at else ""]
        for inv in invitation_rows(survey)
    ]
    data = write_csv([_("Name"), "AGS", _("Organisation"), _("E-mail"), _("Personal link"), _("Sent"), _("Submitted")], rows)
    response = HttpResponse(data, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="survey-{survey.pk}-links.csv"'
    return response
