"""Django admin for the project team: users (with deletion requests), organisations, memberships, invitations."""

from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from panreflex.audit.services import audit_record, diff, snapshot

from . import services
from .models import Invitation, Membership, Organisation, User


class AuditedAdmin(admin.ModelAdmin):
    """Changes made in the admin are recorded in the audit trail like those made in the platform."""

    def save_model(self, request, obj, form, change):
        before = snapshot(type(obj).objects.get(pk=obj.pk)) if change and obj.pk else {}
        super().save_model(request, obj, form, change)
        audit_record(actor=request.user, action="update" if change else "create", obj=obj,
                     changes=diff(before, snapshot(obj)), note="admin")

    def delete_model(self, request, obj):
        audit_record(actor=request.user, action="delete", obj=obj, changes=diff(snapshot(obj), {}), note="admin")
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            audit_record(actor=request.user, action="delete", obj=obj, changes=diff(snapshot(obj), {}), note="admin")
        super().delete_queryset(request, queryset)


class DeletionRequestedFilter(admin.SimpleListFilter):
    title = _("deletion requested")
    parameter_name = "deletion"

    def lookups(self, request, model_admin):
        return [("pending", _("pending (account still active)")), ("done", _("carried out (deactivated)"))]

    def queryset(self, request, queryset):
        if self.value() == "pending":
            return queryset.filter(deletion_requested_at__isnull=False, is_active=True)
        if self.value() == "done":
            return queryset.filter(deletion_requested_at__isnull=False, is_active=False)
        return queryset


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["organisation"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "full_name", "is_active", "is_staff", "email_verified_at", "deletion_requested_at"]
    list_filter = [DeletionRequestedFilter, "is_staff", "is_active", "is_superuser"]
    search_fields = ["email", "full_name"]
    readonly_fields = ["last_login", "date_joined", "deletion_requested_at"]
    inlines = [MembershipInline]
    actions = ["anonymise_and_deactivate"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Personal data"), {"fields": ("full_name", "language", "email_verified_at", "pending_email")}),
        (_("Rights"), {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")}),
        (_("Dates"), {"fields": ("last_login", "date_joined", "deletion_requested_at")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "full_name", "password1", "password2")}),)

    @admin.action(description=_("Anonymise and deactivate (carry out deletion request)"))
    def anonymise_and_deactivate(self, request, queryset):
        done = 0
        for user in queryset.filter(deletion_requested_at__isnull=False, is_active=True):
            if user.pk == request.user.pk:
                continue
            services.user_anonymise(user=user, actor=request.user)
            done += 1
        skipped = queryset.count() - done
        if done:
            self.message_user(request, ngettext("%(n)d account anonymised.", "%(n)d accounts anonymised.", done) % {"n": done},
                              messages.SUCCESS)
        if skipped:
            self.message_user(request, _("Accounts without a pending deletion request (or your own) were left unchanged."),
                              messages.WARNING)


@admin.register(Organisation)
class OrganisationAdmin(AuditedAdmin):
    list_display = ["name", "kind", "place", "is_partner"]
    list_filter = ["kind", "is_partner"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    autocomplete_fields = ["place"]


@admin.register(Membership)
class MembershipAdmin(AuditedAdmin):
    list_display = ["user", "organisation", "role", "created_at"]
    list_filter = ["role", "organisation"]
    search_fields = ["user__email", "user__full_name", "organisation__name"]
    autocomplete_fields = ["user", "organisation"]


@admin.register(Invitation)
class InvitationAdmin(AuditedAdmin):
    list_display = ["email", "organisation", "role", "created_at", "expires_at", "accepted_at", "revoked_at"]
    list_filter = ["role", "organisation"]
    search_fields = ["email", "organisation__name"]
    readonly_fields = ["token_hash", "invited_by", "created_at", "accepted_at", "accepted_by"]

    def has_add_permission(self, request):
        return False  # invitations are sent from the organisation's member page (the link needs the token)
