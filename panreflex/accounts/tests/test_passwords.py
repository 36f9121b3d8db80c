"""Password reset (Django's views, own templates, German e-mail) and password change."""

import re

from django.core import mail
from django.urls import reverse

from panreflex.testing.personas import PASSWORD

NEW = "Neues-Passwort-2026!"


def test_password_reset_flow_in_german(client, personas):
    response = client.post(reverse("accounts:password_reset"), {"email": "ALICE@example.org"})
    assert response["Location"] == reverse("accounts:password_reset_done")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.subject == "Neues Passwort für PanReflex festlegen"
    assert "für das PanReflex-Konto alice@example.org wurde ein neues Passwort angefordert" in message.body
    path = re.search(r"https?://[^/\s]+(/konto/passwort/neu/\S+/)", message.body).group(1)
    response = client.get(path, follow=True)
    assert "Neues Passwort festlegen" in response.content.decode()
    set_url = response.redirect_chain[-1][0]
    response = client.post(set_url, {"new_password1": NEW, "new_password2": NEW})
    assert response["Location"] == reverse("accounts:password_reset_complete")
    personas.alice.refresh_from_db()
    assert personas.alice.check_password(NEW)
    # the link is used up
    assert "Dieser Link ist ungültig" in client.get(path).content.decode()


def test_reset_for_unknown_address_reveals_nothing(client, personas):
    response = client.post(reverse("accounts:password_reset"), {"email": "nobody@example.org"})
    assert response["Location"] == reverse("accounts:password_reset_done")
    assert not mail.outbox


def test_password_change_needs_the_old_password(client_for, personas):
    client = client_for("alice")
    url = reverse("accounts:password_change")
    response = client.post(url, {"old_password": "wrong", "new_password1": NEW, "new_password2": NEW})
    assert "Das alte Passwort war falsch. Bitte neu eingeben." in response.content.decode()
    response = client.post(url, {"old_password": PASSWORD, "new_password1": NEW, "new_password2": NEW}, follow=True)
    assert "Ihr Passwort wurde geändert." in response.content.decode()
    personas.alice.refresh_from_db()
    assert personas.alice.check_password(NEW)
    # still signed in after the change
    assert client.get(reverse("accounts:profile")).status_code == 200
