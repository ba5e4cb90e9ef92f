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


def _run(contract, year, quarter):
    from contracts import invoicing

    return invoicing.contract_quarter_invoice(contract_id=contract.pk, year=year, quarter=quarter)


def _amounts(**filters):
    from contracts.models import Invoice

    return dict(Invoice.objects.filter(**filters).values_list("member__code", "total"))


@pytest.fixture
def year_with_costs(finance_user):
    """Q1 and Q2/2025 with actual costs; Q1 issued, Q2 drafts."""
    from contracts import services
    from contracts.models import Invoice

    contract, period, _members = seed_contract()
    costs = {
        q: QuarterActualCost.objects.create(
            period=period, year=2025, quarter=q, amount=Decimal("20000.00")
        )
        for q in (1, 2)
    }
    _run(contract, 2025, 1)
    _run(contract, 2025, 2)
    for invoice in Invoice.objects.filter(quarter=1):
        services.invoice_issue(invoice=invoice, by=finance_user, queue_documents=False)
    return contract, period, costs


def test_a_correction_redrafts_the_years_drafts_at_once(year_with_costs, client_for, finance_user):
    contract, _period, costs = year_with_costs
    before = _amounts(quarter=2, status="draft")
    response = client_for(finance_user).post(
        _url(costs[2]), {"amount": "10000.00", "reason": "PeLa credited half"}, follow=True
    )
    after = _amounts(quarter=2, status="draft")
    assert all(after[code] < before[code] for code in after)
    assert len(after) == 5
    assert "5 drafts of the year were updated." in response.content.decode()
    _run(contract, 2025, 2)  # a new run has nothing left to change
    assert _amounts(quarter=2, status="draft") == after
    assert _amounts(quarter=1, status="issued") == _amounts(quarter=1)  # untouched


def test_a_correction_of_an_issued_quarter_proposes_credit_notes(
    year_with_costs, client_for, finance_user
):
    from contracts.models import Invoice

    _contract, _period, costs = year_with_costs
    issued = dict(Invoice.objects.filter(quarter=1).values_list("member__code", "total"))
    response = client_for(finance_user).post(
        _url(costs[1]), {"amount": "18000.00", "reason": "PeLa credited 2 000 €"}, follow=True
    )
    text = response.content.decode()
    assert "5 issued invoices no longer match the figures" in text
    assert "Proposed credit notes" in text
    proposals = response.context["proposals"]
    assert {p.invoice.member.code for p in proposals} == set(issued)
    assert all(p.now < p.invoice.amount_excluding_vat for p in proposals)
    assert not any(p.year_closed for p in proposals)
    # an issued invoice is never edited
    assert dict(Invoice.objects.filter(quarter=1).values_list("member__code", "total")) == issued


def test_no_proposals_while_the_figures_match(year_with_costs, client_for, finance_user):
    contract, period, _costs = year_with_costs
    url = reverse("contracts:contract-detail", args=[contract.pk])
    response = client_for(finance_user).get(url, {"period": period.pk})
    assert response.context["proposals"] == []
    assert "Proposed credit notes" not in response.content.decode()


def test_a_proposed_credit_note_is_issued_from_the_contract_page_and_the_quarter_rebilled(
    year_with_costs, client_for, finance_user
):
    from contracts.models import Invoice

    contract, _period, costs = year_with_costs
    client = client_for(finance_user)
    client.post(_url(costs[1]), {"amount": "18000.00", "reason": "PeLa credited 2 000 €"})
    page = client.get(reverse("contracts:contract-detail", args=[contract.pk]))
    kemi = next(p for p in page.context["proposals"] if p.invoice.member.code == "240")
    credit_url = reverse("contracts:invoice-credit", args=[kemi.invoice.pk])
    assert credit_url in page.content.decode()
    assert client.post(credit_url).status_code == 302
    _run(contract, 2025, 1)
    rebilled = Invoice.objects.get(member__code="240", year=2025, quarter=1, status="draft")
    assert rebilled.amount_excluding_vat == kemi.now
    page = client.get(reverse("contracts:contract-detail", args=[contract.pk]))
    assert kemi.invoice.pk not in [p.invoice.pk for p in page.context["proposals"]]
