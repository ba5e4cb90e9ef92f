"""The invoice PDF: a bar code that scans back to the virtual bar code, the terms a
Finnish invoice between public bodies states, the recipient's language, and a credit
note without a payment slip."""

import re
import shutil
import subprocess

import pytest
from pypdf import PdfReader

from contracts import documents, invoicing, services
from contracts.models import Invoice, InvoicingRun
from tests.contracts.factories import seed_contract

pytestmark = pytest.mark.django_db


@pytest.fixture
def invoice(finance_user):
    contract, _period, members = seed_contract()
    contract.contact_name = "Fanni Talous"
    contract.contact_phone = "040 123 4567"
    contract.save()
    members["851"].legal_name = "Tornion kaupunki"
    members["851"].save()
    members["241"].legal_name = "Keminmaan kunta"
    members["241"].buyer_reference = "Perhehoito 4410"
    members["241"].save()
    invoicing.invoicing_run_execute(run_id=InvoicingRun.objects.create(year=2025, quarter=1).pk)
    draft = Invoice.objects.get(member=members["241"], year=2025, quarter=1)
    return services.invoice_issue(invoice=draft, by=finance_user, queue_documents=False)


def _text(pdf: bytes, tmp_path) -> str:
    path = tmp_path / "invoice.pdf"
    path.write_bytes(pdf)
    text = " ".join(page.extract_text() for page in PdfReader(path).pages)
    return re.sub(r"\s+", " ", text)


def test_the_bar_code_scans_back_to_the_54_digits(invoice, tmp_path):
    if not (shutil.which("pdftoppm") and shutil.which("zbarimg")):
        pytest.skip("pdftoppm (poppler-utils) and zbarimg (zbar-tools) are needed")
    (tmp_path / "invoice.pdf").write_bytes(documents.invoice_pdf(invoice))
    subprocess.run(
        ["pdftoppm", "-r", "300", "-png", "-singlefile", "invoice.pdf", "page"],
        cwd=tmp_path,
        check=True,
    )
    scanned = subprocess.run(
        ["zbarimg", "-q", "--raw", "-Scode128.enable", "page.png"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
    ).stdout.split()
    expected = documents.invoice_barcode(invoice)
    assert len(expected) == 54
    assert scanned == [expected]


def test_the_pdf_states_penalty_interest_remarks_contact_and_legal_names(invoice, tmp_path):
    text = _text(documents.invoice_pdf(invoice), tmp_path)
    assert (
        "Viivästyskorko" in text and "633/1982" in text and "seitsemällä prosenttiyksiköllä" in text
    )
    assert "Huomautukset" in text and "14 päivän" in text
    assert "Fanni Talous" in text and "040 123 4567" in text
    assert "Tornion kaupunki" in text and "Keminmaan kunta" in text
    assert "Perhehoito 4410" in text


def test_a_credit_note_has_no_payment_slip_and_names_the_invoice(invoice, finance_user, tmp_path):
    note = services.invoice_credit(invoice=invoice, by=finance_user)
    text = _text(documents.invoice_pdf(note), tmp_path)
    assert "HYVITYSLASKU" in text
    assert f"laskun {invoice.number}" in text
    assert "Saajan tilinumero" not in text and "Virtuaaliviivakoodi" not in text
    assert "Viivästyskorko" not in text


def test_a_swedish_members_invoice_is_in_swedish(finance_user, tmp_path):
    _contract, _period, members = seed_contract()
    tervola = members["845"]
    tervola.invoicing_language = "sv"
    tervola.name_sv = "Tervola kommun"
    tervola.save()
    invoicing.invoicing_run_execute(run_id=InvoicingRun.objects.create(year=2025, quarter=1).pk)
    draft = Invoice.objects.get(member=tervola, year=2025, quarter=1)
    invoice = services.invoice_issue(invoice=draft, by=finance_user, queue_documents=False)
    text = _text(documents.invoice_pdf(invoice), tmp_path)
    assert "FAKTURA" in text and "Förfallodag" in text and "Dröjsmålsränta" in text
    assert "Tervola kommun" in text
    assert "Serviceavtal" in text  # the lines too were written in Swedish
