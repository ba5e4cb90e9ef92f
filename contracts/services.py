"""Cost allocation, invoice numbering and the quarterly invoicing run.

Money is Decimal in euros with two decimals; allocation works in whole cents with exact
fractions, so no cent is lost or invented however the shares are stated.
"""

import hashlib
import logging
from collections.abc import Hashable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import TypeVar

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F, Sum
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from contracts.models import (
    RUN_PROBLEMS,
    Contract,
    ContractPeriod,
    Invoice,
    InvoiceLine,
    InvoiceNumberCounter,
    InvoicingRun,
    QuarterActualCost,
    UsageFigure,
    run_problem_text,
)
from fostercare.models import MemberOrganisation, PopulationFigure, User

logger = logging.getLogger(__name__)

K = TypeVar("K", bound=Hashable)
CENT = Decimal("0.01")
QUARTERS = (1, 2, 3, 4)


# --- pure functions -------------------------------------------------------------------


def _tie_key(key) -> tuple:
    # Ties go to the smaller key, so the result never depends on the mapping's order.
    return (type(key).__name__, key) if isinstance(key, int | str | Decimal) else ("", str(key))


def allocate(total: Decimal, weights: Mapping[K, Decimal | int]) -> dict[K, Decimal]:
    """Split ``total`` euros into parts proportional to ``weights``, in whole cents.

    Largest-remainder rounding: every part is its exact proportion rounded down to a
    cent, and the cents left over go one each to the parts with the largest remainders
    (ties to the smaller key). The parts add up exactly to ``total`` and each lies
    within one cent of its exact proportion.
    """
    if not weights:
        raise ValueError("Cannot allocate without weights: give at least one party.")
    exact_weights = {}
    for key, weight in weights.items():
        fraction = Fraction(Decimal(weight))
        if fraction < 0:
            raise ValueError(f"Weights cannot be negative: {key!r} has {weight}.")
        exact_weights[key] = fraction
    weight_sum = sum(exact_weights.values())
    if weight_sum == 0:
        raise ValueError("Weights cannot all be zero: nobody would pay.")
    total = Decimal(total)
    if total != total.quantize(CENT):
        raise ValueError(f"The total must be in whole cents, not {total}.")
    sign = -1 if total < 0 else 1
    cents = int(abs(total) * 100)
    exact = {key: cents * weight / weight_sum for key, weight in exact_weights.items()}
    parts = {key: int(value) for key, value in exact.items()}  # floor, values are >= 0
    left_over = cents - sum(parts.values())
    by_remainder = sorted(exact, key=lambda k: (-(exact[k] - parts[k]), _tie_key(k)))
    for key in by_remainder[:left_over]:
        parts[key] += 1
    return {key: sign * Decimal(parts[key]) / 100 for key in weights}


def finnish_reference(base: str) -> str:
    """The Finnish reference number (viitenumero): ``base`` digits plus the check digit.

    Weights 7, 3, 1 repeat from the rightmost digit; check = (10 - sum mod 10) mod 10.
    """
    base = str(base).replace(" ", "")
    if not base.isdigit() or not 3 <= len(base) <= 19:
        raise ValueError(f"A reference base is 3–19 digits, not {base!r}.")
    weights = (7, 3, 1)
    total = sum(int(d) * weights[i % 3] for i, d in enumerate(reversed(base)))
    return base + str((10 - total % 10) % 10)


def virtual_barcode(*, iban: str, amount: Decimal, reference: str, due_date: date | None) -> str:
    """The Finnish virtual bar code (virtuaaliviivakoodi), version 4, 54 digits.

    4 + the 16 digits of a Finnish IBAN without "FI" + euros (6) + cents (2) + "000" +
    the reference zero-padded to 20 + due date YYMMDD (000000 when none). An amount of a
    million euros or more is written as zeros, as the specification says.
    """
    account = iban.replace(" ", "").upper()
    if not account.startswith("FI") or len(account) != 18 or not account[2:].isdigit():
        raise ValueError("The virtual bar code needs a Finnish IBAN.")
    amount = Decimal(amount).quantize(CENT)
    if amount < 0:
        raise ValueError("A credit note has no bar code.")
    euros, cents = divmod(int(amount * 100), 100)
    if euros > 999_999:
        euros, cents = 0, 0
    if not reference.isdigit() or len(reference) > 20:
        raise ValueError("The version 4 bar code carries a Finnish reference of up to 20 digits.")
    due = due_date.strftime("%y%m%d") if due_date else "000000"
    return f"4{account[2:]}{euros:06d}{cents:02d}000{reference:0>20}{due}"


