"""Writes of contracts and invoicing: every door (the pages, the admin, its imports and
actions, the demo data) changes contracts' data through these functions, so each rule
holds whatever the door.

The quarterly run itself, the issuing of a quarter's drafts and the documents are
written by ``contracts.invoicing``, which the Celery tasks call; a service queues them
once its transaction commits.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from contracts import invoicing, selectors, tasks
from contracts.allocation import allocate, finnish_reference
from contracts.models import (
    AgreedShare,
    Contract,
    ContractPeriod,
    Invoice,
    InvoicingRun,
    IssuingRun,
    ProducerInvoice,
    QuarterActualCost,
    UsageFigure,
)
from contracts.quarters import quarter_first_day
from fostercare.models import MemberOrganisation, User

# Pure money functions, importable from here as they always were.
__all__ = ["allocate", "finnish_reference"]


# --- contracts and their figures (edited in the admin) -------------------------------


@transaction.atomic
def contract_save(
    *, contract: Contract, members: Iterable[MemberOrganisation], by: User | None
) -> Contract:
    """Create or change a contract and set its parties; the administering member must be
    one of them."""
    members = list(members)
    contract.full_clean()
    contract.validate_parties(members)
    contract.save()
    contract.members.set(members)
    return contract


@transaction.atomic
def contract_delete(*, contract: Contract, by: User | None) -> None:
    """Delete a contract that has no invoices (invoices protect their contract)."""
    contract.delete()


@transaction.atomic
def contract_period_save(*, period: ContractPeriod, by: User | None) -> ContractPeriod:
    """Create or change a period: quarters, no overlap, funding amount or percent.

    The contract row is locked so that two periods saved at once are checked one after
    the other; the exclusion constraint is the last word, and its refusal is a message."""
    if period.contract_id:
        Contract.objects.select_for_update().filter(pk=period.contract_id).first()
    period.full_clean()
    try:
        with transaction.atomic():
            period.save()
    except IntegrityError as error:
        if "contract_period_no_overlap" not in str(error):
            raise
        raise ValidationError(
            {"starts_on": _("The period overlaps another period of this contract.")},
            code="period_overlap",
        ) from error
    return period


@transaction.atomic
def contract_period_delete(*, period: ContractPeriod, by: User | None) -> None:
    period.delete()


def _validate_party(period: ContractPeriod, member_id: int) -> None:
    if not period.contract.members.filter(pk=member_id).exists():
        raise ValidationError(
            {"member": _("Choose one of the contract's parties.")}, code="not_a_party"
        )


@transaction.atomic
def agreed_share_set(
    *, period: ContractPeriod, member: MemberOrganisation, percentage, by: User | None
) -> AgreedShare:
    """Set a party's agreed share of the period, creating it if there is none."""
    _validate_party(period, member.pk)
    share = AgreedShare.objects.select_for_update().filter(period=period, member=member).first()
    share = share or AgreedShare(period=period, member=member)
    share.percentage = percentage
    return agreed_share_save(share=share, by=by)


@transaction.atomic
def usage_figure_set(
    *, period: ContractPeriod, member: MemberOrganisation, care_days: int, source: str, by
) -> UsageFigure:
    """Set a party's usage figure of the period, creating it if there is none."""
    _validate_party(period, member.pk)
    figure = UsageFigure.objects.select_for_update().filter(period=period, member=member).first()
    figure = figure or UsageFigure(period=period, member=member)
    figure.care_days, figure.source = care_days, source
    return usage_figure_save(figure=figure, by=by)


@transaction.atomic
def agreed_share_save(*, share: AgreedShare, by: User | None) -> AgreedShare:
    share.full_clean()
    share.save()
    return share


@transaction.atomic
def agreed_share_delete(*, share: AgreedShare, by: User | None) -> None:
    share.delete()


@transaction.atomic
def usage_figure_save(*, figure: UsageFigure, by: User | None) -> UsageFigure:
    figure.full_clean()
    figure.save()
    return figure


@transaction.atomic
def usage_figure_delete(*, figure: UsageFigure, by: User | None) -> None:
    figure.delete()


@transaction.atomic
def usage_figures_from_placements(*, period: ContractPeriod, by: User | None) -> int:
    """Replace the period's usage figures with the care days of the members' placements
    so far; returns the total care days."""
    today = timezone.localdate()
    days = selectors.placement_care_days(period=period, until=today)
    source = _("Care days of placements up to %(date)s") % {
        "date": formats.date_format(min(period.ends_on, today), "SHORT_DATE_FORMAT")
    }
    for member_id, care_days in days.items():
        UsageFigure.objects.update_or_create(
            period=period,
            member_id=member_id,
            defaults={"care_days": care_days, "source": source[:200]},
        )
    return sum(days.values())


