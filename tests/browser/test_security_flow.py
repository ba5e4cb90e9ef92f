"""A new user sets up two-step login on the first login, then logs in with a code."""

from base64 import b32decode

import pytest
from django_otp.oath import TOTP, hotp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from fostercare.roles import Role
from tests.fostercare.factories import user_with_role

pytestmark = pytest.mark.django_db(transaction=True)


def code_from_secret(secret: str) -> str:
    """What an authenticator app shows now for ``secret`` (TOTP, RFC 6238)."""
    return f"{TOTP(b32decode(secret.replace(' ', ''))).token():06d}"


def next_code_from_secret(secret: str, username: str) -> str:
    """The code of the time step after the last one used: a code is accepted once, and the
    next step's code is within the allowed drift, so the test need not wait 30 seconds."""
    last_step = TOTPDevice.objects.get(user__username=username, confirmed=True).last_t
    return f"{hotp(b32decode(secret.replace(' ', '')), last_step + 1):06d}"


def password_login(page, username):
    page.goto("/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill("demo")
    page.locator("main form button[type=submit]").click()


def test_new_user_enrols_and_logs_in_with_a_code(page, assert_accessible, settings):
    settings.MFA_REQUIRED = True
    user_with_role(Role.UNIT_WORKER, "uusi")
    csp_violations = []
    page.on(
        "console",
        lambda message: (
            csp_violations.append((page.url, message.text))
            if "Content Security Policy" in message.text
            else None
        ),
    )

    # first login: the password leads to enrolment, nowhere else
    password_login(page, "uusi")
    expect(
        page.get_by_role("heading", name="Ota kaksivaiheinen kirjautuminen käyttöön")
    ).to_be_visible()
    expect(page.locator(".qr-code svg")).to_be_visible()
    assert_accessible(page)
    page.goto("/families/")
    assert "/mfa/setup/" in page.url
    page.goto("/mfa/setup/")  # continue to the front page, whose templates are ours

    secret = page.locator("[data-totp-secret]").inner_text()
    page.get_by_label("Koodi").fill(code_from_secret(secret))
    page.get_by_role("button", name="Vahvista").click()

    expect(page.get_by_role("heading", name="Varakoodisi")).to_be_visible()
    expect(page.locator("[data-recovery-codes] li")).to_have_count(10)
    assert_accessible(page)
    page.get_by_role("link", name="Jatka").click()
    expect(page.locator(".user-name")).to_be_visible()

    # next login: password, then a code from the app
    page.get_by_role("button", name="Kirjaudu ulos").click()
    password_login(page, "uusi")
    expect(page.get_by_role("heading", name="Kaksivaiheinen kirjautuminen")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Koodi").fill(next_code_from_secret(secret, "uusi"))
    page.locator("main form button[type=submit]").click()

    expect(page.get_by_role("heading", name="Tervetuloa, Testi")).to_be_visible()
    assert_accessible(page)
    assert not csp_violations, csp_violations


def test_administrator_finds_a_person_and_reads_the_access_log_report(
    page, login, assert_accessible, admin_user, child_and_carer
):
    login("admin")
    page.get_by_role("link", name="Lokiraportit").first.click()
    assert_accessible(page)

    page.get_by_label("Nimi tai henkilötunnus").fill("140315A1239")
    page.get_by_role("button", name="Hae").click()
    page.get_by_role("link", name="Eetu Raportti").click()

    expect(page.get_by_role("heading", name="Lokitiedot: Eetu Raportti")).to_be_visible()
    expect(page.get_by_role("link", name="Lataa PDF-tiedostona")).to_be_visible()
    assert_accessible(page)
