"""Optional TOTP two-factor sign-in with recovery codes."""

import re
from base64 import b32decode
from binascii import unhexlify

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from panreflex.accounts import services
from panreflex.accounts.views.auth import PENDING_KEY
from panreflex.testing.personas import PASSWORD


def code_for(key_hex: str, offset: int = 0) -> str:
    return f"{totp(unhexlify(key_hex), drift=offset):06d}"


def secret_from_page(html: str) -> str:
    match = re.search(r'id="totp-secret">([A-Z2-7 ]+)<', html)
    assert match, "secret not shown as text"
    return match.group(1).replace(" ", "")


@pytest.fixture
def alice_with_2fa(personas):
    key = services.new_secret()
    codes = services.two_factor_enable(user=personas.alice, key_hex=key, code=code_for(key))
    return personas.alice, key, codes


def test_setup_page_shows_qr_code_and_secret_without_inline_script(client_for):
    client = client_for("alice")
    response = client.get(reverse("accounts:two_factor_setup"))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'src="data:image/png;base64,' in html
    assert "QR-Code mit dem geheimen Schlüssel" in html  # alt text
    secret = secret_from_page(html)
    key_hex = client.session["accounts_totp_setup_key"]
    assert b32decode(secret + "=" * (-len(secret) % 8)) == unhexlify(key_hex)
    assert "<script>" not in html and " onclick=" not in html
    # the key stays the same while the person is setting up (reloading shows the same secret)
    assert secret_from_page(client.get(reverse("accounts:two_factor_setup")).content.decode()) == secret
    assert not TOTPDevice.objects.filter(user__email="alice@example.org").exists()


def test_wrong_code_does_not_switch_on(client_for, personas):
    client = client_for("alice")
    client.get(reverse("accounts:two_factor_setup"))
    response = client.post(reverse("accounts:two_factor_setup"), {"code": "000000"})
    assert response.status_code == 200
    assert "Der Code ist nicht korrekt." in response.content.decode()
    assert not services.two_factor_enabled(user=personas.alice)


def test_setup_with_code_from_the_page_shows_ten_recovery_codes_once(client_for, personas):
    client = client_for("alice")
    secret = secret_from_page(client.get(reverse("accounts:two_factor_setup")).content.decode())
    code = f"{totp(b32decode(secret + '=' * (-len(secret) % 8))):06d}"
    response = client.post(reverse("accounts:two_factor_setup"), {"code": code})
    assert response["Location"] == reverse("accounts:two_factor_codes")
    assert services.two_factor_enabled(user=personas.alice)
    page = client.get(reverse("accounts:two_factor_codes")).content.decode()
    codes = re.findall(r"<li><code>([a-z2-7]+)</code></li>", page)
    assert len(codes) == 10
    assert set(codes) == set(StaticToken.objects.filter(device__user=personas.alice).values_list("token", flat=True))
    download = client.get(reverse("accounts:two_factor_codes_download"))
    assert download["Content-Type"].startswith("text/plain")
    assert "attachment" in download["Content-Disposition"]
    assert all(c in download.content.decode() for c in codes)
    # "I have stored the codes" → they are gone from the session and never shown again
    client.post(reverse("accounts:two_factor_codes"))
    assert client.get(reverse("accounts:two_factor_codes")).status_code == 302
    assert client.get(reverse("accounts:two_factor_codes_download")).status_code == 302


def test_setup_page_when_already_on_redirects(client_for, alice_with_2fa):
    client = client_for("alice")
    assert client.get(reverse("accounts:two_factor_setup"))["Location"] == reverse("accounts:two_factor")


def test_sign_in_asks_for_the_code_after_the_password(client, alice_with_2fa):
    user, key, _codes = alice_with_2fa
    response = client.post(reverse("accounts:login"), {"username": user.email, "password": PASSWORD})
    assert response["Location"] == reverse("accounts:login_second_factor")
    assert "_auth_user_id" not in client.session  # not signed in yet
    assert "Zweiter Anmeldeschritt" in client.get(reverse("accounts:login_second_factor")).content.decode()
    wrong = client.post(reverse("accounts:login_second_factor"), {"code": "123456" if code_for(key) != "123456" else "654321"})
    assert "Der Code ist nicht korrekt." in wrong.content.decode()
    assert "_auth_user_id" not in client.session
    # django-otp throttles after a failure: wait until the throttle has passed
    with time_machine.travel(timezone.now() + timezone.timedelta(seconds=5), tick=False):
        response = client.post(reverse("accounts:login_second_factor"), {"code": code_for(key)})
    assert response["Location"] == reverse("core:dashboard")
    assert client.session["_auth_user_id"] == str(user.pk)
    assert PENDING_KEY not in client.session


