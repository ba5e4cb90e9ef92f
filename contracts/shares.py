"""What a member owes for one quarter, and the invoice lines that explain it.

The year's invariant: for each contract, member and period-year, the live invoices
(issued and draft invoices, less credit notes) never carry more than the member's share
of the year as the figures stand when the run writes, and once every quarter is billed
they carry exactly that share, whatever the order the quarters were run in.
"""

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from django.utils import formats
from django.utils.translation import gettext as _

from contracts.allocation import allocate
from contracts.models import ContractPeriod, Invoice
from contracts.quarters import QUARTERS
from contracts.tables import AllocationTable
from fostercare.templatetags.money import euros


def _money(value: Decimal) -> str:
    return euros(value)  # as the pages write money


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


def year_quarters(period: ContractPeriod, year: int) -> list[int]:
    """The quarters of ``year`` that the period covers: the period-year."""
    return [q for q in QUARTERS if period.covers(year, q)]


def _actual_cost(period: ContractPeriod, year: int, quarter: int):
    # the prefetched costs read directly: a page or a run asks for every member's quarters,
    # and the related manager that .all() builds each time cost more than the search
    prefetched = getattr(period, "_prefetched_objects_cache", {}).get("actual_costs")
    costs = period.actual_costs.all() if prefetched is None else prefetched
    return next((c for c in costs if (c.year, c.quarter) == (year, quarter)), None)


def _actual_cost_net(period: ContractPeriod, table: AllocationTable, actual) -> tuple:
    if period.state_funding_percent is not None:
        funding = period.state_funding_for(actual.amount)
    else:
        funding = allocate(table.state_funding, dict.fromkeys(QUARTERS, 1))[actual.quarter]
    return funding, max(actual.amount - funding, Decimal("0.00"))


def quarter_due(
    *, period: ContractPeriod, table: AllocationTable, member_id: int, year: int, quarter: int
) -> Decimal:
    """The member's share of one quarter as the figures stand: its share of the quarter's
    actual cost when finance entered one, otherwise its planned quarter of the annual share."""
    actual = _actual_cost(period, year, quarter)
    if actual is None:
        return table.row_for(member_id).quarters[quarter - 1]
    _funding, net = _actual_cost_net(period, table, actual)
    return table.split(net)[member_id]


def year_share(
    *, period: ContractPeriod, table: AllocationTable, member_id: int, year: int
) -> Decimal:
    """The member's share of the period-year as the figures stand: the sum of its
    quarters' shares. The invoices of the year never carry more, and once every quarter
    is invoiced they carry exactly this."""
    return sum(
        (
            quarter_due(period=period, table=table, member_id=member_id, year=year, quarter=q)
            for q in year_quarters(period, year)
        ),
        Decimal("0.00"),
    )


def quarters_label(quarters: list[int], year: int) -> str:
    """Quarters as runs: [1, 2] → "Q1–Q2/2026", [1, 3] → "Q1, Q3/2026"."""
    runs: list[list[int]] = []
    for q in sorted(quarters):
        if runs and runs[-1][-1] == q - 1:
            runs[-1].append(q)
        else:
            runs.append([q])
    parts = [f"Q{r[0]}" if len(r) == 1 else f"Q{r[0]}–Q{r[-1]}" for r in runs]
    return f"{', '.join(parts)}/{year}"


@dataclass
class QuarterBill:
    """What a run writes for one member and quarter: lines (text, amount or None), the
    quarters it bills, and whether anything is due at all."""

    amount: Decimal
    lines: list[tuple[str, Decimal | None]]
    covered_quarters: list[int]

    @property
    def nothing_due(self) -> bool:
        return not self.covered_quarters and not self.amount


@dataclass
class _QuarterFigures:
    """The arithmetic of one member's quarter bill (``quarter_share`` explains it)."""

    due: Callable[[int], Decimal]  # a quarter's share as the figures stand
    annual: Decimal
    billed: set[int]  # quarters the year's other live invoices carry
    covered: list[int]  # quarters this bill carries
    catch_up: list[int]  # earlier quarters the year's last quarter bills too
    closes_year: bool
    planned: Decimal
    amount: Decimal


def _quarter_figures(
    *, period, table, member_id: int, year: int, quarter: int, others: list
) -> _QuarterFigures:
    quarters = year_quarters(period, year)
    cache: dict[int, Decimal] = {}

    def due(q: int) -> Decimal:
        if q not in cache:
            cache[q] = quarter_due(
                period=period, table=table, member_id=member_id, year=year, quarter=q
            )
        return cache[q]

    annual = sum((due(q) for q in quarters), Decimal("0.00"))
    carried = sum((inv.amount_excluding_vat for inv in others), Decimal("0.00"))
    billed = {q for inv in others for q in inv.covered_quarters}
    covered = [] if quarter in billed else [quarter]
    if quarter == quarters[-1]:
        catch_up = [q for q in quarters if q not in billed and q != quarter]
    else:
        catch_up = []
    covered += catch_up
    closes_year = billed.union(covered) >= set(quarters)
    planned = sum((due(q) for q in covered), Decimal("0.00"))
    amount = annual - carried if closes_year else min(planned, annual - carried)
    return _QuarterFigures(due, annual, billed, covered, catch_up, closes_year, planned, amount)


