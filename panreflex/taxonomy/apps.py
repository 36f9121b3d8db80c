from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TaxonomyConfig(AppConfig):
    name = "panreflex.taxonomy"
    label = "taxonomy"
    verbose_name = _("Shared vocabularies")

    def ready(self):
        from panreflex.core.registry import register_nav

        register_nav("taxonomy:list", _("Vocabularies"), order=95)
