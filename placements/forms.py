from django import forms
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from families.choices import Language
from families.forms import DateInput
from families.models import Family, ProviderUnit
from fostercare.models import MemberOrganisation
from fostercare.pickers import SearchPickerField, SearchPickerMultipleField
from placements.access import may_choose_child_municipality
from placements.models import AftercarePlan, Child, Placement, PlacementRequest, SupportArrangement

CHILD_SEARCH_FIELDS = ("first_name", "last_name")


def child_label(child, *, with_municipality: bool = False) -> str:
    """A child as the pickers show it: the name and date of birth tell namesakes apart."""
    if with_municipality:
        return f"{child} ({child.date_of_birth:%d.%m.%Y}, {child.municipality.name})"
    return f"{child} ({child.date_of_birth:%d.%m.%Y})"


def _children_picker(label, **kwargs) -> SearchPickerMultipleField:
    return SearchPickerMultipleField(
        label=label,
        queryset=Child.objects.none(),
        required=False,
        search_fields=CHILD_SEARCH_FIELDS,
        **kwargs,
    )


class ChildForm(forms.ModelForm):
    siblings = _children_picker(_("Siblings"))
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
            "needs_description": forms.Textarea(attrs={"rows": 3}),
            "birth_parent_contact_notes": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, user, children, **kwargs):
        super().__init__(*args, **kwargs)
        if not may_choose_child_municipality(user):
            del self.fields["municipality"]
        if self.instance.pk:
            self._offer_identity_code_replacement()
        siblings = self.fields["siblings"]
        siblings.queryset = sibling_candidates(children, self.instance)
        siblings.label_from_instance = child_label
        siblings.widget.search_url = (
            reverse("placements:child-sibling-search", args=[self.instance.pk])
            if self.instance.pk
            else reverse("placements:child-sibling-search-new")
        )
        siblings.help_text = _("Other children of the same municipality.")

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


def sibling_candidates(children, child):
    """The children a child's siblings are chosen among: a saved child's are of its own
    municipality, never itself."""
    if child.pk:
        children = children.filter(municipality_id=child.municipality_id).exclude(pk=child.pk)
    return children.order_by("last_name", "first_name", "pk")


class PlacementRequestForm(forms.ModelForm):
    """The request. The unit filing for a municipality also names the municipality and
    the worker who phoned it in; children may be chosen here or added in ``NewChildFormSet``."""

    municipality = forms.ModelChoiceField(
        label=_("Requesting municipality"), queryset=MemberOrganisation.objects.none()
    )
    children = _children_picker(_("Children"))

    class Meta:
        model = PlacementRequest
        fields = [
            "municipality",
            "phoned_in_by",
            "children",
            "placement_type",
            "urgency",
            "wished_start_on",
            "expected_duration",
            "keep_siblings_together",
            "wishes",
        ]
        widgets = {
            "wished_start_on": DateInput(),
            "wishes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, children, municipalities=None, **kwargs):
        super().__init__(*args, **kwargs)
        if municipalities is None:  # a municipal worker, for their own municipality
            del self.fields["municipality"]
            del self.fields["phoned_in_by"]
        else:
            self.fields["municipality"].queryset = municipalities
            self.fields["phoned_in_by"].required = True
        children_field = self.fields["children"]
        children_field.queryset = children  # or new ones, in the rows below the form
        children_field.label_from_instance = self._child_label
        children_field.widget.search_url = reverse("placements:request-children-search")
        children_field.help_text = _(
            "Children without an ongoing placement. Choose every child of a sibling group "
            "that should be placed together, or add them below."
        )
        if not self.instance.pk:
            self.initial.setdefault("wished_start_on", timezone.localdate())

    def _child_label(self, child) -> str:
        return child_label(child, with_municipality="municipality" in self.fields)


class NewChildForm(forms.ModelForm):
    """One child added in place on the request form: the minimum; the rest later."""

    class Meta:
        model = Child
        fields = ["first_name", "last_name", "date_of_birth", "personal_identity_code"]
        widgets = {"date_of_birth": DateInput()}


class BaseNewChildFormSet(forms.BaseModelFormSet):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("queryset", Child.objects.none())
        kwargs.setdefault("prefix", "new_child")
        super().__init__(*args, **kwargs)

    def new_children(self) -> list[Child]:
        """The filled rows as unsaved children (an untouched row is no child)."""
        return [form.instance for form in self.forms if form.has_changed()]


NewChildFormSet = forms.modelformset_factory(
    Child, form=NewChildForm, formset=BaseNewChildFormSet, extra=1, max_num=10
)


def with_one_more_row(data, prefix: str = "new_child"):
    """The posted data with one more (empty) row: "Add a child" works without JavaScript."""
    data = data.copy()
    total = f"{prefix}-TOTAL_FORMS"
    try:
        data[total] = str(min(int(data.get(total, 1)) + 1, 10))
    except ValueError:
        data[total] = "1"
    return data


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


class PlacementCorrectionForm(forms.Form):
    """A placement's dates corrected, with the reason the history keeps."""

    started_on = forms.DateField(label=_("Start date"), widget=DateInput())
    ended_on = forms.DateField(
        label=_("End date"), widget=DateInput(), required=False, help_text=_("Empty if ongoing.")
    )
    end_reason = forms.ChoiceField(
        label=_("End reason"),
        choices=[("", "–"), *Placement.EndReason.choices],
        required=False,
    )
    reason = forms.CharField(
        label=_("Reason for the correction"), widget=forms.Textarea(attrs={"rows": 2})
    )


class EmergencyExtensionForm(forms.Form):
    """The official's 38 a § decision extending an emergency placement."""

    days = forms.IntegerField(
        label=_("Extended by (days)"),
        min_value=1,
        max_value=30,
        help_text=_("Child Welfare Act 38 a §: at most another 30 days."),
    )
    decided_on = forms.DateField(label=_("Decision date"), widget=DateInput())
    reason = forms.CharField(
        label=_("Decision and grounds"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("e.g. the decision reference"),
    )


class AftercarePlanForm(forms.ModelForm):
    class Meta:
        model = AftercarePlan
        fields = ["agreed_on", "agreed_with", "review_on", "plan"]
        widgets = {
            "agreed_on": DateInput(),
            "review_on": DateInput(),
            "plan": forms.Textarea(attrs={"rows": 3}),
        }


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


def worker_label(user) -> str:
    """A social worker as the pickers show them: with their organisation."""
    return f"{user}, {user.organisation.name}" if user.organisation_id else str(user)


WORKER_SEARCH_FIELDS = ("first_name", "last_name", "organisation__name_fi", "organisation__name_sv")


class ShareForm(forms.Form):
    """The worker of another municipality to share with, searched by name or municipality
    (every municipal worker of the country may be one)."""

    user = SearchPickerField(
        label=_("Social worker"), queryset=None, search_fields=WORKER_SEARCH_FIELDS
    )

    def __init__(self, *args, users, search_url: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = users
        self.fields["user"].label_from_instance = worker_label
        self.fields["user"].widget.search_url = search_url


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
