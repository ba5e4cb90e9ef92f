from collections.abc import Callable
from typing import TypeVar

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

T = TypeVar("T")


def run_service(form: forms.BaseForm, service: Callable[[], T]) -> T | None:
    """Call a service; put its validation errors on the form instead of a 500.

    The service runs in its own transaction, so a failure has changed nothing.
    """
    try:
        return service()
    except ValidationError as error:
        if hasattr(error, "error_dict"):
            for field, messages in error.error_dict.items():
                form.add_error(field if field in form.fields else None, messages)
        else:
            form.add_error(None, error)
        return None


class OneTimeCodeForm(forms.Form):
    """A six-digit code from the authenticator app, or one recovery code."""

    code = forms.CharField(
        label=_("Code"),
        max_length=20,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "text", "autofocus": True}
        ),
    )


class AccessReportPeriodForm(forms.Form):
    """The period of a person's access-log report."""

    # a date input shows only an ISO value, whatever the page's language
    start = forms.DateField(label=_("From"), widget=forms.DateInput({"type": "date"}, "%Y-%m-%d"))
    end = forms.DateField(label=_("To"), widget=forms.DateInput({"type": "date"}, "%Y-%m-%d"))

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("start") and cleaned.get("end") and cleaned["start"] > cleaned["end"]:
            raise ValidationError(_("The start of the period is after its end."))
        return cleaned


class AccessReportSearchForm(AccessReportPeriodForm):
    """Whose access-log report, and for which period."""

    q = forms.CharField(label=_("Name or personal identity code"), max_length=100, required=False)
    field_order = ["q", "start", "end"]
