import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from placements.models import Placement, PlacementRequest


class PlacementRequestFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=PlacementRequest.Status.choices, empty_label=_("All")
    )

    class Meta:
        model = PlacementRequest
        fields: list[str] = []


class PlacementFilter(django_filters.FilterSet):
    """Active placements unless ended ones are asked for too (bind it even to an empty
    query, so that the default applies)."""

    ended = django_filters.BooleanFilter(
        label=_("Show ended placements too"), method="filter_ended", widget=forms.CheckboxInput
    )

    class Meta:
        model = Placement
        fields: list[str] = []

    def filter_ended(self, queryset, name, value):
        return queryset if value else queryset.active()
