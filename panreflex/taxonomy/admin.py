from django.contrib import admin

from .models import Term


@admin.register(Term)
class TermAdmin(admin.ModelAdmin):
    list_display = ("code", "vocabulary", "label_de", "label_en", "position", "is_active")
    list_filter = ("vocabulary", "is_active")
    search_fields = ("code", "label_de", "label_en")
    list_editable = ("position", "is_active")