@dataclass
class DraftsRefresh:
    """What a changed actual cost did to the invoices of its year: the drafts brought up
    to date, why they could not be, and the issued invoices that no longer match."""

    drafts: int = 0
    problems: list[str] = field(default_factory=list)
    proposals: list = field(default_factory=list)  # selectors.CreditProposal


def _drafts_refresh(cost: QuarterActualCost) -> DraftsRefresh:
    result = DraftsRefresh()
    try:
        with transaction.atomic():
            result.drafts = invoicing.period_year_drafts_refresh(period=cost.period, year=cost.year)
    except ValidationError as error:
        result.problems = error.messages
    period = selectors.contract_period_for_quarter(
        contract=cost.period.contract, year=cost.year, quarter=cost.quarter
    )
    result.proposals = [
        proposal
        for proposal in selectors.period_credit_proposals(
            period, selectors.allocation_table(period), years=[cost.year]
        )
        if cost.quarter in proposal.invoice.covered_quarters
    ]
    return result


@transaction.atomic
def quarter_actual_cost_save(
    *, cost: QuarterActualCost, by: User | None = None
) -> QuarterActualCost:
    """Enter a quarter's actual cost; the drafts of its year are brought up to date."""
    cost.full_clean()
    cost.save()
    cost.drafts_refresh = _drafts_refresh(cost)
    return cost


@transaction.atomic
def quarter_actual_cost_correct(
    *, cost: QuarterActualCost, amount, reason: str, by: User | None
) -> QuarterActualCost:
    """Correct a quarter's actual cost, saying why. The year's drafts are brought up to
    date at once; an issued invoice is never edited, so each one that no longer matches
    is proposed for a credit note (``cost.drafts_refresh.proposals``), or is adjusted by
    the run that completes the year if finance leaves it."""
    if not reason.strip():
        raise ValidationError(
            {"reason": _("Say why the actual cost is corrected.")}, code="reason_required"
        )
    cost = QuarterActualCost.objects.select_for_update().get(pk=cost.pk)
    cost.amount = amount
    cost.correction_reason = reason.strip()
    cost.corrected_at = timezone.now()
    cost.full_clean()
    cost.save()
    cost.drafts_refresh = _drafts_refresh(cost)
    return cost


@transaction.atomic
def producer_invoice_record(*, invoice: ProducerInvoice, by: User | None) -> ProducerInvoice:
    """Record the producer's invoice of a quarter and make its amount the quarter's actual
    cost: a new actual cost noted with the invoice's number, or a correction of the one
    entered before that says it came from this invoice. The actual cost stays the one
    figure that allocation and invoicing read."""
    invoice.recorded_by = by
    invoice.full_clean()
    reason = _("from the producer's invoice %(number)s") % {"number": invoice.number}
    cost = (
        QuarterActualCost.objects.select_for_update()
        .filter(period=invoice.period, year=invoice.year, quarter=invoice.quarter)
        .first()
    )
    if cost is None:
        cost = QuarterActualCost(
            period=invoice.period,
            year=invoice.year,
            quarter=invoice.quarter,
            amount=invoice.amount,
            note=reason[:200],
        )
        quarter_actual_cost_save(cost=cost, by=by)
    else:
        cost = quarter_actual_cost_correct(
            cost=cost, amount=invoice.amount, reason=reason[:200], by=by
        )
    invoice.actual_cost = cost
    invoice.save()
    return invoice


@transaction.atomic
def quarter_actual_cost_delete(*, cost: QuarterActualCost, by: User | None) -> None:
    cost.delete()


# --- the quarterly run ------------------------------------------------------------------


def invoicing_run_start(
    *, year: int, quarter: int, by: User | None, confirm_early: bool = False
) -> InvoicingRun:
    """Record a run for a quarter and queue it once the record is committed. A quarter
    that a contract period invoices in arrears (the default) and that has not ended yet,
    or one invoiced in advance that has not begun, runs only with ``confirm_early``."""
    run = InvoicingRun(year=year, quarter=quarter, started_by=by)
    run.full_clean()
    first_day = quarter_first_day(year, quarter)
    periods = ContractPeriod.objects.filter(
        contract__active=True, starts_on__lte=first_day, ends_on__gte=first_day
    )
    today = timezone.localdate()
    if not confirm_early and any(
        not period.may_invoice_on(today, year, quarter) for period in periods
    ):
        raise ValidationError(
            _(
                "Q%(quarter)s/%(year)s has not ended yet (contracts are invoiced in "
                "arrears unless their period says in advance). Confirm that you want to "
                "invoice it early."
            )
            % {"quarter": quarter, "year": year},
            code="quarter_not_ended",
        )
    with transaction.atomic():
        run.save()
        transaction.on_commit(lambda: tasks.invoicing_run_execute.delay(run.pk))
    return run


# --- invoice lifecycle ------------------------------------------------------------------

S = Invoice.Status


