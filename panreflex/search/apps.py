from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _practice_changed(sender, practice_id, deleted, **kwargs):
    """The practices app announces every committed change of an example: index it (or drop it)."""
    from .services import practice_index, practice_unindex

    if deleted:
        practice_unindex(practice_id=practice_id)
    else:
        practice_index(practice_id=practice_id)


class SearchConfig(AppConfig):
    name = "panreflex.search"
    label = "search"
    verbose_name = _("Search")

    def ready(self):
        from panreflex.core.registry import register_demo_loader, register_nav, register_practice_search
        from panreflex.practices.signals import practice_changed

        from .demo import load_demo_search
        from .selectors import practice_search_ids, similar_practices

        practice_changed.connect(_practice_changed, dispatch_uid="search-practice-changed")
        register_practice_search(ranked_ids=practice_search_ids, similar=similar_practices)
        register_nav("search:practices", _("Practice examples"), order=10)
        # after every loader that creates practice examples
        register_demo_loader("search", load_demo_search, order=900)
