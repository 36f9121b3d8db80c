from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImprovementsConfig(AppConfig):
    name = "panreflex.improvements"
    label = "improvements"
    verbose_name = _("Improvement plans")
