"""Messages: drafting with live readability, language versions, approval workflow."""

from __future__ import annotations

from django.contrib import messages as flash
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from panreflex.accounts import access
from panreflex.accounts.policy import loads

from .. import readability, services
from ..forms import MessageForm, TransitionForm, VersionForm
from ..models import LANGUAGE_NAMES, Message, PlanMember, Variant
from ..services.messages import TRANSITIONS, jargon_for
from .plans import _errors_to_form


@login_required
@require_http_methods(["GET", "POST"])
@loads()
def message_create(request):
    plan = None
    plan_id = request.GET.get("plan")
    if plan_id:
        from ..models import CommunicationPlan

        plan = access.first_visible(request.user, CommunicationPlan.objects.all(), pk=plan_id) if plan_id.isdigit() else None
    form = MessageForm(request.POST or None, user=request.user, plan=plan)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            message = services.message_create(plan=d["plan"], author=request.user, title=d["title"], text=d["text"],
                                              language=d["language"], audience=d["audience"], phase=d["phase"],
                                              headline=d["headline"])
        except ValidationError as exc:
            _errors_to_form(form, exc)
        else:
            flash.success(request, _("The message was saved as a draft."))
            return redirect(message)
    report = readability.analyse(form["text"].value() or "", language=form["language"].value() or "de")
    return render(request, "communication/message_form.html", {"form": form, "report": report, "message": None})


@loads(pk=Message)
def message_detail(request, pk: int):
    message = request.loaded["pk"]
    versions = list(message.versions.select_related("source"))
    reports = {v.pk: readability.analyse(v.text, language=v.language, variant=v.variant, jargon=jargon_for(v.language))
               for v in versions}
    user = request.user
    chain = set(PlanMember.objects.filter(plan=message.plan, user_id=getattr(user, "pk", None)).values_list("role", flat=True))
    may_edit = services.messages.may_draft(user, message) if user.is_authenticated else False
    actions = [(to, Message.Status(to).label) for (frm, to), who in TRANSITIONS.items() if frm == message.status
               and (may_edit or chain) and (who == "editor" or chain & {"approver", "deputy"})]
    return render(request, "communication/message_detail.html", {
        "message": message, "versions": [(v, reports[v.pk]) for v in versions],
        "events": message.events.select_related("actor"), "can_edit": may_edit and not message.is_frozen,
        "actions": actions, "rumours": message.rumours.all(),
        "missing_languages": [(c, LANGUAGE_NAMES.get(c, c)) for c in message.plan.languages
                              if c not in {v.language for v in versions}],
    })


@login_required
@require_http_methods(["GET", "POST"])
@loads(pk=Message)
def version_edit(request, pk: int):
    message = request.loaded["pk"]
    access.require(services.messages.may_draft(request.user, message))
    language = (request.POST.get("language") or request.GET.get("language") or "de")[:8]
    variant = (request.POST.get("variant") or request.GET.get("variant") or Variant.STANDARD)[:10]
    current = message.versions.filter(language=language, variant=variant).first()
    form = VersionForm(request.POST or None, initial={"language": language, "variant": variant,
                                                      "headline": current.headline if current else "",
                                                      "text": current.text if current else ""})
    form.fields["language"].choices = [(c, LANGUAGE_NAMES.get(c, c)) for c in message.plan.languages] or \
        form.fields["language"].choices
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.message_version_save(message=message, actor=request.user, language=d["language"],
                                          variant=d["variant"], text=d["text"], headline=d["headline"])
        except ValidationError as exc:
            _errors_to_form(form, exc)
        else:
            flash.success(request, _("The language version was saved."))
            return redirect(message)
    source = message.versions.filter(variant=Variant.STANDARD).exclude(language=language, variant=variant).first()
    report = readability.analyse(form["text"].value() or "", language=language, variant=variant,
                                 jargon=jargon_for(language))
    return render(request, "communication/version_form.html", {
        "form": form, "message": message, "report": report, "source": source if variant != Variant.STANDARD else None})


@login_required
@require_POST
@loads(pk=Message)
def message_transition(request, pk: int):
    message = request.loaded["pk"]
    form = TransitionForm(request.POST)
    if not form.is_valid():
        flash.error(request, _("Unknown step of the workflow."))
        return redirect(message)
    try:
        services.message_transition(message=message, actor=request.user, to_status=form.cleaned_data["to_status"],
                                    note=form.cleaned_data["note"])
    except ValidationError as exc:
        flash.error(request, " ".join(exc.messages))
    else:
        flash.success(request, _("The status was changed."))
    return redirect(message)
