"""Accounts in a real browser: sign-in with and without two-factor, accepting an invitation, lock-out.
axe-core checks every page visited."""

from __future__ import annotations

import re
import time
import uuid
from base64 import b32decode

from django_otp.oath import totp

from e2e.conftest import DEMO_PASSWORD, check_a11y, login

NEW_PASSWORD = "Krisenstab-Reflexion-2026"


def current_code(secret: str) -> str:
    secret = secret.replace(" ", "")
    return f"{totp(b32decode(secret + '=' * (-len(secret) % 8))):06d}"


def fresh_code(secret: str) -> str:
    """A code that stays valid for a few seconds more (avoid the end of a 30-second window)."""
    if time.time() % 30 > 25:
        time.sleep(30 - time.time() % 30 + 0.5)
    return current_code(secret)


def test_sign_in_without_two_factor_and_sign_out(page):
    page.goto("/konto/anmelden/")
    check_a11y(page, name="accounts-login")
    page.get_by_label("E-Mail-Adresse").fill("redaktion@dortmund.example")
    page.get_by_label("Passwort").fill("falsch")
    page.get_by_role("button", name="Anmelden").click()
    assert "E-Mail-Adresse oder Passwort sind nicht korrekt." in page.content()
    check_a11y(page, name="accounts-login-error")
    login(page, "redaktion@dortmund.example")
    page.wait_for_url(re.compile(r"/start/"))
    check_a11y(page, name="accounts-dashboard")
    page.goto("/konto/profil/")
    assert page.get_by_role("heading", level=1).inner_text() == "Mein Profil"
    assert "redaktion@dortmund.example" in page.content()
    check_a11y(page, name="accounts-profile")
    page.goto("/konto/organisationen/dortmund/")
    assert "Alina Redaktion" in page.content()  # members are visible to members
    check_a11y(page, name="accounts-organisation-detail")
    page.get_by_role("button", name="Abmelden").click()
    page.wait_for_load_state("networkidle")
    page.goto("/konto/profil/")
    assert "/konto/anmelden/" in page.url


def test_sign_in_with_two_factor(server, page):
    email = f"zwei-faktor-{uuid.uuid4().hex[:8]}@dortmund.example"
    server.manage("shell", "-c", (
        "from panreflex.accounts.models import User; "
        f"User.objects.create_user(email='{email}', password='{DEMO_PASSWORD}', full_name='Zoe Zweifaktor')"
    ))
    login(page, email)
    page.wait_for_url(re.compile(r"/start/"))
    page.goto("/konto/zwei-faktor/")
    check_a11y(page, name="accounts-two-factor-off")
    page.get_by_role("link", name="Zwei-Faktor-Anmeldung einrichten").click()
    assert page.locator("img[src^='data:image/png;base64,']").count() == 1
    secret = page.locator("#totp-secret").inner_text()
    check_a11y(page, name="accounts-two-factor-setup")
    page.get_by_label("Sechsstelliger Code aus der App").fill("000000")
    page.get_by_role("button", name="Einschalten").click()
    assert "Der Code ist nicht korrekt." in page.content()
    check_a11y(page, name="accounts-two-factor-setup-error")
    page.get_by_label("Sechsstelliger Code aus der App").fill(fresh_code(secret))
    page.get_by_role("button", name="Einschalten").click()
    page.wait_for_url(re.compile(r"/wiederherstellungscodes/"))
    codes = page.locator(".recovery-codes code").all_inner_texts()
    assert len(codes) == 10
    check_a11y(page, name="accounts-recovery-codes")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Als Textdatei herunterladen").click()
    assert codes[0] in open(download_info.value.path(), encoding="utf-8").read()
    page.get_by_role("button", name="Ich habe die Codes gespeichert").click()
    page.get_by_role("button", name="Abmelden").click()
    page.wait_for_load_state("networkidle")

    # sign in again: after the password, the second step asks for the code
    login(page, email)
    page.wait_for_url(re.compile(r"/zweiter-faktor/"))
    check_a11y(page, name="accounts-login-second-factor")
    page.get_by_label("Code aus Ihrer Authenticator-App").fill(fresh_code(secret))
    page.get_by_role("button", name="Bestätigen").click()
    page.wait_for_url(re.compile(r"/start/"))
    page.goto("/konto/profil/")
    assert email in page.content()
    check_a11y(page, name="accounts-profile-two-factor-on")

    # switching off needs password and a code: use a recovery code
    page.goto("/konto/zwei-faktor/ausschalten/")
    check_a11y(page, name="accounts-two-factor-disable")
    page.get_by_label("Passwort").fill(DEMO_PASSWORD)
    page.get_by_label("Code aus Ihrer Authenticator-App").fill(codes[1])
    page.get_by_role("button", name="Ausschalten").click()
    assert "Die Zwei-Faktor-Anmeldung ist ausgeschaltet." in page.content()
    check_a11y(page, name="accounts-two-factor-switched-off")


