"""Every door changes contracts' data through the same services and sees rows through the
same visible_to: the pages, the admin (forms, inlines, imports) and the demo data."""

from decimal import Decimal

import pytest
import tablib
from django.core.exceptions import ValidationError
from django.urls import reverse

from contracts import invoicing, services
from contracts.admin import UsageFigureResource
from contracts.models import (
    Contract,
    Invoice,
    InvoiceNumberCounter,
    InvoicingRun,
    UsageFigure,
)
from tests.contracts.factories import IBAN, seed_contract

pytestmark = pytest.mark.django_db


def _spy(monkeypatch, name):
    """Record the calls of a service and let it do its work."""
    real, calls = getattr(services, name), []

    def spy(**kwargs):
        calls.append(kwargs)
        return real(**kwargs)

    monkeypatch.setattr(services, name, spy)
    return calls


def test_the_service_refuses_a_contract_whose_administrator_is_not_a_party():
    members = seed_contract()[2]
    contract = Contract(
        name="Testisopimus", issuer=members["851"], issuer_iban=IBAN, issuer_bic="NDEAFIHH"
    )
    with pytest.raises(ValidationError) as error:
        services.contract_save(contract=contract, members=[members["240"]], by=None)
    assert "members" in error.value.error_dict
    assert not Contract.objects.filter(name="Testisopimus").exists()


def test_the_admin_saves_a_contract_with_its_parties_through_the_service(
    monkeypatch, client_for, admin_user
):
    members = seed_contract()[2]
    calls = _spy(monkeypatch, "contract_save")
    response = client_for(admin_user).post(
        reverse("admin:contracts_contract_add"),
        {
            "name": "Testisopimus",
            "issuer": members["851"].pk,
            "issuer_iban": "FI21 1234 5600 0007 85",
            "issuer_bic": "NDEAFIHH",
            "members": [members["240"].pk, members["851"].pk],
            "active": "on",
            "periods-TOTAL_FORMS": "0",
            "periods-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302
    assert len(calls) == 1
    contract = Contract.objects.get(name="Testisopimus")
    assert set(contract.members.values_list("code", flat=True)) == {"240", "851"}


def test_the_admin_saves_usage_figures_through_the_service(monkeypatch, client_for, admin_user):
    _contract, period, members = seed_contract()
    UsageFigure.objects.filter(period=period, member=members["240"]).delete()
    calls = _spy(monkeypatch, "usage_figure_save")
    response = client_for(admin_user).post(
        reverse("admin:contracts_usagefigure_add"),
        {"period": period.pk, "member": members["240"].pk, "care_days": 42, "source": "x"},
    )
    assert response.status_code == 302
    assert [call["figure"].care_days for call in calls] == [42]


def test_the_usage_import_saves_each_row_through_the_service(monkeypatch):
    _contract, period, _members = seed_contract()
    calls = _spy(monkeypatch, "usage_figure_save")
    dataset = tablib.Dataset(
        (period.pk, "240", 400, "Q1–Q4 2025"),
        headers=["period", "member_code", "care_days", "source"],
    )
    result = UsageFigureResource().import_data(dataset, dry_run=False)
    assert not result.has_errors() and not result.has_validation_errors()
    assert [call["figure"].care_days for call in calls] == [400]


def test_the_admin_deletes_a_period_figure_through_the_service(monkeypatch, client_for, admin_user):
    _contract, period, members = seed_contract()
    figure = UsageFigure.objects.get(period=period, member=members["240"])
    calls = _spy(monkeypatch, "usage_figure_delete")
    client_for(admin_user).post(
        reverse("admin:contracts_usagefigure_delete", args=[figure.pk]), {"post": "yes"}
    )
    assert len(calls) == 1
    assert not UsageFigure.objects.filter(pk=figure.pk).exists()


def test_an_invoicing_run_cannot_be_added_in_the_admin_where_it_would_never_run(
    client_for, admin_user
):
    # a run recorded in the admin was never queued: only invoicing_run_start queues it
    client = client_for(admin_user)
    assert client.get(reverse("admin:contracts_invoicingrun_add")).status_code == 403
    response = client.post(
        reverse("admin:contracts_invoicingrun_add"),
        {"year": 2025, "quarter": 1, "status": "queued", "problems": "[]"},
    )
    assert response.status_code == 403
    assert not InvoicingRun.objects.exists()


def test_an_invoice_number_counter_cannot_be_deleted_in_the_admin(client_for, admin_user):
    # deleting the counter would start the issuer's numbers again from 1
    seed_contract()
    invoicing.invoicing_run_execute(run_id=InvoicingRun.objects.create(year=2025, quarter=1).pk)
    counter = InvoiceNumberCounter.objects.get()
    url = reverse("admin:contracts_invoicenumbercounter_delete", args=[counter.pk])
    response = client_for(admin_user).post(url, {"post": "yes"})
    assert response.status_code == 403
    assert InvoiceNumberCounter.objects.get().last_number == 5
    assert (
        client_for(admin_user).get(reverse("admin:contracts_invoicenumbercounter_add")).status_code
        == 403
    )


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
