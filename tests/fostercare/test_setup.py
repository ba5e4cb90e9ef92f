"""Settings helpers, the demo data command and the access log."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import CommandError, call_command
from django.test import override_settings
from django.urls import reverse

from families.models import Family
from fostercare.env import env_bool, env_int, env_list
from fostercare.models import AccessLogEntry, MemberOrganisation, User
from tests.families.factories import FamilyFactory


@pytest.mark.parametrize("raw, expected", [("true", True), ("0", False), ("Yes", True)])
def test_env_bool_reads_the_usual_spellings(monkeypatch, raw, expected):
    monkeypatch.setenv("X_FLAG", raw)
    assert env_bool("X_FLAG", not expected) is expected


def test_env_bool_rejects_anything_else(monkeypatch):
    monkeypatch.setenv("X_FLAG", "treu")
    with pytest.raises(ImproperlyConfigured, match="X_FLAG"):
        env_bool("X_FLAG", False)


def test_env_int_rejects_non_numbers_and_values_below_minimum(monkeypatch):
    monkeypatch.setenv("X_NUM", "four")
    with pytest.raises(ImproperlyConfigured):
        env_int("X_NUM", 4)
    monkeypatch.setenv("X_NUM", "0")
    with pytest.raises(ImproperlyConfigured):
        env_int("X_NUM", 4, minimum=1)


def test_env_list_splits_on_commas(monkeypatch):
    monkeypatch.setenv("X_HOSTS", "a.fi, b.fi,")
    assert env_list("X_HOSTS", []) == ["a.fi", "b.fi"]


@override_settings(DEBUG=False)
def test_seed_demo_refuses_without_debug_or_force(db):
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("seed_demo")
    assert not User.objects.exists()


@pytest.mark.django_db
def test_seed_demo_is_idempotent_and_creates_the_demo_logins():
    call_command("seed_demo", "--force")
    counts = (User.objects.count(), MemberOrganisation.objects.count(), Family.objects.count())
    call_command("seed_demo", "--force")

    assert (
        User.objects.count(),
        MemberOrganisation.objects.count(),
        Family.objects.count(),
    ) == counts
    assert {"unit", "kemi", "tornio", "finance", "admin"} <= set(
        User.objects.values_list("username", flat=True)
    )
    assert User.objects.get(username="kemi").organisation.code == "240"
    assert User.objects.get(username="unit").check_password("demo")
    assert MemberOrganisation.objects.count() == 6
    assert 55 <= Family.objects.count() <= 70


PUBLIC_URL_NAMES = {
    "login",
    "set_language",
    "training:inquiry-create",
    "training:inquiry-thanks",
    "accessibility-statement",
    "accessibility-feedback",
    "accessibility-feedback-thanks",
    "privacy-notice",
}


def _named_urls(resolver=None, namespace=""):
    """(name, url) of every named URL of the project's own apps, ids filled with 1."""
    from django.urls import URLPattern, URLResolver, get_resolver

    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace == "admin":
                continue
            ns = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _named_urls(entry, ns)
        elif isinstance(entry, URLPattern) and entry.name:
            name = f"{namespace}{entry.name}"
            kwargs = {
                key: "x" if type(conv).__name__ in {"StringConverter", "SlugConverter"} else 1
                for key, conv in entry.pattern.converters.items()
            }
            yield name, reverse(name, kwargs=kwargs)


def test_every_page_requires_login(client):
    checked = 0
    for name, url in _named_urls():
        if name in PUBLIC_URL_NAMES:
            continue
        for method in (client.get, client.post):
            response = method(url)
            assert response.status_code == 302, (name, url, response.status_code)
            assert response.url.startswith(reverse("login")), (name, url)
        checked += 1
    assert checked > 50  # every app's pages were walked


def test_login_page_is_in_the_apps_own_look_and_logs_in(client, unit_worker):
    response = client.get(reverse("login"))
    assert 'class="site-header"' in response.content.decode()

    response = client.post(reverse("login"), {"username": "unit", "password": "demo"})

    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 200


def test_viewing_a_family_is_written_to_the_access_log(client_for, unit_worker):
    family = FamilyFactory()

    client_for(unit_worker).get(reverse("families:family-detail", args=[family.pk]))

    entry = AccessLogEntry.objects.get()
    assert (entry.user, entry.action, entry.object_id) == (unit_worker, "view", str(family.pk))


@pytest.mark.parametrize(
    "role, sees_register",
    [("unit", True), ("kemi", False), ("tornio", False), ("finance", False), ("admin", True)],
)
def test_front_page_links_only_to_what_the_role_may_open(role, sees_register, roles, client_for):
    response = client_for(roles[role]).get(reverse("home"))

    assert response.status_code == 200
    # the providers' page (/families/providers/) is open to municipal workers too
    link = f'href="{reverse("families:family-list")}"'
    assert (link in response.content.decode()) is sees_register


def test_language_can_be_switched_before_logging_in(client):
    response = client.post(reverse("set_language"), {"language": "sv", "next": "/login/"})

    assert response.status_code == 302
    assert "Logga in" in client.get(reverse("login")).content.decode()
