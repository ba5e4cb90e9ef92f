import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from fostercare.forms import OrganisationFilter
from fostercare.models import MemberOrganisation, User
from placements.models import Placement, PlacementRequest, PlacementType


class PlacementRequestFilter(django_filters.FilterSet):
    """Requests by municipality (those the user may see), urgency, status and pair."""

    municipality = OrganisationFilter(
        label=_("Municipality"), queryset=MemberOrganisation.objects.none(), empty_label=_("All")
    )
    urgency = django_filters.ChoiceFilter(
        label=_("Urgency"), choices=PlacementRequest.Urgency.choices, empty_label=_("All")
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=PlacementRequest.Status.choices, empty_label=_("All")
    )
    unit_worker = django_filters.ModelChoiceFilter(
        label=_("Unit pair"), queryset=User.objects.none(), empty_label=_("All")
    )

    class Meta:
        model = PlacementRequest
        fields: list[str] = []

    def __init__(self, *args, municipalities, pairs, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["municipality"].queryset = municipalities
        self.filters["unit_worker"].queryset = pairs


class PlacementFilter(django_filters.FilterSet):
    """Active placements unless ended ones are asked for too (bind it even to an empty
    query, so that the default applies), of one type if asked."""

    ended = django_filters.BooleanFilter(
        label=_("Show ended placements too"), method="filter_ended", widget=forms.CheckboxInput
    )
    placement_type = django_filters.ChoiceFilter(
        label=_("Placement type"), choices=PlacementType.choices
    )

    class Meta:
        model = Placement
        fields: list[str] = []

    def filter_ended(self, queryset, name, value):
        return queryset if value else queryset.active()
