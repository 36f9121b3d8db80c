from django.contrib import admin

from panreflex.core.adminutils import register_remaining

from .models import JargonWord


@admin.register(JargonWord)
class JargonWordAdmin(admin.ModelAdmin):
    """The jargon list the readability hints use; the project team keeps it."""

    list_display = ["word", "language", "suggestion"]
    list_filter = ["language"]
    search_fields = ["word", "suggestion"]


register_remaining(__name__)
