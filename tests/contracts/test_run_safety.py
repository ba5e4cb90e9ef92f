"""Runs and issuing that overlap, a year that changes mid-way, and run problems a reader
can understand in their own language."""

import logging
import threading
from decimal import Decimal

import pytest
from django.db import connection
from django.urls import reverse

from contracts import invoicing, selectors, services, shares, tasks
from contracts.models import AgreedShare, Invoice, InvoicingRun, IssuingRun
from tests.contracts.factories import issue_drafts, seed_contract

pytestmark = pytest.mark.django_db


def _run(year, quarter):
    run = InvoicingRun.objects.create(year=year, quarter=quarter)
    return invoicing.invoicing_run_execute(run_id=run.pk)


# --- A1: a run never turns an issued invoice back into a draft -----------------------------


@pytest.mark.django_db(transaction=True)
def test_an_invoice_issued_while_a_run_updates_the_drafts_stays_issued(monkeypatch, finance_user):
    contract, _period, members = seed_contract()
    _run(2025, 1)
    invoice = Invoice.objects.get(member=members["240"], year=2025, quarter=1)
    run_has_read = threading.Event()
    issue_tried = threading.Event()
    real_quarter_share = shares.quarter_share
    errors = []

    def slow_quarter_share(**kwargs):
        # the run has read the quarter's invoices; finance issues one before it writes
        if not run_has_read.is_set():
            run_has_read.set()
            issue_tried.wait(timeout=10)
        return real_quarter_share(**kwargs)

    monkeypatch.setattr(shares, "quarter_share", slow_quarter_share)

    def run():
        try:
            invoicing.contract_quarter_invoice(contract_id=contract.pk, year=2025, quarter=1)
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)
        finally:
            connection.close()

    def issue():
        try:
            services.invoice_issue(invoice=invoice, by=finance_user, queue_documents=False)
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)
        finally:
            connection.close()

    runner = threading.Thread(target=run)
    runner.start()
    assert run_has_read.wait(timeout=10)
    issuer = threading.Thread(target=issue)
    issuer.start()
    issuer.join(timeout=1)  # with the rows locked, the issue waits for the run
    issue_tried.set()
    runner.join(timeout=30)
    issuer.join(timeout=30)
    assert errors == []
    invoice.refresh_from_db()
    assert invoice.status == Invoice.Status.ISSUED
    assert invoice.issued_by == finance_user
    assert invoice.issued_at is not None


# --- A2: the last quarter trues up the year --------------------------------------------------


def test_a_year_adds_up_to_the_new_annual_share_when_a_share_changes_before_the_fourth_quarter(
    finance_user,
):
    contract, period, members = seed_contract()
    for quarter in (1, 2, 3):
        _run(2025, quarter)
    for invoice in Invoice.objects.filter(contract=contract, year=2025):
        services.invoice_issue(invoice=invoice, by=finance_user, queue_documents=False)
    planned_before = selectors.allocation_table(period)
    # the steering group agrees new shares in the autumn: Kemi pays more, Simo less
    AgreedShare.objects.filter(period=period, member=members["240"]).update(percentage="40")
    AgreedShare.objects.filter(period=period, member=members["751"]).update(percentage="0.2")
    _run(2025, 4)

    table = selectors.allocation_table(period)
    invoices = Invoice.objects.filter(contract=contract, year=2025)
    assert invoices.count() == 20
    for code, member in members.items():
        row = table.row_for(member.pk)
        if code == "851":
            assert not invoices.filter(member=member).exists()  # borne internally
            continue
        year = sum(invoices.filter(member=member).values_list("amount_excluding_vat", flat=True))
        assert year == row.annual_after, code
    kemi = members["240"].pk
    assert table.row_for(kemi).annual_after > planned_before.row_for(kemi).annual_after
    internal = table.row_for(members["851"].pk).annual_after
    invoiced = sum(invoices.values_list("total", flat=True))
    assert invoiced + internal == Decimal("48000.00") == table.annual_after_total

    kemi_q4 = invoices.get(member=members["240"], quarter=4)
    # the adjustment is a line of its own with its amount, named for what it is
    lines = {line.description: line.amount for line in kemi_q4.lines.order_by("position")}
    adjustment = next(a for text, a in lines.items() if text.startswith("Vuoden muiden laskujen"))
    assert adjustment > 0, lines
    assert "osuudet muuttuivat laskutuksen jälkeen" in " ".join(lines)
    # the contract page still shows the planned split, not the adjusted invoice
    assert table.row_for(members["240"].pk).quarters[3] != kemi_q4.amount_excluding_vat


def test_a_fourth_quarter_with_unchanged_shares_is_one_quarter_without_an_adjustment():
    contract, period, _members = seed_contract()
    for quarter in (1, 2, 3, 4):
        _run(2025, quarter)
    table = selectors.allocation_table(period)
    for invoice in Invoice.objects.filter(contract=contract, year=2025, quarter=4):
        assert invoice.amount_excluding_vat == table.row_for(invoice.member_id).quarters[3]
        descriptions = " ".join(invoice.lines.values_list("description", flat=True))
        assert "tasaus" not in descriptions.lower()


# --- A3: issuing all drafts while someone else issues one ---------------------------------


