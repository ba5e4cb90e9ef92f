"""htmx updates of the family page announce their result (fostercare.htmx.announce)."""

import json

from django.urls import reverse

from tests.families.factories import FamilyFactory

HTMX = {"HX-Request": "true"}


def test_a_status_change_announces_the_new_status(unit_worker, client_for):
    family = FamilyFactory(status="inquiry")
    response = client_for(unit_worker).post(
        reverse("families:family-status", args=[family.pk]),
        {"to_status": "in_training"},
        headers=HTMX,
    )
    assert response.status_code == 200
    assert json.loads(response["HX-Trigger"]) == {
        "announce": "The status was changed to “In training”."
    }


def test_adding_a_household_member_announces_it_and_a_refusal_shows_a_linked_summary(
    unit_worker, client_for
):
    family = FamilyFactory()
    client = client_for(unit_worker)
    url = reverse("families:household-member-add", args=[family.pk])
    response = client.post(url, {"description": "Lapsi", "birth_year": 2020}, headers=HTMX)
    assert json.loads(response["HX-Trigger"])["announce"] == "The household member was added."

    response = client.post(url, {}, headers=HTMX)
    assert response.status_code == 400
    assert "HX-Trigger" not in response
    html = response.content.decode()
    assert "data-error-summary" in html
    assert 'href="#id_description"' in html
