"""The accounts panel of the personal dashboard: what the person should do about their account."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from panreflex.core.registry import DashboardPanel

from . import selectors
from .models import Role
from .services.two_factor import two_factor_enabled


def account_panel(*, user) -> DashboardPanel | None:
    items: list[tuple[str, str]] = []
    if user.email_verified_at is None or user.pending_email:
        items.append((_("Confirm your e-mail address"), reverse("accounts:profile")))
    for membership in selectors.memberships_of(user=user).filter(role=Role.COORDINATOR):
        items.append((_("Manage members of %(name)s") % {"name": membership.organisation.name},
                      reverse("accounts:organisation_members", kwargs={"slug": membership.organisation.slug})))
    if user.is_staff:
        pending = selectors.deletion_requests().count()
        if pending:
            items.append((ngettext("%(n)d deletion request waiting", "%(n)d deletion requests waiting", pending) % {"n": pending},
                          reverse("admin:accounts_user_changelist") + "?deletion=pending"))
    if not two_factor_enabled(user=user):
        items.append((_("Protect your account with two-factor sign-in"), reverse("accounts:two_factor_setup")))
    if not items:
        return None
    return DashboardPanel(title=_("My account"), items=items, more_url=reverse("accounts:profile"),
                          more_label=_("To my profile"), order=5)
