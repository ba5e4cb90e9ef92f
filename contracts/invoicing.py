"""The quarterly invoicing run and what it writes: invoice numbers, draft invoices and
their lines, the issuing of a quarter's drafts, and the rendered documents. The Celery
tasks call these; so do the services of the pages for what they share (numbers, dates,
lines, what issuing sets).

Every function here is safe to run twice or at once: rows are locked, and the database's
unique constraints allow one live invoice per member and quarter.
"""

import hashlib
import logging
from collections.abc import Callable
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from functools import partial

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from contracts import selectors, shares
from contracts.allocation import CENT, finnish_reference
from contracts.documents import finvoice_missing, invoice_finvoice_xml, invoice_pdf
from contracts.models import (
    Contract,
    ContractPeriod,
    Invoice,
    InvoiceLine,
    InvoiceNumberCounter,
    InvoicingRun,
    IssuingRun,
)
from contracts.quarters import quarter_first_day
from fostercare.models import MemberOrganisation

logger = logging.getLogger(__name__)


def invoice_number_next(*, issuer: MemberOrganisation) -> int:
    """Take the issuer's next invoice number. Call inside a transaction: the counter row
    stays locked until it commits, and a rollback gives the number back (no gaps)."""
    InvoiceNumberCounter.objects.bulk_create(
        [InvoiceNumberCounter(issuer=issuer)], ignore_conflicts=True
    )
    counter = InvoiceNumberCounter.objects.select_for_update().get(issuer=issuer)
    counter.last_number += 1
    counter.save(update_fields=["last_number"])
    return counter.last_number


def invoice_lines_write(invoice: Invoice, lines: list[tuple[str, Decimal | None]]) -> None:
    """Replace the invoice's lines: (text, amount), where lines without an amount explain
    the calculation and the amounts add up to the invoice's amount excluding VAT."""
    invoice.lines.all().delete()
    InvoiceLine.objects.bulk_create(
        [
            InvoiceLine(invoice=invoice, position=i, description=text[:300], amount=amount)
            for i, (text, amount) in enumerate(lines, start=1)
        ]
    )


def invoice_amounts(amount: Decimal, vat_rate: Decimal) -> dict:
    vat = (amount * vat_rate / 100).quantize(CENT, ROUND_HALF_UP)
    return {"amount_excluding_vat": amount, "vat_amount": vat, "total": amount + vat}


def contract_quarter_invoice(
    *,
    contract_id: int,
    year: int,
    quarter: int,
    nothing_due: list | None = None,
    drafts_only: bool = False,
) -> int:
    """Create the draft invoices of one contract and quarter that do not exist yet, and
    bring existing drafts up to date. Returns how many invoices were created; members
    whose share of the year is already invoiced are appended to ``nothing_due``. With
    ``drafts_only`` the existing drafts are brought up to date and nothing is created.

    Safe to run twice or at once: the contract row is locked for the transaction, and the
    database's unique constraint allows one live invoice per member and quarter. The
    year's invariant (contracts.shares) holds because every live invoice of the
    period-year is locked while the bills are worked out and written.
    """
    with transaction.atomic():
        contract = Contract.objects.select_for_update().get(pk=contract_id)
        period = selectors.contract_period_for_quarter(
            contract=contract, year=year, quarter=quarter
        )
        if period is None:
            return 0
        # the table's texts in Finnish; each member's lines in its invoicing language
        with translation.override("fi"):
            table = selectors.allocation_table(period)
            if table.problems:
                raise table.validation_error()
            # Locked until this transaction commits: an invoice that finance issues or
            # credits meanwhile waits for the run, and one issued before is read as issued.
            year_live = list(
                Invoice.objects.select_for_update()
                .filter(period=period, year=year, kind=Invoice.Kind.INVOICE)
                .exclude(status=Invoice.Status.CREDITED)
                .order_by("pk")
            )
            live = {inv.member_id: inv for inv in year_live if inv.quarter == quarter}
            created = 0
            for row in table.rows:
                if row.is_issuer:
                    continue  # the administrator's own share is borne internally
                invoice = live.get(row.member.pk)
                if invoice is not None and invoice.status != Invoice.Status.DRAFT:
                    continue  # issued invoices are never edited
                if invoice is None and drafts_only:
                    continue
                with translation.override(row.member.invoicing_language or "fi"):
                    bill = shares.quarter_share(
                        period=period,
                        table=table,
                        member_id=row.member.pk,
                        year=year,
                        quarter=quarter,
                        others=[
                            inv
                            for inv in year_live
                            if inv.member_id == row.member.pk and inv.quarter != quarter
                        ],
                    )
                if invoice is None and bill.nothing_due:
                    if nothing_due is not None:
                        nothing_due.append({"contract": contract.name, "member": str(row.member)})
                    continue
                if invoice is None:
                    invoice = Invoice(
                        **number_and_reference(contract.issuer),
                        contract=contract,
                        period=period,
                        member=row.member,
                        year=year,
                        quarter=quarter,
                    )
                    created += 1
                invoice.invoice_date, invoice.due_date = invoice_dates(period)
                invoice.vat_rate = period.vat_rate
                invoice.vat_note = period.vat_note
                invoice.covered_quarters = bill.covered_quarters
                for name, value in invoice_amounts(bill.amount, period.vat_rate).items():
                    setattr(invoice, name, value)
                invoice.save()
                invoice_lines_write(invoice, bill.lines)
    return created