def quarter_of(day: date) -> tuple[int, int]:
    return day.year, (day.month - 1) // 3 + 1


def quarter_first_day(year: int, quarter: int) -> date:
    return date(year, 3 * quarter - 2, 1)


def quarter_last_day(year: int, quarter: int) -> date:
    if quarter == 4:
        return date(year, 12, 31)
    return quarter_first_day(year, quarter + 1) - timedelta(days=1)


def previous_quarter(day: date) -> tuple[int, int]:
    year, quarter = quarter_of(day)
    return (year - 1, 4) if quarter == 1 else (year, quarter - 1)


def population_year(reference_date: date) -> int:
    """The year of the latest year-end population figure on or before ``reference_date``."""
    if (reference_date.month, reference_date.day) == (12, 31):
        return reference_date.year
    return reference_date.year - 1


def _money(value: Decimal) -> str:
    return formats.number_format(value, 2, use_l10n=True, force_grouping=True)


def _figure(value: Decimal | int) -> str:
    if isinstance(value, Decimal):
        value = value.normalize()
    return formats.number_format(value, use_l10n=True, force_grouping=True)


def _percent(value: Decimal | Fraction, places: int = 4) -> str:
    decimal = (
        (Decimal(value.numerator) / Decimal(value.denominator))
        if isinstance(value, Fraction)
        else Decimal(value)
    )
    return formats.number_format(decimal.quantize(Decimal(1).scaleb(-places)), places)


# --- the allocation table -------------------------------------------------------------


@dataclass
class AllocationRow:
    member: MemberOrganisation
    basis_value: Decimal | int | None
    share: Fraction = Fraction(0)
    annual_before: Decimal = Decimal("0.00")
    state_funding: Decimal = Decimal("0.00")
    annual_after: Decimal = Decimal("0.00")
    quarters: list[Decimal] = field(default_factory=list)
    is_issuer: bool = False

    @property
    def basis_display(self) -> Decimal | int | None:
        """The basis figure without trailing zeros: 34.6 rather than 34.6000."""
        if isinstance(self.basis_value, Decimal):
            return self.basis_value.normalize()
        return self.basis_value

    @property
    def share_percent(self) -> Decimal:
        return (Decimal(self.share.numerator) * 100 / Decimal(self.share.denominator)).quantize(
            Decimal("0.0001"), ROUND_HALF_UP
        )


@dataclass
class AllocationTable:
    period: ContractPeriod
    basis: str
    rows: list[AllocationRow]
    annual_cost: Decimal
    state_funding: Decimal
    annual_after: Decimal
    basis_total: Decimal | int | None = None
    population_year: int | None = None
    warnings: list[str] = field(default_factory=list)
    # what keeps the shares from being calculated: (code of RUN_PROBLEMS, params)
    problems: list[tuple[str, dict]] = field(default_factory=list)

    @property
    def errors(self) -> list[str]:
        """The problems as sentences in the current language."""
        return [run_problem_text(code, params) for code, params in self.problems]

    def validation_error(self) -> ValidationError:
        return ValidationError(
            [ValidationError(RUN_PROBLEMS[c], code=c, params=p) for c, p in self.problems]
        )

    @property
    def basis_total_display(self) -> Decimal | int | None:
        if isinstance(self.basis_total, Decimal):
            return self.basis_total.normalize()
        return self.basis_total

    @property
    def basis_label(self) -> str:
        return ContractPeriod.Basis(self.basis).label

    @property
    def quarter_totals(self) -> list[Decimal]:
        return [sum((r.quarters[i] for r in self.rows), Decimal("0.00")) for i in range(4)]

    @property
    def annual_before_total(self) -> Decimal:
        return sum((r.annual_before for r in self.rows), Decimal("0.00"))

    @property
    def funding_total(self) -> Decimal:
        return sum((r.state_funding for r in self.rows), Decimal("0.00"))

    @property
    def annual_after_total(self) -> Decimal:
        return sum((r.annual_after for r in self.rows), Decimal("0.00"))

    def row_for(self, member_id: int) -> AllocationRow:
        return next(r for r in self.rows if r.member.pk == member_id)

    @property
    def weights(self) -> dict[int, Decimal | int]:
        return {r.member.pk: r.basis_value for r in self.rows}


