from django.contrib import admin
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from import_export import fields, widgets
from import_export.admin import ImportExportModelAdmin

from experts import services
from experts.models import Consultation, Expert, ExpertiseArea, GroupLeader
from fostercare.admin_doors import (
    BackgroundImportMixin,
    ExportLoggedMixin,
    RestrictedAdminMixin,
    ServiceAdminForm,
    ServiceAdminMixin,
)
from fostercare.imports import ImportResource
from fostercare.models import MemberOrganisation


class _KnownManyToMany(widgets.ManyToManyWidget):
    """A list of names or codes in which every one must exist (else a row error)."""

    def clean(self, value, row=None, **kwargs):
        found = super().clean(value, row, **kwargs)
        wanted = {v.strip() for v in str(value or "").split(self.separator) if v.strip()}
        missing = wanted - {str(getattr(obj, self.field)) for obj in found}
        if missing:
            raise ValueError(_("Unknown: %(values)s") % {"values": ", ".join(sorted(missing))})
        return found


class ExpertResource(ImportResource):
    """Import and export of the registers. An export never includes an expert whose
    consent has been withdrawn; an import keeps the model's rules (row errors)."""

    roles = fields.Field(
        attribute="roles", column_name="roles", widget=widgets.SimpleArrayWidget(",")
    )
    languages = fields.Field(
        attribute="languages", column_name="languages", widget=widgets.SimpleArrayWidget(",")
    )
    expertise = fields.Field(
        attribute="expertise",
        column_name="expertise",
        widget=_KnownManyToMany(ExpertiseArea, field="name_fi", separator=";"),
    )
    serves = fields.Field(
        attribute="serves",
        column_name="serves_codes",
        widget=_KnownManyToMany(MemberOrganisation, field="code", separator=","),
    )

    class Meta:
        model = Expert
        fields = [
            "id",
            "kind",
            "name",
            "contact_person",
            "title",
            "email",
            "phone",
            "roles",
            "expertise",
            "languages",
            "serves",
            "area",
            "available",
            "availability",
            "hourly_fee",
            "fee_notes",
            "convener_trained_on",
            "supervisor_qualified_on",
            "qualifications",
            "consent_given_on",
            "consent_scope",
            "consent_withdrawn_on",
            "notes",
        ]
        clean_model_instances = True

    def filter_export(self, queryset, **kwargs):
        # every export, whole or of selected rows, passes here
        return super().filter_export(queryset, **kwargs).listed()


@admin.register(ExpertiseArea)
class ExpertiseAreaAdmin(admin.ModelAdmin):
    list_display = ["name_fi", "name_sv", "name_en"]
    search_fields = ["name_fi", "name_sv", "name_en"]


class ConsentListFilter(admin.SimpleListFilter):
    title = _("consent")
    parameter_name = "consent"

    def lookups(self, request, model_admin):
        return [("listed", _("Listed")), ("withdrawn", pgettext_lazy("consent", "Withdrawn"))]

    def queryset(self, request, queryset):
        if self.value() == "listed":
            return queryset.listed()
        if self.value() == "withdrawn":
            return queryset.filter(consent_withdrawn_on__isnull=False)
        return queryset


@admin.register(Expert)
class ExpertAdmin(
    RestrictedAdminMixin, ExportLoggedMixin, BackgroundImportMixin, ImportExportModelAdmin
):
    resource_classes = [ExpertResource]
    list_display = [
        "name",
        "kind",
        "registers",
        "available",
        "consent_given_on",
        "consent_status",
    ]
    list_filter = [ConsentListFilter, "kind", "available", "consent_scope", "expertise", "serves"]
    search_fields = ["name", "contact_person", "email"]
    filter_horizontal = ["expertise", "serves"]
    readonly_fields = ["created_at", "updated_at"]

    @admin.display(description=_("roles"))
    def registers(self, obj):
        return ", ".join(obj.role_labels())

    @admin.display(description=_("consent"))
    def consent_status(self, obj):
        if obj.is_withdrawn:
            return _("Withdrawn on %(date)s") % {
                "date": date_format(obj.consent_withdrawn_on, "SHORT_DATE_FORMAT")
            }
        return _("Listed")

    def save_model(self, request, obj, form, change):
        # the many-to-many fields are saved by the admin afterwards (save_related)
        services.expert_save(expert=obj, by=request.user)


@admin.register(Consultation)
class ConsultationAdmin(RestrictedAdminMixin, admin.ModelAdmin):
    list_display = ["held_on", "kind", "municipality", "duration_minutes", "recorded_by"]
    list_filter = ["kind", "municipality"]
    date_hierarchy = "held_on"
    list_select_related = ["municipality", "recorded_by"]
    search_fields = ["note"]
    autocomplete_fields = ["municipal_worker"]
    raw_id_fields = ["placement_request", "child"]
    filter_horizontal = ["experts"]
    readonly_fields = ["recorded_by", "created_at"]

    def save_model(self, request, obj, form, change):
        services.consultation_save(consultation=obj, by=request.user)


class GroupLeaderAdminForm(ServiceAdminForm):
    def service_call(self, user):
        return lambda: services.group_leader_save(leader=self.instance, by=user)


@admin.register(GroupLeader)
class GroupLeaderAdmin(ServiceAdminMixin, admin.ModelAdmin):
    """Who leads each work supervision and peer group; saved through the service."""

    form = GroupLeaderAdminForm
    list_display = ["course", "expert", "assigned_at"]
    search_fields = ["course__title", "expert__name"]
    list_select_related = ["course", "expert"]
    autocomplete_fields = ["course", "expert"]
