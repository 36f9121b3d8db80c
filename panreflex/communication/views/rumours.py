"""The rumour and misinformation register: list with trend, entry with duplicate proposals, weekly PDF."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from panreflex.accounts import access
from panreflex.accounts.policy import loads
from panreflex.lib.charts import stacked_column_chart

from .. import selectors, services
from ..forms import RumourForm
from ..models import Rumour, WeeklySummary
from .common import chosen_organisation
from .plans import _errors_to_form


@login_required
@loads()
def rumour_list(request):
    organisation = chosen_organisation(request)
    if organisation is None:
        raise Http404
    rumours = selectors.rumours_for(viewer=request.user, organisation=organisation)
    labels, counts = selectors.rumour_trend(rumours=rumours)
    chart = stacked_column_chart(
        title=_("New entries per week and category"),
        categories=[str(label) for _value, label in Rumour.Category.choices],
        columns=[(f"{week:%d.%m.}", [counts[c][i] for c in Rumour.Category.values]) for i, week in enumerate(labels)],
        caption=_("Entries first seen in each of the last eight weeks (Monday to Sunday)."), first_header=_("Week from"),
        total_header=_("Total"),
    )
    return render(request, "communication/rumour_list.html", {
        "organisation": organisation, "rumours": rumours[:200], "chart": chart,
        "can_edit": access.can_edit_for(request.user, organisation),
        "summaries": WeeklySummary.objects.filter(organisation=organisation)[:8]
        if access.can_contribute_for(request.user, organisation) else [],
    })


@login_required
@require_http_methods(["GET", "POST"])
@loads()
def rumour_create(request):
    organisation = chosen_organisation(request, editor=True)
    access.require(organisation is not None and access.can_edit_for(request.user, organisation))
    form = RumourForm(request.POST or None, user=request.user, organisation=organisation)
    similar = []
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        groups = list(data.pop("groups", []))
        try:
            rumour = services.rumour_create(organisation=organisation, author=request.user, groups=groups, **data)
        except ValidationError as exc:
            _errors_to_form(form, exc)
        else:
            messages.success(request, _("The entry was added to the register."))
            return redirect(rumour)
    if request.method == "POST":
        similar = selectors.rumour_similar(organisation=organisation, claim=request.POST.get("claim", ""))
    return render(request, "communication/rumour_form.html", {"form": form, "organisation": organisation,
                                                              "similar": similar, "rumour": None})


@login_required
@require_http_methods(["GET", "POST"])
@loads(pk=(Rumour, "change"))
def rumour_edit(request, pk: int):
    rumour = request.loaded["pk"]
    form = RumourForm(request.POST or None, instance=rumour, user=request.user, organisation=rumour.organisation)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        groups = list(data.pop("groups", []))
        try:
            rumour = services.rumour_update(rumour=Rumour.objects.get(pk=rumour.pk), actor=request.user, groups=groups,
                                            **data)
        except ValidationError as exc:
            _errors_to_form(form, exc)
        else:
            messages.success(request, _("The entry was saved."))
            return redirect(rumour)
    return render(request, "communication/rumour_form.html", {"form": form, "organisation": rumour.organisation,
                                                              "similar": [], "rumour": rumour})


@loads(pk=Rumour)
def rumour_detail(request, pk: int):
    rumour = request.loaded["pk"]
    similar = selectors.rumour_similar(organisation=rumour.organisation, claim=rumour.claim, exclude_pk=rumour.pk)
    return render(request, "communication/rumour_detail.html", {
        "rumour": rumour, "similar": [r for r in similar if access.can_view(request.user, r)],
        "can_edit": access.can_edit(request.user, rumour),
        "response": rumour.response if rumour.response and access.can_view(request.user, rumour.response) else None,
    })


@login_required
@require_POST
@loads()
def weekly_request(request):
    """Ask the background worker for this week's summary PDF."""
    from ..tasks import render_weekly_summary

    organisation = chosen_organisation(request, editor=True)
    access.require(organisation is not None and access.can_edit_for(request.user, organisation))
    week = services.rumours.week_of(timezone.localdate())
    render_weekly_summary.enqueue(organisation.pk, week.isoformat())
    messages.success(request, _("The weekly summary is being prepared; it appears in the list in a moment."))
    return redirect(f"{request.path.rsplit('/', 2)[0]}/?organisation={organisation.slug}")


@login_required
@loads(summary_pk=(WeeklySummary, "view"))
def weekly_download(request, summary_pk: int):
    summary = request.loaded["summary_pk"]
    if not summary.pdf:
        raise Http404
    return FileResponse(summary.pdf.open("rb"), content_type="application/pdf", as_attachment=True,
                        filename=summary.pdf.name.rsplit("/", 1)[-1])


@login_required
@require_POST
@loads()
def rumour_similar(request):
    """Live duplicate proposals while a claim is typed (HTMX): open entries of the organisation's register
    that resemble it. Stores nothing."""
    organisation = chosen_organisation(request, editor=True)
    access.require(organisation is not None)
    similar = selectors.rumour_similar(organisation=organisation, claim=request.POST.get("claim", "")[:3000])
    return render(request, "communication/_similar.html", {"similar": similar})
