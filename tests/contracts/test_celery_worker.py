"""The invoicing tasks through a real Celery worker process and Redis."""

import signal
import time
from pathlib import Path

import psycopg
import pytest
from django.db import connection

from contracts import invoicing
from contracts.models import Invoice, InvoicingRun, IssuingRun
from tests.celery_worker import real_worker
from tests.contracts.factories import seed_contract


@pytest.fixture
def worker(media_root):
    """A worker on a queue of its own, against this test's database (committed data)."""
    with real_worker("contracts", MEDIA_ROOT=str(media_root)) as app:
        yield app


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_quarterly_run_and_documents_through_a_real_worker(worker, finance_user):
    contract, _period, members = seed_contract()
    runs = [InvoicingRun.objects.create(year=2025, quarter=1) for _ in range(2)]

    # two runs of the same quarter, queued at once and run by two worker threads
    results = [
        worker.send_task("contracts.tasks.invoicing_run_execute", args=[run.pk]) for run in runs
    ]
    created = sorted(result.get(timeout=90) for result in results)
    assert created == [0, 5]
    invoices = Invoice.objects.filter(contract=contract, year=2025, quarter=1)
    assert invoices.count() == 5
    assert sorted(invoices.values_list("number", flat=True)) == [1, 2, 3, 4, 5]
    assert set(InvoicingRun.objects.values_list("status", flat=True)) == {"done"}

    invoice = invoices.get(member=members["240"])
    Invoice.objects.filter(pk=invoice.pk).update(status="issued")
    checksum = worker.send_task("contracts.tasks.invoice_documents_render", args=[invoice.pk]).get(
        timeout=90
    )
    invoice.refresh_from_db()
    assert checksum == invoice.pdf_sha256 != ""
    assert Path(invoice.pdf.path).read_bytes().startswith(b"%PDF")


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_issuing_all_drafts_through_a_real_worker_renders_their_documents(worker, finance_user):
    contract, _period, _members = seed_contract()
    invoicing.invoicing_run_execute(run_id=InvoicingRun.objects.create(year=2025, quarter=1).pk)
    run = IssuingRun.objects.create(year=2025, quarter=1, started_by=finance_user)

    issued = worker.send_task("contracts.tasks.invoices_issue_run", args=[run.pk]).get(timeout=90)

    assert issued == 5
    run.refresh_from_db()
    assert (run.status, run.drafts_done, run.drafts_total) == ("done", 5, 5)
    invoices = Invoice.objects.filter(contract=contract, year=2025, quarter=1)
    assert set(invoices.values_list("status", flat=True)) == {"issued"}
    # each invoice's documents were queued once its batch committed, and rendered
    _wait_for(lambda: not invoices.filter(pdf_sha256="").exists(), timeout=90)
    assert sorted(invoices.values_list("number", flat=True)) == [1, 2, 3, 4, 5]


def _wait_for(condition, timeout=60.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError("timed out waiting for the worker")


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_a_run_whose_worker_is_killed_midway_is_completed_by_running_it_again(worker):
    contracts = [seed_contract()[0] for _ in range(3)]
    last = contracts[-1]
    run = InvoicingRun.objects.create(year=2025, quarter=1)
    db = connection.settings_dict
    # Hold the last contract's row lock from another connection: the worker invoices the
    # first two contracts, then waits on the third, and is killed there.
    with psycopg.connect(
        host=db["HOST"] or "127.0.0.1",
        port=db["PORT"] or 5432,
        dbname=db["NAME"],
        user=db["USER"],
        password=db["PASSWORD"],
    ) as blocker:
        blocker.execute("SELECT id FROM contracts_contract WHERE id = %s FOR UPDATE", [last.pk])
        worker.send_task("contracts.tasks.invoicing_run_execute", args=[run.pk])
        _wait_for(lambda: InvoicingRun.objects.get(pk=run.pk).contracts_done == 2)
        worker.worker_process.send_signal(signal.SIGKILL)
        worker.worker_process.wait(timeout=30)
        blocker.rollback()

    run.refresh_from_db()
    assert run.status == InvoicingRun.Status.RUNNING  # died mid-run
    assert not Invoice.objects.filter(contract=last).exists()

    rerun = invoicing.invoicing_run_execute(
        run_id=InvoicingRun.objects.create(year=2025, quarter=1).pk
    )

    assert rerun.status == InvoicingRun.Status.DONE
    assert rerun.invoices_created == 5  # only the contract the killed worker never reached
    for contract in contracts:
        assert Invoice.objects.filter(contract=contract, year=2025, quarter=1).count() == 5
    numbers = sorted(Invoice.objects.values_list("number", flat=True))
    assert numbers == list(range(1, 16))  # one issuer, no gap, no duplicate
