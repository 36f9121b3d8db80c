"""The library of message templates: search, add, use as a draft in one step."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from panreflex.accounts import access
from panreflex.accounts.policy import loads

from .. import readability, selectors, services
from ..forms import TemplateFilterForm, TemplateForm, UseTemplateForm
from ..models import MessageTemplate
from .common import chosen_organisation
from .plans import _errors_to_form


@loads()
def template_list(request):
    form = TemplateFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    templates = selectors.templates_for(viewer=request.user, query=filters.get("q", ""),
                                        crisis_kind=filters.get("crisis_kind", ""),
                                        audience_kind=filters.get("audience_kind", ""))
    organisation = chosen_organisation(request, editor=True) if request.user.is_authenticated else None
    return render(request, "communication/template_list.html", {
        "form": form, "templates": templates[:100], "organisation": organisation,
        "can_create": organisation is not None and access.can_edit_for(request.user, organisation)})


@login_required
@require_http_methods(["GET", "POST"])
@loads()
def template_create(request):
    organisation = chosen_organisation(request, editor=True)
    access.require(organisation is not None and access.can_edit_for(request.user, organisation))
    form = TemplateForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        practices = list(data.pop("practices", []))
        try:
            template = services.template_create(organisation=organisation, author=request.user, practices=practices,
                                                **data)
        except ValidationError as exc:
            _errors_to_form(form, exc)
        else:
            messages.success(request, _("The template was added to the library."))
            return redirect(template)
    return render(request, "communication/template_form.html", {"form": form, "organisation": organisation})


@loads(pk=MessageTemplate)
def template_detail(request, pk: int):
    template = request.loaded["pk"]
    practices = access.filter_visible(request.user, template.practices.all())
    use_form = UseTemplateForm(user=request.user) if request.user.is_authenticated else None
    return render(request, "communication/template_detail.html", {
        "template": template, "practices": practices, "use_form": use_form,
        "report": readability.analyse(template.text, language=template.language, variant=template.variant),
    })


@login_required
@require_POST
@loads(pk=MessageTemplate)
def template_use(request, pk: int):
    template = request.loaded["pk"]
    form = UseTemplateForm(request.POST, user=request.user)
    if not form.is_valid():
        messages.error(request, _("Choose one of your communication plans."))
        return redirect(template)
    try:
        message = services.message_from_template(template=template, plan=form.cleaned_data["plan"], author=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(template)
    messages.success(request, _("The template is now a draft message."))
    return redirect(message)
