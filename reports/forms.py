from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from contracts.models import QUARTER_CHOICES, Contract
from contracts.quarters import YEAR_MAX, YEAR_MIN, previous_quarter, validate_year
from fostercare.models import MemberOrganisation
from placements.care_days import CARE_TYPES
from reports.models import LANGUAGES, Report


def _year_field():
    field = forms.IntegerField(label=_("Year"), validators=[validate_year])
    field.widget.attrs.update({"min": YEAR_MIN, "max": YEAR_MAX})
    return field


class ReportRequestForm(forms.Form):
    kind = forms.ChoiceField(label=_("Report"), choices=Report.Kind.choices)
    contract = forms.ModelChoiceField(label=_("Contract"), queryset=Contract.objects.none())
    member = forms.ModelChoiceField(
        label=_("Member"),
        queryset=MemberOrganisation.objects.none(),
        required=False,
        help_text=_("Only for a member's annual report."),
    )
    year = _year_field()
    quarter = forms.TypedChoiceField(
        label=_("Quarter"),
        choices=[("", _("The whole year")), *QUARTER_CHOICES],
        coerce=int,
        empty_value=None,
        required=False,
    )
    language = forms.ChoiceField(label=_("Language of the report"), choices=LANGUAGES)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["contract"].queryset = Contract.objects.visible_to(user).order_by("name")
        self.fields["member"].queryset = (
            MemberOrganisation.objects.filter(contracts__in=self.fields["contract"].queryset)
            .distinct()
            .order_by("name_fi")
        )
        year, quarter = previous_quarter(timezone.localdate())
        self.fields["year"].initial, self.fields["quarter"].initial = year, quarter


class ReferenceCostForm(forms.Form):
    year = _year_field()
    care_type = forms.ChoiceField(label=_("Care type"), choices=CARE_TYPES)
    daily_cost = forms.DecimalField(
        label=_("Daily cost (€)"), min_value=0, max_digits=9, decimal_places=2
    )
    source = forms.CharField(label=_("Source"), max_length=200, required=False)
