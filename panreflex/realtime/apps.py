from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RealtimeConfig(AppConfig):
    name = "panreflex.realtime"
    label = "realtime"
    verbose_name = _("Live rooms")
    default_auto_field = "django.db.models.BigAutoField"
