from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PracticesConfig(AppConfig):
    name = "panreflex.practices"
    label = "practices"
    verbose_name = _("Practice examples")

    def ready(self):
        # The main navigation entry "Praxisbeispiele" is registered by the search app (the list page).
        from panreflex.core.registry import register_dashboard_panel, register_demo_loader, register_feed

        from . import rules
        from .demo import load_demo_practices
        from .demo_workflow import load_demo_workflow
        from .feeds import practice_dashboard_panel, practice_feed

        rules.register()
        register_feed(practice_feed)
        register_dashboard_panel(practice_dashboard_panel)
        register_demo_loader("practices", load_demo_practices, order=20)
        register_demo_loader("practices-workflow", load_demo_workflow, order=25)
