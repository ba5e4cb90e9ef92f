from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum.fi import ytunnus


def validate_business_id(value: str) -> None:
    """Accept a Finnish business ID (Y-tunnus) such as 0209602-6 with a valid check digit."""
    if not ytunnus.is_valid(value) or ytunnus.compact(value) != value.replace("-", ""):
        raise ValidationError(
            _("Enter a valid business ID (Y-tunnus) in the form 1234567-8."), code="invalid"
        )
