from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import django.forms
from django import forms
from django.core.exceptions import ValidationError
from django.forms.renderers import DjangoTemplates
from django.utils.functional import cached_property
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


class AccessibilityFeedbackForm(forms.Form):
    """The accessibility statement's feedback form (public)."""

    topic = forms.ChoiceField(label=_("What is your feedback about?"), choices=[])
    page = forms.CharField(
        label=_("Which page or part of the service?"),
        max_length=300,
        required=False,
        help_text=_("For example the address of the page or its heading."),
    )
    message = forms.CharField(
        label=_("Your feedback"), widget=forms.Textarea(attrs={"rows": 5}), max_length=4000
    )
    name = forms.CharField(
        label=_("Your name"),
        max_length=150,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    email = forms.EmailField(
        label=_("Your e-mail address, if you want an answer"),
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    # A honeypot: people never see or fill it; bots that fill every field do.
    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    def __init__(self, *args, **kwargs):
        from fostercare.models import AccessibilityFeedback

        super().__init__(*args, **kwargs)
        self.fields["topic"].choices = AccessibilityFeedback.Topic.choices

    @property
    def is_spam(self) -> bool:
        return bool(self.data.get("website"))


class FormRenderer(DjangoTemplates):
    """Django's renderer, with the project's field template (required marked in text) and
    its ``<select>``, which writes each option inline rather than through two template
    includes an option (a select of 300 municipalities took 0.2 s to render)."""

    field_template_name = "fostercare/forms/field.html"

    @cached_property
    def engine(self):
        own = Path(__file__).parent / "templates"
        return self.backend(
            {
                "APP_DIRS": True,
                "DIRS": [own, Path(django.forms.__file__).parent / "templates"],
                "NAME": "djangoforms",
                "OPTIONS": {},
            }
        )
