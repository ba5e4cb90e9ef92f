from django import forms
from django.utils.translation import gettext_lazy as _

from families.choices import Language
from families.models import (
    Carer,
    Family,
    HouseholdMember,
    Provider,
    ProviderUnit,
    SupervisionVisit,
)
from families.services import (
    DUPLICATES_CONFIRMED,
    allowed_next_statuses,
    status_change_needs_reason,
)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class DuplicatesConfirmMixin(forms.Form):
    """The "save anyway" of a possible duplicate (families.services._duplicates_check): a
    hidden field until the service names another family, then a checkbox under the
    warning, so nothing is saved without the user confirming."""

    duplicates_confirmed = forms.BooleanField(
        label=_("Save anyway: I checked that it is not the same family"),
        required=False,
        widget=forms.HiddenInput,
    )

    def add_error(self, field, error):
        warned = field == DUPLICATES_CONFIRMED or DUPLICATES_CONFIRMED in getattr(
            error, "error_dict", {}
        )
        if warned:
            self.fields[DUPLICATES_CONFIRMED].widget = forms.CheckboxInput()
        super().add_error(field, error)

    @property
    def confirms_duplicates(self) -> bool:
        return bool(self.cleaned_data.get(DUPLICATES_CONFIRMED))


def _languages_formfield(label):
    return forms.MultipleChoiceField(
        label=label,
        choices=Language.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )


class FamilyForm(DuplicatesConfirmMixin, forms.ModelForm):
    languages = _languages_formfield(_("Languages"))

    class Meta:
        model = Family
        fields = [
            "name",
            "kind",
            "home_municipality",
            "street_address",
            "postal_code",
            "post_office",
            "places",
            "age_min",
            "age_max",
            "siblings_accepted",
            "languages",
            "special_skills",
            "capacity_exception_reason",
            "pre_service_training_completed_on",
            "training_exception_reason",
            "training_due_on",
            "home_study_approved_on",
            "notes",
        ]
        widgets = {
            "special_skills": forms.CheckboxSelectMultiple,
            "pre_service_training_completed_on": DateInput(),
            "training_exception_reason": forms.Textarea(attrs={"rows": 2}),
            "training_due_on": DateInput(),
            "home_study_approved_on": DateInput(),
            "capacity_exception_reason": forms.Textarea(attrs={"rows": 2}),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }


class FamilyStatusForm(forms.Form):
    to_status = forms.ChoiceField(label=_("New status"))
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text=_("Needed for going back, pausing or ending."),
    )
    confirm = forms.BooleanField(
        label=_("I confirm going back, pausing or ending"),
        required=False,
    )

    def __init__(self, *args, family: Family, **kwargs):
        super().__init__(*args, **kwargs)
        self.family = family
        self.fields["to_status"].choices = self._forward_first(family)

    def _forward_first(self, family: Family) -> list[tuple[str, str]]:
        """The steps forward first, the next one preselected; steps back, pausing and
        ending after them and never preselected (an empty choice heads the list when
        there is no step forward)."""
        allowed = allowed_next_statuses(family)
        if not allowed:
            return []
        forward = [c for c in allowed if not status_change_needs_reason(family.status, c[0])]
        back = [c for c in allowed if status_change_needs_reason(family.status, c[0])]
        if forward:
            self.initial.setdefault("to_status", forward[0][0])
            return forward + back
        return [("", _("Choose the new status")), *back]

    def clean(self):
        cleaned = super().clean()
        to_status = cleaned.get("to_status")
        if to_status and status_change_needs_reason(self.family.status, to_status):
            # the reason itself is the service's rule; the confirmation is this form's
            if not cleaned.get("reason", "").strip():
                self.add_error("reason", _("Give the reason for going back, pausing or ending."))
            if not cleaned.get("confirm"):
                self.add_error("confirm", _("Confirm the change: it goes back or ends."))
        return cleaned


class CarerForm(DuplicatesConfirmMixin, forms.ModelForm):
    languages = _languages_formfield(_("Languages"))

    class Meta:
        model = Carer
        fields = [
            "first_name",
            "last_name",
            "birth_year",
            "email",
            "phone",
            "languages",
            "lives_in_home",
            "criminal_record_seen_on",
            "health_checked_on",
        ]
        widgets = {
            "criminal_record_seen_on": DateInput(),
            "health_checked_on": DateInput(),
        }
        help_texts = {
            "criminal_record_seen_on": _(
                "The extract is only seen, never copied or stored. You are recorded as "
                "the person who saw it."
            )
        }


class HouseholdMemberForm(forms.ModelForm):
    class Meta:
        model = HouseholdMember
        fields = ["description", "birth_year", "counts_toward_capacity"]


class ProviderForm(forms.ModelForm):
    class Meta:
        model = Provider
        fields = [
            "name",
            "kind",
            "business_id",
            "municipality",
            "street_address",
            "postal_code",
            "post_office",
            "email",
            "phone",
            "places",
            "licence_number",
            "licence_granted_by",
            "licence_granted_on",
            "licence_valid_from",
            "licence_valid_until",
            "active",
            "notes",
        ]
        widgets = {
            "licence_granted_on": DateInput(),
            "licence_valid_from": DateInput(),
            "licence_valid_until": DateInput(),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }


class ProviderUnitForm(forms.ModelForm):
    class Meta:
        model = ProviderUnit
        fields = ["name", "places", "age_min", "age_max", "active"]


class SupervisionVisitForm(forms.ModelForm):
    class Meta:
        model = SupervisionVisit
        fields = ["visited_on", "visitors", "findings", "follow_up_due_on", "follow_up_done_on"]
        widgets = {
            "visited_on": DateInput(),
            "follow_up_due_on": DateInput(),
            "follow_up_done_on": DateInput(),
            "findings": forms.Textarea(attrs={"rows": 3}),
        }


class MoveOutForm(forms.Form):
    """The day a carer or household member moved out of the home."""

    moved_out_on = forms.DateField(label=_("Moved out on"), widget=DateInput())
