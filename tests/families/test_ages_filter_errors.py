"""A wrongly typed ages list ("7 ja 4") is reported in the summary, linked to its field, and
at the field; the list does not pretend every family matched."""

from django.urls import reverse

from tests.families.factories import FamilyFactory

MESSAGE = "Give the ages as whole numbers separated by commas."


def test_a_bad_ages_list_is_reported_once_and_lists_no_families(unit_worker, client_for):
    family = FamilyFactory(name="Virtanen")
    client = client_for(unit_worker)
    for headers in ({}, {"HX-Request": "true"}):
        response = client.get(reverse("families:family-list"), {"ages": "7 ja 4"}, headers=headers)
        html = response.content.decode()
        main = html[html.find("<main") :] if "<main" in html else html
        assert response.status_code == 400
        # once in the error summary, as a link to the field, and once at the field itself
        assert main.count(MESSAGE) == 2, main.count(MESSAGE)
        assert 'href="#id_ages"' in main
        assert family.name not in main
