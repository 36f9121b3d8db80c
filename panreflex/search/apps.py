from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _place_saved(sender, instance, created, **kwargs):
    if created:
        return
    from django.db import transaction

    from .services import practice_refresh_facets

    transaction.on_commit(practice_refresh_facets)


class SearchConfig(AppConfig):
    name = "panreflex.search"
    label = "search"
    verbose_name = _("Search")

    def ready(self):
        from panreflex.core.registry import register_demo_loader, register_nav

        from .demo import load_demo_search

        register_nav("search:practices", _("Practice examples"), order=10)
        # a saved place may change the size, state and country facets of its examples (a database
        # trigger marks them; their codes are written again after the commit)
        from django.db.models.signals import post_save

        from panreflex.places.models import Place

        post_save.connect(_place_saved, sender=Place, dispatch_uid="search-place-saved")
        # after every loader that creates practice examples
        register_demo_loader("search", load_demo_search, order=900)
