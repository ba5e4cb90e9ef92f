from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from import_export import fields, widgets
from import_export.admin import ImportExportModelAdmin

from families import services
from families.forms import DuplicatesConfirmMixin
from families.models import (
    Carer,
    CheckType,
    Family,
    FamilyStatusChange,
    HouseholdMember,
    OccupancySnapshot,
    Provider,
    ProviderUnit,
    SpecialSkill,
    SupervisionVisit,
)
from fostercare.admin_doors import (
    BackgroundImportMixin,
    ExportLoggedMixin,
    RestrictedAdminMixin,
    ServiceAdminForm,
    ServiceAdminMixin,
)
from fostercare.imports import ImportResource
from fostercare.models import MemberOrganisation


class _MunicipalityByCode(fields.Field):
    def __init__(self, attribute: str):
        super().__init__(
            attribute=attribute,
            column_name=f"{attribute}_code",
            widget=widgets.ForeignKeyWidget(MemberOrganisation, field="code"),
        )


class FamilyResource(ImportResource):
    """Imports are a door like any page: each row is written by ``family_create`` or
    ``family_update`` and its status reached through ``family_change_status`` (gates,
    history, access log), so a row that breaks a rule is a row error."""

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
            "training_exception_reason",
            "training_due_on",
            "home_study_approved_on",
            "notes",
        ]
        clean_model_instances = True

    def save_instance(self, instance, is_create, row, **kwargs):
        by = kwargs.get("user")
        wanted = instance.status or Family.Status.INQUIRY
        if is_create:
            family = services.family_create(by=by, **services.family_data(instance))
        else:
            family = services.family_update(
                family=instance, by=by, **services.family_data(instance)
            )
        if family.status != wanted:
            path = services.status_path(family.status, wanted)
            if not path:
                raise ValidationError(
                    _("A family cannot move from “%(from)s” to “%(to)s”.")
                    % {
                        "from": Family.Status(family.status).label,
                        "to": Family.Status(wanted).label,
                    }
                )
            for step in path:
                family = services.family_change_status(
                    family=family, to_status=step, by=by, reason=_("Imported")
                )
        instance.pk = family.pk
        instance.status = family.status


class ProviderResource(ImportResource):
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
            "licence_valid_from",
            "licence_valid_until",
            "active",
        ]
        clean_model_instances = True

    def save_instance(self, instance, is_create, row, **kwargs):
        services.provider_save(provider=instance, by=kwargs.get("user"))


