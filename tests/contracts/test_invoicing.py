"""The quarterly run: a year adds up, runs are idempotent, numbers have no gaps."""

import threading
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction

from contracts import invoicing, selectors, services
from contracts.models import ContractPeriod, Invoice, InvoicingRun, QuarterActualCost
from contracts.tasks import invoicing_run_execute, invoicing_run_previous_quarter
from tests.contracts.factories import ContractPeriodFactory, seed_contract

pytestmark = pytest.mark.django_db


def _run(year, quarter):
    run = InvoicingRun.objects.create(year=year, quarter=quarter)
    invoicing_run_execute.apply(args=[run.pk]).get()
    run.refresh_from_db()
    return run


def _numbers(issuer):
    return sorted(Invoice.objects.filter(issuer=issuer).values_list("number", flat=True))


def test_a_years_invoices_and_the_internal_share_add_up_to_the_cost_after_funding():
    contract, period, members = seed_contract()
    for quarter in (1, 2, 3, 4):
        _run(2025, quarter)
    invoices = Invoice.objects.filter(contract=contract, year=2025)
    # five members are invoiced four times; Tornio administers and bears its own share
    assert invoices.count() == 20
    assert not invoices.filter(member=members["851"]).exists()
    internal = selectors.allocation_table(period).row_for(members["851"].pk).annual_after
    invoiced = sum(invoices.values_list("total", flat=True))
    assert invoiced + internal == Decimal("48000.00") == Decimal("64000.00") - Decimal("16000")
    for code, member in members.items():
        if code != "851":
            year = sum(invoices.filter(member=member).values_list("total", flat=True))
            assert year == selectors.allocation_table(period).row_for(member.pk).annual_after


def test_running_a_quarter_twice_creates_nothing_new_and_leaves_no_gap():
    contract, _period, _members = seed_contract()
    first = _run(2025, 2)
    second = _run(2025, 2)
    assert (first.invoices_created, second.invoices_created) == (5, 0)
    assert second.status == InvoicingRun.Status.DONE
    assert _numbers(contract.issuer) == [1, 2, 3, 4, 5]


def test_the_database_refuses_a_second_live_invoice_for_a_member_and_quarter():
    contract, _period, _members = seed_contract()
    _run(2025, 1)
    duplicate = Invoice.objects.filter(contract=contract).first()
    duplicate.pk = None
    duplicate.number = 99
    with pytest.raises(IntegrityError), transaction.atomic():
        duplicate.save()


