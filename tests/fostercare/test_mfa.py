"""Two-step login (django-otp): enrolment on first login, codes, recovery codes, the admin."""

import re

import pytest
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from fostercare.mfa import recovery_codes_renew
from fostercare.models import User


@pytest.fixture(autouse=True)
def mfa_on(settings):
    settings.MFA_REQUIRED = True


def totp_now(device: TOTPDevice) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():06d}"


def password_login(client, username="unit"):
    # logging in switches to the user's own language; these tests read the English pages
    User.objects.filter(username=username).update(language="en")
    return client.post(reverse("login"), {"username": username, "password": "demo"})


def confirmed_device(user) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="authenticator", confirmed=True)


def test_password_alone_reaches_no_page_but_enrolment(client, unit_worker):
    password_login(client)

    for url in (reverse("home"), reverse("families:family-list"), "/admin/"):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.url.startswith(reverse("mfa-setup")), url


def test_enrolment_shows_qr_code_and_secret_then_recovery_codes_once(client, unit_worker):
    password_login(client)

    page = client.get(reverse("mfa-setup")).content.decode()
    device = TOTPDevice.objects.get(user=unit_worker, confirmed=False)
    assert "<svg" in page
    secret = re.search(r"data-totp-secret>([A-Z2-7 ]+)<", page).group(1)
    assert secret.replace(" ", "") in device.config_url

    response = client.post(reverse("mfa-setup"), {"code": totp_now(device)})

    codes = re.findall(r"<li>([a-z2-7]{8})</li>", response.content.decode())
    assert len(codes) == 10
    assert set(codes) == set(
        StaticToken.objects.filter(device__user=unit_worker).values_list("token", flat=True)
    )
    assert client.get(reverse("home")).status_code == 200
    assert client.get(reverse("mfa-setup")).status_code == 302  # never shown again


def test_wrong_enrolment_code_confirms_nothing(client, unit_worker):
    password_login(client)
    client.get(reverse("mfa-setup"))

    response = client.post(reverse("mfa-setup"), {"code": "000000"})

    assert "not correct" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=unit_worker, confirmed=True).exists()
    assert client.get(reverse("home")).status_code == 302


def test_later_login_asks_for_a_code_and_accepts_it(client, unit_worker):
    device = confirmed_device(unit_worker)
    password_login(client)
    assert client.get(reverse("home")).url.startswith(reverse("mfa-verify"))

    response = client.post(
        reverse("mfa-verify"), {"code": totp_now(device), "next": reverse("families:family-list")}
    )

    assert response.url == reverse("families:family-list")
    assert client.get(reverse("home")).status_code == 200


def test_a_recovery_code_works_once(client, unit_worker):
    confirmed_device(unit_worker)
    code = recovery_codes_renew(user=unit_worker)[0]
    password_login(client)

    client.post(reverse("mfa-verify"), {"code": code})
    assert client.get(reverse("home")).status_code == 200

    client.logout()
    password_login(client)
    response = client.post(reverse("mfa-verify"), {"code": code})
    assert "already used" in response.content.decode()


def test_session_key_changes_at_login_and_at_verification(client, unit_worker):
    device = confirmed_device(unit_worker)
    session = client.session  # an anonymous session, as a visitor's language choice makes
    session["seen"] = True
    session.save()
    before_login = client.session.session_key
    password_login(client)
    after_password = client.session.session_key

    client.post(reverse("mfa-verify"), {"code": totp_now(device)})

    assert len({before_login, after_password, client.session.session_key}) == 3


def test_an_open_redirect_is_not_followed(client, unit_worker):
    device = confirmed_device(unit_worker)
    password_login(client)

    response = client.post(
        reverse("mfa-verify"), {"code": totp_now(device), "next": "https://evil.example/"}
    )

    assert response.url == reverse("home")


def test_admin_requires_a_verified_user_and_uses_the_same_login(client, admin_user):
    response = client.get("/admin/login/?next=/admin/")
    assert response.url.startswith(reverse("login"))

    client.force_login(admin_user)  # a password login without the second factor
    assert client.get("/admin/").status_code == 302

    device = confirmed_device(admin_user)
    client.post(reverse("mfa-verify"), {"code": totp_now(device)})
    assert client.get("/admin/").status_code == 200


def test_without_mfa_required_the_password_is_enough(client, settings, unit_worker):
    settings.MFA_REQUIRED = False
    password_login(client)

    assert client.get(reverse("home")).status_code == 200


def test_enrolment_page_shows_no_links_to_pages_it_cannot_open(client, unit_worker):
    password_login(client)

    page = client.get(reverse("mfa-setup")).content.decode()

    assert reverse("families:family-list") not in page
