import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from families.choices import Language
from families.models import Carer, Family, Provider, ProviderUnit, family_surname
from fostercare.forms import OrganisationFilter
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
    home_municipality = OrganisationFilter(
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

    @property
    def reads_each_room(self) -> bool:
        """Whether a room filter is in use: PostgreSQL then reads the room of every
        matching family for the page (``paginate(count_with_page=...)``)."""
        data = self.form.cleaned_data if self.is_bound and self.is_valid() else {}
        return bool(data.get("free_places") or data.get("ages"))

    def filter_name(self, queryset, name, value):
        value = family_surname(value)  # "Perhe Aho", as the pages name it, finds "Aho"
        carer_match = Carer.objects.filter(family=OuterRef("pk")).filter(
            Q(first_name__icontains=value) | Q(last_name__icontains=value)
        )
        return queryset.filter(Q(name__icontains=value) | Exists(carer_match))

    # Both need the list's queryset from Family.objects.with_room() (selectors.family_list).
    def filter_room(self, queryset, name, value):
        return queryset.available().with_room_for(value)

    def filter_ages(self, queryset, name, ages):
        if not ages:
            return queryset
        return queryset.available().for_children(ages)

    def filter_trained(self, queryset, name, value):
        return queryset.filter(pre_service_training_completed_on__isnull=value == "no")

    def filter_language(self, queryset, name, value):
        return queryset.filter(languages__contains=[value])


# Age bands of the vacancy board and the provider list: a unit counts in every band its
# age range reaches.
AGE_BANDS = {"0-6": (0, 6), "7-12": (7, 12), "13-17": (13, 17)}


class ProviderFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Name"), field_name="name", lookup_expr="icontains")
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=Provider.Kind.choices)
    municipality = OrganisationFilter(
        label=_("Municipality"), queryset=MemberOrganisation.objects.all()
    )
    age_band = django_filters.ChoiceFilter(
        label=_("Age band"),
        choices=[(band, band.replace("-", "–")) for band in AGE_BANDS],
        method="filter_age_band",
    )
    free = django_filters.BooleanFilter(
        label=_("With free places now"),
        method="filter_free",
        widget=django_filters.widgets.BooleanWidget(),
    )

    class Meta:
        model = Provider
        fields: list[str] = []

    # The two read the units together (the board's cell "free places for ages 7–12" lists
    # the providers with a unit of that band that has room): see filter_queryset.
    def filter_age_band(self, queryset, name, value):
        return queryset

    def filter_free(self, queryset, name, value):
        return queryset

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        data = self.form.cleaned_data
        band, free = data.get("age_band"), data.get("free")
        units = ProviderUnit.objects.with_room().filter(provider=OuterRef("pk"), active=True)
        if band:
            low, high = AGE_BANDS[band]
            units = units.filter(age_min__lte=high, age_max__gte=low)
        if free:
            # the vacancy board's definition: an active provider, licensed today
            units = units.filter(room__gt=0)
            queryset = queryset.filter(active=True).licensed_on(timezone.localdate())
        elif free is False:
            # the list's queryset comes from Provider.objects.with_room() (the selectors)
            queryset = queryset.filter(free_places=0)
        if band or free:
            queryset = queryset.filter(Exists(units))
        return queryset
