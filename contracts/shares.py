"""What a member owes for one quarter, and the invoice lines that explain it.

The true-up: the last quarter of a period-year makes the year add up to the member's
annual share as calculated now, whatever was invoiced for the earlier quarters.
"""

from decimal import Decimal
from fractions import Fraction

from django.utils import formats
from django.utils.translation import gettext as _

from contracts.allocation import allocate
from contracts.models import ContractPeriod
from contracts.quarters import QUARTERS
from contracts.tables import AllocationTable


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
            funding = period.state_funding_for(actual.amount)
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
