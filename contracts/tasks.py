"""Celery tasks of invoicing. Each fetches by id and calls the invoicing module; each is
safe to run twice (the work is idempotent, and acks_late re-delivers a task whose worker
died)."""

from celery import shared_task
from django.utils import timezone

from contracts import invoicing
from contracts.models import InvoicingRun
from contracts.quarters import previous_quarter


@shared_task
def invoicing_run_execute(run_id: int) -> int:
    """Run one recorded invoicing run; returns how many invoices it created."""
    return invoicing.invoicing_run_execute(run_id=run_id).invoices_created


@shared_task
def invoicing_run_previous_quarter() -> int:
    """The beat schedule's entry: on the first day after a quarter (Europe/Helsinki),
    make the drafts of the quarter that just ended for every active contract."""
    year, quarter = previous_quarter(timezone.localdate())
    run = InvoicingRun.objects.create(year=year, quarter=quarter)
    return invoicing.invoicing_run_execute(run_id=run.pk).invoices_created


@shared_task
def invoices_issue_run(run_id: int) -> int:
    """Issue the drafts of one recorded issuing run; returns how many it issued."""
    run = invoicing.issuing_run_execute(
        run_id=run_id, queue_documents=invoice_documents_render.delay
    )
    return run.issued


@shared_task
def invoice_documents_render(invoice_id: int) -> str:
    """Render an issued invoice's PDF and Finvoice XML; returns the PDF's checksum."""
    return invoicing.invoice_documents_render(invoice_id=invoice_id).pdf_sha256
