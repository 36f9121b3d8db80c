from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class ImprovementsConfig(AppConfig):
    name = "panreflex.improvements"
    label = "improvements"
    verbose_name = _("Improvement plans")

    def ready(self):
        from . import rules

        rules.register()
        from panreflex.core.registry import (
            register_dashboard_panel,
            register_demo_loader,
            register_feed,
            register_nav,
        )

        from . import demo, feeds

        register_nav("improvements:plan", pgettext_lazy("improvements", "Improvement plan"), order=40, requires_login=True)
        register_feed(feeds.action_item_feed)
        register_dashboard_panel(feeds.my_action_items_panel)
        register_demo_loader("improvements", demo.load_demo_improvements, order=50)
