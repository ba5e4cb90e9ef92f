"""Finance corrects a quarter's actual cost on the contract page, saying why."""

from decimal import Decimal

import pytest
from django.urls import reverse

from contracts.models import QuarterActualCost
from tests.contracts.factories import seed_contract

pytestmark = pytest.mark.django_db


@pytest.fixture
def cost():
    _contract, period, _members = seed_contract()
    return QuarterActualCost.objects.create(
        period=period, year=2025, quarter=2, amount=Decimal("20000.00"), note="PeLa 2/2025"
    )


def _url(cost):
    period = cost.period
    return reverse("contracts:actual-cost-correct", args=[period.contract_id, period.pk, cost.pk])


def test_finance_corrects_an_actual_cost_with_a_reason(cost, client_for, finance_user):
    response = client_for(finance_user).post(
        _url(cost), {"amount": "18500.00", "reason": "PeLa credited 1 500 €"}, follow=True
    )
    assert response.status_code == 200
    cost.refresh_from_db()
    assert cost.amount == Decimal("18500.00")
    assert cost.correction_reason == "PeLa credited 1 500 €"
    assert cost.corrected_at is not None
    text = response.content.decode()
    assert "The actual cost was corrected." in text
    assert "PeLa credited 1 500 €" in text


def test_a_correction_without_a_reason_is_refused(cost, client_for, finance_user):
    response = client_for(finance_user).post(_url(cost), {"amount": "1.00", "reason": " "})
    assert response.status_code == 400
    cost.refresh_from_db()
    assert cost.amount == Decimal("20000.00")
    assert "This field is required." in response.content.decode() or (
        "Say why the actual cost is corrected." in response.content.decode()
    )


def test_an_unknown_cost_is_404(cost, client_for, finance_user):
    url = reverse(
        "contracts:actual-cost-correct", args=[cost.period.contract_id, cost.period.pk, 999999]
    )
    response = client_for(finance_user).post(url, {"amount": "1.00", "reason": "x"})
    assert response.status_code == 404
