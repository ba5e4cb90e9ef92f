import uuid

import pytest
from django.utils import translation

from fostercare.people import person_kind
from fostercare.roles import Role
from tests.fostercare.factories import MemberOrganisationFactory, user_with_role


@pytest.fixture(autouse=True)
def english():
    """Tests read messages in English; test_i18n checks that Finnish is the default."""
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def isolated_cache(settings):
    """Each test counts rate limits and caches under keys of its own in the real Redis.
    Never ``cache.clear()`` in a test: Django's Redis cache then flushes the whole Redis
    database, the other worker's cached permissions (its pinned query counts then fail
    now and again) and Celery's queue with them."""
    settings.CACHES = {
        "default": {**settings.CACHES["default"], "KEY_PREFIX": f"test-{uuid.uuid4().hex}"}
    }


@pytest.fixture
def client(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


@pytest.fixture
def kemi_org(db):
    return MemberOrganisationFactory(code="240", name_fi="Kemi", business_id="0209602-6")


@pytest.fixture
def tornio_org(db):
    return MemberOrganisationFactory(
        code="851", name_fi="Tornio", name_sv="Torneå", business_id="0193193-1"
    )


@pytest.fixture
def unit_worker(db):
    return user_with_role(Role.UNIT_WORKER, "unit")


@pytest.fixture
def kemi_worker(kemi_org):
    return user_with_role(Role.MUNICIPAL_WORKER, "kemi", organisation=kemi_org)


@pytest.fixture
def tornio_worker(tornio_org):
    return user_with_role(Role.MUNICIPAL_WORKER, "tornio", organisation=tornio_org)


@pytest.fixture
def finance_user(tornio_org):
    return user_with_role(Role.FINANCE, "finance", organisation=tornio_org, is_staff=True)


@pytest.fixture
def admin_user(db):
    return user_with_role(Role.ADMINISTRATOR, "admin", is_staff=True, is_superuser=True)


@pytest.fixture
def roles(unit_worker, kemi_worker, tornio_worker, finance_user, admin_user):
    """The five demo roles by name, for permission matrices."""
    return {
        "unit": unit_worker,
        "kemi": kemi_worker,
        "tornio": tornio_worker,
        "finance": finance_user,
        "admin": admin_user,
    }


@pytest.fixture
def client_for(client):
    """client_for(user) -> a test client logged in as that user (None: anonymous)."""

    def login(user):
        client.logout()
        if user is not None:
            client.force_login(user)
        return client

    return login


@pytest.fixture
def registered_people():
    """The person kinds the apps register in their AppConfig.ready()."""
    for label in ("placements.child", "families.carer", "families.householdmember"):
        assert person_kind(label) is not None, label


@pytest.fixture
def child_and_carer(registered_people, kemi_org):
    """A child with an identity code, and a carer of the family Perhe Raportti."""
    from tests.families.factories import CarerFactory, FamilyFactory
    from tests.placements.factories import ChildFactory

    child = ChildFactory(
        first_name="Eetu",
        last_name="Raportti",
        date_of_birth="2015-03-14",
        personal_identity_code="140315A1239",
        municipality=kemi_org,
    )
    family = FamilyFactory(name="Perhe Raportti")
    carer = CarerFactory(family=family, first_name="Aino", last_name="Hoitaja")
    return {"child": child, "carer": carer, "family": family}
