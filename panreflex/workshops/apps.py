from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkshopsConfig(AppConfig):
    name = "panreflex.workshops"
    label = "workshops"
    verbose_name = _("Reflection spaces (workshops)")

    def ready(self):
        from panreflex.core.registry import (
            register_dashboard_panel,
            register_demo_loader,
            register_feed,
            register_nav,
        )

        from . import rules
        from .demo import load_demo_workshops
        from .feeds import upcoming_panel, workshop_feed

        rules.register()
        register_nav("workshops:list", _("Reflection spaces"), order=30)
        register_feed(workshop_feed)
        register_dashboard_panel(upcoming_panel)
        register_demo_loader("workshops", load_demo_workshops, order=40)
