"""Idle sessions end after SESSION_IDLE_TIMEOUT; every login ends after SESSION_COOKIE_AGE."""

from django.urls import reverse

from fostercare.middleware import LAST_ACTIVITY_KEY, LOGGED_IN_AT_KEY


def _age_session(client, key, seconds):
    session = client.session
    session[key] = session[key] - seconds
    session.save()


def test_an_idle_session_is_logged_out(client, unit_worker, settings):
    settings.SESSION_IDLE_TIMEOUT = 30 * 60
    unit_worker.language = "en"  # logging in switches to it; the test reads English
    unit_worker.save()
    client.post(reverse("login"), {"username": "unit", "password": "demo"})
    _age_session(client, LAST_ACTIVITY_KEY, 31 * 60)

    response = client.get(reverse("families:family-list"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
    assert "_auth_user_id" not in client.session
    assert "without activity" in client.get(response.url).content.decode()


def test_an_active_session_stays(client, unit_worker):
    client.post(reverse("login"), {"username": "unit", "password": "demo"})
    _age_session(client, LAST_ACTIVITY_KEY, 29 * 60)

    assert client.get(reverse("families:family-list")).status_code == 200


def test_activity_does_not_extend_a_login_past_its_absolute_limit(client, unit_worker, settings):
    client.post(reverse("login"), {"username": "unit", "password": "demo"})
    _age_session(client, LOGGED_IN_AT_KEY, settings.SESSION_COOKIE_AGE + 1)

    assert client.get(reverse("home")).url.startswith(reverse("login"))


def test_pages_carry_the_limits_for_the_warning_script(client_for, unit_worker, settings):
    settings.SESSION_IDLE_TIMEOUT = 1800
    settings.SESSION_IDLE_WARNING = 120
    page = client_for(unit_worker).get(reverse("home")).content.decode()

    assert 'data-idle-timeout="1800"' in page
    assert 'data-idle-warning="120"' in page
    assert 'aria-live="assertive"' in page
    assert "js/session-timeout.js" in page
    assert "{#" not in page  # a template comment spread over two lines would show


def test_keepalive_answers_no_content(client_for, unit_worker):
    assert client_for(unit_worker).get(reverse("session-keepalive")).status_code == 204
