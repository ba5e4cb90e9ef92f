"""The contract page, the what-if panel, running invoicing and issuing from the pages."""

from decimal import Decimal

import pytest
from django.urls import reverse

from contracts import tasks
from contracts.invoicing import invoicing_run_execute
from contracts.models import Contract, Invoice, InvoicingRun, IssuingRun, QuarterActualCost
from fostercare.celery import app as celery_app
from tests.contracts.factories import seed_contract

pytestmark = pytest.mark.django_db


@pytest.fixture
def eager_celery():
    """Tasks queued with .delay() run in this process, as a worker would run them."""
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = False


@pytest.fixture
def contract():
    return seed_contract()


def test_contract_page_shows_the_allocation_table_and_the_percentages_warning(
    client_for, unit_worker, contract
):
    contract, _period, _members = contract
    response = client_for(unit_worker).get(reverse("contracts:contract-detail", args=[contract.pk]))
    table = response.context["table"]
    assert table.annual_after_total == Decimal("48000.00")
    content = response.content.decode()
    assert "add up to 99.9 %, not 100 %" in content
    assert "16,624.62" in content  # Kemi's annual share after state funding
    assert "48,000.00" in content  # the total row
    assert "borne internally" in content  # Tornio administers


def test_the_table_rows_kept_for_another_view_follow_the_language_names_and_figures(
    client_for, unit_worker, contract
):
    """The rows are written once per process for the same figures: a view in another
    language, a renamed member or a changed share writes them again."""
    contract, period, members = contract
    kemi = members["240"]
    kemi.name_sv = "Kemi stad"
    kemi.save()
    client = client_for(unit_worker)
    url = reverse("contracts:contract-detail", args=[contract.pk])

    def row(language, name):
        client.cookies["django_language"] = language
        content = client.get(url).content.decode()
        start = content.index(f'<tr><th scope="row">{name}</th>')
        return content[start : content.index("</tr>", start)]

    finnish = row("fi", "Kemi")
    assert "16\xa0624,62" in finnish and row("fi", "Kemi") == finnish
    assert "16\xa0624,62" in row("sv", "Kemi stad")
    assert "16,624.62" in row("en", "Kemi")
    kemi.name_fi = "Kemin kaupunki"
    kemi.save()
    assert row("fi", "Kemin kaupunki").endswith(finnish.split("</th>", 1)[1])
    period.agreed_shares.filter(member=kemi).update(percentage=Decimal("35.5"))
    assert "16\xa0624,62" not in row("fi", "Kemin kaupunki")


def test_what_if_panel_shows_the_table_under_another_basis(client_for, finance_user, contract):
    contract, period, members = contract
    url = reverse("contracts:contract-whatif", args=[contract.pk, period.pk])
    response = client_for(finance_user).get(url, {"basis": "population"}, HTTP_HX_REQUEST="true")
    assert response.templates[0].name == "contracts/_whatif.html"
    whatif = response.context["whatif"]
    assert whatif.basis == "population"
    kemi = whatif.row_for(members["240"].pk)
    assert kemi.basis_value == 19404
    assert "Population 2024" in response.content.decode()
    assert sum(r.annual_after for r in whatif.rows) == Decimal("48000.00")


