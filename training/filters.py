import django_filters
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from training.models import Inquiry
from training.selectors import inquiries_not_contacted


class InquiryFilter(django_filters.FilterSet):
    stage = django_filters.ChoiceFilter(label=_("Stage"), choices=Inquiry.Stage.choices)
    q = django_filters.CharFilter(
        label=_("Name"), field_name="family__name", lookup_expr="icontains"
    )
    not_contacted = django_filters.BooleanFilter(
        label=_("New and not contacted in time"),
        method="filter_not_contacted",
        widget=forms.CheckboxInput,
    )

    class Meta:
        model = Inquiry
        fields: list[str] = []

    def filter_not_contacted(self, queryset, name, value):
        return inquiries_not_contacted(queryset, timezone.localdate()) if value else queryset
