from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvidenceConfig(AppConfig):
    name = "panreflex.evidence"
    label = "evidence"
    verbose_name = _("Evidence and recommendations")
