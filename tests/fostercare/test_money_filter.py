"""``euros`` writes money exactly as ``floatformat:"2g"`` does, in Finnish and Swedish."""

from decimal import Decimal

import pytest
from django.template.defaultfilters import floatformat
from django.utils import translation

from fostercare.templatetags.money import euros

AMOUNTS = [
    "0",
    "0.00",
    "-0.001",
    "0.005",
    "1",
    "-1.5",
    "999.995",
    "1000",
    "12345.67",
    "-12345.675",
    "1234567.891",
    "100000000.10",
    7,
    2.5,
]


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_euros_is_floatformat_2g(language):
    with translation.override(language):
        for amount in AMOUNTS:
            value = Decimal(amount) if isinstance(amount, str) else amount
            assert euros(value) == floatformat(value, "2g"), amount
        assert euros(None) == "" and euros("") == ""


def test_finnish_groups_with_a_space_and_a_decimal_comma():
    with translation.override("fi"):
        assert euros(Decimal("12345.6")) == "12\xa0345,60"
