from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvidenceConfig(AppConfig):
    name = "panreflex.evidence"
    label = "evidence"
    verbose_name = _("Evidence and recommendations")

    def ready(self):
        from . import rules

        rules.register()
        from panreflex.core.registry import register_demo_loader, register_feed, register_nav

        from . import demo, feeds

        register_nav("evidence:recommendation_list", _("Recommendations"), order=50)
        register_nav("evidence:insight_list", _("Insights"), order=55)
        register_feed(feeds.insight_feed)
        register_feed(feeds.recommendation_feed)
        register_demo_loader("evidence", demo.load_demo_evidence, order=60)
