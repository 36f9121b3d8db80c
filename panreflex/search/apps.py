from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "panreflex.search"
    label = "search"
    verbose_name = _("Search")

    def ready(self):
        from panreflex.core.registry import register_demo_loader, register_nav

        from .demo import load_demo_search

        register_nav("search:practices", _("Practice examples"), order=10)
        # after every loader that creates practice examples
        register_demo_loader("search", load_demo_search, order=900)
