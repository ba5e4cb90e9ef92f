"""Money: a total split into whole cents, and the numbers printed on a payment.

Money is Decimal in euros with two decimals; allocation works in whole cents with exact
fractions, so no cent is lost or invented however the shares are stated.
"""

import math
from collections.abc import Hashable, Mapping
from datetime import date
from decimal import Decimal
from fractions import Fraction
from functools import lru_cache
from types import MappingProxyType
from typing import TypeVar

from contracts.quarters import QUARTERS

K = TypeVar("K", bound=Hashable)
CENT = Decimal("0.01")


def _tie_key(key) -> tuple:
    # Ties go to the smaller key, so the result never depends on the mapping's order.
    return (type(key).__name__, key) if isinstance(key, int | str | Decimal) else ("", str(key))


def _integer_weights(weights: Mapping[K, Decimal | int]) -> dict[K, int]:
    """The weights as whole numbers over one common denominator: the same proportions,
    exactly, so each part can be worked out in integers (a 300-member table does some
    3,000 of them; with fractions that was most of the page's arithmetic)."""
    ratios = {}
    for key, weight in weights.items():
        numerator, denominator = Decimal(weight).as_integer_ratio()
        if numerator < 0:
            raise ValueError(f"Weights cannot be negative: {key!r} has {weight}.")
        ratios[key] = (numerator, denominator)
    common = math.lcm(*(denominator for _n, denominator in ratios.values()))
    return {key: n * (common // d) for key, (n, d) in ratios.items()}


def allocate(total: Decimal, weights: Mapping[K, Decimal | int]) -> dict[K, Decimal]:
    """Split ``total`` euros into parts proportional to ``weights``, in whole cents.

    Largest-remainder rounding: every part is its exact proportion rounded down to a
    cent, and the cents left over go one each to the parts with the largest remainders
    (ties to the smaller key). The parts add up exactly to ``total`` and each lies
    within one cent of its exact proportion.
    """
    if not weights:
        raise ValueError("Cannot allocate without weights: give at least one party.")
    integer_weights = _integer_weights(weights)
    weight_sum = sum(integer_weights.values())
    if weight_sum == 0:
        raise ValueError("Weights cannot all be zero: nobody would pay.")
    total = Decimal(total)
    if total != total.quantize(CENT):
        raise ValueError(f"The total must be in whole cents, not {total}.")
    sign = -1 if total < 0 else 1
    cents = int(abs(total) * 100)
    # a part's exact proportion is cents * weight / weight_sum: its floor and remainder
    parts, remainders = {}, {}
    for key, weight in integer_weights.items():
        parts[key], remainders[key] = divmod(cents * weight, weight_sum)
    left_over = cents - sum(parts.values())
    by_remainder = sorted(remainders, key=lambda k: (-remainders[k], _tie_key(k)))
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


def _floor_ceil(numerator: int, denominator: int) -> tuple[int, int]:
    return numerator // denominator, -(-numerator // denominator)


def allocate_net_of_funding(
    cost: Decimal, funding: Decimal, weights: Mapping[K, Decimal | int]
) -> dict[K, tuple[Decimal, Decimal, Decimal]]:
    """Split a cost, its state funding and the rest (cost less funding) by ``weights``:
    (before, funding, after) per key, in whole cents.

    Every column adds up exactly (to ``cost``, ``funding`` and ``cost - funding``), every
    row adds up (before = funding + after), and every cell lies within one cent of its
    exact proportion. The amounts to pay (after funding) are ``allocate``'s split; each
    row's funding is then its exact share rounded down or up, so that the row's cost
    stays within a cent too and the funding column adds up, the rows with the largest
    remainders rounding up first (a controlled rounding of the table).
    """
    after_total = Decimal(cost) - Decimal(funding)
    after = allocate(after_total, weights)
    # a key's exact share is weight / weight_sum
    integer_weights = _integer_weights(weights)
    weight_sum = sum(integer_weights.values())
    cents = int(Decimal(funding) * 100)
    cost_cents = int(Decimal(cost) * 100)
    funding_parts: dict = {}
    flexible = []
    infeasible = False
    for key, weight in integer_weights.items():
        paid = int(after[key] * 100)
        low, high = _floor_ceil(cents * weight, weight_sum)
        cost_low, cost_high = _floor_ceil(cost_cents * weight, weight_sum)
        choices = [f for f in sorted({low, high}) if cost_low <= paid + f <= cost_high]
        funding_parts[key] = choices[0] if choices else low
        infeasible |= not choices
        if len(choices) == 2:
            flexible.append(key)
    ups = cents - sum(funding_parts.values())
    # what cents * share has beyond its whole cents (towards zero), times weight_sum
    remainder = {
        k: cents * w % weight_sum if cents >= 0 else -(-cents * w % weight_sum)
        for k, w in integer_weights.items()
    }
    flexible.sort(key=lambda k: (-remainder[k], _tie_key(k)))
    if infeasible or not 0 <= ups <= len(flexible):
        # not seen in the property tests; the columns still add up exactly
        direct = allocate(Decimal(funding), weights)
        return {k: (after[k] + direct[k], direct[k], after[k]) for k in weights}
    for key in flexible[:ups]:
        funding_parts[key] += 1
    result = {}
    for key in weights:
        part = Decimal(funding_parts[key]) / 100
        result[key] = (after[key] + part, part, after[key])
    return result


# --- the same arithmetic, remembered ----------------------------------------------------
# Each function below is a pure function of its arguments (weights as
# ``tuple(mapping.items())``, which hashes), so a result is kept per process and given
# again for the same figures: a contract page of 300 members is viewed again and again
# while its figures stay, and its exact arithmetic was a fifth of the page. A changed
# figure is another argument, and so another result; nothing is ever out of date.


@lru_cache(maxsize=64)
def allocation_columns(
    cost: Decimal, funding: Decimal, weights: tuple[tuple[K, Decimal | int], ...]
) -> Mapping[K, tuple]:
    """A table's rows at once, by key: (exact share, before, funding, after, (Q1, Q2, Q3,
    Q4)), as ``allocate_net_of_funding`` and ``split_into_quarters`` give them."""
    columns = allocate_net_of_funding(cost, funding, dict(weights))
    after = {key: column[2] for key, column in columns.items()}
    quarters = split_into_quarters(Decimal(cost) - Decimal(funding), after)
    weight_sum = Fraction(Decimal(sum(weight for _key, weight in weights)))
    return MappingProxyType(
        {
            key: (Fraction(Decimal(weight)) / weight_sum, *columns[key], tuple(quarters[key]))
            for key, weight in weights
        }
    )


@lru_cache(maxsize=256)
def allocated(total: Decimal, weights: tuple[tuple[K, Decimal | int], ...]) -> Mapping[K, Decimal]:
    """``allocate(total, dict(weights))``, read-only."""
    return MappingProxyType(allocate(total, dict(weights)))
