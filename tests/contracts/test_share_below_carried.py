"""A share that falls below what the year's invoices already carry: the run bills the
difference as a negative invoice, labelled a credit note everywhere (page, PDF,
Finvoice INV02), without a payment slip, and the year still adds up exactly."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse
from pypdf import PdfReader

from contracts import documents, invoicing, selectors, services, shares
from contracts.models import AgreedShare, Invoice, InvoicingRun
from tests.contracts.conftest import assert_valid_finvoice, finvoice_schema
from tests.contracts.factories import issue_drafts, seed_contract

pytestmark = pytest.mark.django_db


@pytest.fixture
def negative(finance_user):
    """Kemi's share cut from 34,6 % to 5 % after Q1–Q3/2025 were issued; Q4 run."""
    _contract, period, members = seed_contract()
    for quarter in (1, 2, 3):
        invoicing.invoicing_run_execute(
            run_id=InvoicingRun.objects.create(year=2025, quarter=quarter).pk
        )
        issue_drafts(year=2025, quarter=quarter, by=finance_user)
    AgreedShare.objects.filter(period=period, member=members["240"]).update(percentage="5")
    invoicing.invoicing_run_execute(run_id=InvoicingRun.objects.create(year=2025, quarter=4).pk)
    draft = Invoice.objects.get(member=members["240"], year=2025, quarter=4)
    return period, members["240"], draft


def test_the_year_adds_up_with_a_negative_last_quarter(negative):
    period, kemi, draft = negative
    assert draft.total < 0
    period = selectors.contract_period_for_quarter(contract=period.contract, year=2025, quarter=4)
    table = selectors.allocation_table(period)
    annual = shares.year_share(period=period, table=table, member_id=kemi.pk, year=2025)
    live = Invoice.objects.filter(member=kemi, year=2025, kind="invoice")
    assert sum(i.amount_excluding_vat for i in live) == annual
    assert draft.is_credit
    assert str(draft.kind_label) == "Credit note"


def test_the_negative_invoice_is_a_valid_finvoice_credit_note(negative, finance_user):
    finvoice_schema()
    _period, _kemi, draft = negative
    invoice = services.invoice_issue(invoice=draft, by=finance_user, queue_documents=False)
    assert invoice.due_date == invoice.invoice_date  # nothing to pay
    xml = documents.invoice_finvoice_xml(invoice)
    assert_valid_finvoice(xml)
    assert b"<InvoiceTypeCode>INV02</InvoiceTypeCode>" in xml
    assert b"<VirtualBankBarcode>" not in xml


def test_the_negative_invoice_pdf_is_a_credit_note_without_a_payment_slip(
    negative, finance_user, tmp_path
):
    _period, _kemi, draft = negative
    invoice = services.invoice_issue(invoice=draft, by=finance_user, queue_documents=False)
    path = tmp_path / "credit.pdf"
    path.write_bytes(documents.invoice_pdf(invoice))
    text = re.sub(r"\s+", " ", " ".join(p.extract_text() for p in PdfReader(path).pages))
    assert "HYVITYSLASKU" in text
    assert "Ei maksettavaa" in text
    assert "Saajan tilinumero" not in text  # no payment slip
    assert "Viivästyskorko" not in text


def test_the_invoice_page_labels_it_a_credit_note(negative, client_for, finance_user):
    _period, _kemi, draft = negative
    response = client_for(finance_user).get(reverse("contracts:invoice-detail", args=[draft.pk]))
    assert "Credit note" in response.content.decode()
    assert draft.total == Decimal(draft.total).quantize(Decimal("0.01"))
