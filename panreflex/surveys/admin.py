from django.contrib import admin

from .models import Invitation, Item, Response, Survey, SurveyVersion


@admin.register(Survey)
class SurveyAdmin(admin.ModelAdmin):
    list_display = ["title", "organisation", "status", "anonymous", "is_demo", "created_at"]
    list_filter = ["status", "is_demo"]
    search_fields = ["title"]


@admin.register(SurveyVersion)
class SurveyVersionAdmin(admin.ModelAdmin):
    list_display = ["survey", "number", "frozen_at"]


@admin.register(Item)
class ItemAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "version", "parent", "position"]
    list_filter = ["kind"]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["survey", "name", "email", "sent_at", "opened_at", "completed_at"]
    exclude = ["token"]


@admin.register(Response)
class ResponseAdmin(admin.ModelAdmin):
    list_display = ["survey", "status", "size_class", "state_code", "submitted_at", "is_demo"]
    list_filter = ["status", "is_demo"]


from panreflex.core.adminutils import register_remaining  # noqa: E402

register_remaining(__name__)
