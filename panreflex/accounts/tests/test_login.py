"""Sign-in with e-mail and password, sign-out, session expiry, login throttling (django-axes)."""

from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from panreflex.testing.personas import PASSWORD

LOGIN = reverse("accounts:login")


def post_login(client, email, password, **extra):
    return client.post(LOGIN, {"username": email, "password": password, **extra}, REMOTE_ADDR="10.1.2.3")


def test_sign_in_with_email_case_insensitive_and_redirects_to_dashboard(client, personas):
    response = post_login(client, "  ALICE@Example.org ", PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == reverse("core:dashboard")
    assert client.get(reverse("accounts:profile")).status_code == 200


def test_sign_in_follows_a_local_next_but_not_a_foreign_one(client, personas):
    response = post_login(client, "alice@example.org", PASSWORD, next="/konto/profil/")
    assert response["Location"] == "/konto/profil/"
    client.logout()
    response = post_login(client, "alice@example.org", PASSWORD, next="https://evil.example/")
    assert response["Location"] == reverse("core:dashboard")


def test_wrong_password_shows_a_clear_german_message(client, personas):
    response = post_login(client, "alice@example.org", "wrong-password")
    assert response.status_code == 200
    assert "E-Mail-Adresse oder Passwort sind nicht korrekt. Hinweis: Nach 5 Fehlversuchen" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_wrong_password_in_english(client, personas):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = post_login(client, "alice@example.org", "wrong-password")
    assert "The e-mail address or the password is not correct." in response.content.decode()


def test_inactive_account_cannot_sign_in(client, personas):
    personas.bob.is_active = False
    personas.bob.save()
    response = post_login(client, "bob@example.org", PASSWORD)
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_sign_in_sets_the_preferred_language_cookie(client, personas):
    personas.alice.language = "en"
    personas.alice.save()
    response = post_login(client, "alice@example.org", PASSWORD)
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"


def test_sign_out_needs_post_and_ends_the_session(client_for):
    client = client_for("alice")
    assert client.get(reverse("accounts:logout")).status_code == 405
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert client.get(reverse("accounts:profile")).status_code == 302


def test_session_expires_after_the_configured_time(client, personas, settings):
    settings.SESSION_COOKIE_AGE = 60 * 60
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        post_login(client, "alice@example.org", PASSWORD)
        assert client.get(reverse("accounts:profile")).status_code == 200
        traveller.shift(timedelta(minutes=59))
        assert client.get(reverse("accounts:profile")).status_code == 200
        traveller.shift(timedelta(minutes=62))
        response = client.get(reverse("accounts:profile"))
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)


def test_session_cookie_settings():
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE is True
    assert settings.SESSION_COOKIE_HTTPONLY is True
    assert settings.SESSION_COOKIE_AGE <= 60 * 60 * 8


@pytest.mark.django_db
def test_sixth_wrong_attempt_is_refused_with_a_german_lockout_page(client, personas, settings):
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 5
    for _attempt in range(4):
        assert post_login(client, "alice@example.org", "wrong-password").status_code == 200
    fifth = post_login(client, "alice@example.org", "wrong-password")
    assert fifth.status_code == 429
    sixth = post_login(client, "alice@example.org", "wrong-password")
    assert sixth.status_code == 429
    text = sixth.content.decode()
    assert "Anmeldung gesperrt" in text
    assert "Es gab 5 fehlgeschlagene Anmeldeversuche." in text
    assert "für 15 Minuten gesperrt" in text
    # even the right password is refused while locked
    assert post_login(client, "alice@example.org", PASSWORD).status_code == 429
    assert "_auth_user_id" not in client.session
    # another account from the same address is not locked
    assert post_login(client, "bob@example.org", PASSWORD).status_code == 302


@pytest.mark.django_db
def test_lockout_expires_after_the_cool_off(client, personas, settings):
    settings.AXES_ENABLED = True
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        for _attempt in range(5):
            post_login(client, "alice@example.org", "wrong-password")
        assert post_login(client, "alice@example.org", PASSWORD).status_code == 429
        traveller.shift(timedelta(minutes=16))
        assert post_login(client, "alice@example.org", PASSWORD).status_code == 302
