"""Finance records the producer's quarterly invoice to the administering member; it
becomes the quarter's actual cost (issue 9)."""

from decimal import Decimal
from html import unescape

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from contracts.models import ProducerInvoice, QuarterActualCost
from tests.contracts.factories import seed_contract

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def period():
    return seed_contract()[1]


def _url(period):
    return reverse("contracts:producer-invoice-add", args=[period.contract_id, period.pk])


def _data(**changes):
    data = {
        "number": "PL-2025-117",
        "invoice_date": "2025-07-04",
        "amount": "19800.00",
        "year": 2025,
        "quarter": 2,
    }
    return data | changes


def _post(client, period, **changes):
    return client.post(_url(period), _data(**changes), headers={"Accept-Language": "en"})


def test_finance_records_a_producer_invoice_that_becomes_the_actual_cost(
    period, client_for, finance_user
):
    pdf = SimpleUploadedFile("pl-117.pdf", PDF, content_type="application/pdf")
    response = client_for(finance_user).post(_url(period), _data(pdf=pdf), follow=True)
    assert response.status_code == 200
    invoice = ProducerInvoice.objects.get()
    assert invoice.amount == Decimal("19800.00")
    assert invoice.recorded_by == finance_user
    assert invoice.pdf.read() == PDF
    cost = QuarterActualCost.objects.get(period=period, year=2025, quarter=2)
    assert cost.amount == Decimal("19800.00")
    assert invoice.actual_cost == cost
    text = unescape(response.content.decode())
    assert "PL-2025-117" in text
    assert "The producer's invoice was recorded" in text
    # the actual cost on the page says where it came from
    assert "– from the producer's invoice PL-2025-117" in text


def test_a_producer_invoice_corrects_an_actual_cost_entered_before_saying_so(
    period, client_for, finance_user
):
    QuarterActualCost.objects.create(period=period, year=2025, quarter=2, amount=20000)
    assert _post(client_for(finance_user), period).status_code == 302
    cost = QuarterActualCost.objects.get(period=period, year=2025, quarter=2)
    assert cost.amount == Decimal("19800.00")
    assert cost.correction_reason == "from the producer's invoice PL-2025-117"
    assert cost.corrected_at is not None


def test_a_second_producer_invoice_for_the_quarter_is_refused(period, client_for, finance_user):
    client = client_for(finance_user)
    _post(client, period)
    response = _post(client, period, number="PL-2025-118", amount="1.00")
    assert response.status_code == 400
    assert "The producer's invoice of this quarter has already been recorded." in unescape(
        response.content.decode()
    )
    assert ProducerInvoice.objects.count() == 1
    assert QuarterActualCost.objects.get().amount == Decimal("19800.00")


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"amount": "-1.00"}, "Ensure this value is greater than or equal to 0"),
        ({"year": "10000"}, "Enter a year between 2000 and 2100."),
        ({"year": "2027"}, "The quarter is not within the contract period."),
        ({"number": ""}, "This field is required."),
    ],
)
def test_an_invalid_producer_invoice_changes_nothing(
    changes, message, period, client_for, finance_user
):
    response = _post(client_for(finance_user), period, **changes)
    assert response.status_code == 400
    assert message in unescape(response.content.decode())
    assert not ProducerInvoice.objects.exists()
    assert not QuarterActualCost.objects.exists()


@pytest.mark.parametrize(
    "name, content, content_type, message",
    [
        ("x.pdf", b"MZ\x90\x00 not a pdf", "application/pdf", "must be a PDF file"),
        ("x.pdf", PDF, "text/html", "must be a PDF file"),
        ("big.pdf", PDF + b"0" * (10 * 1024 * 1024), "application/pdf", "at most 10 MB"),
    ],
)
def test_an_attachment_that_is_not_a_small_pdf_is_refused(
    name, content, content_type, message, period, client_for, finance_user
):
    pdf = SimpleUploadedFile(name, content, content_type=content_type)
    response = client_for(finance_user).post(
        _url(period), _data(pdf=pdf), headers={"Accept-Language": "en"}
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not ProducerInvoice.objects.exists()


def test_finance_downloads_the_attached_pdf(period, client_for, finance_user):
    client = client_for(finance_user)
    pdf = SimpleUploadedFile("pl-117.pdf", PDF, content_type="application/pdf")
    client.post(_url(period), _data(pdf=pdf))
    invoice = ProducerInvoice.objects.get()
    url = reverse("contracts:producer-invoice-pdf", args=[period.contract_id, invoice.pk])
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == PDF


def test_an_invoice_without_a_pdf_has_no_download(period, client_for, finance_user):
    client = client_for(finance_user)
    client.post(_url(period), _data())
    invoice = ProducerInvoice.objects.get()
    url = reverse("contracts:producer-invoice-pdf", args=[period.contract_id, invoice.pk])
    assert client.get(url).status_code == 404
