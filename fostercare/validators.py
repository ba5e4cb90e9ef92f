from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum.fi import ytunnus


def business_id_canonical(value: str) -> str:
    """A valid business ID in its one stored form, 1234567-8 (02096026 → 0209602-6);
    anything else unchanged, for the validator to refuse."""
    return ytunnus.format(value) if value and ytunnus.is_valid(value) else value


def validate_business_id(value: str) -> None:
    """Accept a Finnish business ID (Y-tunnus) such as 0209602-6 with a valid check digit.
    The models store it in the canonical form (``business_id_canonical``), so the same
    organisation cannot be registered twice as 0209602-6 and 02096026."""
    if not ytunnus.is_valid(value) or ytunnus.compact(value) != value.replace("-", ""):
        raise ValidationError(
            _("Enter a valid business ID (Y-tunnus) in the form 1234567-8."), code="invalid"
        )


SANE_YEARS = (1900, 2100)


def validate_sane_year(value) -> None:
    """Refuse dates outside 1900–2100: a mistyped year (0001) is no real appointment, and
    near the ends of Python's range a date has no UTC time (calendars, exports)."""
    first, last = SANE_YEARS
    if value is not None and not first <= value.year <= last:
        raise ValidationError(
            _("Enter a date between the years %(first)d and %(last)d."),
            code="year_out_of_range",
            params={"first": first, "last": last},
        )
