"""The documents' area of an invoice and of a quarter polls while Celery renders them."""

import json

import pytest
from django.urls import reverse

from contracts.invoicing import invoicing_run_execute
from contracts.models import Invoice, InvoicingRun
from contracts.services import invoice_issue
from contracts.tasks import invoice_documents_render
from tests.contracts.factories import seed_contract

pytestmark = pytest.mark.django_db

POLL = 'hx-trigger="every 2s"'


@pytest.fixture
def pending(finance_user, django_capture_on_commit_callbacks):
    """The quarter's invoices issued, their documents not rendered yet."""
    seed_contract()
    invoicing_run_execute(run_id=InvoicingRun.objects.create(year=2025, quarter=1).pk)
    invoices = list(Invoice.objects.filter(year=2025, quarter=1).order_by("number"))
    with django_capture_on_commit_callbacks(execute=False):
        for invoice in invoices:
            invoice_issue(invoice=invoice, by=finance_user)
    return invoices


def _render(invoices):
    for invoice in invoices:
        invoice_documents_render.apply(args=[invoice.pk]).get()


def test_invoice_documents_poll_while_pending(client_for, finance_user, pending):
    url = reverse("contracts:invoice-detail", args=[pending[0].pk])
    page = client_for(finance_user).get(url).content.decode()
    assert 'id="invoice-documents"' in page and POLL in page
    fragment = client_for(finance_user).get(url, headers={"HX-Request": "true"})
    html = fragment.content.decode()
    assert POLL in html and f'hx-get="{url}"' in html
    assert "<html" not in html and "HX-Trigger" not in fragment.headers


def test_invoice_documents_stop_polling_and_announce_when_ready(client_for, finance_user, pending):
    _render(pending[:1])
    url = reverse("contracts:invoice-detail", args=[pending[0].pk])
    client = client_for(finance_user)
    client.cookies["django_language"] = "sv"
    fragment = client.get(url, headers={"HX-Request": "true"})
    html = fragment.content.decode()
    assert (
        "hx-trigger" not in html and reverse("contracts:invoice-pdf", args=[pending[0].pk]) in html
    )
    assert json.loads(fragment["HX-Trigger"]) == {"announce": "Dokumenten är klara."}
    assert "hx-trigger" not in client_for(finance_user).get(url).content.decode()


def test_a_draft_has_no_polling_documents(client_for, finance_user):
    seed_contract()
    invoicing_run_execute(run_id=InvoicingRun.objects.create(year=2025, quarter=1).pk)
    url = reverse("contracts:invoice-detail", args=[Invoice.objects.first().pk])
    assert POLL not in client_for(finance_user).get(url).content.decode()


def test_quarter_documents_poll_until_every_invoice_is_rendered(client_for, finance_user, pending):
    url = reverse("contracts:invoice-list")
    client = client_for(finance_user)
    page = client.get(url, {"quarter": "2025-1"}).content.decode()
    assert 'id="quarter-documents"' in page and POLL in page
    fragment = client.get(url, {"quarter": "2025-1"}, headers={"HX-Request": "true"})
    assert POLL in fragment.content.decode() and "<html" not in fragment.content.decode()

    _render(pending)
    client.cookies["django_language"] = "fi"
    fragment = client.get(url, {"quarter": "2025-1"}, headers={"HX-Request": "true"})
    html = fragment.content.decode()
    assert "hx-trigger" not in html and reverse("contracts:invoices-zip") in html
    assert json.loads(fragment["HX-Trigger"]) == {"announce": "Asiakirjat ovat valmiit."}