@pytest.mark.django_db(transaction=True)
def test_two_runs_at_once_leave_one_invoice_per_member_and_no_gap():
    contract, _period, _members = seed_contract()
    runs = [InvoicingRun.objects.create(year=2025, quarter=3) for _ in range(2)]
    barrier = threading.Barrier(2)
    errors = []

    def work(run_id):
        try:
            barrier.wait(timeout=10)
            invoicing.invoicing_run_execute(run_id=run_id)
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)
        finally:
            connection.close()  # each thread has its own connection

    threads = [threading.Thread(target=work, args=[run.pk]) for run in runs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    invoices = Invoice.objects.filter(contract=contract, year=2025, quarter=3)
    assert invoices.count() == 5
    assert sorted(invoices.values_list("member__code", flat=True)) == [
        "240",
        "241",
        "751",
        "845",
        "976",
    ]
    assert _numbers(contract.issuer) == [1, 2, 3, 4, 5]
    created = sorted(InvoicingRun.objects.values_list("invoices_created", flat=True))
    assert created == [0, 5]


def test_a_run_killed_half_way_is_completed_by_running_again():
    contract, _period, members = seed_contract()
    other = contract
    second = ContractPeriodFactory(
        contract__issuer=members["240"], contract__members=[members["240"], members["241"]]
    ).contract
    # the first contract was invoiced before the worker died; the second was not
    invoicing.contract_quarter_invoice(contract_id=other.pk, year=2025, quarter=4)
    assert not Invoice.objects.filter(contract=second).exists()
    run = _run(2025, 4)
    assert run.invoices_created == 1
    assert Invoice.objects.filter(contract=second, year=2025, quarter=4).count() == 1
    assert Invoice.objects.filter(contract=other, year=2025, quarter=4).count() == 5


def test_the_scheduled_task_invoices_the_quarter_that_just_ended(monkeypatch):
    _contract, _period, _members = seed_contract()
    monkeypatch.setattr(invoicing.timezone, "localdate", lambda: date(2026, 1, 1))
    from contracts import tasks

    monkeypatch.setattr(tasks.timezone, "localdate", lambda: date(2026, 1, 1))
    assert invoicing_run_previous_quarter.apply().get() == 5
    assert set(Invoice.objects.values_list("year", "quarter")) == {(2025, 4)}


def test_issued_invoice_is_never_changed_by_a_later_run(
    django_capture_on_commit_callbacks, finance_user
):
    _contract, period, members = seed_contract()
    _run(2025, 1)
    invoice = Invoice.objects.get(member=members["240"], year=2025, quarter=1)
    with django_capture_on_commit_callbacks() as callbacks:
        services.invoice_issue(invoice=invoice, by=finance_user)
    assert len(callbacks) == 1  # the documents are queued once the issue is committed
    total = invoice.total
    QuarterActualCost.objects.create(period=period, year=2025, quarter=1, amount=Decimal("9000"))
    _run(2025, 1)
    invoice.refresh_from_db()
    assert invoice.total == total
    assert invoice.lines.count() == 4
    assert invoice.status == Invoice.Status.ISSUED


def test_actual_cost_of_a_quarter_is_allocated_into_the_drafts():
    contract, period, _members = seed_contract()
    _run(2025, 2)
    QuarterActualCost.objects.create(
        period=period, year=2025, quarter=2, amount=Decimal("20000.00"), note="PeLa 2/2025"
    )
    _run(2025, 2)
    drafts = Invoice.objects.filter(year=2025, quarter=2)
    # 20 000 € less a quarter of the 16 000 € state funding = 16 000 € shared by 99.9 weights
    expected = services.allocate(Decimal("16000.00"), selectors.allocation_table(period).weights)
    for invoice in drafts:
        assert invoice.total == expected[invoice.member_id]
        assert "PeLa 2/2025" in " ".join(invoice.lines.values_list("description", flat=True))
    assert _numbers(contract.issuer) == [1, 2, 3, 4, 5]  # updated in place, no new numbers


def test_credit_note_frees_the_quarter_for_a_corrected_invoice(
    django_capture_on_commit_callbacks, finance_user
):
    _contract, _period, members = seed_contract()
    _run(2025, 1)
    invoice = Invoice.objects.get(member=members["241"], year=2025, quarter=1)
    services.invoice_issue(invoice=invoice, by=finance_user)
    with django_capture_on_commit_callbacks():
        note = services.invoice_credit(invoice=invoice, by=finance_user)
    invoice.refresh_from_db()
    assert invoice.status == Invoice.Status.CREDITED
    assert note.kind == Invoice.Kind.CREDIT_NOTE
    assert note.total == -invoice.total
    assert note.number == 6
    assert _run(2025, 1).invoices_created == 1
    corrected = Invoice.objects.get(
        member=members["241"], year=2025, quarter=1, kind="invoice", status="draft"
    )
    assert corrected.number == 7
    with pytest.raises(ValidationError):
        services.invoice_credit(invoice=invoice, by=finance_user)


def test_invoice_status_moves_only_forward(finance_user):
    _contract, _period, _members = seed_contract()
    _run(2025, 1)
    invoice = Invoice.objects.filter(year=2025).first()
    with pytest.raises(ValidationError):
        services.invoice_change_status(invoice=invoice, to_status="paid", by=finance_user)
    services.invoice_issue(invoice=invoice, by=finance_user)
    services.invoice_change_status(invoice=invoice, to_status="sent", by=finance_user)
    services.invoice_change_status(invoice=invoice, to_status="paid", by=finance_user)
    invoice.refresh_from_db()
    assert invoice.status == "paid"
    with pytest.raises(ValidationError):
        services.invoice_issue(invoice=invoice, by=finance_user)


def test_reference_number_has_a_valid_check_digit():
    _contract, _period, _members = seed_contract()
    _run(2025, 1)
    for invoice in Invoice.objects.all():
        assert invoice.reference == services.finnish_reference(invoice.reference[:-1])
        assert invoice.reference.startswith(f"1{invoice.number:06d}")


def test_periods_may_not_overlap_in_python_or_in_the_database():
    contract, _period, _members = seed_contract()
    overlapping = ContractPeriod(
        contract=contract,
        starts_on=date(2026, 7, 1),
        ends_on=date(2027, 6, 30),
        annual_cost=Decimal("1"),
        basis="agreed",
    )
    with pytest.raises(ValidationError, match="overlaps"):
        overlapping.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        overlapping.save()


def test_period_must_follow_quarters_and_funding_is_amount_or_percent():
    contract, _period, _members = seed_contract()
    bad = ContractPeriod(
        contract=contract,
        starts_on=date(2027, 2, 1),
        ends_on=date(2027, 12, 30),
        annual_cost=Decimal("1000"),
        basis="population",
        state_funding_amount=Decimal("10"),
        state_funding_percent=Decimal("10"),
    )
    with pytest.raises(ValidationError) as info:
        bad.full_clean()
    assert set(info.value.message_dict) >= {
        "starts_on",
        "ends_on",
        "state_funding_percent",
        "population_reference_date",
    }


def test_issuer_bank_details_are_validated():
    contract, _period, _members = seed_contract()
    contract.issuer_iban = "FI21 1234 5600 0007 86"
    contract.issuer_bic = "XX"
    with pytest.raises(ValidationError) as info:
        contract.full_clean()
    assert set(info.value.message_dict) == {"issuer_iban", "issuer_bic"}


def test_beat_runs_invoicing_on_the_first_day_after_each_quarter():
    from celery.schedules import crontab
    from django.conf import settings

    from fostercare.celery import app

    entry = settings.CELERY_BEAT_SCHEDULE["contracts-quarterly-invoicing"]
    assert entry["task"] in app.tasks
    schedule = entry["schedule"]
    assert isinstance(schedule, crontab)
    assert schedule.day_of_month == {1}
    assert schedule.month_of_year == {1, 4, 7, 10}
    assert settings.CELERY_TIMEZONE == "Europe/Helsinki"


def test_a_contract_with_missing_figures_fails_the_run_with_a_message():
    _contract, period, members = seed_contract(basis=ContractPeriod.Basis.USAGE)
    period.usage_figures.filter(member=members["751"]).delete()
    run = _run(2025, 1)
    assert run.status == InvoicingRun.Status.FAILED
    assert run.problems == [
        {
            "contract": "Seudullinen erityissosiaalityö",
            "code": "no_usage",
            "params": {"member": "Simo"},
        }
    ]
    assert run.problem_messages == [
        "Seudullinen erityissosiaalityö: No usage figure has been entered for Simo."
    ]
    assert not Invoice.objects.exists()


def test_an_unexpected_error_marks_the_run_failed_and_is_raised(monkeypatch):
    seed_contract()

    def broken(**kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(invoicing, "contract_quarter_invoice", broken)
    run = InvoicingRun.objects.create(year=2025, quarter=1)
    with pytest.raises(RuntimeError):
        invoicing.invoicing_run_execute(run_id=run.pk)
    run.refresh_from_db()
    assert run.status == InvoicingRun.Status.FAILED
    assert [p["code"] for p in run.problems] == ["unexpected"]
    assert run.is_finished
