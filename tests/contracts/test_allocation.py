"""allocate() never loses or invents a cent, and the allocation table adds up."""

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from contracts.allocation import allocation_columns, split_into_quarters
from contracts.models import ContractPeriod
from contracts.selectors import allocation_table
from contracts.services import allocate
from tests.contracts.factories import seed_contract

totals = st.decimals(min_value=Decimal("-1000000"), max_value=Decimal("10000000"), places=2)
weight_maps = st.dictionaries(
    st.text(min_size=1, max_size=4),
    st.one_of(
        st.integers(min_value=0, max_value=10**7),
        st.decimals(min_value=0, max_value=1000, places=4),
    ),
    min_size=1,
    max_size=12,
).filter(lambda w: sum(Decimal(v) for v in w.values()) > 0)


@given(totals, weight_maps)
def test_parts_add_up_exactly_to_the_total(total, weights):
    parts = allocate(total, weights)
    assert sum(parts.values()) == total
    assert set(parts) == set(weights)
    assert all(part == part.quantize(Decimal("0.01")) for part in parts.values())


@given(totals, weight_maps)
def test_each_part_is_within_one_cent_of_its_exact_proportion(total, weights):
    parts = allocate(total, weights)
    weight_sum = sum(Fraction(Decimal(w)) for w in weights.values())
    for key, weight in weights.items():
        exact = Fraction(total) * Fraction(Decimal(weight)) / weight_sum
        assert abs(Fraction(parts[key]) - exact) < Fraction(1, 100)


@given(totals, weight_maps, st.randoms())
def test_result_does_not_depend_on_the_order_of_the_mapping(total, weights, rnd):
    items = list(weights.items())
    rnd.shuffle(items)
    assert allocate(total, dict(items)) == allocate(total, weights)


@given(st.integers(min_value=1, max_value=10**6), st.integers(min_value=2, max_value=9))
def test_ties_are_broken_deterministically_towards_the_smaller_key(cents, n):
    total = Decimal(cents) / 100
    parts = allocate(total, dict.fromkeys(range(n), 1))
    amounts = [parts[k] for k in range(n)]
    # equal weights: the left-over cents go to the smallest keys, one each
    assert amounts == sorted(amounts, reverse=True)
    assert max(amounts) - min(amounts) <= Decimal("0.01")
    assert allocate(total, dict.fromkeys(reversed(range(n)), 1)) == parts


def test_a_cent_split_three_ways_goes_to_the_first_key():
    assert allocate(Decimal("0.01"), {"b": 1, "a": 1, "c": 1}) == {
        "a": Decimal("0.01"),
        "b": Decimal("0"),
        "c": Decimal("0"),
    }


def test_zero_total_gives_zeros():
    assert allocate(Decimal("0"), {"a": 1, "b": 3}) == {"a": 0, "b": 0}


@pytest.mark.parametrize(
    ("weights", "message"),
    [
        ({"a": 1, "b": -1}, "negative"),
        ({"a": 0, "b": 0}, "all be zero"),
        ({}, "without weights"),
    ],
)
def test_bad_weights_raise_a_clear_error(weights, message):
    with pytest.raises(ValueError, match=message):
        allocate(Decimal("100.00"), weights)


def test_fractions_of_a_cent_in_the_total_are_refused():
    with pytest.raises(ValueError, match="whole cents"):
        allocate(Decimal("1.005"), {"a": 1})


def test_seed_percentages_that_add_up_to_99_9_are_used_as_weights():
    weights = {"Kemi": Decimal("34.6"), "Tornio": Decimal("33"), "Simo": Decimal("32.3")}
    parts = allocate(Decimal("999.00"), weights)
    assert parts == {
        "Kemi": Decimal("346.00"),
        "Tornio": Decimal("330.00"),
        "Simo": Decimal("323.00"),
    }


@pytest.mark.django_db
def test_allocation_table_adds_up_and_warns_about_99_9_percent():
    _contract, period, members = seed_contract()
    table = allocation_table(period)
    assert table.errors == []
    assert any("99.9" in w for w in table.warnings)
    assert table.annual_before_total == Decimal("64000.00")
    assert table.annual_after_total == Decimal("48000.00")
    assert table.funding_total == Decimal("16000.00")
    assert table.quarter_totals == [Decimal("12000.00")] * 4
    for row in table.rows:
        assert sum(row.quarters) == row.annual_after
    kemi = table.row_for(members["240"].pk)
    # 34.6 / 99.9 of 48 000 € = 16 624.6246… → 16 624.62
    assert kemi.annual_after == Decimal("16624.62")
    assert kemi.share_percent == Decimal("34.6346")


@pytest.mark.django_db
def test_a_table_given_again_for_the_same_figures_is_the_one_they_make():
    _contract, period, members = seed_contract()
    first = allocation_table(period)
    hits = allocation_columns.cache_info().hits
    again = allocation_table(period)
    assert allocation_columns.cache_info().hits == hits + 1
    assert [vars(r) for r in again.rows] == [vars(r) for r in first.rows]
    # a changed share is another argument: the table follows it
    kemi = members["240"]
    period.agreed_shares.filter(member=kemi).update(percentage=Decimal("40"))
    period = ContractPeriod.objects.prefetch_related(
        "contract__members", "agreed_shares", "usage_figures", "actual_costs"
    ).get(pk=period.pk)
    changed = allocation_table(period)
    assert changed.row_for(kemi.pk).annual_after != first.row_for(kemi.pk).annual_after
    # and what is given again is what the arithmetic gives afresh
    weights = tuple((r.member.pk, r.basis_value) for r in changed.rows)
    fresh = allocation_columns.__wrapped__(period.annual_cost, changed.state_funding, weights)
    for row in changed.rows:
        share, before, funding, after, quarters = fresh[row.member.pk]
        assert (row.share, row.annual_before, row.state_funding, row.annual_after) == (
            share,
            before,
            funding,
            after,
        )
        assert row.quarters == list(quarters)


@pytest.mark.django_db
@pytest.mark.parametrize("basis", ["population", "usage", "agreed"])
def test_what_if_table_under_every_basis_adds_up(basis):
    _contract, period, _members = seed_contract()
    table = allocation_table(period, basis)
    assert table.errors == []
    assert table.annual_after_total == Decimal("48000.00")
    if basis == "population":
        assert table.population_year == 2024
        assert table.basis_total == 19404 + 7691 + 2778 + 2825 + 20959 + 3736


@pytest.mark.django_db
def test_missing_population_figure_is_reported_not_guessed():
    _contract, period, members = seed_contract(basis=ContractPeriod.Basis.POPULATION)
    members["751"].population_figures.all().delete()
    table = allocation_table(period)
    assert any("Simo" in e for e in table.errors)


@given(
    st.dictionaries(
        st.integers(min_value=1, max_value=50),
        st.decimals(min_value=0, max_value=100000, places=2),
        min_size=1,
        max_size=10,
    )
)
def test_quarters_add_up_by_member_and_by_quarter(annual):
    total = sum(annual.values(), Decimal("0.00"))
    quarters = split_into_quarters(total, annual)
    for key, amount in annual.items():
        assert sum(quarters[key]) == amount
        assert all(part >= 0 for part in quarters[key])
    expected_columns = allocate(total, dict.fromkeys((1, 2, 3, 4), 1))
    for q in range(4):
        assert sum(parts[q] for parts in quarters.values()) == expected_columns[q + 1]
