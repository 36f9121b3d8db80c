from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MultilevelConfig(AppConfig):
    name = "panreflex.multilevel"
    label = "multilevel"
    verbose_name = _("Multi-level crisis management")

    def ready(self):
        from . import rules

        rules.register()
        from panreflex.core.registry import register_demo_loader, register_nav

        from .demo import load_demo_multilevel

        register_nav("multilevel:index", _("Multi-level system"), order=35)
        register_demo_loader("multilevel", load_demo_multilevel, order=80)
