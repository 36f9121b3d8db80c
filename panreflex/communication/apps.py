from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommunicationConfig(AppConfig):
    name = "panreflex.communication"
    label = "communication"
    verbose_name = _("Risk and crisis communication")

    def ready(self):
        from . import rules

        rules.register()
        from panreflex.core.registry import register_demo_loader, register_nav

        from .demo import load_demo_communication

        register_nav("communication:overview", _("Communication"), order=65, requires_login=True)
        register_demo_loader("communication", load_demo_communication, order=90)
