"""Views for listing, setting up and inviting to workshops, and for the templates."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from panreflex.accounts import access
from panreflex.accounts.policy import TOKEN, loads
from panreflex.audit.selectors import audit_for_object
from panreflex.workshops.models import Workshop

from .. import selectors, services
from ..consumers import GUEST_SESSION_KEY
from ..forms import CopyTemplateForm, GuestInviteForm, GuestJoinForm, TemplateForm, WorkshopForm
from ..ical import workshop_ics
from ..models import Kind, WorkshopTemplate
from ..services.common import Refused
from .common import managed_or_404, workshop_actor, workshop_or_404


@loads()
def workshop_list(request):
    query = request.GET.get("q", "").strip()[:100]
    kind = request.GET.get("art", "")
    kind = kind if kind in Kind.values else ""
    qs = selectors.workshop_list(viewer=request.user, query=query, kind=kind)
    page = Paginator(qs, 20).get_page(request.GET.get("page"))
    return render(request, "workshops/list.html", {
        "page": page, "query": query, "kind": kind, "kinds": Kind.choices,
        "can_create": access.editable_organisations(request.user).exists(),
        "upcoming": selectors.upcoming_for(user=request.user),
    })


def _save_workshop(request, form, workshop=None):
    data = dict(form.cleaned_data)
    agenda = data.pop("agenda_text")
    if workshop is None:
        return services.workshop_create(
            organisation=data["organisation"], author=request.user, title=data["title"], template=data["template"],
            starts_at=data["starts_at"], ends_at=data["ends_at"], mode=data["mode"], location=data["location"],
            online_url=data["online_url"], description=data["description"], themes=data["themes"],
            organisations=data["organisations"], facilitators=data["facilitators"],
            participants=data["participants"], allow_anonymous=data["allow_anonymous"],
            votes_per_person=data["votes_per_person"], visibility=data["visibility"], agenda=agenda,
        )
    return services.workshop_update(workshop=workshop, actor=request.user, data=data, agenda=agenda)


@login_required
@loads()
def workshop_create(request):
    access.require(access.editable_organisations(request.user).exists())
    initial = {}
    template_code = request.GET.get("vorlage")
    if template_code:
        initial["template"] = WorkshopTemplate.objects.filter(code=template_code).first()
    form = WorkshopForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        workshop = _save_workshop(request, form)
        messages.success(request, _("The workshop was set up. Invite participants and guests on this page."))
        return redirect(workshop)
    return render(request, "workshops/form.html", {"form": form, "workshop": None})


@login_required
@loads(subject=workshop_actor, pk=Workshop)
def workshop_edit(request, pk):
    workshop, _actor = managed_or_404(request, pk)
    form = WorkshopForm(request.POST or None, instance=workshop, user=request.user)
    if request.method == "POST" and form.is_valid():
        _save_workshop(request, form, workshop)
        messages.success(request, _("The changes were saved."))
        return redirect(workshop)
    return render(request, "workshops/form.html", {"form": form, "workshop": workshop})


@loads(subject=workshop_actor, pk=Workshop)
def workshop_detail(request, pk):
    workshop, actor = workshop_or_404(request, pk)
    can_manage = access.can_change(actor, workshop)
    context = {
        "workshop": workshop, "people": selectors.people(workshop=workshop),
        "agenda": list(workshop.agenda.all()), "themes": list(workshop.themes.all()),
        "can_manage": can_manage, "can_contribute": access.can(actor, "contribute", workshop),
        "can_facilitate": access.can(actor, "facilitate", workshop), "actor": actor,
        "carried_over": selectors.carried_over(workshop=workshop) if actor.user is not None else [],
    }
    if actor.user is not None and access.can_view_audit(request.user, workshop):
        context["audit"] = audit_for_object(obj=workshop)[:20]
    return render(request, "workshops/detail.html", context)


@loads(subject=workshop_actor, pk=Workshop)
def workshop_ics_download(request, pk):
    workshop, _actor = workshop_or_404(request, pk)
    response = HttpResponse(workshop_ics(workshop), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="reflexionsraum-{workshop.pk}.ics"'
    return response


@login_required
@loads(subject=workshop_actor, pk=Workshop)
def workshop_invitations(request, pk):
    workshop, actor = managed_or_404(request, pk)
    form = GuestInviteForm(request.POST or None if request.POST.get("op") == "guest" else None)
    new_link = None
    if request.method == "POST":
        op = request.POST.get("op")
        if op == "send":
            n = services.invitations_send(workshop=workshop, actor=request.user)
            messages.success(request, _("Invitations were sent to %(n)s people.") % {"n": n})
            return redirect("workshops:invitations", pk=workshop.pk)
        if op == "revoke":
            guest = get_object_or_404(workshop.guests, pk=request.POST.get("guest") or 0)
            services.guest_revoke(guest=guest, actor=request.user)
            messages.success(request, _("The guest link was revoked."))
            return redirect("workshops:invitations", pk=workshop.pk)
        if op == "guest" and form.is_valid():
            guest, token = services.guest_invite(
                workshop=workshop, actor=request.user, email=form.cleaned_data["email"],
                name=form.cleaned_data["name"], valid_days=form.cleaned_data["valid_days"])
            new_link = request.build_absolute_uri(reverse("workshops:guest_join", kwargs={"token": token}))
            messages.success(request, _("The guest link was created. It is shown only once: copy it now."))
            form = GuestInviteForm()
    return render(request, "workshops/invitations.html", {
        "workshop": workshop, "form": form, "new_link": new_link, "guests": list(workshop.guests.all()),
        "people": selectors.people(workshop=workshop),
    })


@loads(token=TOKEN)
def guest_join(request, token):
    try:
        guest = services.guest_for_token(token)
    except Refused as exc:
        return render(request, "workshops/guest_refused.html", {"message": exc.message}, status=410)
    form = GuestJoinForm(request.POST or None, initial={"name": guest.name})
    if request.method == "POST" and form.is_valid():
        try:
            guest = services.guest_join(token=token, name=form.cleaned_data["name"],
                                        consent=form.cleaned_data["consent"])
        except Refused as exc:
            form.add_error("consent" if exc.code == "consent_missing" else "name", exc.message)
        else:
            request.session[GUEST_SESSION_KEY.format(pk=guest.workshop_id)] = guest.pk
            messages.success(request, _("Welcome! You can now contribute to the workshop."))
            return redirect("workshops:room", pk=guest.workshop_id)
    return render(request, "workshops/guest_join.html", {"form": form, "guest": guest, "workshop": guest.workshop})


# --- templates --------------------------------------------------------------------------------------
@login_required
@loads()
def template_list(request):
    access.require(access.editable_organisations(request.user).exists())
    return render(request, "workshops/template_list.html", {
        "templates": selectors.template_list(viewer=request.user),
    })


def _template_or_404(request, pk) -> WorkshopTemplate:
    return access.get_visible_or_404(request.user, WorkshopTemplate.objects.select_related("organisation"), pk=pk)


@login_required
@loads(pk=WorkshopTemplate)
def template_detail(request, pk):
    access.require(access.editable_organisations(request.user).exists())
    template = _template_or_404(request, pk)
    return render(request, "workshops/template_detail.html", {
        "template": template, "can_edit": access.can_change(request.user, template),
        "copy_form": CopyTemplateForm(user=request.user),
    })


@login_required
@loads(pk=WorkshopTemplate)
def template_edit(request, pk):
    template = _template_or_404(request, pk)
    access.require(access.can_change(request.user, template))
    form = TemplateForm(request.POST or None, initial=TemplateForm.initial_for(template))
    if request.method == "POST" and form.is_valid():
        services.template_update(template=template, actor=request.user, **form.cleaned_data)
        messages.success(request, _("The template was saved. Workshops already set up keep their questions."))
        return redirect(template)
    return render(request, "workshops/template_form.html", {"form": form, "template": template})


@login_required
@require_POST
@loads(pk=WorkshopTemplate)
def template_copy(request, pk):
    template = _template_or_404(request, pk)
    form = CopyTemplateForm(request.POST, user=request.user)
    access.require(form.is_valid())
    copy = services.template_copy(template=template, actor=request.user, organisation=form.cleaned_data["organisation"])
    messages.success(request, _("The template was copied. Adapt the copy to your needs."))
    return redirect("workshops:template_edit", pk=copy.pk)