def period_year_drafts_refresh(*, period: ContractPeriod, year: int) -> int:
    """Bring every draft of the period-year up to date with the figures as they stand,
    earliest quarter first (the year's last quarter reads the others). Creates nothing;
    returns how many drafts there were. Raises the allocation's ValidationError when the
    figures cannot be allocated; the drafts are then left as they were."""
    drafts = Invoice.objects.filter(
        period=period, year=year, kind=Invoice.Kind.INVOICE, status=Invoice.Status.DRAFT
    )
    quarters = sorted(set(drafts.values_list("quarter", flat=True)))
    for quarter in quarters:
        contract_quarter_invoice(
            contract_id=period.contract_id, year=year, quarter=quarter, drafts_only=True
        )
    return drafts.count()


def number_and_reference(issuer) -> dict:
    """The issuer's next invoice number and the reference number made from it."""
    number = invoice_number_next(issuer=issuer)
    return {"issuer": issuer, "number": number, "reference": finnish_reference(f"1{number:06d}")}


def invoice_dates(period: ContractPeriod) -> tuple[date, date]:
    """Invoice date today; due after the period's payment term."""
    today = timezone.localdate()
    return today, today + timedelta(days=period.payment_term_days)


def invoicing_run_execute(*, run_id: int) -> InvoicingRun:
    """Invoice every active contract for the run's quarter, one contract per transaction,
    so a run that dies half-way is completed by running it again."""
    run = InvoicingRun.objects.get(pk=run_id)
    first_day = quarter_first_day(run.year, run.quarter)
    contract_ids = list(
        Contract.objects.filter(
            active=True, periods__starts_on__lte=first_day, periods__ends_on__gte=first_day
        )
        .order_by("pk")
        .values_list("pk", flat=True)
        .distinct()
    )
    InvoicingRun.objects.filter(pk=run.pk).update(
        status=InvoicingRun.Status.RUNNING,
        contracts_total=len(contract_ids),
        contracts_done=0,
        progress_at=timezone.now(),
    )
    # Problems are stored as codes and parameters (models.RUN_PROBLEMS), so the page
    # shows them in its reader's language; the technical details go to the log.
    problems, nothing_due = [], []
    for contract_id in contract_ids:
        try:
            created = contract_quarter_invoice(
                contract_id=contract_id,
                year=run.year,
                quarter=run.quarter,
                nothing_due=nothing_due,
            )
        except ValidationError as error:
            created = 0
            name = Contract.objects.get(pk=contract_id).name
            problems += [
                {"contract": name, "code": e.code, "params": e.params or {}}
                for e in error.error_list
            ]
        except Exception:
            logger.exception(
                "Invoicing run %s (Q%s/%s) failed at contract %s",
                run.pk,
                run.quarter,
                run.year,
                contract_id,
            )
            name = Contract.objects.filter(pk=contract_id).values_list("name", flat=True).first()
            # the page that watches the run must stop waiting; the task still fails
            InvoicingRun.objects.filter(pk=run.pk).update(
                status=InvoicingRun.Status.FAILED,
                problems=[*problems, {"contract": name or "", "code": "unexpected", "params": {}}],
                finished_at=timezone.now(),
            )
            raise
        InvoicingRun.objects.filter(pk=run.pk).update(
            contracts_done=F("contracts_done") + 1,
            invoices_created=F("invoices_created") + created,
            progress_at=timezone.now(),  # the heartbeat that tells a stalled run apart
        )
    InvoicingRun.objects.filter(pk=run.pk).update(
        status=InvoicingRun.Status.FAILED if problems else InvoicingRun.Status.DONE,
        problems=problems,
        nothing_due=nothing_due,
        progress_at=timezone.now(),
        finished_at=timezone.now(),
    )
    run.refresh_from_db()
    return run


