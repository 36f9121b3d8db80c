"""The Django admin for the accounts models works for staff and records changes in the audit trail."""

import pytest
from django.urls import reverse

from panreflex.accounts.models import Membership, Organisation
from panreflex.audit.models import AuditEntry

from .factories import InvitationFactory


@pytest.fixture
def admin_client(client_for, personas):
    personas.dora.is_superuser = True
    personas.dora.save()
    return client_for("dora")


def test_admin_pages_open(admin_client, personas):
    invitation = InvitationFactory(organisation=personas.dortmund)
    membership = Membership.objects.get(user=personas.alice)
    for url in [
        reverse("admin:accounts_user_changelist"),
        reverse("admin:accounts_user_add"),
        reverse("admin:accounts_user_change", args=[personas.alice.pk]),
        reverse("admin:accounts_organisation_changelist"),
        reverse("admin:accounts_organisation_change", args=[personas.dortmund.pk]),
        reverse("admin:accounts_membership_changelist"),
        reverse("admin:accounts_membership_change", args=[membership.pk]),
        reverse("admin:accounts_invitation_changelist"),
        reverse("admin:accounts_invitation_change", args=[invitation.pk]),
    ]:
        assert admin_client.get(url).status_code == 200, url
    assert admin_client.get(reverse("admin:accounts_invitation_add")).status_code == 403


def test_admin_change_is_audited(admin_client, personas):
    org = personas.koeln
    data = {"name": "Stadt Köln (Verwaltung)", "slug": org.slug, "kind": org.kind, "place": org.place_id or "",
            "is_partner": "on", "website": "", "description": ""}
    response = admin_client.post(reverse("admin:accounts_organisation_change", args=[org.pk]), data)
    assert response.status_code == 302
    assert Organisation.objects.get(pk=org.pk).name == "Stadt Köln (Verwaltung)"
    entry = AuditEntry.objects.get(object_id=str(org.pk), action="update")
    assert entry.changes["name"] == ["Stadt Köln", "Stadt Köln (Verwaltung)"]


def test_non_staff_cannot_open_the_admin(client_for, personas):
    response = client_for("carla").get(reverse("admin:accounts_user_changelist"))
    assert response.status_code == 302
