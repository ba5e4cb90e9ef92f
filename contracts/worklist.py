"""What invoicing puts on finance's work queue: past quarters of active contracts not yet
invoiced, drafts to review, invoices past due and unpaid, and past quarters of a contract
with a producer whose invoice to the administering member (the purchase side) is not
recorded. Registered in ``ContractsConfig.ready()``; finance's morning digest reads the
same items.
"""

from collections import defaultdict
from datetime import date
from urllib.parse import urlencode

from django.db.models import Count, QuerySet
from django.urls import reverse
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from contracts.models import Contract, ContractPeriod, Invoice, InvoicingRun, ProducerInvoice
from contracts.quarters import quarter_first_day, quarter_last_day, quarter_of
from contracts.selectors import invoices_past_due
from fostercare.access import may
from fostercare.worklist import Item, Level, NotBuilt, filtered_list, most_urgent

SECTION_NOT_INVOICED = "contracts.not_invoiced"
SECTION_DRAFTS = "contracts.drafts"
SECTION_PAST_DUE = "contracts.past_due"
SECTION_PRODUCER_INVOICES = "contracts.producer_invoices"

SECTIONS = [
    (
        SECTION_PAST_DUE,
        gettext_lazy("Invoices past due and unpaid"),
        110,
        filtered_list("contracts:invoice-list", past_due="on"),
    ),
    (SECTION_NOT_INVOICED, gettext_lazy("Quarters not yet invoiced"), 120),
    (
        SECTION_DRAFTS,
        gettext_lazy("Draft invoices to review"),
        130,
        filtered_list("contracts:invoice-list", status=Invoice.Status.DRAFT),
    ),
    (SECTION_PRODUCER_INVOICES, gettext_lazy("Producer's invoices not recorded"), 140),
]


# The one read of each model, through its visibility rule (fostercare.access).
def _contracts(user) -> QuerySet[Contract]:
    return Contract.objects.visible_to(user)


def _invoices(user) -> QuerySet[Invoice]:
    return Invoice.objects.visible_to(user)


def _runs(user) -> QuerySet[InvoicingRun]:
    return InvoicingRun.objects.visible_to(user)


def _producer_invoices(user) -> QuerySet[ProducerInvoice]:
    return ProducerInvoice.objects.visible_to(user)


def _handles_invoicing(user) -> bool:
    # unit workers read contracts and invoices; the queue is for those who invoice
    return may(user, "add", InvoicingRun)


def _quarter_name(year: int, quarter: int) -> str:
    return f"Q{quarter}/{year}"


def _quarters(starts_on: date, ends_on: date):
    year, quarter = quarter_of(starts_on)
    while quarter_first_day(year, quarter) <= ends_on:
        yield year, quarter
        year, quarter = (year + 1, 1) if quarter == 4 else (year, quarter + 1)


def _active_periods(user, today: date) -> list[ContractPeriod]:
    """Periods of active contracts that have begun, with their contracts (read once for
    the quarters not invoiced and the producer's invoices not recorded)."""
    return list(
        ContractPeriod.objects.filter(
            contract__in=_contracts(user).filter(active=True), starts_on__lte=today
        )
        .select_related("contract")
        .order_by("contract", "starts_on")
    )


def _ended_quarters(period: ContractPeriod, today: date):
    for year, quarter in _quarters(period.starts_on, period.ends_on):
        if quarter_last_day(year, quarter) >= today:
            break
        yield year, quarter


def not_invoiced_items(user, today: date, periods: list[ContractPeriod]) -> list[Item]:
    """Quarters that have ended, in a period of an active contract, for which no invoicing
    run has been started and the contract has no invoice."""
    run_quarters = set(_runs(user).values_list("year", "quarter"))
    invoiced = set(
        _invoices(user)
        .filter(kind=Invoice.Kind.INVOICE)
        .values_list("contract", "year", "quarter")
        .distinct()
    )
    missing: dict[tuple[int, int], set[int]] = defaultdict(set)
    for period in periods:
        for year, quarter in _ended_quarters(period, today):
            if (year, quarter) in run_quarters or (period.contract_id, year, quarter) in invoiced:
                continue
            missing[year, quarter].add(period.contract_id)
    return [
        Item(
            section=SECTION_NOT_INVOICED,
            key=f"contracts.not_invoiced:{year}-{quarter}",
            label=_("%(quarter)s is not invoiced") % {"quarter": _quarter_name(year, quarter)},
            url=reverse("contracts:run-list"),
            level=Level.HIGH,
            sort=(quarter_last_day(year, quarter) - today).days,
            detail=ngettext(
                "%(count)s active contract", "%(count)s active contracts", len(contract_ids)
            )
            % {"count": len(contract_ids)},
            count=len(contract_ids),
            threshold="not_invoiced",
        )
        for (year, quarter), contract_ids in sorted(missing.items())
    ]


