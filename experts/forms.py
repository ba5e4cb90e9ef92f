from django import forms
from django.urls import reverse
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from experts.access import concern_choices_for
from experts.models import Consultation, Expert, ExpertRole
from families.choices import Language
from families.forms import DateInput
from fostercare.models import User
from fostercare.pickers import (
    MEMBER_SEARCH_FIELDS,
    SearchPickerField,
    SearchPickerMultipleField,
    member_organisations,
)
from fostercare.roles import Role


class ExpertForm(forms.ModelForm):
    serves = SearchPickerMultipleField(
        label=capfirst(Expert._meta.get_field("serves").verbose_name),
        queryset=None,
        required=False,
        search_fields=MEMBER_SEARCH_FIELDS,
    )
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
            "convener_trained_on": DateInput(),
            "supervisor_qualified_on": DateInput(),
            "consent_given_on": DateInput(),
            "consent_withdrawn_on": DateInput(),
            "qualifications": forms.Textarea(attrs={"rows": 2}),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["serves"].queryset = member_organisations()
        self.fields["serves"].widget.search_url = reverse("experts:expert-serves-search")


class _RequestChoiceField(SearchPickerField):
    def label_from_instance(self, obj):
        return _("%(request)s, %(municipality)s") % {
            "request": obj,
            "municipality": obj.municipality.name,
        }


class _ChildChoiceField(SearchPickerField):
    def label_from_instance(self, obj):
        return f"{obj.first_name} {obj.last_name}, {obj.municipality.name}"


class _WorkerChoiceField(SearchPickerField):
    def label_from_instance(self, obj):
        return f"{obj}, {obj.organisation.name}"


SEARCH_URLS = {
    "placement_request": "experts:consultation-request-search",
    "child": "experts:consultation-child-search",
    "municipal_worker": "experts:consultation-worker-search",
    "experts": "experts:consultation-expert-search",
}
_MUNICIPALITY = ("municipality__name_fi", "municipality__name_sv")


def concern_pickers(user) -> dict:
    """The consultation form's searched fields: the objects each may pick (the placements
    app's visibility for requests and children) and the fields searched. The form and its
    search endpoints read the same."""
    requests, children = concern_choices_for(user)
    return {
        "placement_request": (
            requests.select_related("municipality").distinct().order_by("-pk"),
            ("children__first_name", "children__last_name", *_MUNICIPALITY),
        ),
        "child": (
            children.select_related("municipality").order_by("last_name", "first_name", "pk"),
            ("first_name", "last_name", *_MUNICIPALITY),
        ),
        "experts": (
            Expert.objects.visible_to(user).listed().order_by("name", "pk"),
            ("name", "contact_person"),
        ),
        "municipal_worker": (
            User.objects.filter(groups__name=Role.MUNICIPAL_WORKER, organisation__isnull=False)
            .select_related("organisation")
            .order_by("last_name", "first_name", "pk"),
            ("first_name", "last_name", "organisation__name_fi", "organisation__name_sv"),
        ),
    }


class ConsultationForm(forms.ModelForm):
    """The request, child and worker are searched among those the writer may pick (the
    request and child among those the writer sees in placements)."""

    placement_request = _RequestChoiceField(
        label=_("Placement request"), queryset=None, required=False
    )
    child = _ChildChoiceField(label=_("Child"), queryset=None, required=False)
    municipal_worker = _WorkerChoiceField(
        label=_("Municipal social worker served"), queryset=None, required=False
    )
    experts = SearchPickerMultipleField(
        label=capfirst(Consultation._meta.get_field("experts").verbose_name),
        queryset=None,
        required=False,
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
            "note": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        for name, (queryset, search_fields) in concern_pickers(user).items():
            field = self.fields[name]
            field.queryset = queryset
            field.search_fields = search_fields
            field.widget.search_url = reverse(SEARCH_URLS[name])
