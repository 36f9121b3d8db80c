from django.contrib import admin

from .models import Place


@admin.register(Place)
class PlaceAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "ags", "country_code", "population")
    list_filter = ("kind", "country_code")
    search_fields = ("name", "ags", "ars")
    raw_id_fields = ("parent",)
    exclude = ("boundary",)
