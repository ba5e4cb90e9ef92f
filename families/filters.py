import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from families.choices import Language
from families.models import Carer, Family, Provider
from fostercare.models import MemberOrganisation


def _parse_ages(value: str) -> list[int]:
    try:
        ages = [int(part) for part in value.replace(";", ",").split(",") if part.strip()]
    except ValueError:
        raise ValidationError(_("Give the ages as whole numbers separated by commas.")) from None
    if any(age < 0 or age > 20 for age in ages):
        raise ValidationError(_("Ages must be between 0 and 20."))
    return ages


class AgesField(forms.CharField):
    def clean(self, value):
        value = super().clean(value)
        return _parse_ages(value) if value else []


class AgesFilter(django_filters.Filter):
    field_class = AgesField


class FamilyFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Name"), method="filter_name")
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=Family.Kind.choices)
    status = django_filters.ChoiceFilter(label=_("Status"), choices=Family.Status.choices)
    home_municipality = django_filters.ModelChoiceFilter(
        label=_("Municipality"), queryset=MemberOrganisation.objects.all()
    )
    free_places = django_filters.NumberFilter(
        label=_("Room for at least"),
        method="filter_room",
        min_value=1,
        help_text=_(
            "Only families that could take children now: approved or active, trained (or "
            "with a Family Care Act 6 § exception in force), with this many places free "
            "within the legal capacity."
        ),
    )
    ages = AgesFilter(
        label=_("Children's ages"),
        method="filter_ages",
        help_text=_(
            "e.g. 7, 4 — families that could take all of these children together now "
            "(approved or active, trained, with room within the legal capacity)"
        ),
    )
    language = django_filters.ChoiceFilter(
        label=_("Family language"), choices=Language.choices, method="filter_language"
    )
    trained = django_filters.ChoiceFilter(
        label=_("Pre-service training completed"),
        choices=[("yes", _("Yes")), ("no", _("No"))],
        method="filter_trained",
    )

    class Meta:
        model = Family
        fields: list[str] = []

    def filter_name(self, queryset, name, value):
        carer_match = Carer.objects.filter(family=OuterRef("pk")).filter(
            Q(first_name__icontains=value) | Q(last_name__icontains=value)
        )
        return queryset.filter(Q(name__icontains=value) | Exists(carer_match))

    # Both need the list's queryset from Family.objects.with_room() (selectors.family_list).
    def filter_room(self, queryset, name, value):
        return queryset.available().filter(room__gte=value)

    def filter_ages(self, queryset, name, ages):
        if not ages:
            return queryset
        return queryset.available().for_children(ages)

    def filter_trained(self, queryset, name, value):
        return queryset.filter(pre_service_training_completed_on__isnull=value == "no")

    def filter_language(self, queryset, name, value):
        return queryset.filter(languages__contains=[value])


class ProviderFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Name"), field_name="name", lookup_expr="icontains")
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=Provider.Kind.choices)
    municipality = django_filters.ModelChoiceFilter(
        label=_("Municipality"), queryset=MemberOrganisation.objects.all()
    )

    class Meta:
        model = Provider
        fields: list[str] = []
