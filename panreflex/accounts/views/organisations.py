"""Organisation pages: list, detail (members only for members and staff), creation by the project team."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from panreflex.accounts.policy import Load, loads
from panreflex.audit.selectors import audit_for_object

from .. import access, selectors, services
from ..forms import OrganisationEditForm, OrganisationForm
from ..models import Organisation
from ._helpers import apply_errors


@loads()
def organisation_list(request):
    return render(request, "accounts/organisation_list.html", {
        "organisations": selectors.organisation_list(),
        "can_create": access.can_create_organisation(request.user),
    })


@loads(slug=Load(Organisation, field="slug"))
def organisation_detail(request, slug):
    organisation = get_object_or_404(Organisation.objects.select_related("place"), slug=slug)
    show_members = access.can_view_members(request.user, organisation)
    return render(request, "accounts/organisation_detail.html", {
        "organisation": organisation,
        "members": selectors.organisation_members(organisation=organisation) if show_members else None,
        "can_manage": access.can_manage_members(request.user, organisation),
        "can_edit": access.can_edit_organisation(request.user, organisation),
        "audit_entries": audit_for_object(obj=organisation)[:20] if access.can_view_audit(request.user, organisation) else None,
    })


@login_required
@loads()
def organisation_create(request):
    access.require(access.can_create_organisation(request.user))
    form = OrganisationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            organisation = services.organisation_create(
                name=data["name"], kind=data["kind"], place=data["place_obj"], actor=request.user,
                website=data["website"], description=data["description"], is_partner=data["is_partner"],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The organisation %(name)s has been created.") % {"name": organisation.name})
            return redirect(organisation)
    return render(request, "accounts/organisation_form.html", {"form": form})


@loads(slug=Load(Organisation, field="slug"))
def organisation_edit(request, slug):
    organisation = get_object_or_404(Organisation.objects.select_related("place"), slug=slug)
    access.require(access.can_edit_organisation(request.user, organisation))
    staff = access.is_staff(request.user)
    initial = {"name": organisation.name, "kind": organisation.kind, "website": organisation.website,
               "description": organisation.description, "is_partner": organisation.is_partner,
               "place": organisation.place.ags if organisation.place and organisation.place.ags else
               (organisation.place.name if organisation.place else "")}
    form = OrganisationEditForm(request.POST or None, initial=initial, organisation=organisation, staff=staff)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        changes = {"website": data["website"], "description": data["description"]}
        if staff:
            changes.update(name=data["name"], kind=data["kind"], place=data["place_obj"], is_partner=data["is_partner"])
        try:
            organisation = services.organisation_update(organisation=organisation, actor=request.user, **changes)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The changes to %(name)s have been saved.") % {"name": organisation.name})
            return redirect(organisation)
    return render(request, "accounts/organisation_edit.html", {"form": form, "organisation": organisation})
