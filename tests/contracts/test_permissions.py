"""Every contracts URL for every role: anonymous → login, municipal workers → 403,
unit workers read, finance and administrators manage."""

import pytest
from django.urls import reverse

from contracts.invoicing import invoicing_run_execute
from contracts.models import Invoice, InvoicingRun
from tests.contracts.factories import seed_contract

READERS = {"unit", "finance", "admin"}
MANAGERS = {"finance", "admin"}


@pytest.fixture
def objects(db, kemi_org, tornio_org):
    contract, period, _members = seed_contract()
    run = InvoicingRun.objects.create(year=2025, quarter=1)
    invoicing_run_execute(run_id=run.pk)
    return {
        "contract": contract,
        "period": period,
        "invoice": Invoice.objects.filter(contract=contract).first(),
        "run": run,
    }


def _read_urls(o):
    c, p, i = o["contract"].pk, o["period"].pk, o["invoice"].pk
    return [
        reverse("contracts:contract-list"),
        reverse("contracts:contract-detail", args=[c]),
        reverse("contracts:contract-whatif", args=[c, p]) + "?basis=population",
        reverse("contracts:invoice-list"),
        reverse("contracts:invoice-detail", args=[i]),
        reverse("contracts:invoices-zip") + "?year=2025&quarter=1",
        reverse("contracts:run-list"),
        reverse("contracts:run-detail", args=[o["run"].pk]),
    ]


def _manage_urls(o):
    c, p, i = o["contract"].pk, o["period"].pk, o["invoice"].pk
    return [
        reverse("contracts:actual-cost-add", args=[c, p]),
        reverse("contracts:invoice-issue", args=[i]),
        reverse("contracts:invoice-status", args=[i]),
        reverse("contracts:invoice-credit", args=[i]),
        reverse("contracts:invoices-issue-quarter"),
        reverse("contracts:run-list"),
    ]


def _document_urls(o):
    i = o["invoice"].pk
    return [
        reverse("contracts:invoice-pdf", args=[i]),
        reverse("contracts:invoice-finvoice", args=[i]),
    ]


def test_anonymous_is_sent_to_login(client, objects):
    for url in _read_urls(objects) + _document_urls(objects):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.url.startswith(reverse("login")), url
    for url in _manage_urls(objects):
        response = client.post(url)
        assert response.status_code == 302, url
        assert response.url.startswith(reverse("login")), url


@pytest.mark.parametrize("role", ["unit", "kemi", "tornio", "finance", "admin"])
def test_read_pages_by_role(role, roles, client_for, objects):
    client = client_for(roles[role])
    for url in _read_urls(objects):
        response = client.get(url)
        expected = 200 if role in READERS else 403
        assert response.status_code == expected, (url, response.status_code)
    for url in _document_urls(objects):
        # a draft has no documents yet: readers get 404, others 403
        expected = 404 if role in READERS else 403
        assert client.get(url).status_code == expected, url


@pytest.mark.parametrize("role", ["unit", "kemi", "tornio", "finance", "admin"])
def test_manage_actions_by_role(
    role, roles, client_for, objects, django_capture_on_commit_callbacks
):
    client = client_for(roles[role])
    for url in _manage_urls(objects):
        with django_capture_on_commit_callbacks():
            response = client.post(url)
        if role in MANAGERS:
            # POSTs without data redirect with a message or re-render with errors (400)
            assert response.status_code in (302, 400), (url, response.status_code)
        else:
            assert response.status_code == 403, (url, response.status_code)


def test_unit_worker_sees_no_manage_buttons(client_for, unit_worker, objects):
    response = client_for(unit_worker).get(
        reverse("contracts:invoice-detail", args=[objects["invoice"].pk])
    )
    assert b"Issue the invoice" not in response.content
    response = client_for(unit_worker).get(reverse("contracts:run-list"))
    assert b"Start invoicing" not in response.content


def test_unknown_objects_are_404(client_for, finance_user, objects):
    client = client_for(finance_user)
    assert client.get(reverse("contracts:contract-detail", args=[999999])).status_code == 404
    assert client.get(reverse("contracts:invoice-detail", args=[999999])).status_code == 404
    assert client.get(reverse("contracts:run-detail", args=[999999])).status_code == 404
    url = reverse("contracts:contract-detail", args=[objects["contract"].pk])
    assert client.get(url, {"period": 999999}).status_code == 404


def test_navigation_shows_contracts_only_to_readers(client_for, roles, objects):
    assert b'href="/contracts/"' in client_for(roles["unit"]).get("/").content
    assert b'href="/contracts/"' not in client_for(roles["kemi"]).get("/").content
