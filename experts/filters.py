import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from experts.models import Consultation, Expert, ExpertiseArea, ExpertRole
from families.choices import Language
from fostercare.forms import OrganisationFilter
from fostercare.models import MemberOrganisation


class ExpertFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Name"), method="filter_name")
    role = django_filters.ChoiceFilter(
        label=_("Register"), choices=ExpertRole.choices, method="filter_role"
    )
    expertise = django_filters.ModelChoiceFilter(
        label=_("Area of expertise"), queryset=ExpertiseArea.objects.all()
    )
    language = django_filters.ChoiceFilter(
        label=_("Working language"), choices=Language.choices, method="filter_language"
    )
    serves = OrganisationFilter(
        label=_("Serves member organisation"), queryset=MemberOrganisation.objects.all()
    )
    available = django_filters.BooleanFilter(
        label=_("Available for new assignments only"),
        method="filter_available",
        widget=forms.CheckboxInput,
    )

    class Meta:
        model = Expert
        fields: list[str] = []

    def filter_name(self, queryset, name, value):
        return queryset.filter(name__icontains=value)

    def filter_role(self, queryset, name, value):
        return queryset.filter(roles__contains=[value])

    def filter_language(self, queryset, name, value):
        return queryset.filter(languages__contains=[value])

    def filter_available(self, queryset, name, value):
        return queryset.filter(available=True) if value else queryset


class ConsultationFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=Consultation.Kind.choices)
    municipality = OrganisationFilter(
        label=_("Member organisation"), queryset=MemberOrganisation.objects.all()
    )
    held_after = django_filters.DateFilter(
        label=_("From"),
        field_name="held_on",
        lookup_expr="gte",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    held_before = django_filters.DateFilter(
        label=_("To"),
        field_name="held_on",
        lookup_expr="lte",
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    class Meta:
        model = Consultation
        fields: list[str] = []

    def __init__(self, *args, see_every_member: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not see_every_member:
            # a municipal worker sees their own municipality's consultations only
            del self.filters["municipality"]