def test_recovery_code_works_once_instead_of_the_app(client, alice_with_2fa):
    user, _key, codes = alice_with_2fa
    client.post(reverse("accounts:login"), {"username": user.email, "password": PASSWORD})
    response = client.post(reverse("accounts:login_second_factor"), {"code": codes[0].upper()}, follow=True)
    assert response.status_code == 200
    assert "Es sind noch 9 Wiederherstellungscodes übrig." in response.content.decode()
    client.logout()
    client.post(reverse("accounts:login"), {"username": user.email, "password": PASSWORD})
    with time_machine.travel(timezone.now() + timezone.timedelta(seconds=5), tick=False):
        reused = client.post(reverse("accounts:login_second_factor"), {"code": codes[0]})
    assert "Der Code ist nicht korrekt." in reused.content.decode()
    assert "_auth_user_id" not in client.session


def test_second_step_expires_after_five_minutes(client, alice_with_2fa):
    user, key, _codes = alice_with_2fa
    client.post(reverse("accounts:login"), {"username": user.email, "password": PASSWORD})
    with time_machine.travel(timezone.now() + timezone.timedelta(minutes=6), tick=False):
        response = client.post(reverse("accounts:login_second_factor"), {"code": code_for(key)}, follow=True)
    assert "Die Anmeldung hat zu lange gedauert." in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_second_step_without_password_step_goes_back_to_sign_in(client, personas):
    response = client.get(reverse("accounts:login_second_factor"))
    assert response["Location"] == reverse("accounts:login")


def test_disable_requires_password_and_code(client_for, alice_with_2fa):
    user, key, _codes = alice_with_2fa
    client = client_for("alice")
    url = reverse("accounts:two_factor_disable")
    response = client.post(url, {"password": "wrong", "code": "000000"})
    html = response.content.decode()
    assert "Das Passwort ist nicht korrekt." in html
    assert "Der Code ist nicht korrekt." in html
    assert services.two_factor_enabled(user=user)
    with time_machine.travel(timezone.now() + timezone.timedelta(seconds=5), tick=False):
        response = client.post(url, {"password": PASSWORD, "code": code_for(key)})
    assert response["Location"] == reverse("accounts:two_factor")
    assert not services.two_factor_enabled(user=user)
    assert not StaticDevice.objects.filter(user=user).exists()


def test_enable_twice_is_refused(alice_with_2fa):
    user, _key, _codes = alice_with_2fa
    key = services.new_secret()
    with pytest.raises(Exception, match="bereits eingeschaltet|already switched on"):
        services.two_factor_enable(user=user, key_hex=key, code=code_for(key))


def test_two_factor_pages_in_english(client_for, settings):
    client = client_for("alice")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert "Set up two-factor sign-in" in client.get(reverse("accounts:two_factor")).content.decode()
    html = client.get(reverse("accounts:two_factor_setup")).content.decode()
    assert "Six-digit code shown by the app" in html and "Switch on" in html


def test_new_recovery_codes_replace_the_old_ones(client_for, alice_with_2fa):
    user, key, old_codes = alice_with_2fa
    client = client_for("alice")
    url = reverse("accounts:two_factor_new_codes")
    assert "Neue Wiederherstellungscodes" in client.get(url).content.decode()
    response = client.post(url, {"code": "000000"})
    assert "Der Code ist nicht korrekt." in response.content.decode()
    with time_machine.travel(timezone.now() + timezone.timedelta(seconds=5), tick=False):
        response = client.post(url, {"code": code_for(key)})
    assert response["Location"] == reverse("accounts:two_factor_codes")
    new_codes = re.findall(r"<li><code>([a-z2-7]+)</code></li>", client.get(response["Location"]).content.decode())
    assert len(new_codes) == 10 and not set(new_codes) & set(old_codes)
    stored = set(StaticToken.objects.filter(device__user=user).values_list("token", flat=True))
    assert stored == set(new_codes)
