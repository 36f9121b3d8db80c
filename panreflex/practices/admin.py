"""Admin for staff: read and fix practice examples. Editing content goes through the app's forms (versions,
review); the admin is for inspection and emergencies."""

from django.contrib import admin

from .models import (
    Collection,
    CollectionItem,
    Practice,
    PracticeAttachment,
    PracticeReview,
    PracticeSource,
    PracticeVersion,
    ReviewComment,
)


class SourceInline(admin.TabularInline):
    model = PracticeSource
    extra = 0


class AttachmentInline(admin.TabularInline):
    model = PracticeAttachment
    extra = 0
    readonly_fields = ("content_type", "extension", "size", "uploaded_by", "uploaded_at")


@admin.register(Practice)
class PracticeAdmin(admin.ModelAdmin):
    list_display = ("title", "organisation", "status", "pending_status", "visibility", "published_at", "is_demo")
    list_filter = ("status", "visibility", "is_demo", "organisation")
    search_fields = ("title", "summary", "external_key")
    readonly_fields = ("created_at", "updated_at", "published_at", "released_at", "pending_status")
    autocomplete_fields = ()
    raw_id_fields = ("places", "actor_organisations", "created_by", "reviewer")
    inlines = [SourceInline, AttachmentInline]


@admin.register(PracticeVersion)
class PracticeVersionAdmin(admin.ModelAdmin):
    list_display = ("practice", "number", "status", "created_by", "created_at", "note")
    list_filter = ("status",)
    raw_id_fields = ("practice", "created_by")


class ReviewCommentInline(admin.TabularInline):
    model = ReviewComment
    extra = 0


@admin.register(PracticeReview)
class PracticeReviewAdmin(admin.ModelAdmin):
    list_display = ("practice", "reviewer", "decision", "created_at")
    list_filter = ("decision",)
    raw_id_fields = ("practice", "version", "reviewer")
    inlines = [ReviewCommentInline]


class CollectionItemInline(admin.TabularInline):
    model = CollectionItem
    extra = 0
    raw_id_fields = ("practice",)


@admin.register(Collection)
class CollectionAdmin(admin.ModelAdmin):
    list_display = ("title", "owner", "is_shared", "updated_at")
    raw_id_fields = ("owner",)
    inlines = [CollectionItemInline]


from panreflex.core.adminutils import register_remaining  # noqa: E402

register_remaining(__name__)