def test_what_if_with_an_unknown_basis_shows_no_table(client_for, finance_user, contract):
    contract, period, _members = contract
    url = reverse("contracts:contract-whatif", args=[contract.pk, period.pk])
    response = client_for(finance_user).get(url, {"basis": "astrology"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert response.context["whatif"] is None


def test_finance_starts_a_run_and_watches_it_finish(
    client_for, finance_user, contract, eager_celery, django_capture_on_commit_callbacks
):
    client = client_for(finance_user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("contracts:run-list"), {"year": 2025, "quarter": 2})
    run = InvoicingRun.objects.get()
    assert response.url == reverse("contracts:run-detail", args=[run.pk])
    assert run.started_by == finance_user
    assert run.status == "done" and run.invoices_created == 5
    progress = client.get(response.url, HTTP_HX_REQUEST="true")
    assert progress.templates[0].name == "contracts/_run_progress.html"
    assert "hx-trigger" not in progress.content.decode()  # finished: polling stops
    assert "5 invoices created" in progress.content.decode()


def test_unfinished_run_page_keeps_polling(client_for, finance_user):
    run = InvoicingRun.objects.create(year=2025, quarter=1, status="running", contracts_total=2)
    response = client_for(finance_user).get(reverse("contracts:run-detail", args=[run.pk]))
    assert 'hx-trigger="every 2s"' in response.content.decode()


def test_run_for_a_bad_quarter_is_refused_and_starts_nothing(
    client_for, finance_user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        response = client_for(finance_user).post(
            reverse("contracts:run-list"), {"year": 2025, "quarter": 5}
        )
    assert response.status_code == 400
    assert response.context["form"].errors["quarter"]
    assert not InvoicingRun.objects.exists()
    assert callbacks == []


def test_issue_all_drafts_of_a_quarter(
    client_for, finance_user, contract, django_capture_on_commit_callbacks
):
    invoicing_run_execute(run_id=InvoicingRun.objects.create(year=2025, quarter=1).pk)
    client = client_for(finance_user)
    listing = client.get(reverse("contracts:invoice-list"), {"quarter": "2025-1"})
    assert listing.context["has_drafts"]
    # the list links to the review, which posts what it showed with a confirmation
    review = client.get(reverse("contracts:invoices-issue-review"), {"year": 2025, "quarter": 1})
    data = {**review.context["form"].initial, "confirm": "on"}
    with django_capture_on_commit_callbacks() as callbacks:
        response = client.post(reverse("contracts:invoices-issue-quarter"), data)
    # the page answers at once with the run's progress; the worker issues the drafts
    run = IssuingRun.objects.get()
    assert response.url == reverse("contracts:issuing-detail", args=[run.pk])
    assert set(Invoice.objects.values_list("status", flat=True)) == {"draft"}
    assert len(callbacks) == 1  # the run, queued
    with django_capture_on_commit_callbacks() as callbacks:
        tasks.invoices_issue_run(run.pk)
    assert set(Invoice.objects.values_list("status", flat=True)) == {"issued"}
    assert len(callbacks) == 5  # one document rendering queued per invoice
    assert "5 drafts were issued." in client.get(response.url).content.decode()


def test_issuing_twice_is_refused_with_a_message(client_for, finance_user, contract):
    invoicing_run_execute(run_id=InvoicingRun.objects.create(year=2025, quarter=1).pk)
    invoice = Invoice.objects.first()
    client = client_for(finance_user)
    client.post(reverse("contracts:invoice-issue", args=[invoice.pk]))
    response = client.post(reverse("contracts:invoice-issue", args=[invoice.pk]), follow=True)
    assert "Only a draft can be issued." in response.content.decode()


def test_status_and_credit_from_the_invoice_page(client_for, finance_user, contract):
    invoicing_run_execute(run_id=InvoicingRun.objects.create(year=2025, quarter=1).pk)
    invoice = Invoice.objects.first()
    client = client_for(finance_user)
    client.post(reverse("contracts:invoice-issue", args=[invoice.pk]))
    client.post(reverse("contracts:invoice-status", args=[invoice.pk]), {"to_status": "sent"})
    invoice.refresh_from_db()
    assert invoice.status == "sent"
    client.post(reverse("contracts:invoice-credit", args=[invoice.pk]))
    invoice.refresh_from_db()
    assert invoice.status == "credited"
    assert invoice.credit_note.total == -invoice.total


def test_actual_cost_form_refuses_a_quarter_outside_the_period(client_for, finance_user, contract):
    contract, period, _members = contract
    url = reverse("contracts:actual-cost-add", args=[contract.pk, period.pk])
    client = client_for(finance_user)
    response = client.post(url, {"year": 2030, "quarter": 1, "amount": "1000.00"})
    assert response.status_code == 400
    assert "not within the contract period" in response.content.decode()
    assert not QuarterActualCost.objects.exists()
    response = client.post(url, {"year": 2025, "quarter": 1, "amount": "-5"})
    assert response.status_code == 400
    response = client.post(url, {"year": 2025, "quarter": 1, "amount": "18000.00"})
    assert response.status_code == 302
    assert QuarterActualCost.objects.get().amount == Decimal("18000.00")


def test_invoice_list_filters_by_status(client_for, unit_worker, contract):
    invoicing_run_execute(run_id=InvoicingRun.objects.create(year=2025, quarter=1).pk)
    client = client_for(unit_worker)
    assert (
        client.get(reverse("contracts:invoice-list"), {"status": "paid"})
        .context["page"]
        .paginator.count
        == 0
    )
    assert (
        client.get(reverse("contracts:invoice-list"), {"status": "draft"})
        .context["page"]
        .paginator.count
        == 5
    )


def test_admin_refuses_a_contract_whose_administrator_is_not_a_party(client_for, admin_user):
    members = seed_contract()[2]
    response = client_for(admin_user).post(
        reverse("admin:contracts_contract_add"),
        {
            "name": "Testisopimus",
            "issuer": members["851"].pk,
            "issuer_iban": "FI21 1234 5600 0007 85",
            "issuer_bic": "NDEAFIHH",
            "members": [members["240"].pk],
            "active": "on",
            "periods-TOTAL_FORMS": "0",
            "periods-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200
    assert "must be one of the parties" in response.content.decode()
    assert not Contract.objects.filter(name="Testisopimus").exists()


def test_changing_the_status_without_choosing_one_says_so_on_the_invoice_page(
    client_for, finance_user, contract
):
    invoicing_run_execute(run_id=InvoicingRun.objects.create(year=2025, quarter=1).pk)
    invoice = Invoice.objects.first()
    client = client_for(finance_user)
    client.post(reverse("contracts:invoice-issue", args=[invoice.pk]))
    response = client.post(reverse("contracts:invoice-status", args=[invoice.pk]))
    assert response.status_code == 400
    assert 'class="form-errors" role="alert"><p>Choose the new status.' in response.content.decode()
    invoice.refresh_from_db()
    assert invoice.status == "issued"


def test_crediting_a_draft_says_why_not_on_the_invoice_page(client_for, finance_user, contract):
    invoicing_run_execute(run_id=InvoicingRun.objects.create(year=2025, quarter=1).pk)
    invoice = Invoice.objects.first()
    response = client_for(finance_user).post(reverse("contracts:invoice-credit", args=[invoice.pk]))
    assert response.status_code == 400
    assert "Only an issued invoice can be credited." in response.content.decode()
    assert not Invoice.objects.filter(kind="credit_note").exists()


def test_issuing_the_drafts_of_no_quarter_says_so_on_the_invoice_list(client_for, finance_user):
    response = client_for(finance_user).post(reverse("contracts:invoices-issue-quarter"))
    assert response.status_code == 400
    assert 'role="alert"><p>Choose a quarter first.' in response.content.decode()


def test_an_unknown_quarter_in_the_invoice_filter_is_reported(client_for, unit_worker, contract):
    invoicing_run_execute(run_id=InvoicingRun.objects.create(year=2025, quarter=1).pk)
    response = client_for(unit_worker).get(reverse("contracts:invoice-list"), {"quarter": "1999-1"})
    assert response.status_code == 200
    assert "Select a valid choice." in response.content.decode()
    assert response.context["chosen"] is None
