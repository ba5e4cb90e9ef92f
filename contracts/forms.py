from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from contracts.models import QUARTER_CHOICES, ContractPeriod, Invoice, QuarterActualCost
from contracts.quarters import previous_quarter


def _year_field():
    return forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)


class InvoicingRunForm(forms.Form):
    year = _year_field()
    quarter = forms.TypedChoiceField(label=_("Quarter"), choices=QUARTER_CHOICES, coerce=int)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        year, quarter = previous_quarter(timezone.localdate())
        self.fields["year"].initial = year
        self.fields["quarter"].initial = quarter


class InvoiceFilterForm(forms.Form):
    """Which quarter and status of invoices to list; every field is optional."""

    quarter = forms.ChoiceField(label=_("Quarter"), required=False)
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All statuses")), *Invoice.Status.choices],
    )

    def __init__(self, *args, quarters, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["quarter"].choices = [("", _("All quarters"))] + [
            (f"{y}-{q}", f"Q{q}/{y}") for y, q in quarters
        ]

    def year_and_quarter(self) -> tuple[int, int] | None:
        value = self.cleaned_data.get("quarter") if self.is_valid() else ""
        if not value:
            return None
        year, quarter = value.split("-")
        return int(year), int(quarter)


class QuarterForm(forms.Form):
    """A quarter named in a POST (issue all drafts, download a ZIP)."""

    year = _year_field()
    quarter = forms.TypedChoiceField(label=_("Quarter"), choices=QUARTER_CHOICES, coerce=int)


class WhatIfForm(forms.Form):
    basis = forms.ChoiceField(label=_("Allocate by"), choices=ContractPeriod.Basis.choices)


class InvoiceStatusForm(forms.Form):
    to_status = forms.ChoiceField(
        label=_("New status"),
        choices=[(Invoice.Status.SENT, _("Sent")), (Invoice.Status.PAID, _("Paid"))],
    )


class QuarterActualCostForm(forms.ModelForm):
    class Meta:
        model = QuarterActualCost
        fields = ["year", "quarter", "amount", "note"]
