"""Profile: name, language (cookie), e-mail change with confirmation, data export, deletion request."""

import json
import re

from django.conf import settings
from django.contrib.admin.sites import site
from django.core import mail
from django.test import RequestFactory
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from panreflex.accounts import services
from panreflex.accounts.admin import UserAdmin
from panreflex.accounts.models import Membership, User
from panreflex.audit.models import AuditEntry
from panreflex.testing.factories import UserFactory

from .factories import InvitationFactory

EDIT = reverse("accounts:profile_edit")


def edit(client, **data):
    payload = {"full_name": "Alice Redaktion", "email": "alice@example.org", "language": "", **data}
    return client.post(EDIT, payload)


def confirmation_path(message) -> str:
    match = re.search(r"https?://[^/\s]+(/konto/bestaetigen/\S+/\S+/)", message.body)
    assert match, message.body
    return match.group(1)


def test_edit_name_and_language_sets_the_cookie(client_for, personas):
    client = client_for("alice")
    response = edit(client, full_name="Alice Anders", language="en")
    assert response.status_code == 302
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    personas.alice.refresh_from_db()
    assert personas.alice.full_name == "Alice Anders" and personas.alice.language == "en"
    assert "My profile" in client.get(reverse("accounts:profile")).content.decode()


def test_overlong_name_and_bad_address_store_nothing(client_for, personas):
    client = client_for("alice")
    response = edit(client, full_name="A" * 151, email="not an address")
    html = response.content.decode()
    assert "höchstens 150 Zeichen" in html
    assert "Bitte gültige E-Mail-Adresse eingeben." in html
    personas.alice.refresh_from_db()
    assert personas.alice.full_name == "Alice"


def test_email_change_waits_for_confirmation_then_switches(client_for, client, personas):
    alice = client_for("alice")
    response = edit(alice, email="Alice.Neu@Example.org")
    assert response.status_code == 302
    personas.alice.refresh_from_db()
    assert personas.alice.email == "alice@example.org"
    assert personas.alice.pending_email == "alice.neu@example.org"
    assert [m.to for m in mail.outbox] == [["alice.neu@example.org"], ["alice@example.org"]]
    assert mail.outbox[0].subject == "Bitte bestätigen Sie Ihre E-Mail-Adresse für PanReflex"
    assert "alice.neu@example.org" in mail.outbox[1].body  # notice to the old address
    path = confirmation_path(mail.outbox[0])
    assert "Bestätigen Sie, dass alice.neu@example.org Ihre E-Mail-Adresse ist." in client.get(path).content.decode()
    client.post(path)
    personas.alice.refresh_from_db()
    assert personas.alice.email == "alice.neu@example.org"
    assert personas.alice.pending_email == "" and personas.alice.email_verified_at is not None
    # the link works once
    assert client.get(path).status_code == 400


def test_email_change_to_a_taken_address_is_refused_case_insensitively(client_for, personas):
    response = edit(client_for("alice"), email="BOB@example.org")
    assert "Es gibt bereits ein Konto mit dieser E-Mail-Adresse." in response.content.decode()
    personas.alice.refresh_from_db()
    assert personas.alice.pending_email == ""
    assert not mail.outbox


def test_address_taken_meanwhile_is_refused_at_confirmation(client_for, client, personas):
    edit(client_for("alice"), email="neu@example.org")
    path = confirmation_path(mail.outbox[0])
    UserFactory(email="neu@example.org")
    response = client.post(path)
    assert response.status_code == 400
    assert "Es gibt bereits ein Konto mit dieser E-Mail-Adresse." in response.content.decode()
    personas.alice.refresh_from_db()
    assert personas.alice.email == "alice@example.org"


def test_unverified_user_requests_a_confirmation_link(client_for, client, personas):
    assert personas.bob.email_verified_at is None
    bob = client_for("bob")
    assert "Bestätigungslink zusenden" in bob.get(reverse("accounts:profile")).content.decode()
    bob.post(reverse("accounts:verify_email_send"))
    assert mail.outbox[0].to == ["bob@example.org"]
    client.post(confirmation_path(mail.outbox[0]))
    personas.bob.refresh_from_db()
    assert personas.bob.email_verified_at is not None


def test_forged_confirmation_link(client, personas):
    response = client.get(reverse("accounts:verify_email", kwargs={"uidb64": "MQ", "token": "abc-def"}))
    assert response.status_code == 400
    assert "Dieser Bestätigungslink ist ungültig oder abgelaufen." in response.content.decode()


