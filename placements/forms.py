from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from families.choices import Language
from families.forms import DateInput
from families.models import Family, ProviderUnit
from placements.access import may_choose_child_municipality
from placements.models import Child, Placement, PlacementRequest, SupportArrangement


class ChildForm(forms.ModelForm):
    languages = forms.MultipleChoiceField(
        label=_("Languages"),
        choices=Language.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = Child
        fields = [
            "municipality",
            "first_name",
            "last_name",
            "date_of_birth",
            "personal_identity_code",
            "languages",
            "needs",
            "needs_description",
            "school_or_daycare",
            "birth_parent_contact",
            "birth_parent_contact_notes",
            "siblings",
        ]
        widgets = {
            "date_of_birth": DateInput(),
            "needs": forms.CheckboxSelectMultiple,
            "siblings": forms.CheckboxSelectMultiple,
            "needs_description": forms.Textarea(attrs={"rows": 3}),
            "birth_parent_contact_notes": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, user, children, **kwargs):
        super().__init__(*args, **kwargs)
        if not may_choose_child_municipality(user):
            del self.fields["municipality"]
        if self.instance.pk:
            children = children.filter(municipality_id=self.instance.municipality_id).exclude(
                pk=self.instance.pk
            )
            self._offer_identity_code_replacement()
        self.fields["siblings"].queryset = children
        self.fields["siblings"].help_text = _("Other children of the same municipality.")

    def _offer_identity_code_replacement(self) -> None:
        """The stored code is never put in the form: only its masked value is shown, and a
        code typed here replaces it (empty keeps it)."""
        field = self.fields["personal_identity_code"]
        self.initial["personal_identity_code"] = ""
        field.label = _("Replace the identity code")
        if self.instance.personal_identity_code:
            field.help_text = _(
                "Stored: %(masked)s. Leave empty to keep it; a code typed here replaces it."
            ) % {"masked": self.instance.masked_identity_code}
        else:
            field.help_text = _("Optional. None stored yet.")

    def clean_personal_identity_code(self):
        code = self.cleaned_data.get("personal_identity_code", "")
        if self.instance.pk and not code.strip():
            return self.instance.personal_identity_code  # empty keeps the stored code
        return code


class PlacementRequestForm(forms.ModelForm):
    class Meta:
        model = PlacementRequest
        fields = [
            "children",
            "placement_type",
            "urgency",
            "wished_start_on",
            "expected_duration",
            "keep_siblings_together",
            "wishes",
        ]
        widgets = {
            "children": forms.CheckboxSelectMultiple,
            "wished_start_on": DateInput(),
            "wishes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, children, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["children"].queryset = children
        self.fields["children"].help_text = _(
            "Choose every child of a sibling group that should be placed together."
        )
        if not self.instance.pk:
            self.initial.setdefault("wished_start_on", timezone.localdate())


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


class DecisionForm(forms.Form):
    decision_on = forms.DateField(label=_("Decision date"), widget=DateInput())
    decision_maker = forms.CharField(
        label=_("Decision maker"), max_length=150, help_text=_("The official who decided.")
    )
    decision_reference = forms.CharField(
        label=_("Decision reference"), max_length=50, help_text=_("e.g. the record number")
    )


class PlaceForm(forms.Form):
    started_on = forms.DateField(label=_("Placement starts on"), widget=DateInput())


class PlacementEndForm(forms.ModelForm):
    class Meta:
        model = Placement
        fields = ["ended_on", "end_reason"]
        widgets = {"ended_on": DateInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ended_on"].required = True
        self.fields["end_reason"].required = True


class ProposeForm(forms.Form):
    family = forms.ModelMultipleChoiceField(
        label=_("Families"),
        queryset=Family.objects.none(),
        error_messages={"required": _("Choose at least one family to propose.")},
    )

    def __init__(self, *args, families, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["family"].queryset = families


class IdentityCodeForm(forms.Form):
    """``?show=identity-code`` on a child's page reveals the code (and logs it)."""

    show = forms.ChoiceField(choices=[("identity-code", "identity-code")], required=False)

    @property
    def reveal(self) -> bool:
        return self.is_valid() and self.cleaned_data["show"] == "identity-code"


class ShareForm(forms.Form):
    user = forms.ModelChoiceField(label=_("Social worker"), queryset=None)

    def __init__(self, *args, users, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = users


class UnshareForm(forms.Form):
    user = forms.ModelChoiceField(label=_("Social worker"), queryset=None)

    def __init__(self, *args, users, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = users


class ProposeProvidersForm(forms.Form):
    unit = forms.ModelMultipleChoiceField(
        label=_("Units"),
        queryset=ProviderUnit.objects.none(),
        error_messages={"required": _("Choose at least one unit to propose.")},
    )

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units


class SupportArrangementForm(forms.ModelForm):
    class Meta:
        model = SupportArrangement
        fields = ["pattern", "weekend_of_month", "starts_on", "ends_on"]
        widgets = {"starts_on": DateInput(), "ends_on": DateInput()}


class SupportStayForm(forms.Form):
    starts_on = forms.DateField(label=_("First day"), widget=DateInput())
    ends_on = forms.DateField(label=_("Last day"), widget=DateInput())


class SupportStayMoveForm(SupportStayForm):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))
