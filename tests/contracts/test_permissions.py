"""Every contracts URL for the five demo roles (tests/matrix.py): anonymous → login;
municipal workers → 403 on everything, their own municipality's invoices included;
unit workers read; finance and administrators manage."""

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from contracts import invoicing, services
from contracts.models import (
    AgreedShare,
    Contract,
    ContractPeriod,
    Invoice,
    InvoicingRun,
    IssuingRun,
    ProducerInvoice,
    QuarterActualCost,
    UsageFigure,
)
from tests.contracts.factories import seed_contract
from tests.matrix import ROLES, assert_anonymous_sent_to_login, assert_matrix


@pytest.fixture
def objects(db, kemi_org, tornio_org, finance_user):
    """Tornio's contract with Kemi as a party; Kemi's draft invoice of Q1/2025 and its
    issued invoice of Q2/2025 with the documents rendered; finance's issuing of Q1/2025."""
    contract, period, members = seed_contract()
    kemi = members["240"]
    run = InvoicingRun.objects.create(year=2025, quarter=1)
    invoicing.invoicing_run_execute(run_id=run.pk)
    invoicing.invoicing_run_execute(run_id=InvoicingRun.objects.create(year=2025, quarter=2).pk)
    issued = Invoice.objects.get(member=kemi, year=2025, quarter=2)
    services.invoice_issue(invoice=issued, by=finance_user, queue_documents=False)
    invoicing.invoice_documents_render(invoice_id=issued.pk)
    cost = QuarterActualCost.objects.create(period=period, year=2025, quarter=3, amount=1000)
    producer_invoice = ProducerInvoice(
        period=period, year=2025, quarter=4, number="PL-4", invoice_date="2026-01-05", amount=9
    )
    producer_invoice.pdf.save("pl-4.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"), save=True)
    return {
        "producer_invoice": producer_invoice,
        "contract": contract,
        "period": period,
        "cost": cost,
        "draft": Invoice.objects.get(member=kemi, year=2025, quarter=1),
        "invoice": issued,
        "run": run,
        "issuing": IssuingRun.objects.create(
            year=2025, quarter=1, started_by=finance_user, status="done"
        ),
    }


# name, method, which object's id, expected status for unit, kemi, tornio, finance, admin
# when the objects are Kemi's. POSTs carry no data: a form left empty, or a step the
# invoice is not in (issue an issued invoice, credit a draft), answers 400 with the
# reason and changes nothing.
MATRIX = [
    ("contract-list", "get", None, (200, 403, 403, 200, 200)),
    ("contract-create", "get", None, (403, 403, 403, 200, 200)),
    ("contract-create", "post", None, (403, 403, 403, 400, 400)),
    ("contract-member-search", "get", None, (403, 403, 403, 200, 200)),
    ("contract-detail", "get", "contract", (200, 403, 403, 200, 200)),
    ("contract-history", "get", "contract", (200, 403, 403, 200, 200)),
    ("contract-edit", "get", "contract", (403, 403, 403, 200, 200)),
    ("contract-edit", "post", "contract", (403, 403, 403, 400, 400)),
    ("period-create", "get", "contract", (403, 403, 403, 200, 200)),
    ("period-create", "post", "contract", (403, 403, 403, 400, 400)),
    ("period-edit", "get", "period", (403, 403, 403, 200, 200)),
    ("period-edit", "post", "period", (403, 403, 403, 400, 400)),
    ("contract-whatif", "get", "period", (200, 403, 403, 200, 200)),
    ("actual-cost-add", "post", "period", (403, 403, 403, 400, 400)),
    ("actual-cost-correct", "post", "cost", (403, 403, 403, 400, 400)),
    ("agreed-share-set", "post", "period", (403, 403, 403, 400, 400)),
    ("usage-figure-set", "post", "period", (403, 403, 403, 400, 400)),
    ("producer-invoice-add", "post", "period", (403, 403, 403, 400, 400)),
    # the purchase side is finance's: unit workers hold no view_producerinvoice
    ("producer-invoice-pdf", "get", "producer_invoice", (403, 403, 403, 200, 200)),
    ("invoice-list", "get", None, (200, 403, 403, 200, 200)),
    ("invoices-issue-review", "get", None, (403, 403, 403, 200, 200)),
    ("invoices-issue-quarter", "post", None, (403, 403, 403, 400, 400)),
    # who issues the drafts watches them being issued; unit workers neither
    ("issuing-detail", "get", "issuing", (403, 403, 403, 200, 200)),
    ("invoices-zip", "get", None, (200, 403, 403, 200, 200)),
    ("invoice-detail", "get", "invoice", (200, 403, 403, 200, 200)),
    ("invoice-issue", "post", "invoice", (403, 403, 403, 400, 400)),
    ("invoice-status", "post", "invoice", (403, 403, 403, 400, 400)),
    ("invoice-credit", "post", "draft", (403, 403, 403, 400, 400)),
    ("invoice-pdf", "get", "invoice", (200, 403, 403, 200, 200)),
    ("invoice-finvoice", "get", "invoice", (200, 403, 403, 200, 200)),
    # a draft has no documents yet
    ("invoice-pdf", "get", "draft", (404, 403, 403, 404, 404)),
    ("run-list", "get", None, (200, 403, 403, 200, 200)),
    ("run-list", "post", None, (403, 403, 403, 400, 400)),
    ("run-detail", "get", "run", (200, 403, 403, 200, 200)),
]