def test_data_export_contains_profile_memberships_invitations_and_audit(client_for, personas):
    InvitationFactory(organisation=personas.dortmund, invited_by=personas.carla, email="x@example.org")
    services.membership_change_role(membership=Membership.objects.get(user=personas.bob), role="editor",
                                    actor=personas.carla)
    response = client_for("carla").get(reverse("accounts:data_export"))
    assert response["Content-Type"].startswith("application/json")
    assert "attachment" in response["Content-Disposition"]
    data = json.loads(response.content)
    assert data["profile"]["email"] == "carla@example.org"
    assert data["memberships"] == [{"organisation": "Stadt Dortmund", "role": "coordinator",
                                    "since": data["memberships"][0]["since"]}]
    assert data["invitations_sent"][0]["email"] == "x@example.org"
    assert data["audit_entries"][0]["action"] == "update"
    assert data["profile"]["two_factor_enabled"] is False


def test_deletion_request_confirms_records_mails_staff_and_shows_pending(client_for, personas):
    client = client_for("bob")
    page = client.get(reverse("accounts:deletion_request")).content.decode()
    assert "Ja, mein Konto löschen" in page
    personas.bob.refresh_from_db()
    assert personas.bob.deletion_requested_at is None
    client.post(reverse("accounts:deletion_request"))
    personas.bob.refresh_from_db()
    assert personas.bob.deletion_requested_at is not None
    assert mail.outbox[0].to == ["dora@example.org"]
    assert "bob@example.org" in mail.outbox[0].subject
    assert "Sie haben am" in client.get(reverse("accounts:profile")).content.decode()
    # asking twice sends no second mail; withdrawing clears the state
    client.post(reverse("accounts:deletion_request"))
    assert len(mail.outbox) == 1
    client.post(reverse("accounts:deletion_cancel"))
    personas.bob.refresh_from_db()
    assert personas.bob.deletion_requested_at is None


def test_admin_action_anonymises_and_deactivates(personas):
    from panreflex.audit.services import audit_record

    services.user_request_deletion(user=personas.bob)
    audit_record(actor=personas.bob, action="update", obj=personas.dortmund)
    TOTPDevice.objects.create(user=personas.bob, name="x", confirmed=True)
    invitation = InvitationFactory(organisation=personas.koeln, email="BOB@example.org")
    request = RequestFactory().post("/admin/")
    request.user = personas.dora
    request._messages = type("M", (), {"add": lambda *a, **k: None})()
    admin = UserAdmin(User, site)
    admin.anonymise_and_deactivate(request, User.objects.filter(pk__in=[personas.bob.pk, personas.alice.pk]))
    bob = User.objects.get(pk=personas.bob.pk)
    assert bob.email == f"deleted-{bob.pk}@invalid.invalid"
    assert bob.full_name == "" and not bob.is_active and not bob.has_usable_password()
    assert not Membership.objects.filter(user=bob).exists()
    assert not TOTPDevice.objects.filter(user=bob).exists()
    invitation.refresh_from_db()
    assert invitation.email == bob.email
    assert AuditEntry.objects.filter(action="delete", actor=personas.dora).exists()
    # the audit trail keeps bob's actions only under a pseudonym
    assert set(AuditEntry.objects.filter(actor=bob).values_list("actor_label", flat=True)) == {f"deleted user #{bob.pk}"}
    alice = User.objects.get(pk=personas.alice.pk)  # no request → untouched
    assert alice.is_active and alice.email == "alice@example.org"


def test_admin_lists_pending_deletion_requests(client_for, personas):
    services.user_request_deletion(user=personas.bob)
    personas.dora.is_superuser = True
    personas.dora.save()
    html = client_for("dora").get(reverse("admin:accounts_user_changelist") + "?deletion=pending").content.decode()
    assert "bob@example.org" in html and "alice@example.org" not in html


def test_dashboard_panel_lists_what_to_do(client_for, personas):
    from panreflex.accounts.panels import account_panel

    services.user_request_deletion(user=personas.bob)
    carla = account_panel(user=personas.carla)
    labels = [label for label, _url in carla.items]
    assert "Manage members of Stadt Dortmund" in labels or "Mitglieder von Stadt Dortmund verwalten" in labels
    dora = account_panel(user=personas.dora)
    assert any("?deletion=pending" in url for _label, url in dora.items)
    html = client_for("carla").get(reverse("core:dashboard")).content.decode()
    assert "Mitglieder von Stadt Dortmund verwalten" in html
