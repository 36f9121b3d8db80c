"""Invitations: sending, accepting (new person, signed-in person), bad links, revoke and resend."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from panreflex.accounts.models import Invitation, Membership, Role, User
from panreflex.audit.models import AuditEntry
from panreflex.testing.personas import PASSWORD

from .factories import InvitationFactory

GOOD_PASSWORD = "Krisenstab-2026-Reflexion"


def invite(client, personas, email="neu@example.org", role=Role.EDITOR):
    return client.post(reverse("accounts:invitation_create", kwargs={"slug": personas.dortmund.slug}),
                       {"email": email, "role": role})


def link_from_mail(message) -> str:
    match = re.search(r"https?://\S+/konto/einladung/(\S+)/", message.body)
    assert match, message.body
    return match.group(0)


def path_of(link: str) -> str:
    return "/" + link.split("/", 3)[3]


def test_coordinator_invites_and_only_the_hash_is_stored(client_for, personas, settings):
    settings.INVITATION_VALID_DAYS = 10
    response = invite(client_for("carla"), personas, email="Neu@Example.ORG")
    assert response.status_code == 302
    invitation = Invitation.objects.get()
    assert invitation.email == "neu@example.org"
    assert invitation.role == Role.EDITOR
    assert invitation.invited_by == personas.carla
    assert abs(invitation.expires_at - (timezone.now() + timedelta(days=10))) < timedelta(minutes=1)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["neu@example.org"]
    assert message.subject == "Einladung zu Stadt Dortmund bei PanReflex"
    assert "Redaktion" in message.body
    link = link_from_mail(message)
    token = link.rstrip("/").rsplit("/", 1)[1]
    assert token not in invitation.token_hash
    assert invitation.token_hash == Invitation.hash_token(token)
    assert AuditEntry.objects.filter(object_id=str(invitation.pk), action="create").exists()


def test_only_coordinators_and_staff_may_invite(client_for, personas):
    for name in ("alice", "bob", "vera", "charlie"):
        assert invite(client_for(name), personas).status_code == 404
    assert invite(client_for("dora"), personas, email="x@example.org").status_code == 302
    assert Invitation.objects.count() == 1


def test_inviting_a_member_is_refused_with_a_clear_message(client_for, personas):
    response = invite(client_for("carla"), personas, email="ALICE@example.org")
    assert response.status_code == 200
    assert "alice@example.org ist bereits Mitglied von Stadt Dortmund." in response.content.decode()
    assert not Invitation.objects.exists()
    assert not mail.outbox


def test_a_second_open_invitation_to_the_same_address_is_refused(client_for, personas):
    client = client_for("carla")
    invite(client, personas)
    response = invite(client, personas, email="NEU@example.org")
    assert "An neu@example.org ist bereits eine Einladung offen." in response.content.decode()
    assert Invitation.objects.count() == 1


def test_bad_input_when_inviting(client_for, personas):
    client = client_for("carla")
    response = invite(client, personas, email="not-an-address")
    assert "Bitte gültige E-Mail-Adresse eingeben." in response.content.decode()
    response = invite(client, personas, email=("a" * 250) + "@example.org")
    assert response.status_code == 200
    response = invite(client, personas, role="superuser")
    assert "Bitte eine gültige Auswahl treffen." in response.content.decode()
    assert not Invitation.objects.exists()


def test_new_person_accepts_sets_name_and_password_and_is_verified(client_for, client, personas):
    invite(client_for("carla"), personas)
    url = path_of(link_from_mail(mail.outbox[0]))
    page = client.get(url)
    assert "Einladung zu Stadt Dortmund" in page.content.decode()
    response = client.post(url, {"full_name": "<b>Nina</b> Neu", "password1": GOOD_PASSWORD, "password2": GOOD_PASSWORD})
    assert response.status_code == 302
    user = User.objects.get(email="neu@example.org")
    assert user.full_name == "<b>Nina</b> Neu"  # stored as text …
    assert user.email_verified_at is not None
    assert user.check_password(GOOD_PASSWORD)
    assert Membership.objects.get(user=user, organisation=personas.dortmund).role == Role.EDITOR
    invitation = Invitation.objects.get()
    assert invitation.accepted_by == user and invitation.accepted_at is not None
    profile = client.get(reverse("accounts:profile")).content.decode()
    assert "&lt;b&gt;Nina&lt;/b&gt; Neu" in profile  # … and shown escaped
    # the link cannot be used twice
    client.logout()
    again = client.get(url)
    assert again.status_code == 410
    assert "Diese Einladung wurde bereits angenommen." in again.content.decode()
    # the new person signs in with the password
    client.post(reverse("accounts:login"), {"username": "neu@example.org", "password": GOOD_PASSWORD})
    assert client.session["_auth_user_id"] == str(user.pk)


def test_weak_or_mismatching_passwords_store_nothing(client, personas):
    invitation = InvitationFactory(organisation=personas.dortmund, email="neu@example.org", token="tok-weak-0123456789")
    url = reverse("accounts:invitation_accept", kwargs={"token": "tok-weak-0123456789"})
    response = client.post(url, {"full_name": "Nina", "password1": "123", "password2": "123"})
    html = response.content.decode()
    assert "Dieses Passwort ist zu kurz." in html
    response = client.post(url, {"full_name": "Nina", "password1": GOOD_PASSWORD, "password2": GOOD_PASSWORD + "x"})
    assert "Die beiden Passwörter stimmen nicht überein." in response.content.decode()
    response = client.post(url, {"full_name": "N" * 151, "password1": GOOD_PASSWORD, "password2": GOOD_PASSWORD})
    assert "höchstens 150 Zeichen" in response.content.decode()
    assert not User.objects.filter(email="neu@example.org").exists()
    invitation.refresh_from_db()
    assert invitation.accepted_at is None


def test_signed_in_invited_person_accepts_and_gets_the_membership(client_for, personas):
    InvitationFactory(organisation=personas.koeln, email="ALICE@example.org", role=Role.VIEWER, token="tok-alice-123456789")
    client = client_for("alice")
    url = reverse("accounts:invitation_accept", kwargs={"token": "tok-alice-123456789"})
    assert "Einladung annehmen" in client.get(url).content.decode()
    response = client.post(url)
    assert response["Location"] == personas.koeln.get_absolute_url()
    assert Membership.objects.get(user=personas.alice, organisation=personas.koeln).role == Role.VIEWER


def test_signed_in_as_someone_else_cannot_accept(client_for, personas):
    InvitationFactory(organisation=personas.koeln, email="someone@example.org", token="tok-other-123456789")
    client = client_for("alice")
    url = reverse("accounts:invitation_accept", kwargs={"token": "tok-other-123456789"})
    assert "Diese Einladung gilt für someone@example.org" in client.get(url).content.decode()
    response = client.post(url, follow=True)
    assert "Diese Einladung gilt für someone@example.org" in response.content.decode()
    assert not Membership.objects.filter(user=personas.alice, organisation=personas.koeln).exists()
    assert Invitation.objects.get().accepted_at is None


def test_anonymous_with_existing_account_is_asked_to_sign_in(client, personas):
    InvitationFactory(organisation=personas.koeln, email="alice@example.org", token="tok-exist-123456789")
    url = reverse("accounts:invitation_accept", kwargs={"token": "tok-exist-123456789"})
    html = client.get(url).content.decode()
    assert "Es gibt bereits ein Konto mit dieser E-Mail-Adresse." in html
    client.post(url, {"full_name": "X", "password1": GOOD_PASSWORD, "password2": GOOD_PASSWORD})
    assert User.objects.filter(email__iexact="alice@example.org").count() == 1


@pytest.mark.parametrize(
    ("state", "status", "message"),
    [
        ("forged", 404, "Dieser Einladungslink ist ungültig."),
        ("expired", 410, "Diese Einladung ist abgelaufen."),
        ("revoked", 410, "Diese Einladung wurde zurückgezogen."),
        ("used", 410, "Diese Einladung wurde bereits angenommen."),
    ],
)
def test_bad_links_give_a_clear_message_and_store_nothing(client, personas, state, status, message):
    invitation = InvitationFactory(organisation=personas.dortmund, email="neu@example.org", token="tok-state-123456789")
    token = "tok-state-123456789"
    if state == "forged":
        token = "tok-state-123456780"
    elif state == "expired":
        invitation.expires_at = timezone.now() - timedelta(seconds=1)
    elif state == "revoked":
        invitation.revoked_at = timezone.now()
    elif state == "used":
        invitation.accepted_at = timezone.now()
    invitation.save()
    url = reverse("accounts:invitation_accept", kwargs={"token": token})
    for response in (client.get(url), client.post(url, {"full_name": "N", "password1": GOOD_PASSWORD,
                                                         "password2": GOOD_PASSWORD})):
        assert response.status_code == status
        assert message in response.content.decode()
    assert not User.objects.filter(email="neu@example.org").exists()
    assert not Membership.objects.filter(user__email="neu@example.org").exists()


def test_invitation_expires_after_the_configured_days(client_for, client, personas, settings):
    settings.INVITATION_VALID_DAYS = 14
    invite(client_for("carla"), personas)
    url = path_of(link_from_mail(mail.outbox[0]))
    with time_machine.travel(timezone.now() + timedelta(days=13, hours=23)):
        assert client.get(url).status_code == 200
    with time_machine.travel(timezone.now() + timedelta(days=14, minutes=1)):
        assert client.get(url).status_code == 410


def test_revoke_has_a_confirmation_page_and_kills_the_link(client_for, client, personas):
    invite(client_for("carla"), personas)
    url = path_of(link_from_mail(mail.outbox[0]))
    invitation = Invitation.objects.get()
    revoke = reverse("accounts:invitation_revoke", kwargs={"slug": "dortmund", "pk": invitation.pk})
    coordinator = client_for("carla")
    assert "Die Einladung an neu@example.org zurückziehen?" in coordinator.get(revoke).content.decode()
    assert client_for("alice").post(revoke).status_code == 404
    coordinator.post(revoke)
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None
    assert client.get(url).status_code == 410
    assert AuditEntry.objects.filter(object_id=str(invitation.pk), action="status").exists()


def test_resend_replaces_the_link_and_extends_the_expiry(client_for, client, personas):
    invite(client_for("carla"), personas)
    old_url = path_of(link_from_mail(mail.outbox[0]))
    invitation = Invitation.objects.get()
    resend = reverse("accounts:invitation_resend", kwargs={"slug": "dortmund", "pk": invitation.pk})
    assert client_for("carla").get(resend).status_code == 405
    with time_machine.travel(timezone.now() + timedelta(days=20)):
        client_for("carla").post(resend)
        new_url = path_of(link_from_mail(mail.outbox[1]))
        assert client.get(old_url).status_code == 404
        assert client.get(new_url).status_code == 200
    assert new_url != old_url


def test_member_page_lists_open_invitations_for_coordinators(client_for, personas, django_assert_max_num_queries):
    invite(client_for("carla"), personas, email="offen@example.org")
    client = client_for("carla")
    with django_assert_max_num_queries(12):
        html = client.get(reverse("accounts:organisation_members", kwargs={"slug": "dortmund"})).content.decode()
    assert "offen@example.org" in html
    assert "alice@example.org" in html


def test_service_refuses_accepting_for_a_person_already_member(personas):
    from django.core.exceptions import ValidationError

    from panreflex.accounts import services

    InvitationFactory(organisation=personas.dortmund, email="alice@example.org", token="tok-member-123456789")
    with pytest.raises(ValidationError):
        services.invitation_accept_existing(token="tok-member-123456789", user=personas.alice)
    assert Invitation.objects.get().accepted_at is None


def test_login_with_old_password_for_new_person_not_possible(client, personas):
    response = client.post(reverse("accounts:login"), {"username": "neu@example.org", "password": PASSWORD})
    assert "_auth_user_id" not in client.session
    assert response.status_code == 200


def test_when_the_mail_cannot_be_sent_nothing_is_stored(client_for, personas, monkeypatch):
    import smtplib

    def broken(*args, **kwargs):
        raise smtplib.SMTPServerDisconnected("mail server gone")

    monkeypatch.setattr("panreflex.accounts.services.mail.send_mail", broken)
    response = invite(client_for("carla"), personas)
    assert response.status_code == 200
    assert "Die E-Mail konnte nicht gesendet werden, deshalb wurde nichts gespeichert." in response.content.decode()
    assert not Invitation.objects.exists()
    assert not AuditEntry.objects.exists()
