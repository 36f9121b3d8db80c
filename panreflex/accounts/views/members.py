"""Member management for coordinators (and staff): roles, removal, invitations."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from panreflex.accounts.policy import WITHIN, Load, loads

from .. import access, selectors, services
from ..forms import InvitationForm, RoleForm
from ..models import Invitation, Membership, Organisation
from ._helpers import apply_errors


def _managed_organisation(request, slug: str) -> Organisation:
    """The organisation, if the user may manage its members; else 404 (anonymous included)."""
    organisation = get_object_or_404(Organisation, slug=slug)
    access.require(access.can_manage_members(request.user, organisation))
    return organisation


def _membership(organisation: Organisation, pk: int) -> Membership:
    return get_object_or_404(Membership.objects.select_related("user", "organisation"), pk=pk, organisation=organisation)


def _invitation(organisation: Organisation, pk: int) -> Invitation:
    return get_object_or_404(Invitation.objects.select_related("organisation"), pk=pk, organisation=organisation)


@loads(slug=Load(Organisation, field="slug"))
def organisation_members(request, slug):
    organisation = _managed_organisation(request, slug)
    members = list(selectors.organisation_members(organisation=organisation))
    for m in members:
        m.role_form = RoleForm(initial={"role": m.role}, auto_id=f"id_role_{m.pk}_%s")
    return render(request, "accounts/organisation_members.html", {
        "organisation": organisation,
        "members": members,
        "invitations": selectors.open_invitations(organisation=organisation),
        "changes": selectors.member_changes(organisation=organisation),
    })


@loads(slug=Load(Organisation, field="slug"), pk=WITHIN)
def membership_role(request, slug, pk):
    organisation = _managed_organisation(request, slug)
    membership = _membership(organisation, pk)
    form = RoleForm(request.POST or None, initial={"role": membership.role})
    if request.method == "POST" and form.is_valid():
        try:
            services.membership_change_role(membership=membership, role=form.cleaned_data["role"], actor=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            membership.refresh_from_db()
            messages.success(request, _("%(person)s now has the role “%(role)s”.") % {
                "person": membership.user, "role": membership.get_role_display()})
        return redirect("accounts:organisation_members", slug=organisation.slug)
    return render(request, "accounts/membership_role.html",
                  {"organisation": organisation, "membership": membership, "form": form})


@loads(slug=Load(Organisation, field="slug"), pk=WITHIN)
def membership_remove(request, slug, pk):
    organisation = _managed_organisation(request, slug)
    membership = _membership(organisation, pk)
    if request.method == "POST":
        try:
            services.membership_remove(membership=membership, actor=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("%(person)s no longer belongs to %(organisation)s.") % {
                "person": membership.user, "organisation": organisation.name})
            if membership.user_id == request.user.pk and not access.is_staff(request.user):
                return redirect("accounts:profile")
        return redirect("accounts:organisation_members", slug=organisation.slug)
    return render(request, "accounts/membership_remove.html", {"organisation": organisation, "membership": membership})


@loads(slug=Load(Organisation, field="slug"))
def invitation_create(request, slug):
    organisation = _managed_organisation(request, slug)
    form = InvitationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            invitation = services.invitation_create(
                organisation=organisation, email=form.cleaned_data["email"], role=form.cleaned_data["role"],
                invited_by=request.user,
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The invitation has been sent to %(email)s.") % {"email": invitation.email})
            return redirect("accounts:organisation_members", slug=organisation.slug)
    return render(request, "accounts/invitation_form.html",
                  {"organisation": organisation, "form": form, "valid_days": settings.INVITATION_VALID_DAYS})


@loads(slug=Load(Organisation, field="slug"), pk=WITHIN)
def invitation_revoke(request, slug, pk):
    organisation = _managed_organisation(request, slug)
    invitation = _invitation(organisation, pk)
    if invitation.accepted_at or invitation.revoked_at:
        raise Http404
    if request.method == "POST":
        services.invitation_revoke(invitation=invitation, actor=request.user)
        messages.success(request, _("The invitation to %(email)s has been withdrawn.") % {"email": invitation.email})
        return redirect("accounts:organisation_members", slug=organisation.slug)
    return render(request, "accounts/invitation_revoke.html", {"organisation": organisation, "invitation": invitation})


@loads(slug=Load(Organisation, field="slug"), pk=WITHIN)
def invitation_resend(request, slug, pk):
    organisation = _managed_organisation(request, slug)
    invitation = _invitation(organisation, pk)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        services.invitation_resend(invitation=invitation, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("A new invitation link has been sent to %(email)s.") % {"email": invitation.email})
    return redirect("accounts:organisation_members", slug=organisation.slug)
