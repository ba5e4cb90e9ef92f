"""Finnish reference numbers and the version 4 virtual bar code."""

from datetime import date
from decimal import Decimal

import pytest

from contracts.allocation import virtual_barcode
from contracts.quarters import population_year
from contracts.services import finnish_reference


@pytest.mark.parametrize(
    ("base", "reference"),
    [
        ("1234567", "12345672"),  # DOMAIN.md's worked example
        ("123", "1232"),  # 3·7 + 2·3 + 1·1 = 28 → 2
        ("1000001", "10000016"),  # from the right 1·7 … 1·7 = 14 → 6
        ("1234561", "12345614"),  # 7 + 18 + 5 + 28 + 9 + 2 + 7 = 76 → 4
        ("123456790", "1234567907"),  # the reference of the nocfo bar code example below
    ],
)
def test_finnish_reference_appends_the_check_digit(base, reference):
    assert finnish_reference(base) == reference


@pytest.mark.parametrize("base", ["12", "12a45", "1" * 20, ""])
def test_finnish_reference_refuses_bad_bases(base):
    with pytest.raises(ValueError):
        finnish_reference(base)


@pytest.mark.parametrize(
    ("iban", "amount", "reference", "due", "expected"),
    [
        # Published examples of two open-source implementations of the Finanssiala guide
        # (akselinurmio/virtuaaliviivakoodi test suite and nocfo/virtuaaliviivakoodi README).
        (
            "FI37 1590 3000 0007 76",
            Decimal("12.25"),
            "11112",
            date(2016, 12, 21),
            "437159030000007760000122500000000000000000011112161221",
        ),
        (
            "FI49 5000 9420 0287 30",
            Decimal("100.20"),
            "1234567907",
            # the README passes 12.12.2022 but its printed code ends 201212 (12.12.2020);
            # the code is taken as the worked example
            date(2020, 12, 12),
            "449500094200287300001002000000000000001234567907201212",
        ),
        # Derived by hand from the field layout: 4 | 7944052020036082 | 004883 | 15 | 000 |
        # 00000868516259619897 | 100612 (the guide's first example, as remembered).
        (
            "FI79 4405 2020 0360 82",
            Decimal("4883.15"),
            "868516259619897",
            date(2010, 6, 12),
            "479440520200360820048831500000000868516259619897100612",
        ),
    ],
)
def test_virtual_barcode_matches_worked_examples(iban, amount, reference, due, expected):
    code = virtual_barcode(iban=iban, amount=amount, reference=reference, due_date=due)
    assert code == expected
    assert len(code) == 54


def test_virtual_barcode_without_due_date_and_with_a_large_amount():
    code = virtual_barcode(
        iban="FI37 1590 3000 0007 76",
        amount=Decimal("1000000.00"),
        reference="11112",
        due_date=None,
    )
    assert code == "437159030000007760000000000000000000000000011112000000"


def test_virtual_barcode_needs_a_finnish_iban():
    with pytest.raises(ValueError):
        virtual_barcode(
            iban="SE4550000000058398257466", amount=Decimal(1), reference="123", due_date=None
        )


@pytest.mark.parametrize(
    ("reference_date", "year"),
    [(date(2024, 12, 31), 2024), (date(2025, 3, 15), 2024), (date(2025, 1, 1), 2024)],
)
def test_population_year_is_the_latest_year_end_on_or_before_the_date(reference_date, year):
    assert population_year(reference_date) == year
