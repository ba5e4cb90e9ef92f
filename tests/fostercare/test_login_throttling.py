"""Login throttling (django-axes): per username and per (username, address), never per
address alone, so an office behind one NAT address is not locked out by one person."""

from django.urls import reverse

from tests.fostercare.factories import UserFactory

OFFICE = "192.0.2.10"


def attempt(client, username, password, address=OFFICE):
    return client.post(
        reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address
    )


def test_sixth_attempt_is_refused_even_with_the_right_password(client, unit_worker):
    for _ in range(5):
        attempt(client, "unit", "wrong")

    response = attempt(client, "unit", "demo")

    assert response.status_code == 429
    assert "Too many failed attempts" in response.content.decode()
    assert client.get(reverse("home")).status_code == 302  # not logged in


def test_a_colleague_behind_the_same_address_still_logs_in(client, unit_worker):
    UserFactory(username="colleague")
    for _ in range(6):
        attempt(client, "unit", "wrong")

    response = attempt(client, "colleague", "demo")

    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 200


def test_the_lock_lasts_the_cool_off_time(client, unit_worker, settings):
    from datetime import timedelta

    from axes.models import AccessAttempt
    from django.db.models import F

    for _ in range(5):
        attempt(client, "unit", "wrong")
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - timedelta(minutes=16))

    assert attempt(client, "unit", "demo").status_code == 302


def test_an_administrator_unlocks_a_username_in_the_admin(client, unit_worker, admin_user, caplog):
    from axes.models import AccessAttempt

    for _ in range(5):
        attempt(client, "unit", "wrong")
    admin = client.__class__()
    admin.force_login(admin_user)

    for lock in AccessAttempt.objects.filter(username="unit"):
        response = admin.post(
            reverse("admin:axes_accessattempt_delete", args=[lock.pk]), {"post": "yes"}
        )
        assert response.status_code == 302

    assert attempt(client, "unit", "demo").status_code == 302
    assert "Login lock removed" in caplog.text


def test_the_lockout_message_is_translated(client, unit_worker):
    for _ in range(5):
        attempt(client, "unit", "wrong")

    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "fi"
    response = attempt(client, "unit", "demo")

    assert "Liian monta" in response.content.decode()