def state_funding_for(period: ContractPeriod, cost: Decimal, *, annual: bool = True) -> Decimal:
    """State funding for a year's (or, with a percentage, any) cost, in cents."""
    if period.state_funding_percent is not None:
        return (cost * period.state_funding_percent / 100).quantize(CENT, ROUND_HALF_UP)
    if period.state_funding_amount is not None:
        return min(period.state_funding_amount, cost) if annual else period.state_funding_amount
    return Decimal("0.00")


def _members(period: ContractPeriod) -> list[MemberOrganisation]:
    # contract.members is prefetched by the selectors; sorted here so rows keep one order
    return sorted(period.contract.members.all(), key=lambda m: m.name_fi)


def _basis_values(period: ContractPeriod, basis: str, members, table: AllocationTable) -> dict:
    ids = [m.pk for m in members]
    if basis == ContractPeriod.Basis.POPULATION:
        reference = period.population_reference_date or period.starts_on
        year = population_year(reference)
        table.population_year = year
        figures = dict(
            PopulationFigure.objects.filter(organisation_id__in=ids, year=year).values_list(
                "organisation_id", "population"
            )
        )
        for member in members:
            if member.pk not in figures:
                table.problems.append(("no_population", {"year": year, "member": str(member)}))
        return figures
    if basis == ContractPeriod.Basis.AGREED:
        values = {s.member_id: s.percentage for s in period.agreed_shares.all()}
        for member in members:
            if member.pk not in values:
                table.problems.append(("no_agreed_share", {"member": str(member)}))
        total = sum(values.values(), Decimal(0))
        if values and total != 100:
            table.warnings.append(
                _(
                    "The agreed percentages add up to %(total)s %%, not 100 %%. They are used "
                    "as weights: each member pays its percentage divided by %(total)s %%."
                )
                % {"total": formats.number_format(total.normalize(), use_l10n=True)}
            )
        return values
    values = {u.member_id: u.care_days for u in period.usage_figures.all()}
    for member in members:
        if member.pk not in values:
            table.problems.append(("no_usage", {"member": str(member)}))
    return values


def allocation_table(period: ContractPeriod, basis: str | None = None) -> AllocationTable:
    """Each member's share of a period's annual cost, before and after state funding,
    and its four quarterly amounts. ``basis`` other than the period's gives a what-if."""
    basis = basis or period.basis
    members = _members(period)
    funding = state_funding_for(period, period.annual_cost)
    table = AllocationTable(
        period=period,
        basis=basis,
        rows=[],
        annual_cost=period.annual_cost,
        state_funding=funding,
        annual_after=period.annual_cost - funding,
    )
    values = _basis_values(period, basis, members, table)
    table.rows = [
        AllocationRow(
            member=m,
            basis_value=values.get(m.pk),
            is_issuer=m.pk == period.contract.issuer_id,
            quarters=[Decimal("0.00")] * 4,
        )
        for m in members
    ]
    if table.problems or not members:
        return table
    weights = {m.pk: values[m.pk] for m in members}
    try:
        before = allocate(period.annual_cost, weights)
        after = allocate(table.annual_after, weights)
    except ValueError:
        table.problems.append(("shares_invalid", {}))
        return table
    table.basis_total = sum(weights.values())
    weight_sum = Fraction(Decimal(table.basis_total))
    for row in table.rows:
        row.share = Fraction(Decimal(weights[row.member.pk])) / weight_sum
        row.annual_before = before[row.member.pk]
        row.annual_after = after[row.member.pk]
        row.state_funding = row.annual_before - row.annual_after
    quarters = split_into_quarters(
        table.annual_after, {r.member.pk: r.annual_after for r in table.rows}
    )
    for row in table.rows:
        row.quarters = quarters[row.member.pk]
    return table


