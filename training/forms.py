from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from families.forms import DateInput
from families.models import Family, family_surname
from fostercare.forms import OrganisationChoiceField
from fostercare.models import MemberOrganisation
from fostercare.pickers import SearchPickerField
from fostercare.validators import validate_sane_year
from training.models import (
    Audience,
    Course,
    GroupParticipant,
    IndividualMeeting,
    Inquiry,
    ReadinessAssessment,
    Session,
)


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, **kwargs):
        super().__init__(format="%H:%M", **kwargs)


class InquiryForm(forms.Form):
    """The public "become a foster or support family" form."""

    kind = forms.ChoiceField(
        label=_("I am interested in becoming"),
        choices=[
            (Family.Kind.FOSTER, _("a foster family")),
            (Family.Kind.SUPPORT, _("a support family")),
            (Family.Kind.RECEPTION, _("a reception (emergency) family")),
            (Family.Kind.KINSHIP, _("a foster family for a child I know (kinship)")),
        ],
    )
    # autocomplete tokens let browsers and assistive tools fill in the person's own details
    # (WCAG 1.3.5 Identify Input Purpose)
    first_name = forms.CharField(
        label=_("First name"),
        max_length=100,
        widget=forms.TextInput(attrs={"autocomplete": "given-name"}),
    )
    last_name = forms.CharField(
        label=_("Last name"),
        max_length=100,
        widget=forms.TextInput(attrs={"autocomplete": "family-name"}),
    )
    birth_year = forms.IntegerField(
        label=_("Year of birth"),
        min_value=1920,
        max_value=2100,
        widget=forms.NumberInput(attrs={"autocomplete": "bday-year", "inputmode": "numeric"}),
    )
    email = forms.EmailField(
        label=_("E-mail"), widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )
    phone = forms.CharField(
        label=_("Phone"),
        max_length=30,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )
    home_municipality = OrganisationChoiceField(
        label=_("Home municipality"),
        queryset=MemberOrganisation.objects.all(),
        required=False,
        empty_label=_("Other or not listed"),
    )
    message = forms.CharField(
        label=_("What would you like to tell or ask us?"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=2000,
    )
    consent = forms.BooleanField(
        label=_(
            "I agree that the foster-care unit stores these details in its register of "
            "families and contacts me about family care."
        ),
        error_messages={"required": _("We can handle the inquiry only with your consent.")},
    )
    # A honeypot: people never see or fill it; bots that fill every field do.
    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    def clean_birth_year(self):
        year = self.cleaned_data["birth_year"]
        if year > timezone.localdate().year - 18:
            raise forms.ValidationError(_("A family carer must be an adult."))
        return year

    def clean_phone(self):
        phone = self.cleaned_data["phone"].strip()
        digits = [c for c in phone if c.isdigit()]
        if len(digits) < 6 or any(not (c.isdigit() or c in " +-()") for c in phone):
            raise forms.ValidationError(_("Give a phone number, e.g. 040 123 4567."))
        return phone

    @property
    def is_spam(self) -> bool:
        return bool(self.data.get("website"))


class InquiryStageForm(forms.Form):
    stage = forms.ChoiceField(label=_("New stage"))
    note = forms.CharField(
        label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )

    def __init__(self, *args, inquiry: Inquiry, **kwargs):
        super().__init__(*args, **kwargs)
        # approval is the family's (readiness assessment and the register's gates)
        approvable = inquiry.family.status in Family.AVAILABLE_STATUSES
        self.fields["stage"].choices = [
            (value, label)
            for value, label in Inquiry.Stage.choices
            if value != inquiry.stage and (value != Inquiry.Stage.APPROVED or approvable)
        ]


class CourseForm(forms.ModelForm):
    audience = forms.MultipleChoiceField(
        label=_("Audience"),
        choices=Audience.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = Course
        fields = [
            "course_type",
            "title",
            "audience",
            "capacity",
            "enrolment_opens_on",
            "enrolment_closes_on",
            "organiser",
            "description",
        ]
        widgets = {
            "enrolment_opens_on": DateInput(),
            "enrolment_closes_on": DateInput(),
            "description": forms.Textarea(attrs={"rows": 3}),
        }


class SessionForm(forms.ModelForm):
    online_link = forms.URLField(label=_("Online link"), required=False, assume_scheme="https")

    class Meta:
        model = Session
        fields = [
            "kind",
            "date",
            "start_time",
            "end_time",
            "topic",
            "place",
            "online_link",
            "trainers",
        ]
        widgets = {"date": DateInput(), "start_time": TimeInput(), "end_time": TimeInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["date"].validators.append(validate_sane_year)


class EnrolForm(forms.Form):
    """The family whose carers to enrol, searched by name (there may be thousands)."""

    # "Perhe Aho", as the pages name it, finds the stored "Aho"
    family = SearchPickerField(
        label=_("Family"), queryset=Family.objects.none(), normalise=family_surname
    )

    def __init__(self, *args, families, search_url: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["family"].queryset = families
        self.fields["family"].widget.search_url = search_url


class IndividualMeetingForm(forms.ModelForm):
    class Meta:
        model = IndividualMeeting
        fields = ["held_on", "workers", "notes"]
        widgets = {"held_on": DateInput(), "notes": forms.Textarea(attrs={"rows": 2})}


class ReadinessAssessmentForm(forms.ModelForm):
    class Meta:
        model = ReadinessAssessment
        fields = ["assessed_on", "assessors", "conclusion", "reasoning"]
        widgets = {"assessed_on": DateInput(), "reasoning": forms.Textarea(attrs={"rows": 5})}


class ReadinessAssessmentCorrectionForm(forms.ModelForm):
    """The assessment's date, assessors and reasoning; its conclusion is not changed here."""

    class Meta:
        model = ReadinessAssessment
        fields = ["assessed_on", "assessors", "reasoning"]
        widgets = {"assessed_on": DateInput(), "reasoning": forms.Textarea(attrs={"rows": 5})}


class GroupParticipantForm(forms.ModelForm):
    class Meta:
        model = GroupParticipant
        fields = ["role", "display_name"]
