"""A year out of range on any contracts form is a clear error, not a server error (issue 15)."""

import pytest
from django.urls import reverse

from contracts.models import InvoicingRun, QuarterActualCost
from tests.contracts.factories import seed_contract

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("year", ["10000", "12345678901234567890", "1999"])
def test_an_actual_cost_with_a_year_out_of_range_is_refused_with_a_message(
    year, client_for, finance_user
):
    contract, period, _members = seed_contract()
    url = reverse("contracts:actual-cost-add", args=[contract.pk, period.pk])
    response = client_for(finance_user).post(
        url, {"year": year, "quarter": 1, "amount": "100.00"}, headers={"Accept-Language": "en"}
    )
    assert response.status_code == 400
    assert "Enter a year between 2000 and 2100." in response.content.decode()
    assert not QuarterActualCost.objects.exists()


@pytest.mark.parametrize("year", ["10000", "12345678901234567890"])
def test_an_invoicing_run_with_a_year_out_of_range_is_refused_with_a_message(
    year, client_for, finance_user
):
    response = client_for(finance_user).post(
        reverse("contracts:run-list"),
        {"year": year, "quarter": 1},
        headers={"Accept-Language": "en"},
    )
    assert response.status_code == 400
    assert "Enter a year between 2000 and 2100." in response.content.decode()
    assert not InvoicingRun.objects.exists()


@pytest.mark.parametrize("quarter", ["99999-1", "12345678901234567890-1", "2025-9"])
def test_an_invoice_filter_with_a_quarter_out_of_range_lists_nothing_chosen(
    quarter, client_for, finance_user
):
    response = client_for(finance_user).get(reverse("contracts:invoice-list"), {"quarter": quarter})
    assert response.status_code == 200


@pytest.mark.parametrize("year", ["10000", "12345678901234567890"])
def test_the_review_and_zip_links_with_a_year_out_of_range_are_not_found(
    year, client_for, finance_user
):
    client = client_for(finance_user)
    for name in ("contracts:invoices-issue-review", "contracts:invoices-zip"):
        response = client.get(reverse(name), {"year": year, "quarter": 1})
        assert response.status_code == 404