def split_into_quarters(total: Decimal, annual: dict[K, Decimal]) -> dict[K, list[Decimal]]:
    """Split each member's annual amount into four quarters so that both ways add up:
    a member's quarters make its annual amount, and each quarter's column makes a
    quarter of ``total`` (the sum of ``annual``).

    Quarters 1–3 allocate the quarter's total by what each member still owes for the
    year; the fourth quarter is what remains, so every row and column sums exactly.
    """
    quarter_totals = allocate(total, dict.fromkeys(QUARTERS, 1))
    remaining = dict(annual)
    result: dict[K, list[Decimal]] = {key: [] for key in annual}
    for quarter in QUARTERS[:-1]:
        if sum(remaining.values()) == 0:
            parts = dict.fromkeys(remaining, Decimal("0.00"))
        else:
            parts = allocate(quarter_totals[quarter], remaining)
        for key, part in parts.items():
            result[key].append(part)
            remaining[key] -= part
    for key, rest in remaining.items():
        result[key].append(rest)
    return result


def true_up_quarters(period: ContractPeriod, year: int) -> tuple[int | None, list[int]]:
    """The period-year's true-up quarter and the earlier quarters it makes up for.

    A period-year is the quarters of ``year`` the period covers; its last quarter, unless
    finance entered an actual cost for it, is a true-up: the member's share for the
    period-year as calculated now, less what its live invoices of the earlier quarters
    already carry. Quarters with an actual cost are allocated by that cost and stay out
    of the true-up. Returns (None, []) when the last quarter has an actual cost.
    """
    actual = {c.quarter for c in period.actual_costs.all() if c.year == year}
    quarters = [q for q in QUARTERS if period.covers(year, q)]
    if not quarters or quarters[-1] in actual:
        return None, []
    return quarters[-1], [q for q in quarters[:-1] if q not in actual]


def quarter_share(
    *,
    period: ContractPeriod,
    table: AllocationTable,
    member_id: int,
    year: int,
    quarter: int,
    invoiced_before: Decimal | None = None,
) -> tuple[Decimal, list[str]]:
    """The member's amount for one quarter and the lines that explain it (in the
    current language). In the true-up quarter (see ``true_up_quarters``)
    ``invoiced_before`` is what the member's live invoices of the earlier quarters carry."""
    row = table.row_for(member_id)
    contract_line = _("Service contract “%(contract)s”, period %(start)s–%(end)s") % {
        "contract": period.contract.name,
        "start": formats.date_format(period.starts_on, "SHORT_DATE_FORMAT"),
        "end": formats.date_format(period.ends_on, "SHORT_DATE_FORMAT"),
    }
    if table.basis == ContractPeriod.Basis.POPULATION:
        basis_line = _(
            "Allocation by population %(year)s: %(member)s %(value)s of %(total)s residents "
            "= %(share)s %%"
        )
    elif table.basis == ContractPeriod.Basis.AGREED:
        basis_line = _(
            "Allocation by agreed percentages: %(member)s %(value)s of %(total)s = %(share)s %%"
        )
    else:
        basis_line = _(
            "Allocation by usage: %(member)s %(value)s of %(total)s care days = %(share)s %%"
        )
    basis_line %= {
        "year": table.population_year,
        "member": row.member.name_fi,
        "value": _figure(row.basis_value),
        "total": _figure(table.basis_total),
        "share": _percent(row.share * 100),
    }
    actual = next(
        (c for c in period.actual_costs.all() if (c.year, c.quarter) == (year, quarter)), None
    )
    adjustment_lines: list[str] = []
    if actual is None:
        cost_line = _(
            "Annual cost %(cost)s €, state funding %(funding)s €, to be shared %(net)s €"
        ) % {
            "cost": _money(table.annual_cost),
            "funding": _money(table.state_funding),
            "net": _money(table.annual_after),
        }
        amount = row.quarters[quarter - 1]
        share_line = _(
            "Share of Q%(quarter)s/%(year)s: one quarter of the annual share %(annual)s €"
        ) % {"quarter": quarter, "year": year, "annual": _money(row.annual_after)}
        true_up, earlier = true_up_quarters(period, year)
        if quarter == true_up:
            planned = sum((row.quarters[q - 1] for q in (*earlier, quarter)), Decimal("0.00"))
            invoiced = invoiced_before or Decimal("0.00")
            adjustment = planned - invoiced - amount
            amount = planned - invoiced
            share_line = _(
                "Share of Q%(quarter)s/%(year)s, the last quarter of the year: the year's "
                "share %(planned)s € less %(invoiced)s € invoiced for its earlier quarters"
            ) % {
                "quarter": quarter,
                "year": year,
                "planned": _money(planned),
                "invoiced": _money(invoiced),
            }
            if adjustment:
                adjustment_lines.append(
                    _(
                        "Adjustment for earlier quarters %(adjustment)s €: the shares changed "
                        "after they were invoiced"
                    )
                    % {"adjustment": _money(adjustment)}
                )
    else:
        if period.state_funding_percent is not None:
            funding = state_funding_for(period, actual.amount)
        else:
            funding = allocate(table.state_funding, dict.fromkeys(QUARTERS, 1))[quarter]
        net = max(actual.amount - funding, Decimal("0.00"))
        cost_line = _(
            "Actual cost of Q%(quarter)s/%(year)s %(cost)s € (%(note)s), state funding "
            "%(funding)s €, to be shared %(net)s €"
        ) % {
            "quarter": quarter,
            "year": year,
            "cost": _money(actual.amount),
            "note": actual.note or "–",
            "funding": _money(funding),
            "net": _money(net),
        }
        amount = allocate(net, table.weights)[member_id]
        share_line = _("Share of the actual cost of Q%(quarter)s/%(year)s") % {
            "quarter": quarter,
            "year": year,
        }
    return amount, [contract_line, cost_line, basis_line, *adjustment_lines, share_line]


