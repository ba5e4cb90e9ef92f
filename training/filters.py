import django_filters
from django.utils.translation import gettext_lazy as _

from training.models import Inquiry


class InquiryFilter(django_filters.FilterSet):
    stage = django_filters.ChoiceFilter(label=_("Stage"), choices=Inquiry.Stage.choices)
    q = django_filters.CharFilter(
        label=_("Name"), field_name="family__name", lookup_expr="icontains"
    )

    class Meta:
        model = Inquiry
        fields: list[str] = []
