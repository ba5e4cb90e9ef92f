from django import forms
from django.utils.translation import gettext_lazy as _

from families.choices import Language
from families.models import Carer, Family, HouseholdMember, Provider, SupervisionVisit


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


def _languages_formfield(label):
    return forms.MultipleChoiceField(
        label=label,
        choices=Language.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )


class FamilyForm(forms.ModelForm):
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
            "home_study_approved_on",
            "notes",
        ]
        widgets = {
            "special_skills": forms.CheckboxSelectMultiple,
            "pre_service_training_completed_on": DateInput(),
            "home_study_approved_on": DateInput(),
            "capacity_exception_reason": forms.Textarea(attrs={"rows": 2}),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }


class FamilyStatusForm(forms.Form):
    to_status = forms.ChoiceField(label=_("New status"))
    reason = forms.CharField(
        label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )

    def __init__(self, *args, choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_status"].choices = choices


class CarerForm(forms.ModelForm):
    languages = _languages_formfield(_("Languages"))

    def __init__(self, *args, seen_by, **kwargs):
        super().__init__(*args, **kwargs)
        self.seen_by = seen_by

    def clean(self):
        cleaned = super().clean()
        # Whoever enters a new date for the criminal record extract is the one who saw it.
        if "criminal_record_seen_on" in self.changed_data:
            seen = cleaned.get("criminal_record_seen_on")
            self.instance.criminal_record_seen_by = self.seen_by if seen else None
        return cleaned

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
            "active",
            "notes",
        ]
        widgets = {
            "licence_granted_on": DateInput(),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }


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
