from django.contrib import admin
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
from fostercare.models import MemberOrganisation


class _MunicipalityByCode(fields.Field):
    def __init__(self, attribute: str):
        super().__init__(
            attribute=attribute,
            column_name=f"{attribute}_code",
            widget=widgets.ForeignKeyWidget(MemberOrganisation, field="code"),
        )


class FamilyResource(resources.ModelResource):
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


class CarerInline(admin.TabularInline):
    model = Carer
    extra = 0
    fields = ["first_name", "last_name", "birth_year", "phone", "email", "lives_in_home"]


class HouseholdMemberInline(admin.TabularInline):
    model = HouseholdMember
    extra = 0


class FamilyStatusChangeInline(admin.TabularInline):
    model = FamilyStatusChange
    extra = 0
    can_delete = False
    readonly_fields = ["changed_at", "from_status", "to_status", "changed_by", "reason"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Family)
class FamilyAdmin(ImportExportModelAdmin):
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


@admin.register(Carer)
class CarerAdmin(admin.ModelAdmin):
    list_display = ["last_name", "first_name", "family", "birth_year", "lives_in_home"]
    list_filter = ["lives_in_home"]
    search_fields = ["last_name", "first_name", "email", "family__name"]
    list_select_related = ["family"]
    autocomplete_fields = ["family", "criminal_record_seen_by"]


@admin.register(HouseholdMember)
class HouseholdMemberAdmin(admin.ModelAdmin):
    list_display = ["description", "birth_year", "family", "counts_toward_capacity"]
    search_fields = ["family__name", "description"]
    list_select_related = ["family"]
    autocomplete_fields = ["family"]


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
