"""Results page, deriving insights and action items, report and export downloads."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from panreflex.accounts import policy
from panreflex.accounts.policy import loads
from panreflex.workshops.models import Workshop

from .. import report, selectors, services
from ..forms import ActionForm, InsightForm
from ..services.common import Refused
from .common import facilitated_or_404, workshop_actor, workshop_or_404


def _results_context(workshop, actor, insight_form=None, action_form=None):
    can_facilitate = policy.can(actor, "facilitate", workshop)
    return {
        "workshop": workshop, "results": selectors.results_for(workshop=workshop),
        "people": selectors.people(workshop=workshop), "can_facilitate": can_facilitate,
        "insight_form": insight_form or (InsightForm(workshop=workshop, prefix="insight") if can_facilitate else None),
        "action_form": action_form or (ActionForm(workshop=workshop, prefix="action") if can_facilitate else None),
    }


@loads(subject=workshop_actor, pk=Workshop)
def results(request, pk):
    workshop, actor = workshop_or_404(request, pk)
    if actor.user is None:
        raise Http404  # guests contribute in the room; results are for the organisations involved
    return render(request, "workshops/results.html", _results_context(workshop, actor))


@require_POST
@loads(subject=workshop_actor, pk=Workshop)
def derive_insight(request, pk):
    workshop, actor = facilitated_or_404(request, pk)
    form = InsightForm(request.POST, workshop=workshop, prefix="insight")
    if form.is_valid():
        try:
            services.insight_from_cards(workshop=workshop, actor=actor, statement=form.cleaned_data["statement"],
                                        kind=form.cleaned_data["kind"], card_ids=form.cleaned_data["cards"],
                                        visibility=form.cleaned_data["visibility"])
        except Refused as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("The insight was saved with links to its cards."))
            return redirect("workshops:results", pk=workshop.pk)
    return render(request, "workshops/results.html", _results_context(workshop, actor, insight_form=form), status=422)


@require_POST
@loads(subject=workshop_actor, pk=Workshop)
def derive_action(request, pk):
    workshop, actor = facilitated_or_404(request, pk)
    form = ActionForm(request.POST, workshop=workshop, prefix="action")
    if form.is_valid():
        data = dict(form.cleaned_data)
        try:
            services.action_from_cards(workshop=workshop, actor=actor, card_ids=data.pop("cards"), **data)
        except Refused as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("The action item was added to the organisation's improvement plan."))
            return redirect("workshops:results", pk=workshop.pk)
    return render(request, "workshops/results.html", _results_context(workshop, actor, action_form=form), status=422)


def _download(data: bytes, content_type: str, workshop, suffix: str) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    name = slugify(workshop.title)[:60] or f"workshop-{workshop.pk}"
    response["Content-Disposition"] = f'attachment; filename="{name}-{suffix}"'
    return response


def _member(request, pk):
    workshop, actor = workshop_or_404(request, pk)
    if actor.user is None:
        raise Http404
    return workshop


@loads(subject=workshop_actor, pk=Workshop)
def report_pdf(request, pk):
    workshop = _member(request, pk)
    return _download(report.report_pdf(workshop, request=request), "application/pdf", workshop, "bericht.pdf")


@loads(subject=workshop_actor, pk=Workshop)
def report_docx(request, pk):
    workshop = _member(request, pk)
    return _download(report.report_docx(workshop),
                     "application/vnd.openxmlformats-officedocument.wordprocessingml.document", workshop, "bericht.docx")


@loads(subject=workshop_actor, pk=Workshop)
def export_csv(request, pk):
    workshop = _member(request, pk)
    return _download(report.board_csv(workshop), "text/csv; charset=utf-8", workshop, "board.csv")


@loads(subject=workshop_actor, pk=Workshop)
def export_xlsx(request, pk):
    workshop = _member(request, pk)
    return _download(report.board_xlsx(workshop),
                     "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", workshop, "board.xlsx")
