"""Communication plans: matrix with gaps, audiences, approval chain, multipliers."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from panreflex.accounts import access
from panreflex.accounts.policy import REFERENCE, WITHIN, loads

from .. import selectors, services
from ..forms import AudienceForm, MemberForm, MultiplierForm, PlanForm
from ..models import Channel, CommunicationPlan, Phase
from .common import chosen_organisation


def _errors_to_form(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


@login_required
@require_http_methods(["GET", "POST"])
@loads()
def plan_create(request):
    organisation = chosen_organisation(request, editor=True)
    access.require(organisation is not None and access.can_edit_for(request.user, organisation))
    form = PlanForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            plan = services.plan_create(organisation=organisation, author=request.user, **form.service_data())
        except ValidationError as exc:
            _errors_to_form(form, exc)
        else:
            messages.success(request, _("The communication plan was created."))
            return redirect(plan)
    return render(request, "communication/plan_form.html", {"form": form, "organisation": organisation, "plan": None})


@loads(pk=CommunicationPlan)
def plan_detail(request, pk: int):
    plan = request.loaded["pk"]
    rows, gaps = selectors.plan_matrix(plan=plan, viewer=request.user)
    return render(request, "communication/plan_detail.html", {
        "plan": plan, "rows": rows, "gaps": gaps, "channels": Channel.choices,
        "can_edit": access.can_edit(request.user, plan),
        "members": plan.members.select_related("user"), "multipliers": plan.multipliers.prefetch_related("audiences"),
        "versions": plan.versions.all()[:10],
        "phases": [(label, plan.phase_notes.get(value, ""), value == plan.current_phase)
                   for value, label in Phase.choices if plan.phase_notes.get(value)],
        "plan_messages": selectors.messages_for(viewer=request.user, plan=plan),
    })


@login_required
@require_http_methods(["GET", "POST"])
@loads(pk=(CommunicationPlan, "change"))
def plan_edit(request, pk: int):
    plan = request.loaded["pk"]
    form = PlanForm(request.POST or None, instance=plan)
    if request.method == "POST" and form.is_valid():
        try:
            plan = services.plan_update(plan=CommunicationPlan.objects.get(pk=plan.pk), actor=request.user,
                                        data=form.service_data())
        except ValidationError as exc:
            _errors_to_form(form, exc)
        else:
            messages.success(request, _("The communication plan was saved."))
            return redirect(plan)
    return render(request, "communication/plan_form.html", {"form": form, "organisation": plan.organisation, "plan": plan})


def _plan_part_form(request, plan, form, save, *, done: str, title: str):
    """A form that adds one part of a plan (audience, approver, multiplier): `save(cleaned_data)` calls
    the service; its ValidationError lands on the form's fields, success goes back to the plan."""
    if request.method == "POST" and form.is_valid():
        try:
            save(dict(form.cleaned_data))
        except ValidationError as exc:
            _errors_to_form(form, exc)
        else:
            messages.success(request, done)
            return redirect(plan)
    return render(request, "communication/simple_form.html", {
        "form": form, "plan": plan, "title": title, "submit": _("Add")})


@login_required
@require_http_methods(["GET", "POST"])
@loads(pk=(CommunicationPlan, "change"))
def audience_create(request, pk: int):
    plan = request.loaded["pk"]
    return _plan_part_form(
        request, plan, AudienceForm(request.POST or None, plan=plan, user=request.user),
        lambda data: services.audience_add(plan=plan, actor=request.user, **data),
        done=_("The audience was added."), title=_("Add an audience"))


@login_required
@require_POST
@loads(pk=(CommunicationPlan, "change"), audience_pk=WITHIN)
def audience_delete(request, pk: int, audience_pk: int):
    plan = request.loaded["pk"]
    audience = plan.audiences.filter(pk=audience_pk).first()
    if audience is not None:
        services.audience_delete(audience=audience, actor=request.user)
        messages.success(request, _("The audience was removed."))
    return redirect(plan)


@login_required
@require_http_methods(["GET", "POST"])
@loads(pk=(CommunicationPlan, "change"))
def member_create(request, pk: int):
    plan = request.loaded["pk"]
    return _plan_part_form(
        request, plan, MemberForm(request.POST or None, plan=plan),
        lambda data: services.member_add(plan=plan, actor=request.user, **data),
        done=_("The approval chain was changed."), title=_("Add a person to the approval chain"))


@login_required
@require_POST
@loads(pk=(CommunicationPlan, "change"), member_pk=WITHIN)
def member_delete(request, pk: int, member_pk: int):
    plan = request.loaded["pk"]
    member = plan.members.filter(pk=member_pk).first()
    if member is not None:
        services.member_remove(member=member, actor=request.user)
        messages.success(request, _("The approval chain was changed."))
    return redirect(plan)


@login_required
@require_http_methods(["GET", "POST"])
@loads(pk=(CommunicationPlan, "change"))
def multiplier_create(request, pk: int):
    plan = request.loaded["pk"]

    def save(data):
        audiences = list(data.pop("audiences", []))
        services.multiplier_add(plan=plan, actor=request.user, audiences=audiences, **data)

    return _plan_part_form(
        request, plan, MultiplierForm(request.POST or None, plan=plan), save,
        done=_("The multiplier was added."), title=_("Add a multiplier"))


@login_required
@require_POST
@loads(pk=(CommunicationPlan, "change"))
def gap_action(request, pk: int):
    plan = request.loaded["pk"]
    try:
        item = services.gap_to_action_item(plan=plan, actor=request.user, gap_key=request.POST.get("gap", "")[:120])
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(plan)
    messages.success(request, _("The gap is now an action item of the improvement plan: %(title)s") % {"title": item.title})
    return redirect(plan)


@loads(pk=REFERENCE)
def dark_site(request, pk: int):
    """The dark site: public once published; before, a preview for those who may see the plan. (Declared as
    REFERENCE: a published dark site is public information; the unpublished one is fetched through the
    policy below, 404 otherwise.)"""
    plan = CommunicationPlan.objects.filter(pk=pk, dark_site_published_at__isnull=False).first()
    preview = plan is None
    if preview:
        plan = access.get_visible_or_404(request.user, CommunicationPlan.objects.all(), pk=pk)
    return render(request, "communication/dark_site.html", {"plan": plan, "preview": preview,
                                                            "can_edit": access.can_edit(request.user, plan)})


@login_required
@require_POST
@loads(pk=(CommunicationPlan, "change"))
def dark_site_toggle(request, pk: int):
    plan = request.loaded["pk"]
    publish = request.POST.get("publish") == "1"
    try:
        services.dark_site_publish(plan=plan, actor=request.user, publish=publish)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The dark site is now public.") if publish else _("The dark site is offline again."))
    return redirect("communication:dark_site", pk=plan.pk)
