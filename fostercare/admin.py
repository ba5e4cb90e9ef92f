from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import UserChangeForm
from django.core.paginator import Paginator
from django.db.models import Q
from django.utils.functional import cached_property
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


class EstimatedCountPaginator(Paginator):
    """Counts at most ``CAP`` rows: past that a list shows ``CAP`` rows' worth of pages
    instead of counting a million-row table on every page (narrow it with a filter)."""

    CAP = 10000

    @cached_property
    def count(self) -> int:
        return self.object_list[: self.CAP].count()


@admin.register(AccessLogEntry)
class AccessLogEntryAdmin(ExportMixin, admin.ModelAdmin):
    """Filter by record, then export: the report a client may ask for (Act 703/2023).

    Built for a million rows: no date hierarchy (its DISTINCT over every row), no full
    counts, and a search that each index can answer (fostercare.models.AccessLogEntry).
    """

    resource_classes = [AccessLogEntryResource]
    list_display = ["at", "user", "organisation", "action", "content_type", "object_repr"]
    list_filter = [("at", admin.DateFieldListFilter), "action", "content_type", "organisation"]
    search_fields = ["object_repr", "=object_id", "=user__username"]
    search_help_text = _("A name in the record, a record id or a username.")
    list_select_related = ["user", "organisation", "content_type"]
    show_full_result_count = False
    paginator = EstimatedCountPaginator

    def get_search_results(self, request, queryset, search_term):
        # A username is looked up first, so the condition on the log is a list of ids
        # beside the indexed name and id: PostgreSQL ORs three index scans, no join.
        term = search_term.strip()
        if not term:
            return queryset, False
        condition = Q(object_repr__icontains=term) | Q(object_id=term)
        user_ids = list(User.objects.filter(username=term).values_list("pk", flat=True))
        if user_ids:
            condition |= Q(user_id__in=user_ids)
        return queryset.filter(condition), False

    # The log is evidence: nobody edits or deletes it through the admin.
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