class _ReadOnlyInline(admin.TabularInline):
    """Carers and household members change the legal capacity and the gates: they are
    edited on their own admin pages and the register's pages, through the services."""

    extra = 0
    # each row shows its family (the row's name) and read-only foreign keys: joined, or
    # each row would cost a query per key
    select_related = ["family"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related(*self.select_related)

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class CarerInline(_ReadOnlyInline):
    model = Carer
    fields = [
        "first_name",
        "last_name",
        "birth_year",
        "phone",
        "email",
        "lives_in_home",
        "criminal_record_seen_on",
    ]


class HouseholdMemberInline(_ReadOnlyInline):
    model = HouseholdMember


class FamilyStatusChangeInline(_ReadOnlyInline):
    model = FamilyStatusChange
    fields = ["changed_at", "from_status", "to_status", "changed_by", "reason"]
    select_related = ["family", "changed_by"]


class FamilyAdminForm(DuplicatesConfirmMixin, ServiceAdminForm):
    to_status = forms.ChoiceField(label=_("Change the status to"), required=False)
    status_reason = forms.CharField(
        label=_("Reason for the status change"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Needed for going back, pausing or ending."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["to_status"].choices = [
                ("", "—"),
                *services.allowed_next_statuses(self.instance),
            ]

    def service_call(self, user):
        data = services.family_data(self.cleaned_data)
        skills = self.cleaned_data.get("special_skills")
        confirmed = self.confirms_duplicates
        if not self.instance.pk:
            return lambda: services.family_create(
                by=user, special_skills=skills or (), duplicates_confirmed=confirmed, **data
            )

        def update_and_move():
            family = services.family_update(
                family=self.instance,
                by=user,
                special_skills=skills,
                duplicates_confirmed=confirmed,
                **data,
            )
            if self.cleaned_data.get("to_status"):
                family = services.family_change_status(
                    family=family,
                    to_status=self.cleaned_data["to_status"],
                    by=user,
                    reason=self.cleaned_data.get("status_reason", ""),
                )
            return family

        return update_and_move


@admin.register(Family)
class FamilyAdmin(
    ServiceAdminMixin, ExportLoggedMixin, BackgroundImportMixin, ImportExportModelAdmin
):
    form = FamilyAdminForm
    resource_classes = [FamilyResource]
    list_display = [
        "family_name",
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
    show_full_result_count = False  # 20,000 families: "x of y" would count them all
    autocomplete_fields = ["home_municipality"]
    filter_horizontal = ["special_skills"]
    readonly_fields = ["status", "created_at", "updated_at"]
    inlines = [CarerInline, HouseholdMemberInline, FamilyStatusChangeInline]

    @admin.display(description=_("family"), ordering="name")
    def family_name(self, obj):
        return obj.display_name  # the register's one naming rule, as on the pages

    def people_shown(self, obj):
        # the carer and household inlines show every member of the family
        return [*obj.carers.all(), *obj.household_members.all()]

    def people_exported(self, records):
        # a family's name and address are its carers' and household members' data too
        return [
            *Carer.objects.filter(family__in=records),
            *HouseholdMember.objects.filter(family__in=records),
        ]

    def get_fields(self, request, obj=None):
        fields = super().get_fields(request, obj)
        if obj is None:  # a new family starts as an inquiry
            fields = [f for f in fields if f not in ("to_status", "status_reason")]
        return fields

    # A family leaves the register by ending it (the status, with its history), never by
    # deleting the record.
    def has_delete_permission(self, request, obj=None):
        return False


class CarerAdminForm(DuplicatesConfirmMixin, ServiceAdminForm):
    def service_call(self, user):
        return lambda: services.carer_save(
            carer=self.instance, by=user, duplicates_confirmed=self.confirms_duplicates
        )


@admin.register(Carer)
class CarerAdmin(ServiceAdminMixin, admin.ModelAdmin):
    form = CarerAdminForm
    list_display = ["last_name", "first_name", "family", "birth_year", "lives_in_home"]
    list_filter = ["lives_in_home"]
    search_fields = ["last_name", "first_name", "email", "family__name"]
    list_select_related = ["family"]
    show_full_result_count = False  # a national register: no count of every row
    # who saw the extract is whoever enters its date (families.services.carer_save)
    readonly_fields = ["family", "criminal_record_seen_by"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class HouseholdMemberAdminForm(ServiceAdminForm):
    def service_call(self, user):
        return lambda: services.household_member_save(member=self.instance, by=user)


@admin.register(HouseholdMember)
class HouseholdMemberAdmin(ServiceAdminMixin, admin.ModelAdmin):
    form = HouseholdMemberAdminForm
    list_display = ["description", "birth_year", "family", "counts_toward_capacity"]
    search_fields = ["family__name", "description"]
    list_select_related = ["family"]
    show_full_result_count = False  # a national register: no count of every row
    readonly_fields = ["family"]

    def has_add_permission(self, request):
        return False

    def delete_model(self, request, obj):
        services.household_member_remove(member=obj, by=request.user)

    def delete_queryset(self, request, queryset):
        for member in queryset.select_related("family"):
            services.household_member_remove(member=member, by=request.user)


@admin.register(FamilyStatusChange)
class FamilyStatusChangeAdmin(RestrictedAdminMixin, admin.ModelAdmin):
    list_display = ["changed_at", "family", "from_status", "to_status", "changed_by"]
    list_filter = ["to_status"]
    search_fields = ["family__name", "reason"]
    list_select_related = ["family", "changed_by"]
    show_full_result_count = False  # a national register: no count of every row
    date_hierarchy = "changed_at"

    # History is written by family_change_status only.
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(OccupancySnapshot)
class OccupancySnapshotAdmin(RestrictedAdminMixin, admin.ModelAdmin):
    """The occupancy history: written by the daily task and the back-fill only."""

    list_display = ["day", "register", "kind", "places", "taken", "derived"]
    list_filter = ["register", "kind", "derived"]
    log_views = False  # totals per kind, no personal data

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(CheckType)
class CheckTypeAdmin(admin.ModelAdmin):
    """The validity periods of checks: data the unit edits (families.worklist reads them)."""

    list_display = ["code", "valid_months", "rule"]

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(SpecialSkill)
class SpecialSkillAdmin(admin.ModelAdmin):
    list_display = ["name_fi", "name_sv", "name_en"]
    search_fields = ["name_fi", "name_sv", "name_en"]


class SupervisionVisitInline(admin.StackedInline):
    model = SupervisionVisit
    extra = 0
    can_delete = False
    readonly_fields = ["recorded_by"]


class ProviderUnitInline(_ReadOnlyInline):
    """Units are edited on their own admin page and the provider's page, through
    ``provider_unit_save`` (their places stay within the licence)."""

    model = ProviderUnit
    fields = ["name", "places", "age_min", "age_max", "active"]
    select_related = ["provider"]


class ProviderUnitAdminForm(ServiceAdminForm):
    def service_call(self, user):
        return lambda: services.provider_unit_save(unit=self.instance, by=user)


@admin.register(ProviderUnit)
class ProviderUnitAdmin(ServiceAdminMixin, admin.ModelAdmin):
    form = ProviderUnitAdminForm
    list_display = ["provider", "name", "places", "age_min", "age_max", "active"]
    list_filter = ["active", "provider__kind"]
    search_fields = ["provider__name", "name"]
    list_select_related = ["provider"]
    autocomplete_fields = ["provider"]
    log_views = False  # a ward of an organisation, not a person

    # a unit that closes is marked inactive; its placements keep pointing at it
    def has_delete_permission(self, request, obj=None):
        return False


class ProviderAdminForm(ServiceAdminForm):
    def service_call(self, user):
        return lambda: services.provider_save(provider=self.instance, by=user)


@admin.register(Provider)
class ProviderAdmin(
    ServiceAdminMixin, ExportLoggedMixin, BackgroundImportMixin, ImportExportModelAdmin
):
    form = ProviderAdminForm
    resource_classes = [ProviderResource]
    list_display = ["name", "kind", "municipality", "places", "licence_number", "active"]
    list_filter = ["kind", "active", "municipality"]
    search_fields = ["name", "business_id", "licence_number"]
    list_select_related = ["municipality"]
    show_full_result_count = False  # a national register: no count of every row
    autocomplete_fields = ["municipality"]
    inlines = [ProviderUnitInline, SupervisionVisitInline]
    # A provider is an organisation; its export is logged still, since a family home's
    # name, phone and address may be a private trader's own.
    log_views = False

    def save_formset(self, request, form, formset, change):
        if formset.model is not SupervisionVisit:
            return  # the units' inline is read-only
        for visit in formset.save(commit=False):
            services.supervision_visit_save(visit=visit, by=request.user)

    # A provider that stops is marked inactive; its supervision history stays.
    def has_delete_permission(self, request, obj=None):
        return False


class SupervisionVisitAdminForm(ServiceAdminForm):
    def service_call(self, user):
        return lambda: services.supervision_visit_save(visit=self.instance, by=user)


@admin.register(SupervisionVisit)
class SupervisionVisitAdmin(ServiceAdminMixin, admin.ModelAdmin):
    form = SupervisionVisitAdminForm
    list_display = ["provider", "visited_on", "follow_up_due_on", "follow_up_done_on"]
    list_filter = ["visited_on", "follow_up_done_on"]
    search_fields = ["provider__name", "visitors", "findings"]
    list_select_related = ["provider"]
    autocomplete_fields = ["provider"]
    readonly_fields = ["recorded_by"]
    date_hierarchy = "visited_on"
    log_views = False  # findings about an organisation, not a person

    def has_delete_permission(self, request, obj=None):
        return False
