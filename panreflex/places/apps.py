from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlacesConfig(AppConfig):
    name = "panreflex.places"
    label = "places"
    verbose_name = _("Places")

    def ready(self):
        from panreflex.core.registry import register_nav

        register_nav("places:list", _("Places"), order=80)
