from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import UserChangeForm
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from import_export import fields, resources, widgets
from import_export.admin import ExportMixin, ImportExportModelAdmin

from fostercare import imports
from fostercare.admin_doors import BackgroundImportMixin, SafeAutocompleteMixin
from fostercare.models import (
    AccessLogEntry,
    ImportJob,
    MemberOrganisation,
    PopulationFigure,
    User,
)
from fostercare.roles import Role


class MemberOrganisationResource(imports.ImportResource):
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


class PopulationFigureResource(imports.ImportResource):
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


class PopulationFigureInline(admin.StackedInline):  # labelled fields (axe: label)
    model = PopulationFigure
    extra = 0


@admin.register(MemberOrganisation)
class MemberOrganisationAdmin(BackgroundImportMixin, ImportExportModelAdmin):
    resource_classes = [MemberOrganisationResource]
    list_display = ["name_fi", "name_sv", "code", "kind", "business_id", "einvoice_address"]
    list_filter = ["kind"]
    search_fields = ["name_fi", "name_sv", "code", "business_id"]
    inlines = [PopulationFigureInline]


@admin.register(PopulationFigure)
class PopulationFigureAdmin(SafeAutocompleteMixin, BackgroundImportMixin, ImportExportModelAdmin):
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
class UserAdmin(SafeAutocompleteMixin, BaseUserAdmin):
    form = UserAdminForm
    list_display = ["username", "first_name", "last_name", "organisation", "is_active"]
    list_filter = ["groups", "organisation", "is_active", "is_staff"]
    list_select_related = ["organisation"]
    autocomplete_fields = ["organisation"]
    # set by the login, not by hand; and read-only they are not Django's split date-time
    # inputs, whose two halves have no label (axe: label)
    readonly_fields = ["last_login", "date_joined"]
    fieldsets = (
        *BaseUserAdmin.fieldsets,
        (_("Work"), {"fields": ("organisation", "title", "phone", "language")}),
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


@admin.register(ImportJob)
class ImportJobAdmin(admin.ModelAdmin):
    """Large imports and their results; each user sees their own (an administrator all).
    The page of one import is its progress while it runs and its result after."""

    list_display = ["created_at", "file_name", "content_type", "user", "status", "total_rows"]
    list_filter = ["status"]
    list_select_related = ["content_type", "user"]
    result_template = "admin/fostercare/importjob/result.html"

    def get_queryset(self, request):
        return super().get_queryset(request).visible_to(request.user)

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_staff

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if not self.has_view_permission(request) or not str(object_id).isdigit():
            raise Http404
        job = self.get_queryset(request).filter(pk=object_id).first()
        if job is None:
            raise Http404
        target = job.content_type.model_class()
        try:
            target_url = reverse(
                f"admin:{target._meta.app_label}_{target._meta.model_name}_changelist"
            )
        except NoReverseMatch:
            target_url = ""
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": str(job),
            "job": job,
            "done_rows": imports.import_job_progress(job),
            "target_name": target._meta.verbose_name_plural,
            "target_url": target_url,
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, self.result_template, context)