def quarter_share(
    *,
    period: ContractPeriod,
    table: AllocationTable,
    member_id: int,
    year: int,
    quarter: int,
    others: list | None = None,
) -> QuarterBill:
    """The member's bill for one quarter and the lines that explain it (in the current
    language). ``others`` are the member's live invoices of the year's other quarters.

    The quarter bills its own share unless an earlier invoice already did. The year's
    last quarter also bills the earlier quarters no live invoice has billed, and once
    every quarter is billed the bill closes the year: the year's share less what the
    other invoices carry, so the difference of changed shares is adjusted. Before that a
    bill never takes the year's invoices above the year's share.
    """
    others = others or []
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
        "member": row.member.name,
        "value": _figure(row.basis_value),
        "total": _figure(table.basis_total),
        "share": _percent(row.share * 100),
    }
    actual = _actual_cost(period, year, quarter)
    if actual is None:
        cost_line = _(
            "Annual cost %(cost)s €, state funding %(funding)s €, to be shared %(net)s €"
        ) % {
            "cost": _money(table.annual_cost),
            "funding": _money(table.state_funding),
            "net": _money(table.annual_after),
        }
        own_line = _(
            "Share of Q%(quarter)s/%(year)s: one quarter of the annual share %(annual)s €"
        ) % {"quarter": quarter, "year": year, "annual": _money(row.annual_after)}
    else:
        funding, net = _actual_cost_net(period, table, actual)
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
        own_line = _("Share of the actual cost of Q%(quarter)s/%(year)s") % {
            "quarter": quarter,
            "year": year,
        }

    figures = _quarter_figures(
        period=period, table=table, member_id=member_id, year=year, quarter=quarter, others=others
    )
    due, covered, billed, catch_up = figures.due, figures.covered, figures.billed, figures.catch_up
    annual, amount, planned = figures.annual, figures.amount, figures.planned
    closes_year = figures.closes_year
    lines: list[tuple[str, Decimal | None]] = [
        (contract_line, None),
        (cost_line, None),
        (basis_line, None),
    ]
    if quarter in covered:
        lines.append((own_line, due(quarter)))
    elif quarter in billed:
        invoiced_with = next(inv for inv in others if quarter in inv.covered_quarters)
        lines.append(
            (
                _("Q%(quarter)s/%(year)s was invoiced with Q%(with)s/%(year)s")
                % {"quarter": quarter, "year": year, "with": invoiced_with.quarter},
                None,
            )
        )
    if catch_up:
        lines.append(
            (
                _("%(quarters)s not invoiced earlier")
                % {"quarters": quarters_label(catch_up, year)},
                sum((due(q) for q in catch_up), Decimal("0.00")),
            )
        )
    adjustment = amount - planned
    if adjustment and closes_year:
        latest = max(inv.invoice_date for inv in others)
        lines.append(
            (
                _(
                    "Adjustment for the year's other invoices: the shares changed after "
                    "they were invoiced (latest on %(date)s)"
                )
                % {"date": formats.date_format(latest, "SHORT_DATE_FORMAT")},
                adjustment,
            )
        )
    elif adjustment:
        lines.append(
            (
                _("Limited to what remains of the year's share %(annual)s €")
                % {"annual": _money(annual)},
                adjustment,
            )
        )
    if amount and not any(line_amount is not None for _text, line_amount in lines):
        lines.append((_("To pay"), amount))
    return QuarterBill(amount=amount, lines=lines, covered_quarters=sorted(covered))


# what the year's invariant reads of a live invoice: the invoices of the run, or these
# fields of them (``selectors.period_live_invoices``)
LIVE_INVOICE_FIELDS = (
    "pk",
    "member_id",
    "year",
    "quarter",
    "status",
    "covered_quarters",
    "amount_excluding_vat",
    "invoice_date",
)


@dataclass
class CreditProposal:
    """An issued invoice that no longer matches the figures: credited and run again, its
    quarter would now bill ``now`` instead of what the invoice carries."""

    invoice: object  # contracts.models.Invoice, or its LIVE_INVOICE_FIELDS
    now: Decimal
    year_closed: bool  # every quarter of its year is billed: no later run will adjust

    @property
    def difference(self) -> Decimal:
        return self.now - self.invoice.amount_excluding_vat


def credit_proposals(
    *, period: ContractPeriod, table: AllocationTable, live: list
) -> list[CreditProposal]:
    """The issued invoices among ``live`` (the period's live invoices, drafts included)
    whose quarter, credited and run again now, would bill another amount: a changed
    actual cost or share since they were issued. Drafts are left out: a run or a
    correction updates them."""
    if table.problems:
        return []
    proposals = []
    by_member_year: dict[tuple, list] = defaultdict(list)
    for invoice in live:
        by_member_year[invoice.member_id, invoice.year].append(invoice)
    for invoice in live:
        if invoice.status == Invoice.Status.DRAFT or not invoice.covered_quarters:
            continue
        others = [o for o in by_member_year[invoice.member_id, invoice.year] if o.pk != invoice.pk]
        # the amount only: the lines that explain a bill are for the invoice itself
        now = _quarter_figures(
            period=period,
            table=table,
            member_id=invoice.member_id,
            year=invoice.year,
            quarter=invoice.quarter,
            others=others,
        ).amount
        if now != invoice.amount_excluding_vat:
            billed = {q for other in others for q in other.covered_quarters}
            billed |= set(invoice.covered_quarters)
            closed = billed >= set(year_quarters(period, invoice.year))
            proposals.append(CreditProposal(invoice=invoice, now=now, year_closed=closed))
    return proposals
