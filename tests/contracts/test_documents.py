"""Issued invoices as PDF and Finvoice XML, stored with checksums, one by one or zipped."""

import hashlib
import io
import re
import xml.etree.ElementTree as ET
import zipfile

import pytest
from django.urls import reverse
from pypdf import PdfReader

from contracts.invoicing import invoicing_run_execute
from contracts.models import Invoice, InvoicingRun
from contracts.services import invoice_credit, invoice_issue
from contracts.tasks import invoice_documents_render
from tests.contracts.factories import IBAN, seed_contract

pytestmark = pytest.mark.django_db


def _compact(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.fixture
def issued(finance_user, django_capture_on_commit_callbacks):
    _contract, _period, members = seed_contract()
    run = InvoicingRun.objects.create(year=2025, quarter=1)
    invoicing_run_execute(run_id=run.pk)
    invoices = list(Invoice.objects.filter(year=2025, quarter=1).order_by("number"))
    with django_capture_on_commit_callbacks(execute=False):
        for invoice in invoices:
            invoice_issue(invoice=invoice, by=finance_user)
    for invoice in invoices:
        invoice_documents_render.apply(args=[invoice.pk]).get()
    return Invoice.objects.get(member=members["240"], year=2025, quarter=1)


def test_pdf_text_has_member_amount_reference_due_date_and_iban(issued):
    text = _compact(" ".join(page.extract_text() for page in PdfReader(issued.pdf.path).pages))
    assert "Kemi" in text
    assert _compact(f"{issued.total:.2f}".replace(".", ",")) in text.replace("\xa0", "")
    assert issued.reference in text
    assert issued.due_date.strftime("%-d.%-m.%Y") in text
    assert IBAN in text
    assert "Tornio" in text  # the issuer
    assert issued.reference.rjust(20, "0") in text  # inside the virtual bar code


def test_documents_are_stored_with_their_sha256(issued):
    with issued.pdf.open("rb") as pdf:
        assert hashlib.sha256(pdf.read()).hexdigest() == issued.pdf_sha256
    with issued.finvoice.open("rb") as xml:
        assert hashlib.sha256(xml.read()).hexdigest() == issued.finvoice_sha256


def test_rendering_again_keeps_the_stored_documents(issued):
    before = (issued.pdf.name, issued.pdf_sha256)
    invoice_documents_render.apply(args=[issued.pk]).get()
    issued.refresh_from_db()
    assert (issued.pdf.name, issued.pdf_sha256) == before


def test_finvoice_parses_and_carries_the_same_figures(issued):
    with issued.finvoice.open("rb") as xml:
        root = ET.fromstring(xml.read())
    assert root.tag == "Finvoice" and root.get("Version") == "3.0"
    amount = f"{issued.total:.2f}".replace(".", ",")
    assert root.findtext("InvoiceDetails/InvoiceTypeCode") == "INV01"
    assert root.findtext("InvoiceDetails/InvoiceNumber") == str(issued.number)
    assert root.findtext("InvoiceDetails/InvoiceTotalVatIncludedAmount") == amount
    assert root.findtext("InvoiceDetails/VatSpecificationDetails/VatRatePercent") == "0,00"
    assert root.findtext("InvoiceDetails/PaymentTermsDetails/InvoiceDueDate") == (
        issued.due_date.strftime("%Y%m%d")
    )
    assert root.findtext("BuyerPartyDetails/BuyerOrganisationName") == "Kemi"
    assert root.findtext("BuyerPartyDetails/BuyerPartyIdentifier") == "0209602-6"
    assert root.findtext("SellerPartyDetails/SellerPartyIdentifier") == "0193193-1"
    assert root.findtext("MessageTransmissionDetails/MessageReceiverDetails/ToIdentifier") == (
        "003702096026"
    )
    epi = root.find("EpiDetails")
    assert epi.findtext("EpiPartyDetails/EpiBeneficiaryPartyDetails/EpiAccountID") == IBAN
    assert epi.findtext("EpiPartyDetails/EpiBfiPartyDetails/EpiBfiIdentifier") == "NDEAFIHH"
    instruction = epi.find("EpiPaymentInstructionDetails")
    assert instruction.findtext("EpiRemittanceInfoIdentifier") == issued.reference
    assert instruction.findtext("EpiInstructedAmount") == amount
    row_amounts = [r.findtext("RowVatExcludedAmount") for r in root.findall("InvoiceRow")]
    assert [a for a in row_amounts if a] == [amount]


def test_pdf_and_finvoice_download(issued, client_for, finance_user):
    client = client_for(finance_user)
    response = client.get(reverse("contracts:invoice-pdf", args=[issued.pk]))
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    response = client.get(reverse("contracts:invoice-finvoice", args=[issued.pk]))
    assert b"<Finvoice" in b"".join(response.streaming_content)


def test_draft_has_no_documents_to_download(client_for, finance_user):
    seed_contract()
    run = InvoicingRun.objects.create(year=2025, quarter=2)
    invoicing_run_execute(run_id=run.pk)
    draft = Invoice.objects.filter(status="draft").first()
    invoice_documents_render.apply(args=[draft.pk]).get()
    response = client_for(finance_user).get(reverse("contracts:invoice-pdf", args=[draft.pk]))
    assert response.status_code == 404


def test_quarter_zip_holds_every_document_with_its_checksum(issued, client_for, finance_user):
    response = client_for(finance_user).get(
        reverse("contracts:invoices-zip"), {"year": 2025, "quarter": 1}
    )
    assert response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    assert len(archive.namelist()) == 10  # five invoices, a PDF and an XML each
    for invoice in Invoice.objects.filter(year=2025, quarter=1):
        name = invoice.pdf.name.rsplit("/", 1)[-1]
        assert hashlib.sha256(archive.read(name)).hexdigest() == invoice.pdf_sha256


def test_zip_without_a_quarter_is_404(client_for, finance_user):
    response = client_for(finance_user).get(reverse("contracts:invoices-zip"), {"year": "x"})
    assert response.status_code == 404


def test_credit_note_documents_carry_negative_figures_and_no_bar_code(
    issued, finance_user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        note = invoice_credit(invoice=issued, by=finance_user)
    invoice_documents_render.apply(args=[note.pk]).get()
    note.refresh_from_db()
    text = " ".join(page.extract_text() for page in PdfReader(note.pdf.path).pages)
    assert "CREDIT NOTE" in text or "HYVITYSLASKU" in text
    assert "Virtuaaliviivakoodi" not in text and "Virtual bar code" not in text
    with note.finvoice.open("rb") as xml:
        root = ET.fromstring(xml.read())
    assert root.findtext("InvoiceDetails/InvoiceTypeCode") == "INV02"
    assert root.findtext("InvoiceDetails/OriginalInvoiceNumber") == str(issued.number)
    amount = f"{note.total:.2f}".replace(".", ",")
    assert amount.startswith("-")
    assert root.findtext("InvoiceDetails/InvoiceTotalVatIncludedAmount") == amount
