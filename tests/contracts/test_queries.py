"""Query counts of the contract and invoice pages do not grow with the data."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from contracts import invoicing, services
from contracts.invoicing import invoicing_run_execute
from contracts.models import AgreedShare, Invoice, InvoicingRun, QuarterActualCost
from tests.contracts.factories import ContractFactory, ContractPeriodFactory, seed_contract
from tests.fostercare.factories import MemberOrganisationFactory, PopulationFigureFactory


def _contracts(n, members_each=3):
    members = MemberOrganisationFactory.create_batch(members_each)
    for member in members:
        PopulationFigureFactory(organisation=member, year=2024, population=1000 + member.pk)
    contracts = []
    for _ in range(n):
        contract = ContractFactory(issuer=members[0], members=members)
        period = ContractPeriodFactory(contract=contract, basis="agreed")
        ContractPeriodFactory(
            contract=contract, starts_on=date(2027, 1, 1), ends_on=date(2027, 12, 31)
        )
        for member in members:
            AgreedShare.objects.create(period=period, member=member, percentage=Decimal("33.3"))
        contracts.append(contract)
    return contracts


@pytest.mark.parametrize("n", [2, 30])
def test_contract_list_query_count_is_constant(
    n, client_for, finance_user, django_assert_num_queries
):
    _contracts(n)
    client = client_for(finance_user)
    # session, user, permissions (user, group), contracts with issuer and member count,
    # their periods
    with django_assert_num_queries(6):
        response = client.get(reverse("contracts:contract-list"))
    assert response.status_code == 200
    assert len(response.context["contracts"]) == n


@pytest.mark.parametrize("members", [3, 300])
def test_contract_detail_query_count_is_constant(
    members, client_for, finance_user, django_assert_num_queries
):
    contract = _contracts(1, members_each=members)[0]
    client = client_for(finance_user)
    url = reverse("contracts:contract-detail", args=[contract.pk])
    # session, user, permissions (user, group), contract with issuer, members, periods,
    # agreed shares, usage figures, actual costs, producer's invoices, population figures
    # (what-if), the parties to choose from in the agreed-share and the usage-figure forms,
    # the period's live invoices (proposed credit notes); the history loads apart
    with django_assert_num_queries(15):
        response = client.get(url, {"basis": "population"})
    assert response.status_code == 200
    assert len(response.context["table"].rows) == members
    assert len(response.context["whatif"].rows) == members
    # the history: session, user, the contract, its periods, the contract's events, its
    # periods' events, the member organisations they name (no user: the factories wrote
    # outside a request)
    with django_assert_num_queries(7):
        response = client.get(
            reverse("contracts:contract-history", args=[contract.pk]), HTTP_HX_REQUEST="true"
        )
    assert response.status_code == 200 and response.context["history"]


@pytest.mark.parametrize("n", [2, 20])
def test_invoice_list_query_count_is_constant(
    n, client_for, finance_user, django_assert_num_queries
):
    _contracts(n)
    invoicing_run_execute(run_id=InvoicingRun.objects.create(year=2025, quarter=1).pk)
    client = client_for(finance_user)
    # session, user, permissions (user, group), quarters of the filter, count, page of
    # invoices with issuer, member and contract, drafts of the quarter (on any page)
    with django_assert_num_queries(8):
        response = client.get(reverse("contracts:invoice-list"), {"quarter": "2025-1"})
    assert response.status_code == 200
    assert response.context["page"].paginator.count == 2 * n


def test_invoice_detail_query_count(client_for, finance_user, django_assert_num_queries):
    _contracts(1, members_each=5)
    invoicing_run_execute(run_id=InvoicingRun.objects.create(year=2025, quarter=1).pk)
    from contracts.models import Invoice

    invoice = Invoice.objects.first()
    client = client_for(finance_user)
    # session, user, permissions (user, group), invoice with its relations, lines
    with django_assert_num_queries(6):
        response = client.get(reverse("contracts:invoice-detail", args=[invoice.pk]))
    assert response.status_code == 200


def test_issue_all_is_offered_while_drafts_remain_on_later_pages(client_for, finance_user):
    from contracts.models import Invoice

    _contracts(30)  # 60 invoices: two pages
    invoicing_run_execute(run_id=InvoicingRun.objects.create(year=2025, quarter=1).pk)
    client = client_for(finance_user)
    first_page = client.get(reverse("contracts:invoice-list"), {"quarter": "2025-1"})
    shown = [invoice.pk for invoice in first_page.context["page"].object_list]
    Invoice.objects.filter(pk__in=shown).update(status=Invoice.Status.ISSUED)

    response = client.get(reverse("contracts:invoice-list"), {"quarter": "2025-1"})

    assert response.context["has_drafts"]
    assert reverse("contracts:invoices-issue-review") in response.content.decode()


@pytest.mark.parametrize("members", [3, 300])
def test_contract_and_period_forms_query_count_is_constant(
    members, client_for, finance_user, django_assert_num_queries
):
    contract = _contracts(1, members_each=members)[0]
    period = contract.periods.first()
    client = client_for(finance_user)
    # session, user, permissions (user, group), contract with issuer, its parties, the
    # organisations to choose the parties and the administering member from
    with django_assert_num_queries(8):
        response = client.get(reverse("contracts:contract-edit", args=[contract.pk]))
    assert response.status_code == 200
    # session, user (permissions cached by the first page), contract with issuer, its
    # parties, period
    with django_assert_num_queries(5):
        response = client.get(reverse("contracts:period-edit", args=[contract.pk, period.pk]))
    assert response.status_code == 200


def test_contract_detail_reads_the_proposed_invoices_at_once(
    client_for, finance_user, django_assert_num_queries
):
    contract, period, _members = seed_contract()
    cost = QuarterActualCost.objects.create(
        period=period, year=2025, quarter=1, amount=Decimal("20000.00")
    )
    invoicing.contract_quarter_invoice(contract_id=contract.pk, year=2025, quarter=1)
    for invoice in Invoice.objects.filter(quarter=1):
        services.invoice_issue(invoice=invoice, by=finance_user, queue_documents=False)
    QuarterActualCost.objects.filter(pk=cost.pk).update(amount=Decimal("18000.00"))
    client = client_for(finance_user)
    url = reverse("contracts:contract-detail", args=[contract.pk])
    # as above, without the what-if's population figures, and the live invoices' figures
    # then the proposed invoices with their members, however many are proposed
    with django_assert_num_queries(15):
        response = client.get(url)
    assert len(response.context["proposals"]) == 5
    assert all(p.invoice.member.name for p in response.context["proposals"])
