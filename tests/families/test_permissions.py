"""Every register URL for the five demo roles (tests/matrix.py's shape).

The register is the unit's: unit workers and administrators get in, finance gets 403
everywhere, and municipal workers only read the providers' public facts (their pages hide
the visit notes); anonymous visitors are sent to the login page.
"""

import pytest
from django.urls import reverse

from tests.families.factories import (
    CarerFactory,
    FamilyFactory,
    HouseholdMemberFactory,
    ProviderFactory,
    ProviderUnitFactory,
    SupervisionVisitFactory,
)
from tests.matrix import ROLES, assert_anonymous_sent_to_login, assert_matrix


@pytest.fixture
def objects(kemi_org):
    family = FamilyFactory(status="inquiry", home_municipality=kemi_org)
    provider = ProviderFactory(municipality=kemi_org)
    return {
        "family": family,
        "carer": CarerFactory(family=family),
        "member": HouseholdMemberFactory(family=family),
        "provider": provider,
        "visit": SupervisionVisitFactory(provider=provider, follow_up_due_on="2099-01-01"),
        "unit": ProviderUnitFactory(provider=provider),
    }


# name, method, which object's id, expected status for unit, kemi, tornio, finance, admin.
# POSTs carry no data: a form left empty answers 400 with its errors and changes nothing;
# the one-click actions (remove, mark done) redirect back to their page.
MATRIX = [
    ("family-list", "get", None, (200, 403, 403, 403, 200)),
    ("family-create", "get", None, (200, 403, 403, 403, 200)),
    ("family-detail", "get", "family", (200, 403, 403, 403, 200)),
    ("family-update", "get", "family", (200, 403, 403, 403, 200)),
    ("family-status", "post", "family", (400, 403, 403, 403, 400)),
    ("carer-create", "get", "family", (200, 403, 403, 403, 200)),
    ("carer-update", "get", "carer", (200, 403, 403, 403, 200)),
    ("household-member-add", "post", "family", (400, 403, 403, 403, 400)),
    ("carer-move-out", "post", "carer", (400, 403, 403, 403, 400)),
    # before the removal below, which deletes the member
    ("household-member-move-out", "post", "member", (400, 403, 403, 403, 400)),
    ("household-member-remove", "post", "member", (302, 403, 403, 403, 302)),
    # municipal workers read the provider register's public facts, of every provider
    ("provider-list", "get", None, (200, 200, 200, 403, 200)),
    ("provider-create", "get", None, (200, 403, 403, 403, 200)),
    ("provider-detail", "get", "provider", (200, 200, 200, 403, 200)),
    ("provider-unit-create", "get", "provider", (200, 403, 403, 403, 200)),
    ("provider-unit-update", "get", "unit", (200, 403, 403, 403, 200)),
    ("provider-update", "get", "provider", (200, 403, 403, 403, 200)),
    ("supervision-visit-add", "post", "provider", (400, 403, 403, 403, 400)),
    ("supervision-visit-update", "get", "visit", (200, 403, 403, 403, 200)),
    ("supervision-visit-update", "post", "visit", (400, 403, 403, 403, 400)),
    ("supervision-follow-up-done", "post", "visit", (302, 403, 403, 403, 302)),
]


def _url(objects):
    def url(row):
        name, _method, key, _expected = row
        if key is None:
            return reverse(f"families:{name}")
        if key == "carer":
            return reverse(f"families:{name}", args=[objects["family"].pk, objects["carer"].pk])
        if key == "member":
            return reverse(f"families:{name}", args=[objects["family"].pk, objects["member"].pk])
        if key == "unit":
            return reverse(f"families:{name}", args=[objects["provider"].pk, objects["unit"].pk])
        if key == "visit":
            return reverse(f"families:{name}", args=[objects["provider"].pk, objects["visit"].pk])
        return reverse(f"families:{name}", args=[objects[key].pk])

    return url


def test_anonymous_is_sent_to_login(client, objects):
    assert_anonymous_sent_to_login(client, MATRIX, _url(objects))


@pytest.mark.parametrize("role", ROLES)
def test_register_pages_by_role(role, roles, client_for, objects):
    assert_matrix(client_for(roles[role]), MATRIX, _url(objects), role)


def test_unknown_objects_are_404_for_the_unit(client_for, unit_worker, objects):
    family, provider = objects["family"].pk, objects["provider"].pk
    client = client_for(unit_worker)
    for method, name, args in [
        ("get", "family-detail", [999999]),
        ("get", "family-update", [999999]),
        ("get", "carer-update", [family, 999999]),
        ("post", "household-member-remove", [family, 999999]),
        ("get", "provider-detail", [999999]),
        ("post", "supervision-follow-up-done", [provider, 999999]),
    ]:
        response = getattr(client, method)(reverse(f"families:{name}", args=args))
        assert response.status_code == 404, name


def test_the_register_stays_out_of_the_municipal_workers_menu(client_for, roles, objects):
    assert 'href="/families/"' in client_for(roles["unit"]).get("/").content.decode()
    assert 'href="/families/"' not in client_for(roles["kemi"]).get("/").content.decode()
