from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import UserChangeForm
from django.utils.translation import gettext_lazy as _
from import_export import fields, resources, widgets
from import_export.admin import ExportMixin, ImportExportModelAdmin

from fostercare.admin_doors import SafeAutocompleteMixin
from fostercare.models import AccessLogEntry, MemberOrganisation, PopulationFigure, User
from fostercare.roles import Role


class MemberOrganisationResource(resources.ModelResource):
    class Meta:
        model = MemberOrganisation
        import_id_fields = ["code"]
        fields = [
            "code",
            "kind",
            "name_fi",
            "name_sv",
            "legal_name",
            "invoicing_language",
            "buyer_reference",
            "business_id",
            "einvoice_address",
            "einvoice_operator",
            "street_address",
            "postal_code",
            "post_office",
            "latitude",
            "longitude",
        ]
        clean_model_instances = True


class PopulationFigureResource(resources.ModelResource):
    organisation = fields.Field(
        attribute="organisation",
        column_name="organisation_code",
        widget=widgets.ForeignKeyWidget(MemberOrganisation, field="code"),
    )

    class Meta:
        model = PopulationFigure
        import_id_fields = ["organisation", "year"]
        fields = ["organisation", "year", "population", "source"]
        clean_model_instances = True


class PopulationFigureInline(admin.TabularInline):
    model = PopulationFigure
    extra = 0


@admin.register(MemberOrganisation)
class MemberOrganisationAdmin(ImportExportModelAdmin):
    resource_classes = [MemberOrganisationResource]
    list_display = ["name_fi", "name_sv", "code", "kind", "business_id", "einvoice_address"]
    list_filter = ["kind"]
    search_fields = ["name_fi", "name_sv", "code", "business_id"]
    inlines = [PopulationFigureInline]


@admin.register(PopulationFigure)
class PopulationFigureAdmin(SafeAutocompleteMixin, ImportExportModelAdmin):
    resource_classes = [PopulationFigureResource]
    list_display = ["organisation", "year", "population", "source"]
    list_filter = ["year", "organisation"]
    search_fields = ["organisation__name_fi", "organisation__code"]
    list_select_related = ["organisation"]
    autocomplete_fields = ["organisation"]


class UserAdminForm(UserChangeForm):
    def clean(self):
        cleaned = super().clean()
        groups = cleaned.get("groups") or []
        if any(g.name == Role.MUNICIPAL_WORKER for g in groups) and not cleaned.get("organisation"):
            self.add_error(
                "organisation", _("A municipal social worker must belong to an organisation.")
            )
        return cleaned


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    form = UserAdminForm
    list_display = ["username", "first_name", "last_name", "organisation", "is_active"]
    list_filter = ["groups", "organisation", "is_active", "is_staff"]
    list_select_related = ["organisation"]
    autocomplete_fields = ["organisation"]
    fieldsets = (
        *BaseUserAdmin.fieldsets,
        (_("Work"), {"fields": ("organisation", "title", "phone")}),
    )


class AccessLogEntryResource(resources.ModelResource):
    class Meta:
        model = AccessLogEntry
        fields = [
            "at",
            "user__username",
            "organisation__code",
            "action",
            "content_type__model",
            "object_id",
            "object_repr",
            "purpose",
        ]


@admin.register(AccessLogEntry)
class AccessLogEntryAdmin(ExportMixin, admin.ModelAdmin):
    """Filter by record, then export: the report a client may ask for (Act 703/2023)."""

    resource_classes = [AccessLogEntryResource]
    list_display = ["at", "user", "organisation", "action", "content_type", "object_repr"]
    list_filter = ["action", "content_type", "organisation"]
    search_fields = ["object_repr", "object_id", "user__username", "purpose"]
    date_hierarchy = "at"
    list_select_related = ["user", "organisation", "content_type"]

    # The log is evidence: nobody edits or deletes it through the admin.
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
