"""Shared helpers and the overview page."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_POST

from panreflex.accounts import access
from panreflex.accounts.policy import loads

from .. import readability, selectors
from ..services.messages import jargon_for


def chosen_organisation(request, *, editor: bool = False):
    """?organisation=<slug> among the user's organisations, else the first one (editor rights if asked)."""
    minimum = "editor" if editor else "viewer"
    organisations = access.member_organisations(request.user, minimum)
    slug = request.GET.get("organisation") or request.POST.get("organisation")
    if slug:
        organisation = organisations.filter(slug=slug).first()
        if organisation is None:
            raise Http404
        return organisation
    own = organisations.filter(pk__in=access.organisation_ids(request.user, minimum)).order_by("name").first()
    return own or organisations.order_by("name").first()


@login_required
@loads()
def overview(request):
    organisation = chosen_organisation(request)
    context = {"organisation": organisation}
    if organisation is not None:
        context.update(
            plans=selectors.plans_for(viewer=request.user, organisation=organisation)[:20],
            messages_list=selectors.messages_for(viewer=request.user, organisation=organisation)[:10],
            rumours=selectors.rumours_for(viewer=request.user, organisation=organisation)[:10],
            alerts=selectors.alerts_for(viewer=request.user).filter(organisation=organisation)[:10],
            can_edit=access.can_edit_for(request.user, organisation),
        )
    return render(request, "communication/overview.html", context)


@login_required
@require_POST
@loads()
def readability_check(request):
    """Live readability (HTMX): figures and hints of the text being typed. Stores nothing."""
    language = (request.POST.get("language") or "de")[:8]
    variant = (request.POST.get("variant") or "standard")[:10]
    text = (request.POST.get("text") or "")[:20_000]
    report = readability.analyse(text, language=language, variant=variant, jargon=jargon_for(language))
    return render(request, "communication/_readability.html", {"report": report})