# --- invoice numbers and the quarterly run ----------------------------------------------


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


def _periods_prefetched():
    return ContractPeriod.objects.select_related("contract", "contract__issuer").prefetch_related(
        "contract__members", "agreed_shares", "usage_figures", "actual_costs"
    )


def _write_lines(invoice: Invoice, texts: list[str], amount: Decimal) -> None:
    invoice.lines.all().delete()
    InvoiceLine.objects.bulk_create(
        [
            InvoiceLine(
                invoice=invoice,
                position=i,
                description=text[:300],
                amount=amount if i == len(texts) else None,
            )
            for i, text in enumerate(texts, start=1)
        ]
    )


def _amounts(amount: Decimal, vat_rate: Decimal) -> dict:
    vat = (amount * vat_rate / 100).quantize(CENT, ROUND_HALF_UP)
    return {"amount_excluding_vat": amount, "vat_amount": vat, "total": amount + vat}


def contract_quarter_invoice(*, contract_id: int, year: int, quarter: int) -> int:
    """Create the draft invoices of one contract and quarter that do not exist yet, and
    bring existing drafts up to date. Returns how many invoices were created.

    Safe to run twice or at once: the contract row is locked for the transaction, and the
    database's unique constraint allows one live invoice per member and quarter.
    """
    with transaction.atomic():
        contract = Contract.objects.select_for_update().get(pk=contract_id)
        period = (
            _periods_prefetched()
            .filter(
                contract=contract,
                starts_on__lte=quarter_first_day(year, quarter),
                ends_on__gte=quarter_first_day(year, quarter),
            )
            .first()
        )
        if period is None:
            return 0
        with translation.override("fi"):  # invoices are written in Finnish
            table = allocation_table(period)
            if table.problems:
                raise table.validation_error()
            # Locked until this transaction commits: an invoice that finance issues
            # meanwhile waits for the run, and one issued before the run is read as issued.
            live = {
                inv.member_id: inv
                for inv in Invoice.objects.select_for_update()
                .filter(contract=contract, year=year, quarter=quarter, kind=Invoice.Kind.INVOICE)
                .exclude(status=Invoice.Status.CREDITED)
                .order_by("pk")
            }
            true_up, earlier = true_up_quarters(period, year)
            invoiced_before = {}
            if quarter == true_up:
                invoiced_before = dict(
                    Invoice.objects.filter(
                        period=period,
                        year=year,
                        quarter__in=earlier,
                        kind=Invoice.Kind.INVOICE,
                    )
                    .exclude(status=Invoice.Status.CREDITED)
                    .values("member_id")
                    .annotate(carried=Sum("amount_excluding_vat"))
                    .values_list("member_id", "carried")
                )
            created = 0
            for row in table.rows:
                if row.is_issuer:
                    continue  # the administrator's own share is borne internally
                amount, texts = quarter_share(
                    period=period,
                    table=table,
                    member_id=row.member.pk,
                    year=year,
                    quarter=quarter,
                    invoiced_before=invoiced_before.get(row.member.pk),
                )
                invoice = live.get(row.member.pk)
                if invoice is not None and invoice.status != Invoice.Status.DRAFT:
                    continue  # issued invoices are never edited
                if invoice is None:
                    invoice = Invoice(
                        **_number_and_reference(contract.issuer),
                        contract=contract,
                        period=period,
                        member=row.member,
                        year=year,
                        quarter=quarter,
                    )
                    created += 1
                invoice.invoice_date, invoice.due_date = _invoice_dates(period)
                invoice.vat_rate = period.vat_rate
                invoice.vat_note = period.vat_note
                for name, value in _amounts(amount, period.vat_rate).items():
                    setattr(invoice, name, value)
                invoice.save()
                _write_lines(invoice, texts, amount)
    return created


