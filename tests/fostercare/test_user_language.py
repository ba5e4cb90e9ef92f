"""Each user's preferred language: recorded when they switch, applied when they log in,
edited in the admin, and the language of their morning digest."""

import pytest
from django.conf import settings
from django.urls import reverse

from fostercare.models import User


def test_a_new_user_prefers_the_default_language(unit_worker):
    assert unit_worker.language == settings.LANGUAGE_CODE == "fi"


def test_switching_the_language_records_it_on_the_user(client_for, unit_worker):
    response = client_for(unit_worker).post(
        reverse("set_language"), {"language": "sv", "next": "/"}
    )

    assert response.status_code == 302
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "sv"
    unit_worker.refresh_from_db()
    assert unit_worker.language == "sv"


def test_an_unknown_language_is_not_recorded(client_for, unit_worker):
    client_for(unit_worker).post(reverse("set_language"), {"language": "xx", "next": "/"})

    unit_worker.refresh_from_db()
    assert unit_worker.language == "fi"


def test_switching_before_logging_in_records_nothing(client, unit_worker):
    response = client.post(reverse("set_language"), {"language": "sv", "next": "/login/"})

    assert response.status_code == 302
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "sv"
    assert not User.objects.exclude(language="fi").exists()


@pytest.mark.parametrize("language, text", [("sv", '<html lang="sv">'), ("fi", '<html lang="fi">')])
def test_logging_in_applies_the_users_language(client, unit_worker, language, text):
    unit_worker.set_password("correct horse battery")
    unit_worker.language = language
    unit_worker.save()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # chosen on the login page

    response = client.post(
        reverse("login"), {"username": "unit", "password": "correct horse battery"}
    )

    assert response.status_code == 302
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == language
    assert text in client.get(reverse("home")).content.decode()


def test_the_admin_edits_a_users_language(client_for, admin_user, unit_worker):
    client = client_for(admin_user)
    url = reverse("admin:fostercare_user_change", args=[unit_worker.pk])

    page = client.get(url).content.decode()

    assert 'name="language"' in page


def test_a_password_alone_does_not_record_a_language(client, unit_worker, settings):
    settings.MFA_REQUIRED = True
    client.post(reverse("login"), {"username": "unit", "password": "demo"})  # no 2nd factor

    response = client.post(reverse("set_language"), {"language": "sv", "next": "/"})

    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "sv"  # switched
    unit_worker.refresh_from_db()
    assert unit_worker.language == "fi"  # but not recorded
