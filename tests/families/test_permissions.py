"""Every register URL for every role: anonymous → login, others by their role."""

import pytest
from django.urls import reverse

from tests.families.factories import (
    CarerFactory,
    FamilyFactory,
    HouseholdMemberFactory,
    ProviderFactory,
    SupervisionVisitFactory,
)

ALLOWED = {"unit", "admin"}  # the register is the unit's; municipal workers and finance get 403


@pytest.fixture
def objects(db):
    family = FamilyFactory(status="inquiry")
    carer = CarerFactory(family=family)
    member = HouseholdMemberFactory(family=family)
    provider = ProviderFactory()
    visit = SupervisionVisitFactory(provider=provider, follow_up_due_on="2099-01-01")
    return {
        "family": family,
        "carer": carer,
        "member": member,
        "provider": provider,
        "visit": visit,
    }


def _urls(o):
    f, p = o["family"].pk, o["provider"].pk
    return [
        ("get", reverse("families:family-list")),
        ("get", reverse("families:family-create")),
        ("get", reverse("families:family-detail", args=[f])),
        ("get", reverse("families:family-update", args=[f])),
        ("get", reverse("families:carer-create", args=[f])),
        ("get", reverse("families:carer-update", args=[f, o["carer"].pk])),
        ("post", reverse("families:family-status", args=[f])),
        ("post", reverse("families:household-member-add", args=[f])),
        ("post", reverse("families:household-member-remove", args=[f, o["member"].pk])),
        ("get", reverse("families:provider-list")),
        ("get", reverse("families:provider-create")),
        ("get", reverse("families:provider-detail", args=[p])),
        ("get", reverse("families:provider-update", args=[p])),
        ("post", reverse("families:supervision-visit-add", args=[p])),
        ("post", reverse("families:supervision-follow-up-done", args=[p, o["visit"].pk])),
    ]


def test_anonymous_is_sent_to_login(client, objects):
    for method, url in _urls(objects):
        response = getattr(client, method)(url)
        assert response.status_code == 302, url
        assert response.url.startswith(reverse("login")), url


@pytest.mark.parametrize("role", ["unit", "kemi", "tornio", "finance", "admin"])
def test_register_pages_by_role(role, roles, client_for, objects):
    client = client_for(roles[role])
    for method, url in _urls(objects):
        response = getattr(client, method)(url)
        if role in ALLOWED:
            # POSTs without data re-render the form with errors (400) or redirect (302)
            assert response.status_code in (200, 302, 400), (url, response.status_code)
        else:
            assert response.status_code == 403, (url, response.status_code)


def test_unknown_family_is_404_for_unit_worker(client_for, unit_worker):
    response = client_for(unit_worker).get(reverse("families:family-detail", args=[999999]))
    assert response.status_code == 404