def draft_items(user, today: date) -> list[Item]:
    quarters = (
        _invoices(user)
        .filter(status=Invoice.Status.DRAFT)
        .values("year", "quarter")
        .annotate(n=Count("pk"))
        .order_by("year", "quarter")
    )
    return [
        Item(
            section=SECTION_DRAFTS,
            key=f"contracts.drafts:{row['year']}-{row['quarter']}",
            label=_("Drafts of %(quarter)s")
            % {"quarter": _quarter_name(row["year"], row["quarter"])},
            url=reverse("contracts:invoice-list")
            + "?"
            + urlencode({"quarter": f"{row['year']}-{row['quarter']}", "status": "draft"}),
            level=Level.NORMAL,
            sort=(quarter_last_day(row["year"], row["quarter"]) - today).days,
            detail=ngettext("%(count)s draft invoice", "%(count)s draft invoices", row["n"])
            % {"count": row["n"]},
            count=row["n"],
            threshold="drafts",
        )
        for row in quarters
    ]


def past_due_items(user, today: date, limit: int | None = None) -> list[Item | NotBuilt]:
    invoices = (
        invoices_past_due(_invoices(user), today)
        .select_related("member")
        .order_by("due_date", "pk")
    )
    rows, more = most_urgent(invoices, limit)
    items: list[Item | NotBuilt] = [NotBuilt(SECTION_PAST_DUE, more)] if more else []
    for invoice in rows:
        late = (today - invoice.due_date).days
        items.append(
            Item(
                section=SECTION_PAST_DUE,
                key=f"contracts.past_due:{invoice.pk}",
                label=_("Invoice %(number)s to %(member)s, %(total)s €")
                % {
                    "number": invoice.number,
                    "member": invoice.member.name,
                    "total": number_format(invoice.total, 2, force_grouping=True),
                },
                url=reverse("contracts:invoice-detail", args=[invoice.pk]),
                level=Level.CRITICAL,
                sort=-late,
                detail=ngettext(
                    "was due on %(date)s, %(days)s day ago",
                    "was due on %(date)s, %(days)s days ago",
                    late,
                )
                % {"date": date_format(invoice.due_date, "SHORT_DATE_FORMAT"), "days": late},
                age_days=late,
                threshold="past_due",
            )
        )
    return items


def producer_invoice_items(user, today: date, periods: list[ContractPeriod]) -> list[Item]:
    """Quarters that have ended, in a period of an active contract with a producer, whose
    producer's invoice is not recorded (it becomes the quarter's actual cost)."""
    periods = [period for period in periods if period.contract.producer_name]
    if not periods or not may(user, "view", ProducerInvoice):
        return []
    recorded = set(
        _producer_invoices(user).filter(period__in=periods).values_list("period", "year", "quarter")
    )
    return [
        Item(
            section=SECTION_PRODUCER_INVOICES,
            key=f"contracts.producer_invoice:{period.contract_id}:{year}-{quarter}",
            label=_("%(quarter)s: %(contract)s")
            % {"quarter": _quarter_name(year, quarter), "contract": period.contract.name},
            url=reverse("contracts:contract-detail", args=[period.contract_id]),
            level=Level.NORMAL,
            sort=(quarter_last_day(year, quarter) - today).days,
            detail=_("no invoice from %(producer)s") % {"producer": period.contract.producer_name},
            threshold="producer_invoice_missing",
        )
        for period in periods
        for year, quarter in _ended_quarters(period, today)
        if (period.pk, year, quarter) not in recorded
    ]


def worklist_items(user, today: date, limit: int | None = None) -> list[Item | NotBuilt]:
    if not _handles_invoicing(user):
        return []
    periods = _active_periods(user, today)
    # quarters not invoiced, drafts and producers' invoices are a handful per quarter:
    # listed whole
    return (
        past_due_items(user, today, limit)
        + not_invoiced_items(user, today, periods)
        + draft_items(user, today)
        + producer_invoice_items(user, today, periods)
    )
