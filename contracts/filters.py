import django_filters
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from contracts.models import Invoice
from contracts.selectors import invoices_past_due


class InvoiceFilter(django_filters.FilterSet):
    """Which quarter and status of invoices to list; every field is optional."""

    quarter = django_filters.ChoiceFilter(
        label=_("Quarter"), method="filter_quarter", empty_label=_("All quarters")
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=Invoice.Status.choices, empty_label=_("All statuses")
    )
    past_due = django_filters.BooleanFilter(
        label=_("Past due and unpaid"), method="filter_past_due", widget=forms.CheckboxInput
    )

    class Meta:
        model = Invoice
        fields: list[str] = []

    def __init__(self, data=None, queryset=None, *, quarters: list[tuple[int, int]], **kwargs):
        super().__init__(data, queryset, **kwargs)
        # the quarters that have invoices the user may see (selectors.invoice_quarters)
        self.filters["quarter"].extra["choices"] = [(f"{y}-{q}", f"Q{q}/{y}") for y, q in quarters]

    @staticmethod
    def _split(value: str) -> tuple[int, int]:
        year, quarter = value.split("-")
        return int(year), int(quarter)

    def filter_past_due(self, queryset, name, value):
        return invoices_past_due(queryset, timezone.localdate()) if value else queryset

    def filter_quarter(self, queryset, name, value):
        year, quarter = self._split(value)
        return queryset.filter(year=year, quarter=quarter)

    def year_and_quarter(self) -> tuple[int, int] | None:
        """The chosen quarter, or None when none (or an unknown one) is chosen."""
        if not self.is_bound or "quarter" in self.errors:
            return None
        value = self.form.cleaned_data.get("quarter")
        return self._split(value) if value else None
