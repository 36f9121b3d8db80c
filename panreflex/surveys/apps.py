from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    name = "panreflex.surveys"
    label = "surveys"
    verbose_name = _("Municipal surveys")

    def ready(self):
        from . import rules

        rules.register()
        from panreflex.core.registry import (
            register_dashboard_panel,
            register_demo_loader,
            register_feed,
            register_nav,
        )

        from . import feeds
        from .demo import load_demo_surveys

        register_nav("surveys:list", _("Surveys"), order=50)
        register_feed(feeds.survey_feed)
        register_dashboard_panel(feeds.survey_panel)
        register_demo_loader("surveys", load_demo_surveys, order=60)
