from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "panreflex.accounts"
    label = "accounts"
    verbose_name = _("Accounts and organisations")

    def ready(self):
        from . import policy

        policy._register_organisation()
        from panreflex.core.registry import register_dashboard_panel, register_demo_loader, register_nav

        from .demo import load_demo_accounts
        from .panels import account_panel

        register_demo_loader("accounts", load_demo_accounts, order=0)
        register_dashboard_panel(account_panel)
        register_nav("accounts:organisation_list", _("Organisations"), order=90)
