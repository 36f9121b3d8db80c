"""Django admin for every model (issue #2: "Admin for staff for all models").

Apps register tailored ModelAdmins in their admin.py and end it with `register_remaining(__name__)`,
which adds a generic admin (searchable text fields, raw-id foreign keys, newest first) for every
model of the app that has neither its own admin nor an inline in another one.
"""

from __future__ import annotations

from django.apps import apps
from django.contrib import admin
from django.db import models


def _inline_models() -> set:
    found = set()
    for model_admin in admin.site._registry.values():
        for inline in getattr(model_admin, "inlines", []):
            found.add(inline.model)
    return found


def generic_admin_for(model) -> type[admin.ModelAdmin]:
    fields = model._meta.concrete_fields
    text = [f.name for f in fields if isinstance(f, (models.CharField, models.TextField)) and not f.choices][:4]
    choice = [f.name for f in fields if getattr(f, "choices", None) or isinstance(f, models.BooleanField)][:4]
    fks = [f.name for f in fields if isinstance(f, models.ForeignKey)]
    shown = ["__str__"] + [f.name for f in fields if f.name not in ("id",) and not isinstance(f, (models.TextField, models.JSONField))][:5]
    return type(
        f"{model.__name__}Admin",
        (admin.ModelAdmin,),
        {"list_display": shown, "search_fields": text, "list_filter": choice, "raw_id_fields": fks,
         "ordering": ["-pk"], "list_per_page": 50},
    )


def register_remaining(module_name: str) -> None:
    app_label = apps.get_containing_app_config(module_name).label
    inline = _inline_models()
    for model in apps.get_app_config(app_label).get_models():
        if model not in admin.site._registry and model not in inline:
            admin.site.register(model, generic_admin_for(model))
