from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PracticesConfig(AppConfig):
    name = "panreflex.practices"
    label = "practices"
    verbose_name = _("Practice examples")

    def ready(self):
        # The main navigation entry "Praxisbeispiele" is registered by the search app (the list page).
        from panreflex.core.registry import register_dashboard_panel, register_feed

        from .feeds import practice_dashboard_panel, practice_feed

        register_feed(practice_feed)
        register_dashboard_panel(practice_dashboard_panel)
