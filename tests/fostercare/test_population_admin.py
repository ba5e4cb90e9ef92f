"""The population figure admin answers bad input with form errors, never a server error."""

import pytest
from django.urls import reverse


@pytest.mark.parametrize("organisation", ["abc", "1.5", "99999999999999999999"])
def test_population_add_with_a_non_integer_organisation_is_a_form_error(
    organisation, client_for, admin_user
):
    response = client_for(admin_user).post(
        reverse("admin:fostercare_populationfigure_add"),
        {"organisation": organisation, "year": "2026", "population": "1000", "source": "x"},
    )

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["organisation"]
