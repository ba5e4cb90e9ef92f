from copy import copy

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from import_export import fields, resources, widgets
from import_export.admin import ImportExportModelAdmin

from families.models import (
    Carer,
    Family,
    FamilyStatusChange,
    HouseholdMember,
    Provider,
    SpecialSkill,
    SupervisionVisit,
)
from families.services import family_capacity_check
from fostercare.models import MemberOrganisation


class _MunicipalityByCode(fields.Field):
    def __init__(self, attribute: str):
        super().__init__(
            attribute=attribute,
            column_name=f"{attribute}_code",
            widget=widgets.ForeignKeyWidget(MemberOrganisation, field="code"),
        )


class FamilyResource(resources.ModelResource):
    """Imports keep the register's rules: each status an import sets is written to the
    history, and a row that breaks the legal capacity is a row error."""

    home_municipality = _MunicipalityByCode("home_municipality")
    languages = fields.Field(
        attribute="languages", column_name="languages", widget=widgets.SimpleArrayWidget(",")
    )

    class Meta:
        model = Family
        fields = [
            "id",
            "name",
            "kind",
            "status",
            "home_municipality",
            "street_address",
            "postal_code",
            "post_office",
            "places",
            "age_min",
            "age_max",
            "siblings_accepted",
            "languages",
            "pre_service_training_completed_on",
            "home_study_approved_on",
            "notes",
        ]
        clean_model_instances = True

    def before_save_instance(self, instance, row, **kwargs):
        instance._status_before_import = (
            Family.objects.filter(pk=instance.pk).values_list("status", flat=True).first()
            if instance.pk
            else ""
        )

    def after_save_instance(self, instance, row, **kwargs):
        family_capacity_check(family=instance)
        if instance.status != instance._status_before_import:
            FamilyStatusChange.objects.create(
                family=instance,
                from_status=instance._status_before_import or "",
                to_status=instance.status,
                changed_by=kwargs.get("user"),
                reason=_("Imported"),
            )


class ProviderResource(resources.ModelResource):
    municipality = _MunicipalityByCode("municipality")

    class Meta:
        model = Provider
        fields = [
            "id",
            "name",
            "kind",
            "business_id",
            "municipality",
            "street_address",
            "postal_code",
            "post_office",
            "email",
            "phone",
            "places",
            "licence_number",
            "licence_granted_by",
            "licence_granted_on",
            "active",
        ]
        clean_model_instances = True


class _ReadOnlyInline(admin.TabularInline):
    """Carers and household members change the legal capacity: they are edited on the
    register's pages, whose services check it."""

    extra = 0

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class CarerInline(_ReadOnlyInline):
    model = Carer
    fields = ["first_name", "last_name", "birth_year", "phone", "email", "lives_in_home"]


class HouseholdMemberInline(_ReadOnlyInline):
    model = HouseholdMember


class FamilyAdminForm(forms.ModelForm):
    def clean(self):
        cleaned = super().clean()
        if self.instance.pk and "places" in cleaned:
            probe = copy(self.instance)
            probe.places = cleaned["places"]
            probe.capacity_exception_reason = cleaned.get("capacity_exception_reason", "")
            try:
                family_capacity_check(family=probe)
            except ValidationError as error:
                self.add_error("places", error)
        return cleaned


class FamilyStatusChangeInline(admin.TabularInline):
    model = FamilyStatusChange
    extra = 0
    can_delete = False
    readonly_fields = ["changed_at", "from_status", "to_status", "changed_by", "reason"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Family)
class FamilyAdmin(ImportExportModelAdmin):
    form = FamilyAdminForm
    resource_classes = [FamilyResource]
    list_display = [
        "name",
        "kind",
        "status",
        "home_municipality",
        "places",
        "age_min",
        "age_max",
        "pre_service_training_completed_on",
    ]
    list_filter = ["kind", "status", "home_municipality", "siblings_accepted", "special_skills"]
    search_fields = ["name", "carers__last_name", "carers__first_name"]
    list_select_related = ["home_municipality"]
    autocomplete_fields = ["home_municipality"]
    filter_horizontal = ["special_skills"]
    readonly_fields = ["status", "created_at", "updated_at"]
    inlines = [CarerInline, HouseholdMemberInline, FamilyStatusChangeInline]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if not change:
            FamilyStatusChange.objects.create(
                family=obj,
                to_status=obj.status,
                changed_by=request.user,
                reason=_("Added to the register"),
            )


@admin.register(Carer)
class CarerAdmin(admin.ModelAdmin):
    list_display = ["last_name", "first_name", "family", "birth_year", "lives_in_home"]
    list_filter = ["lives_in_home"]
    search_fields = ["last_name", "first_name", "email", "family__name"]
    list_select_related = ["family"]
    autocomplete_fields = ["criminal_record_seen_by"]
    # what counts toward the legal capacity changes on the register's pages only
    readonly_fields = ["family", "lives_in_home"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(HouseholdMember)
class HouseholdMemberAdmin(admin.ModelAdmin):
    list_display = ["description", "birth_year", "family", "counts_toward_capacity"]
    search_fields = ["family__name", "description"]
    list_select_related = ["family"]
    readonly_fields = ["family", "birth_year", "counts_toward_capacity"]

    def has_add_permission(self, request):
        return False


@admin.register(FamilyStatusChange)
class FamilyStatusChangeAdmin(admin.ModelAdmin):
    list_display = ["changed_at", "family", "from_status", "to_status", "changed_by"]
    list_filter = ["to_status"]
    search_fields = ["family__name", "reason"]
    list_select_related = ["family", "changed_by"]
    date_hierarchy = "changed_at"

    # History is written by family_change_status only.
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(SpecialSkill)
class SpecialSkillAdmin(admin.ModelAdmin):
    list_display = ["name_fi", "name_sv", "name_en"]
    search_fields = ["name_fi", "name_sv", "name_en"]


class SupervisionVisitInline(admin.StackedInline):
    model = SupervisionVisit
    extra = 0
    autocomplete_fields = ["recorded_by"]


@admin.register(Provider)
class ProviderAdmin(ImportExportModelAdmin):
    resource_classes = [ProviderResource]
    list_display = ["name", "kind", "municipality", "places", "licence_number", "active"]
    list_filter = ["kind", "active", "municipality"]
    search_fields = ["name", "business_id", "licence_number"]
    list_select_related = ["municipality"]
    autocomplete_fields = ["municipality"]
    inlines = [SupervisionVisitInline]


@admin.register(SupervisionVisit)
class SupervisionVisitAdmin(admin.ModelAdmin):
    list_display = ["provider", "visited_on", "follow_up_due_on", "follow_up_done_on"]
    list_filter = ["visited_on", "follow_up_done_on"]
    search_fields = ["provider__name", "visitors", "findings"]
    list_select_related = ["provider"]
    autocomplete_fields = ["provider", "recorded_by"]
    date_hierarchy = "visited_on"
