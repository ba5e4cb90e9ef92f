"""The calendar of invoicing: quarters, and which year's population figure counts."""

from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

QUARTERS = (1, 2, 3, 4)
# the years a contract, cost or run may name; far inside what a date can hold
YEAR_MIN, YEAR_MAX = 2000, 2100


def year_in_range(year) -> bool:
    return isinstance(year, int) and YEAR_MIN <= year <= YEAR_MAX


def validate_year(year) -> None:
    """The one rule for a year typed into any contracts form, filter or model."""
    if not year_in_range(year):
        raise ValidationError(
            _("Enter a year between %(min)s and %(max)s."),
            code="year_range",
            params={"min": YEAR_MIN, "max": YEAR_MAX},
        )


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