# --- issuing drafts ---------------------------------------------------------------------

# Drafts issued per transaction: the page sees the progress batch by batch, and a worker
# that dies loses at most one uncommitted batch, which the next run issues.
ISSUE_BATCH = 50
ISSUE_FIELDS = ["status", "invoice_date", "due_date", "issued_at", "issued_by"]


def invoice_deliverable_check(invoice: Invoice) -> None:
    """Refuse an invoice whose Finvoice could not be routed or would not validate: the
    buyer and the issuer need an e-invoicing address and operator and a postal address.
    The message names the member organisation and the fields to fill in."""
    errors = []
    for organisation, role in ((invoice.member, "buyer"), (invoice.issuer, "seller")):
        missing = finvoice_missing(organisation, role=role)
        if missing:
            errors.append(
                ValidationError(
                    _(
                        "%(organisation)s lacks what its e-invoice needs: %(fields)s. Fill "
                        "them in on the member organisation, then issue again."
                    ),
                    code="einvoice_data_missing",
                    params={"organisation": str(organisation), "fields": ", ".join(missing)},
                )
            )
    if errors:
        raise ValidationError(errors)


def invoice_issue_fields(invoice: Invoice, *, by) -> None:
    """Set what issuing gives a draft: today's date, its due date, who and when. The
    caller holds the draft's row lock and saves ``ISSUE_FIELDS``. The number was taken
    when the draft was made, so issuing takes none and leaves no gap."""
    invoice_deliverable_check(invoice)
    invoice.status = Invoice.Status.ISSUED
    invoice.invoice_date, invoice.due_date = invoice_dates(invoice.period)
    if invoice.is_credit:  # a negative invoice: nothing falls due
        invoice.due_date = invoice.invoice_date
    invoice.issued_at = timezone.now()
    invoice.issued_by = by