def invoicing_run_start(*, year: int, quarter: int, by: User | None) -> InvoicingRun:
    """Record a run for a quarter and queue it once the record is committed."""
    from contracts.tasks import invoicing_run_execute

    run = InvoicingRun(year=year, quarter=quarter, started_by=by)
    run.full_clean()
    with transaction.atomic():
        run.save()
        transaction.on_commit(lambda: invoicing_run_execute.delay(run.pk))
    return run


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
        status=InvoicingRun.Status.RUNNING, contracts_total=len(contract_ids), contracts_done=0
    )
    # Problems are stored as codes and parameters (models.RUN_PROBLEMS), so the page
    # shows them in its reader's language; the technical details go to the log.
    problems = []
    for contract_id in contract_ids:
        try:
            created = contract_quarter_invoice(
                contract_id=contract_id, year=run.year, quarter=run.quarter
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
        )
    InvoicingRun.objects.filter(pk=run.pk).update(
        status=InvoicingRun.Status.FAILED if problems else InvoicingRun.Status.DONE,
        problems=problems,
        finished_at=timezone.now(),
    )
    run.refresh_from_db()
    return run


# --- invoice lifecycle --------------------------------------------------------------------

S = Invoice.Status


def _locked(invoice: Invoice) -> Invoice:
    return Invoice.objects.select_for_update().get(pk=invoice.pk)


def _queue_documents(invoice: Invoice) -> None:
    from contracts.tasks import invoice_documents_render

    transaction.on_commit(lambda: invoice_documents_render.delay(invoice.pk))


@transaction.atomic
def invoice_issue(*, invoice: Invoice, by: User, queue_documents: bool = True) -> Invoice:
    """Issue a draft: it gets today's date and its due date, and is never edited again.
    Its documents are rendered by Celery once the issue is committed (the demo data
    passes ``queue_documents=False`` and renders them itself)."""
    invoice = _locked(invoice)
    if invoice.status != S.DRAFT:
        raise ValidationError(_("Only a draft can be issued."))
    return _issue_locked(invoice, by=by, queue_documents=queue_documents)


def _number_and_reference(issuer) -> dict:
    """The issuer's next invoice number and the reference number made from it."""
    number = invoice_number_next(issuer=issuer)
    return {"issuer": issuer, "number": number, "reference": finnish_reference(f"1{number:06d}")}


def _invoice_dates(period: ContractPeriod) -> tuple[date, date]:
    """Invoice date today; due after the period's payment term."""
    today = timezone.localdate()
    return today, today + timedelta(days=period.payment_term_days)


def _issue_locked(invoice: Invoice, *, by: User, queue_documents: bool = True) -> Invoice:
    # the caller holds the row lock on a draft, inside its transaction
    invoice.status = S.ISSUED
    invoice.invoice_date, invoice.due_date = _invoice_dates(invoice.period)
    invoice.issued_at = timezone.now()
    invoice.issued_by = by
    invoice.save()
    if queue_documents:
        _queue_documents(invoice)
    return invoice


