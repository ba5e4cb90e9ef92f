"""Every door sees contracts' rows through the same visible_to: the pages and the admin."""

from decimal import Decimal

import pytest
from django.urls import reverse

from contracts import invoicing
from contracts.models import Contract, Invoice, InvoicingRun
from tests.contracts.factories import seed_contract

pytestmark = pytest.mark.django_db


def test_rows_are_visible_to_readers_and_changeable_by_managers(roles):
    seed_contract()
    invoicing.invoicing_run_execute(run_id=InvoicingRun.objects.create(year=2025, quarter=1).pk)
    assert Invoice.objects.visible_to(roles["unit"]).count() == 5
    assert Invoice.objects.visible_to(roles["unit"], "change").count() == 0
    assert Invoice.objects.visible_to(roles["finance"], "change").count() == 5
    assert not Invoice.objects.visible_to(roles["kemi"]).exists()
    assert not Contract.objects.visible_to(roles["tornio"]).exists()


def test_the_admin_lists_load_through_visible_to(client_for, roles):
    seed_contract()
    invoicing.invoicing_run_execute(run_id=InvoicingRun.objects.create(year=2025, quarter=1).pk)
    response = client_for(roles["finance"]).get(reverse("admin:contracts_invoice_changelist"))
    assert response.status_code == 200
    assert response.context["cl"].result_count == 5
    assert Decimal(0) < Invoice.objects.first().total