def issuing_run_execute(*, run_id: int, queue_documents: Callable[[int], object]) -> IssuingRun:
    """Issue the drafts of the run's quarter that its starter may change, ``ISSUE_BATCH``
    per transaction. A draft refused for missing e-invoicing data is recorded and left a
    draft; the others are issued all the same (an invoice stands on its own: issuing
    one does not depend on another). A draft that someone else issued or credited
    meanwhile is counted as skipped. ``queue_documents(pk)`` is called for each issued
    invoice once its batch is committed.

    Safe to run twice: a finished run is left as it is, and a redelivered one carries on
    with the drafts still left."""
    run = IssuingRun.objects.select_related("started_by").get(pk=run_id)
    if run.is_finished:
        return run
    pks = list(
        selectors.invoice_drafts_to_issue(run.started_by, year=run.year, quarter=run.quarter)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    IssuingRun.objects.filter(pk=run.pk).update(
        status=IssuingRun.Status.RUNNING,
        drafts_total=F("drafts_done") + len(pks),
        progress_at=timezone.now(),
    )
    try:
        # the refusals are sentences: written in the language of the one who asked
        with translation.override(run.language):
            for start in range(0, len(pks), ISSUE_BATCH):
                _issue_batch(run, pks[start : start + ISSUE_BATCH], queue_documents)
    except Exception:
        logger.exception("Issuing run %s (Q%s/%s) failed", run.pk, run.quarter, run.year)
        with translation.override(run.language):
            text = _(
                "An unexpected error stopped the issuing. It has been logged for the "
                "administrators; issue the quarter's drafts again once it is fixed."
            )
        # the page that watches the run must stop waiting; the task still fails
        IssuingRun.objects.filter(pk=run.pk).update(
            status=IssuingRun.Status.FAILED,
            refused=[*run.refused, {"number": None, "text": text}],
            progress_at=timezone.now(),
            finished_at=timezone.now(),
        )
        raise
    IssuingRun.objects.filter(pk=run.pk).update(
        status=IssuingRun.Status.DONE, progress_at=timezone.now(), finished_at=timezone.now()
    )
    run.refresh_from_db()
    return run


def _issue_batch(run: IssuingRun, pks: list[int], queue_documents) -> None:
    issued, refused = [], 0
    with transaction.atomic():
        drafts = (
            Invoice.objects.select_related("period", "member", "issuer")
            .select_for_update(of=("self",))
            .filter(pk__in=pks, status=Invoice.Status.DRAFT)
            .order_by("pk")
        )
        for invoice in drafts:
            try:
                invoice_issue_fields(invoice, by=run.started_by)
            except ValidationError as error:  # checked before anything is set
                refused += 1
                run.refused += [{"number": invoice.number, "text": m} for m in error.messages]
                continue
            issued.append(invoice)
        Invoice.objects.bulk_update(issued, ISSUE_FIELDS)
        for invoice in issued:
            transaction.on_commit(partial(queue_documents, invoice.pk))
        # counted in the batch's transaction, so the counts never drift from the invoices
        IssuingRun.objects.filter(pk=run.pk).update(
            drafts_done=F("drafts_done") + len(pks),
            issued=F("issued") + len(issued),
            skipped=F("skipped") + len(pks) - len(issued) - refused,
            refused=run.refused,
            progress_at=timezone.now(),  # the heartbeat that tells a stalled run apart
        )


def invoice_documents_render(*, invoice_id: int) -> Invoice:
    """Render and store an issued invoice's PDF and Finvoice XML with their SHA-256
    checksums. Documents already stored are kept: an issued invoice never changes."""
    invoice = (
        Invoice.objects.select_related("issuer", "member", "contract", "period", "credited_invoice")
        .prefetch_related("lines")
        .get(pk=invoice_id)
    )
    if invoice.status == Invoice.Status.DRAFT or (invoice.pdf and invoice.finvoice):
        return invoice
    pdf_bytes = invoice_pdf(invoice)
    xml_bytes = invoice_finvoice_xml(invoice)
    stem = f"{invoice.issuer.code}-{invoice.number}"
    with transaction.atomic():
        locked = Invoice.objects.select_for_update().get(pk=invoice.pk)
        if locked.pdf and locked.finvoice:
            return locked
        locked.pdf.save(f"{stem}.pdf", ContentFile(pdf_bytes), save=False)
        locked.pdf_sha256 = hashlib.sha256(pdf_bytes).hexdigest()
        locked.finvoice.save(f"{stem}.xml", ContentFile(xml_bytes), save=False)
        locked.finvoice_sha256 = hashlib.sha256(xml_bytes).hexdigest()
        locked.save(update_fields=["pdf", "pdf_sha256", "finvoice", "finvoice_sha256"])
    return locked
