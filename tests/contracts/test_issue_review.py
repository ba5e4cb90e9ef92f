"""Issuing all drafts of a quarter goes through a review of what will be issued."""

from decimal import Decimal

import pytest
from django.urls import reverse

from contracts.invoicing import invoicing_run_execute
from contracts.models import Invoice, InvoicingRun
from tests.contracts.factories import seed_contract

pytestmark = pytest.mark.django_db


@pytest.fixture
def drafts(db):
    _contract, _period, members = seed_contract()
    invoicing_run_execute(run_id=InvoicingRun.objects.create(year=2025, quarter=1).pk)
    return members


def _review(client):
    return client.get(reverse("contracts:invoices-issue-review"), {"year": 2025, "quarter": 1})


def test_review_shows_the_count_the_total_per_member_and_the_grand_total(
    drafts, client_for, finance_user
):
    response = _review(client_for(finance_user))
    review = response.context["review"]
    assert review.count == 5
    kemi = Invoice.objects.get(member=drafts["240"], year=2025, quarter=1)
    assert {e["member"].name_fi: e["total"] for e in review.members}["Kemi"] == kemi.total
    assert review.total == sum(Invoice.objects.values_list("total", flat=True))
    text = response.content.decode()
    assert "5 drafts, " in text and "will be issued" in text
    assert "Issue 5 drafts" in text
    assert set(Invoice.objects.values_list("status", flat=True)) == {"draft"}  # nothing yet


def test_issuing_without_the_confirmation_issues_nothing(drafts, client_for, finance_user):
    client = client_for(finance_user)
    data = {**_review(client).context["form"].initial}
    response = client.post(reverse("contracts:invoices-issue-quarter"), data)
    assert response.status_code == 400
    assert "Confirm that you have reviewed the drafts." in response.content.decode()
    assert set(Invoice.objects.values_list("status", flat=True)) == {"draft"}


def test_drafts_that_changed_after_the_review_are_reviewed_again(drafts, client_for, finance_user):
    client = client_for(finance_user)
    data = {**_review(client).context["form"].initial, "confirm": "on"}
    Invoice.objects.filter(member=drafts["240"]).update(total=Decimal("1.00"))
    response = client.post(reverse("contracts:invoices-issue-quarter"), data)
    assert response.status_code == 409
    assert "The drafts changed after you reviewed them." in response.content.decode()
    assert set(Invoice.objects.values_list("status", flat=True)) == {"draft"}


def test_invoice_list_shows_the_total_of_the_listed_invoices(drafts, client_for, unit_worker):
    response = client_for(unit_worker).get(reverse("contracts:invoice-list"), {"quarter": "2025-1"})
    total = sum(Invoice.objects.values_list("total", flat=True))
    assert response.context["totals"] == {"count": 5, "total": total}
    assert "Total of the listed invoices" in response.content.decode()