def _issue_one_draft_meanwhile(monkeypatch, year, quarter):
    """The last draft of the quarter is issued by someone else once the first is issued:
    one draft per batch, so the last one's batch starts after that."""
    last = Invoice.objects.filter(year=year, quarter=quarter, status="draft").order_by("pk").last()
    real_fields = invoicing.invoice_issue_fields
    calls = []

    def fields_and_someone_issues(invoice, *, by):
        if not calls:
            Invoice.objects.filter(pk=last.pk).update(status=Invoice.Status.ISSUED)
        calls.append(invoice.pk)
        real_fields(invoice, by=by)

    monkeypatch.setattr(invoicing, "ISSUE_BATCH", 1)
    monkeypatch.setattr(invoicing, "invoice_issue_fields", fields_and_someone_issues)
    return last


def test_issuing_all_drafts_skips_one_that_was_issued_meanwhile(monkeypatch, finance_user):
    seed_contract()
    _run(2025, 1)
    taken = _issue_one_draft_meanwhile(monkeypatch, 2025, 1)
    result = issue_drafts(year=2025, quarter=1, by=finance_user)
    assert (result.issued, result.skipped) == (4, 1)
    assert set(Invoice.objects.values_list("status", flat=True)) == {"issued"}
    taken.refresh_from_db()
    assert taken.issued_by is None  # left as the other person left it


def test_the_issue_all_page_says_which_drafts_were_skipped(
    monkeypatch, client_for, finance_user, django_capture_on_commit_callbacks
):
    seed_contract()
    _run(2025, 1)
    _issue_one_draft_meanwhile(monkeypatch, 2025, 1)
    review = selectors.invoice_drafts_review(finance_user, year=2025, quarter=1)
    data = {"year": 2025, "quarter": 1, "confirm": "on"}
    data |= {"count": review.count, "total": review.total}
    client = client_for(finance_user)
    with django_capture_on_commit_callbacks() as callbacks:
        response = client.post(reverse("contracts:invoices-issue-quarter"), data)
    run = IssuingRun.objects.get()
    assert response.url == reverse("contracts:issuing-detail", args=[run.pk])
    assert len(callbacks) == 1  # the run, queued; the worker runs it:
    tasks.invoices_issue_run(run.pk)
    text = client.get(response.url).content.decode()
    assert "4 drafts were issued." in text
    assert "1 draft was no longer a draft when its turn came" in text


@pytest.mark.parametrize("members", [2, 6])
def test_issuing_all_drafts_takes_a_fixed_number_of_queries_per_batch(
    members, monkeypatch, finance_user, django_assert_num_queries
):
    contract, _period, orgs = seed_contract()
    others = [org for code, org in orgs.items() if code != "851"]
    contract.members.set([orgs["851"], *others[: members - 1]])
    _run(2025, 1)
    drafts = members - 1  # the administrator is not invoiced
    monkeypatch.setattr(invoicing, "ISSUE_BATCH", 2)
    batches = -(-drafts // 2)
    run = IssuingRun.objects.create(year=2025, quarter=1, started_by=finance_user)
    # 1 the run with its starter, 2-3 the starter's permissions, 4 the drafts' ids that
    # the starter may change, 5 the run marked running; per batch: savepoint, the drafts
    # with their periods and parties locked, their update, the run's progress, release
    # savepoint; then the run marked done and read again
    with django_assert_num_queries(5 + 5 * batches + 2):
        result = invoicing.issuing_run_execute(run_id=run.pk, queue_documents=print)
    assert result.issued == drafts


# --- A4: run problems in the reader's language, details in the log ---------------------------


def test_a_run_problem_is_shown_in_the_language_of_the_reader(client_for, finance_user):
    _contract, period, members = seed_contract(basis="usage")
    period.usage_figures.filter(member=members["751"]).delete()
    run = _run(2025, 1)
    assert run.status == InvoicingRun.Status.FAILED
    client = client_for(finance_user)
    url = reverse("contracts:run-detail", args=[run.pk])
    english = client.get(url, headers={"Accept-Language": "en"}).content.decode()
    assert "No usage figure has been entered for Simo." in english
    finnish = client.get(url, headers={"Accept-Language": "fi"}).content.decode()
    assert "Kunnalle Simo ei ole kirjattu käyttötietoa." in finnish


def test_an_unexpected_error_is_logged_and_the_page_shows_no_raw_exception(
    monkeypatch, client_for, finance_user, caplog
):
    seed_contract()

    def broken(**kwargs):
        raise RuntimeError("connection to server at 10.0.0.5 lost")

    monkeypatch.setattr(invoicing, "contract_quarter_invoice", broken)
    run = InvoicingRun.objects.create(year=2025, quarter=1)
    with caplog.at_level(logging.ERROR, logger="contracts.invoicing"), pytest.raises(RuntimeError):
        invoicing.invoicing_run_execute(run_id=run.pk)
    assert any(record.exc_info for record in caplog.records)
    response = client_for(finance_user).get(reverse("contracts:run-detail", args=[run.pk]))
    text = response.content.decode()
    assert "10.0.0.5" not in text and "RuntimeError" not in text
    assert "An unexpected error stopped the run." in text
    assert "Seudullinen erityissosiaalityö" in text