def _locked(invoice: Invoice) -> Invoice:
    # the parties are read to check the invoice can be delivered; only the invoice is locked
    return (
        Invoice.objects.select_related("member", "issuer", "period")
        .select_for_update(of=("self",))
        .get(pk=invoice.pk)
    )


def _queue_documents(invoice: Invoice) -> None:
    transaction.on_commit(lambda: tasks.invoice_documents_render.delay(invoice.pk))


@transaction.atomic
def invoice_issue(*, invoice: Invoice, by: User, queue_documents: bool = True) -> Invoice:
    """Issue a draft: it gets today's date and its due date, and is never edited again.
    Its documents are rendered by Celery once the issue is committed (the demo data
    passes ``queue_documents=False`` and renders them itself)."""
    invoice = _locked(invoice)
    if invoice.status != S.DRAFT:
        raise ValidationError(_("Only a draft can be issued."))
    invoicing.invoice_issue_fields(invoice, by=by)
    invoice.save()
    if queue_documents:
        _queue_documents(invoice)
    return invoice


def invoices_issue_start(*, year: int, quarter: int, by: User) -> tuple[IssuingRun, bool]:
    """Record the issuing of a quarter's drafts and queue it once the record is
    committed; returns the run and whether it was started now. While the quarter's
    drafts are being issued, that run is returned and nothing new starts. One whose
    worker stopped is marked failed, and the new one issues the drafts still left."""
    unfinished = IssuingRun.objects.filter(
        year=year, quarter=quarter, status__in=IssuingRun.UNFINISHED
    )
    with transaction.atomic():
        current = unfinished.select_for_update().first()
        if current is not None and not current.is_stalled:
            return current, False
        if current is not None:
            with translation.override(current.language):
                text = _(
                    "Its worker stopped. Confirming the drafts again started a new issuing "
                    "for those still left."
                )
            current.refused = [*current.refused, {"number": None, "text": text}]
            current.status, current.finished_at = IssuingRun.Status.FAILED, timezone.now()
            current.save(update_fields=["refused", "status", "finished_at"])
        run = IssuingRun(
            year=year,
            quarter=quarter,
            started_by=by,
            language=translation.get_language() or settings.LANGUAGE_CODE,
        )
        # the database's constraint is the last word on one run per quarter
        run.full_clean(validate_constraints=False)
        try:
            with transaction.atomic():
                run.save()
        except IntegrityError:  # another click started one since the lock above
            return unfinished.get(), False
        transaction.on_commit(lambda: tasks.invoices_issue_run.delay(run.pk))
    return run, True


@transaction.atomic
def invoice_change_status(*, invoice: Invoice, to_status: str, by: User) -> Invoice:
    """Mark an issued invoice sent or paid."""
    invoice = _locked(invoice)
    if to_status not in invoice.next_statuses:
        raise ValidationError(
            _("An invoice cannot move from “%(from)s” to “%(to)s”.")
            % {
                "from": invoice.get_status_display(),
                "to": S(to_status).label if to_status in S.values else to_status,
            }
        )
    invoice.status = to_status
    invoice.save(update_fields=["status"])
    return invoice


@transaction.atomic
def invoice_credit(*, invoice: Invoice, by: User) -> Invoice:
    """Credit an issued invoice in full with a credit note. The next run for its quarter
    creates a new draft, so a correction is a credit note plus a new invoice."""
    invoice = _locked(invoice)
    if not invoice.may_credit:
        raise ValidationError(_("Only an issued invoice can be credited."))
    invoicing.invoice_deliverable_check(invoice)
    today = timezone.localdate()
    with translation.override(invoice.member.invoicing_language or "fi"):
        note = Invoice.objects.create(
            **invoicing.number_and_reference(invoice.issuer),
            kind=Invoice.Kind.CREDIT_NOTE,
            status=S.ISSUED,
            contract=invoice.contract,
            period=invoice.period,
            member=invoice.member,
            year=invoice.year,
            quarter=invoice.quarter,
            invoice_date=today,
            due_date=today,
            vat_rate=invoice.vat_rate,
            vat_note=invoice.vat_note,
            amount_excluding_vat=-invoice.amount_excluding_vat,
            vat_amount=-invoice.vat_amount,
            total=-invoice.total,
            credited_invoice=invoice,
            issued_at=timezone.now(),
            issued_by=by,
        )
        invoicing.invoice_lines_write(
            note,
            [
                (
                    _("Credit for invoice %(number)s dated %(date)s")
                    % {
                        "number": invoice.number,
                        "date": formats.date_format(invoice.invoice_date, "SHORT_DATE_FORMAT"),
                    },
                    -invoice.amount_excluding_vat,
                )
            ],
        )
    invoice.status = S.CREDITED
    invoice.save(update_fields=["status"])
    _queue_documents(note)
    return note
