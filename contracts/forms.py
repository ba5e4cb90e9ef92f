from django import forms
from django.urls import reverse
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from contracts.models import (
    QUARTER_CHOICES,
    Contract,
    ContractPeriod,
    Invoice,
    ProducerInvoice,
    QuarterActualCost,
)
from contracts.quarters import YEAR_MAX, YEAR_MIN, previous_quarter, validate_year
from fostercare.models import MemberOrganisation
from fostercare.pickers import (
    MEMBER_SEARCH_FIELDS,
    SearchPickerMultipleField,
    member_organisations,
)


def _year_field(**kwargs):
    """A year bounded by the model's rule, with its message (a huge year made a 500)."""
    field = forms.IntegerField(label=_("Year"), validators=[validate_year], **kwargs)
    field.widget.attrs.update({"min": YEAR_MIN, "max": YEAR_MAX})
    return field


class InvoicingRunForm(forms.Form):
    year = _year_field()
    quarter = forms.TypedChoiceField(label=_("Quarter"), choices=QUARTER_CHOICES, coerce=int)
    confirm_early = forms.BooleanField(
        label=_("Invoice the quarter even if it has not ended yet"),
        required=False,
        help_text=_("Only for contract periods invoiced in advance, or by agreement."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        year, quarter = previous_quarter(timezone.localdate())
        self.fields["year"].initial = year
        self.fields["quarter"].initial = quarter


class QuarterForm(forms.Form):
    """A quarter named in a POST (issue all drafts) or a link (download a ZIP)."""

    year = _year_field(widget=forms.HiddenInput)
    quarter = forms.TypedChoiceField(choices=QUARTER_CHOICES, coerce=int, widget=forms.HiddenInput)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("year") is None or cleaned.get("quarter") is None:
            # the fields are hidden, so the reason is said once for the whole form
            raise forms.ValidationError(_("Choose a quarter first."), code="no_quarter")
        return cleaned


class IssueDraftsForm(QuarterForm):
    """Issue all drafts of a quarter, confirmed on the review page for the count and
    total that it showed: if the drafts changed meanwhile, they are reviewed again."""

    count = forms.IntegerField(min_value=0, widget=forms.HiddenInput)
    total = forms.DecimalField(max_digits=14, decimal_places=2, widget=forms.HiddenInput)
    confirm = forms.BooleanField(
        label=_("I have reviewed the drafts and want to issue them"),
        error_messages={"required": _("Confirm that you have reviewed the drafts.")},
    )


class InvoiceActionForm(forms.Form):
    """Issue or credit: no fields; it carries the service's reason when it refuses."""


class WhatIfForm(forms.Form):
    basis = forms.ChoiceField(label=_("Allocate by"), choices=ContractPeriod.Basis.choices)


class InvoiceStatusForm(forms.Form):
    to_status = forms.ChoiceField(
        label=_("New status"),
        choices=[(Invoice.Status.SENT, _("Sent")), (Invoice.Status.PAID, _("Paid"))],
        error_messages={"required": _("Choose the new status.")},
    )


class QuarterActualCostForm(forms.ModelForm):
    year = _year_field()

    class Meta:
        model = QuarterActualCost
        fields = ["year", "quarter", "amount", "note"]


class ActualCostCorrectionForm(forms.Form):
    """A corrected actual cost of a quarter and the reason for the correction."""

    amount = forms.DecimalField(
        label=_("Corrected actual cost (€)"), max_digits=12, decimal_places=2, min_value=0
    )
    reason = forms.CharField(label=_("Reason for the correction"), max_length=200)


class ProducerInvoiceForm(forms.ModelForm):
    """The producer's invoice of a quarter, with its PDF if there is one."""

    year = _year_field()

    class Meta:
        model = ProducerInvoice
        fields = ["number", "invoice_date", "amount", "year", "quarter", "pdf"]
        widgets = {
            "invoice_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "pdf": forms.ClearableFileInput(attrs={"accept": "application/pdf"}),
        }


class _PeriodMemberForm(forms.Form):
    """A figure of one party of the period's contract."""

    def __init__(self, *args, period: ContractPeriod, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"] = forms.ModelChoiceField(
            label=_("Member"),
            queryset=period.contract.members.order_by("name_fi"),
            error_messages={"invalid_choice": _("Choose one of the contract's parties.")},
        )
        self.order_fields(["member"])


class AgreedShareForm(_PeriodMemberForm):
    percentage = forms.DecimalField(
        label=_("Agreed share (%)"), max_digits=7, decimal_places=4, min_value=0, max_value=100
    )


class UsageFigureForm(_PeriodMemberForm):
    care_days = forms.IntegerField(label=_("Care days"), min_value=0)
    source = forms.CharField(label=_("Source"), max_length=200, required=False)


class ContractForm(forms.ModelForm):
    """A contract with its parties, the administering member and the producer; the pages
    and the admin use it, and ``services.contract_save`` checks the parties again.

    The parties (any of some 300 members) are searched and listed as checked boxes; the
    administering member, one of them, stays a native select: a finance worker knows the
    municipality's name, a select is accessible as it is, and 300 options are one query."""

    members = SearchPickerMultipleField(
        label=capfirst(Contract._meta.get_field("members").verbose_name),
        queryset=MemberOrganisation.objects.none(),
        search_fields=MEMBER_SEARCH_FIELDS,
    )

    class Meta:
        model = Contract
        fields = [
            "name",
            "description",
            "members",
            "issuer",
            "issuer_iban",
            "issuer_bic",
            "producer_name",
            "producer_business_id",
            "contact_name",
            "contact_phone",
            "contact_email",
            "remark_period_days",
            "active",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        organisations = member_organisations()
        members = self.fields["members"]
        members.queryset = organisations
        if isinstance(members, SearchPickerMultipleField):
            members.widget.search_url = reverse("contracts:contract-member-search")
        self.fields["issuer"].queryset = organisations

    def clean(self):
        cleaned = super().clean()
        members = cleaned.get("members")
        if cleaned.get("issuer") and members is not None:
            # the model's rule, which contract_save checks again when saving
            try:
                Contract(issuer=cleaned["issuer"]).validate_parties(members)
            except forms.ValidationError as error:
                self.add_error(None, error)
        return cleaned


def _date_widget():
    # a date input shows only an ISO value, whatever the page's language
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ContractPeriodForm(forms.ModelForm):
    """A period: its dates, annual cost, allocation basis, invoicing timing, state
    funding, payment term and VAT. No overlap with the contract's other periods."""

    class Meta:
        model = ContractPeriod
        fields = [
            "starts_on",
            "ends_on",
            "annual_cost",
            "basis",
            "population_reference_date",
            "invoicing_timing",
            "state_funding_amount",
            "state_funding_percent",
            "payment_term_days",
            "vat_rate",
            "vat_note",
        ]
        widgets = {
            "starts_on": _date_widget(),
            "ends_on": _date_widget(),
            "population_reference_date": _date_widget(),
        }

    def clean(self):
        cleaned = super().clean()
        for name in ("starts_on", "ends_on", "population_reference_date"):
            day = cleaned.get(name)
            if day and not YEAR_MIN <= day.year <= YEAR_MAX:
                self.add_error(
                    name,
                    _("Enter a date between the years %(min)s and %(max)s.")
                    % {"min": YEAR_MIN, "max": YEAR_MAX},
                )
        return cleaned