QUERIES = {
    "contract-whatif": "?basis=population",
    "invoices-zip": "?year=2025&quarter=2",
    "invoices-issue-review": "?year=2025&quarter=1",
}


def _url_for(objects):
    def url(row):
        name, _method, key, _expected = row
        if key is None:
            args = []
        elif key == "period":
            args = [objects["contract"].pk, objects["period"].pk]
        elif key == "cost":
            args = [objects["contract"].pk, objects["period"].pk, objects["cost"].pk]
        elif key == "producer_invoice":
            args = [objects["contract"].pk, objects["producer_invoice"].pk]
        else:
            args = [objects[key].pk]
        return reverse(f"contracts:{name}", args=args) + QUERIES.get(name, "")

    return url


def test_anonymous_is_sent_to_login(client, objects):
    assert_anonymous_sent_to_login(client, MATRIX, _url_for(objects))


@pytest.mark.parametrize("role", ROLES)
def test_contracts_pages_by_role(role, roles, client_for, objects):
    assert_matrix(client_for(roles[role]), MATRIX, _url_for(objects), role)


def test_rows_that_answer_400_change_nothing(client_for, finance_user, objects):
    before = sorted(Invoice.objects.values_list("pk", "status", "kind"))
    contracts = sorted(Contract.objects.values_list("pk", "name", "issuer", "active"))
    periods = sorted(ContractPeriod.objects.values_list("pk", "starts_on", "annual_cost"))
    figures = (
        sorted(AgreedShare.objects.values_list("pk", "percentage")),
        sorted(UsageFigure.objects.values_list("pk", "care_days")),
    )
    client = client_for(finance_user)
    for row in MATRIX:
        if row[1] == "post":
            getattr(client, row[1])(_url_for(objects)(row))
    assert sorted(Invoice.objects.values_list("pk", "status", "kind")) == before
    assert InvoicingRun.objects.count() == 2
    assert IssuingRun.objects.count() == 1
    assert list(objects["period"].actual_costs.values_list("amount", "corrected_at")) == [
        (1000, None)
    ]
    assert ProducerInvoice.objects.count() == 1
    assert sorted(Contract.objects.values_list("pk", "name", "issuer", "active")) == contracts
    assert sorted(ContractPeriod.objects.values_list("pk", "starts_on", "annual_cost")) == periods
    assert objects["contract"].members.count() == 6
    assert figures == (
        sorted(AgreedShare.objects.values_list("pk", "percentage")),
        sorted(UsageFigure.objects.values_list("pk", "care_days")),
    )


def test_municipal_workers_get_403_whatever_the_id(roles, client_for, objects):
    """No contracts data for municipal workers, so an id tells them nothing: 403 for an
    object that exists and for one that does not (not the 404 of the apps they use)."""
    missing = {key: type(obj)(pk=999999) for key, obj in objects.items()}
    for worker in ("kemi", "tornio"):
        assert_matrix(
            client_for(roles[worker]),
            [row for row in MATRIX if row[2] is not None],
            _url_for(missing),
            worker,
        )


def test_unit_worker_sees_no_manage_buttons(client_for, unit_worker, objects):
    response = client_for(unit_worker).get(
        reverse("contracts:invoice-detail", args=[objects["draft"].pk])
    )
    assert b"Issue the invoice" not in response.content
    response = client_for(unit_worker).get(reverse("contracts:run-list"))
    assert b"Start invoicing" not in response.content


def test_unknown_objects_are_404(client_for, finance_user, objects):
    client = client_for(finance_user)
    assert client.get(reverse("contracts:contract-edit", args=[999999])).status_code == 404
    assert client.get(reverse("contracts:period-create", args=[999999])).status_code == 404
    url = reverse("contracts:period-edit", args=[objects["contract"].pk, 999999])
    assert client.get(url).status_code == 404
    assert client.get(reverse("contracts:contract-detail", args=[999999])).status_code == 404
    assert client.get(reverse("contracts:invoice-detail", args=[999999])).status_code == 404
    assert client.get(reverse("contracts:run-detail", args=[999999])).status_code == 404
    url = reverse("contracts:contract-detail", args=[objects["contract"].pk])
    assert client.get(url, {"period": 999999}).status_code == 404


def test_navigation_shows_contracts_only_to_readers(client_for, roles, objects):
    assert b'href="/contracts/"' in client_for(roles["unit"]).get("/").content
    assert b'href="/contracts/"' not in client_for(roles["kemi"]).get("/").content
