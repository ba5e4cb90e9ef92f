from django import forms
from django.utils.translation import gettext_lazy as _

from experts.access import concern_choices_for
from experts.models import Consultation, Expert, ExpertRole
from families.choices import Language
from families.forms import DateInput
from fostercare.models import User
from fostercare.roles import Role


class ExpertForm(forms.ModelForm):
    roles = forms.MultipleChoiceField(
        label=_("Registers"), choices=ExpertRole.choices, widget=forms.CheckboxSelectMultiple
    )
    languages = forms.MultipleChoiceField(
        label=_("Working languages"),
        choices=Language.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = Expert
        fields = [
            "kind",
            "name",
            "contact_person",
            "title",
            "email",
            "phone",
            "roles",
            "expertise",
            "languages",
            "serves",
            "area",
            "available",
            "availability",
            "hourly_fee",
            "fee_notes",
            "convener_trained_on",
            "supervisor_qualified_on",
            "qualifications",
            "consent_given_on",
            "consent_scope",
            "consent_withdrawn_on",
            "notes",
        ]
        widgets = {
            "expertise": forms.CheckboxSelectMultiple,
            "serves": forms.CheckboxSelectMultiple,
            "convener_trained_on": DateInput(),
            "supervisor_qualified_on": DateInput(),
            "consent_given_on": DateInput(),
            "consent_withdrawn_on": DateInput(),
            "qualifications": forms.Textarea(attrs={"rows": 2}),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }


class _RequestChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return _("%(request)s, %(municipality)s") % {
            "request": obj,
            "municipality": obj.municipality.name,
        }


class _ChildChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.first_name} {obj.last_name}, {obj.municipality.name}"


class _WorkerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj}, {obj.organisation.name}"


class ConsultationForm(forms.ModelForm):
    """The request and child are chosen among those the writer sees in placements."""

    placement_request = _RequestChoiceField(
        label=_("Placement request"), queryset=None, required=False
    )
    child = _ChildChoiceField(label=_("Child"), queryset=None, required=False)
    municipal_worker = _WorkerChoiceField(
        label=_("Municipal social worker served"), queryset=None, required=False
    )

    class Meta:
        model = Consultation
        fields = [
            "kind",
            "held_on",
            "duration_minutes",
            "municipality",
            "municipal_worker",
            "placement_request",
            "child",
            "experts",
            "note",
        ]
        widgets = {
            "held_on": DateInput(),
            "experts": forms.CheckboxSelectMultiple,
            "note": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        requests, children = concern_choices_for(user)
        self.fields["placement_request"].queryset = requests.select_related(
            "municipality"
        ).order_by("-pk")
        self.fields["child"].queryset = children.select_related("municipality").order_by(
            "last_name", "first_name", "pk"
        )
        self.fields["municipal_worker"].queryset = (
            User.objects.filter(groups__name=Role.MUNICIPAL_WORKER, organisation__isnull=False)
            .select_related("organisation")
            .order_by("last_name", "first_name", "pk")
        )
        self.fields["experts"].queryset = Expert.objects.visible_to(user).listed()
