"""The state-funding column is allocated like the other columns: every column and row
adds up and every cell is within a cent of its exact share."""

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from contracts import selectors
from contracts.allocation import allocate, allocate_net_of_funding
from tests.contracts.factories import seed_contract

CENT = Fraction(1, 100)

weights_strategy = st.dictionaries(
    st.integers(min_value=1, max_value=40),
    st.decimals(min_value=0, max_value=100000, places=1),
    min_size=1,
    max_size=12,
).filter(lambda w: sum(w.values()) > 0)


def _within_a_cent(part: Decimal, total: Decimal, weight, weight_sum) -> bool:
    exact = Fraction(total) * Fraction(Decimal(weight)) / weight_sum
    return abs(Fraction(part) - exact) < CENT


@given(
    cost=st.integers(min_value=0, max_value=10**9),
    share=st.fractions(min_value=0, max_value=1),
    weights=weights_strategy,
)
def test_every_column_and_row_adds_up_and_each_cell_is_within_a_cent(cost, share, weights):
    cost = Decimal(cost) / 100
    funding = (Decimal(share.numerator) * cost / Decimal(share.denominator)).quantize(
        Decimal("0.01"), rounding="ROUND_FLOOR"
    )
    table = allocate_net_of_funding(cost, funding, weights)
    weight_sum = sum(Fraction(Decimal(w)) for w in weights.values())
    assert sum(row[0] for row in table.values()) == cost
    assert sum(row[1] for row in table.values()) == funding
    assert sum(row[2] for row in table.values()) == cost - funding
    for key, (before, part, after) in table.items():
        assert before == part + after
        assert _within_a_cent(before, cost, weights[key], weight_sum)
        assert _within_a_cent(part, funding, weights[key], weight_sum)
        assert _within_a_cent(after, cost - funding, weights[key], weight_sum)


@pytest.mark.django_db
def test_the_allocation_tables_funding_column_is_a_direct_split():
    _contract, period, _members = seed_contract()
    table = selectors.allocation_table(period)
    direct = allocate(table.state_funding, table.weights)
    weight_sum = sum(Fraction(Decimal(w)) for w in table.weights.values())
    for row in table.rows:
        weight = table.weights[row.member.pk]
        assert _within_a_cent(row.state_funding, table.state_funding, weight, weight_sum)
        assert _within_a_cent(row.annual_after, table.annual_after, weight, weight_sum)
        assert row.annual_before == row.state_funding + row.annual_after
        assert row.state_funding == direct[row.member.pk]  # was a cent off for two members
    assert table.funding_total == table.state_funding
    assert table.annual_after_total == table.annual_after
