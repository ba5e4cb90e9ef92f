"""A second family at the same address, or a carer already in another family, is shown
as a warning naming the other family and saved only when the user confirms."""

import pytest
from django.urls import reverse

from families.models import Carer, Family
from tests.families.factories import CarerFactory, FamilyFactory
from tests.families.test_one_rule import _admin_form_data

pytestmark = pytest.mark.django_db

NEW_FAMILY = {"name": "Uusi", "kind": "foster", "places": 1, "age_min": 0, "age_max": 17}
SAME_ADDRESS = {"street_address": "  koivutie   5 ", "postal_code": "94100", "post_office": "Kemi"}


@pytest.fixture
def aho():
    return FamilyFactory(
        name="Aho", street_address="Koivutie 5", postal_code="94100", post_office="KEMI"
    )


def test_a_family_at_the_same_address_is_a_warning_naming_the_other(client_for, unit_worker, aho):
    url = reverse("families:family-create")
    response = client_for(unit_worker).post(url, {**NEW_FAMILY, **SAME_ADDRESS})
    assert response.status_code == 200
    errors = response.context["form"].errors["duplicates_confirmed"]
    assert "Aho family" in errors[0] and f"no. {aho.pk}" in errors[0]
    assert 'type="checkbox" name="duplicates_confirmed"' in response.content.decode()
    assert not Family.objects.filter(name="Uusi").exists()


def test_confirming_saves_the_family_at_the_same_address(client_for, unit_worker, aho):
    url = reverse("families:family-create")
    data = {**NEW_FAMILY, **SAME_ADDRESS, "duplicates_confirmed": "on"}
    response = client_for(unit_worker).post(url, data)
    assert response.status_code == 302
    assert Family.objects.filter(name="Uusi").exists()


def test_another_postal_code_or_an_ended_family_is_no_duplicate(client_for, unit_worker, aho):
    FamilyFactory(street_address="Koivutie 7", postal_code="94100", status="ended")
    url = reverse("families:family-create")
    client = client_for(unit_worker)
    other_code = {**SAME_ADDRESS, "postal_code": "94200"}
    assert client.post(url, {**NEW_FAMILY, **other_code}).status_code == 302
    ended = {**SAME_ADDRESS, "street_address": "Koivutie 7"}
    assert client.post(url, {**NEW_FAMILY, "name": "Toinen", **ended}).status_code == 302


def test_moving_a_family_to_the_address_warns_but_an_unchanged_address_does_not(
    client_for, unit_worker, aho
):
    family = FamilyFactory(name="Salo", street_address="Koivutie 9", postal_code="94100")
    url = reverse("families:family-update", args=[family.pk])
    client = client_for(unit_worker)
    response = client.post(url, {**NEW_FAMILY, "name": "Salo", **SAME_ADDRESS})
    assert "duplicates_confirmed" in response.context["form"].errors
    family.refresh_from_db()
    assert family.street_address == "Koivutie 9"
    FamilyFactory(name="Naapuri", street_address="Koivutie 9", postal_code="94100")
    unchanged = {"street_address": "Koivutie 9", "postal_code": "94100", "places": 2}
    assert client.post(url, {**NEW_FAMILY, "name": "Salo", **unchanged}).status_code == 302


CARER = {"first_name": " aino ", "last_name": "AHO", "birth_year": 1980, "lives_in_home": "on"}


def test_a_carer_already_in_another_family_is_a_warning_until_confirmed(
    client_for, unit_worker, aho
):
    CarerFactory(family=aho, first_name="Aino", last_name="Aho", birth_year=1980)
    family = FamilyFactory(name="Salo")
    url = reverse("families:carer-create", args=[family.pk])
    client = client_for(unit_worker)
    response = client.post(url, CARER)
    assert response.status_code == 200
    assert "Aho family" in response.context["form"].errors["duplicates_confirmed"][0]
    assert not family.carers.exists()
    assert client.post(url, {**CARER, "birth_year": 1981}).status_code == 302
    response = client.post(url, {**CARER, "duplicates_confirmed": "on"})
    assert response.status_code == 302
    assert family.carers.count() == 2


def test_the_admin_warns_through_the_same_service_and_saves_when_confirmed(
    client_for, admin_user, aho
):
    client = client_for(admin_user)
    url = reverse("admin:families_family_add")
    data = _admin_form_data(client, url, **SAME_ADDRESS)
    response = client.post(url, data)
    assert response.status_code == 200
    assert "Aho family" in response.content.decode()
    assert not Family.objects.filter(name="Admin").exists()
    response = client.post(url, {**data, "duplicates_confirmed": "on"})
    assert response.status_code == 302
    assert Family.objects.filter(name="Admin").exists()


def test_the_admin_warns_of_a_carer_changed_into_another_familys(client_for, admin_user, aho):
    CarerFactory(family=aho, first_name="Aino", last_name="Aho", birth_year=1980)
    carer = CarerFactory(first_name="Eeva", last_name="Salo", birth_year=1980)
    client = client_for(admin_user)
    url = reverse("admin:families_carer_change", args=[carer.pk])
    form = client.get(url).context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value is not None}
    data.update({"family": carer.family_id, "first_name": "Aino", "last_name": "Aho"})
    data.pop("languages", None)
    response = client.post(url, data)
    assert response.status_code == 200, response.content.decode()[:300]
    assert "Aho family" in response.content.decode()
    assert Carer.objects.get(pk=carer.pk).last_name == "Salo"
    assert client.post(url, {**data, "duplicates_confirmed": "on"}).status_code == 302
    assert Carer.objects.get(pk=carer.pk).last_name == "Aho"