def test_accepting_an_invitation(server, page, new_page):
    invited = f"neu-{uuid.uuid4().hex[:8]}@example.org"
    login(page, "koordination@dortmund.example")
    page.wait_for_url(re.compile(r"/start/"))
    page.goto("/konto/organisationen/dortmund/mitglieder/")
    check_a11y(page, name="accounts-members")
    page.get_by_role("link", name="Person einladen").click()
    check_a11y(page, name="accounts-invite")
    page.get_by_label("E-Mail-Adresse").fill(invited)
    page.get_by_label("Rolle").select_option("editor")
    page.get_by_role("button", name="Einladung senden").click()
    assert f"Die Einladung wurde an {invited} gesendet." in page.content()
    assert invited in page.locator("table").nth(1).inner_text()
    check_a11y(page, name="accounts-members-invited")

    message = [m for m in server.mails() if m["To"] == invited][-1]
    body = message.get_content()
    link = re.search(r"http://\S+/konto/einladung/\S+/", body).group(0)

    guest = new_page(viewport={"width": 360, "height": 740})  # a phone: nothing wider than the screen
    guest.goto(link)
    assert "Einladung zu Stadt Dortmund" in guest.content()
    assert guest.evaluate("document.documentElement.scrollWidth") <= 360
    check_a11y(guest, name="accounts-invitation-accept")
    guest.get_by_label("Vollständiger Name").fill("Nina Neu")
    guest.locator("#id_password1").fill(NEW_PASSWORD)
    guest.get_by_label("Passwort wiederholen").fill(NEW_PASSWORD)
    guest.get_by_role("button", name="Konto anlegen und Einladung annehmen").click()
    guest.wait_for_url(re.compile(r"/konto/organisationen/dortmund/"))
    assert "Willkommen bei Stadt Dortmund." in guest.content()
    assert "Nina Neu" in guest.content()
    check_a11y(guest, name="accounts-invitation-welcome")
    guest.get_by_role("button", name="Abmelden").click()
    guest.wait_for_load_state("networkidle")

    # the link is used up; the new person signs in with the chosen password
    guest.goto(link)
    assert "Diese Einladung wurde bereits angenommen." in guest.content()
    check_a11y(guest, name="accounts-invitation-used")
    login(guest, invited, NEW_PASSWORD)
    guest.wait_for_url(re.compile(r"/start/"))
    assert "Stadt Dortmund" in guest.content()
    check_a11y(guest, name="accounts-invited-dashboard")

    # the coordinator now sees the new editor in the member list, and the change in the history
    page.reload()
    assert invited in page.locator("table").first.inner_text()
    assert "Letzte Änderungen an Mitgliedern und Einladungen" in page.content()
    check_a11y(page, name="accounts-members-after-accept")


def test_lock_out_after_repeated_failures(page):
    email = f"niemand-{uuid.uuid4().hex[:8]}@example.org"
    page.goto("/konto/anmelden/")
    for _attempt in range(6):
        page.get_by_label("E-Mail-Adresse").fill(email)
        page.get_by_label("Passwort").fill("falsch")
        page.get_by_role("button", name="Anmelden").click()
        page.wait_for_load_state("networkidle")
        if "Anmeldung gesperrt" in page.content():
            break
        page.goto("/konto/anmelden/")
    assert page.get_by_role("heading", level=1).inner_text() == "Anmeldung gesperrt"
    assert "Minuten gesperrt" in page.content()
    check_a11y(page, name="accounts-locked-out")