@dataclass
class IssueResult:
    issued: int = 0
    skipped: int = 0  # no longer drafts when their turn came: someone else got there first


def invoices_issue_drafts(*, year: int, quarter: int, by: User) -> IssueResult:
    """Issue every draft of a quarter, each in its own transaction. A draft that was
    issued or credited meanwhile (by someone else) is skipped, not an error."""
    result = IssueResult()
    pks = list(
        Invoice.objects.filter(year=year, quarter=quarter, status=S.DRAFT)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    for pk in pks:
        with transaction.atomic():
            invoice = (
                Invoice.objects.select_related("period")
                .select_for_update(of=("self",))
                .filter(pk=pk, status=S.DRAFT)
                .first()
            )
            if invoice is None:
                result.skipped += 1
                continue
            _issue_locked(invoice, by=by)
            result.issued += 1
    return result


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
    today = timezone.localdate()
    with translation.override("fi"):
        note = Invoice.objects.create(
            **_number_and_reference(invoice.issuer),
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
        _write_lines(
            note,
            [
                _("Credit for invoice %(number)s dated %(date)s")
                % {
                    "number": invoice.number,
                    "date": formats.date_format(invoice.invoice_date, "SHORT_DATE_FORMAT"),
                }
            ],
            -invoice.amount_excluding_vat,
        )
    invoice.status = S.CREDITED
    invoice.save(update_fields=["status"])
    _queue_documents(note)
    return note


def invoice_documents_render(*, invoice_id: int) -> Invoice:
    """Render and store an issued invoice's PDF and Finvoice XML with their SHA-256
    checksums. Documents already stored are kept: an issued invoice never changes."""
    from contracts.documents import invoice_finvoice_xml, invoice_pdf

    invoice = (
        Invoice.objects.select_related("issuer", "member", "contract", "period", "credited_invoice")
        .prefetch_related("lines")
        .get(pk=invoice_id)
    )
    if invoice.status == S.DRAFT or (invoice.pdf and invoice.finvoice):
        return invoice
    pdf_bytes = invoice_pdf(invoice)
    xml_bytes = invoice_finvoice_xml(invoice)
    stem = f"{invoice.issuer.code}-{invoice.number}"
    with transaction.atomic():
        locked = _locked(invoice)
        if locked.pdf and locked.finvoice:
            return locked
        locked.pdf.save(f"{stem}.pdf", ContentFile(pdf_bytes), save=False)
        locked.pdf_sha256 = hashlib.sha256(pdf_bytes).hexdigest()
        locked.finvoice.save(f"{stem}.xml", ContentFile(xml_bytes), save=False)
        locked.finvoice_sha256 = hashlib.sha256(xml_bytes).hexdigest()
        locked.save(update_fields=["pdf", "pdf_sha256", "finvoice", "finvoice_sha256"])
    return locked


@transaction.atomic
def quarter_actual_cost_save(*, cost: QuarterActualCost) -> QuarterActualCost:
    cost.full_clean()
    cost.save()
    return cost


def placement_care_days(*, period: ContractPeriod, until: date | None = None) -> dict[int, int]:
    """Care days of each party's children in placements during the period, by member id.

    A day counts when a child is in placement on it (first and last day included), up to
    the period's end or ``until``, whichever is earlier. The child's home municipality is
    the member that uses the service.
    """
    from placements.models import Placement  # contracts reads the apps it reports on

    last_day = min(period.ends_on, until or period.ends_on)
    days = {member.pk: 0 for member in period.contract.members.all()}
    rows = (
        Placement.objects.filter(started_on__lte=last_day, child__municipality__in=days)
        .exclude(ended_on__lt=period.starts_on)
        .values_list("child__municipality", "started_on", "ended_on")
    )
    for member_id, started_on, ended_on in rows:
        first = max(started_on, period.starts_on)
        last = min(ended_on or last_day, last_day)
        days[member_id] += (last - first).days + 1
    return days


@transaction.atomic
def usage_figures_from_placements(*, period: ContractPeriod, by: User | None) -> int:
    """Replace the period's usage figures with the care days of the members' placements
    so far; returns the total care days."""
    today = timezone.localdate()
    days = placement_care_days(period=period, until=today)
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
