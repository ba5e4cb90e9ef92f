from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from import_export import fields, resources, widgets
from import_export.admin import ImportExportModelAdmin

from contracts import services
from contracts.models import (
    AgreedShare,
    Contract,
    ContractPeriod,
    Invoice,
    InvoiceLine,
    InvoiceNumberCounter,
    InvoicingRun,
    QuarterActualCost,
    UsageFigure,
)
from fostercare.admin_doors import RestrictedAdminMixin
from fostercare.models import MemberOrganisation


class UsageFigureResource(resources.ModelResource):
    """Usage figures are imported per period: period id, member code, care days."""

    member = fields.Field(
        attribute="member",
        column_name="member_code",
        widget=widgets.ForeignKeyWidget(MemberOrganisation, field="code"),
    )

    class Meta:
        model = UsageFigure
        fields = ["id", "period", "member", "care_days", "source"]
        import_id_fields = ["period", "member"]
        clean_model_instances = True


class AgreedShareInline(RestrictedAdminMixin, admin.TabularInline):
    model = AgreedShare
    extra = 0
    autocomplete_fields = ["member"]


class UsageFigureInline(RestrictedAdminMixin, admin.TabularInline):
    model = UsageFigure
    extra = 0
    autocomplete_fields = ["member"]


class QuarterActualCostInline(RestrictedAdminMixin, admin.TabularInline):
    model = QuarterActualCost
    extra = 0


class ContractPeriodInline(RestrictedAdminMixin, admin.StackedInline):
    model = ContractPeriod
    extra = 0
    show_change_link = True


class ContractAdminForm(forms.ModelForm):
    class Meta:
        model = Contract
        fields = [
            "name",
            "description",
            "members",
            "issuer",
            "issuer_iban",
            "issuer_bic",
            "producer_name",
            "producer_business_id",
            "active",
        ]

    def clean(self):
        cleaned = super().clean()
        issuer, members = cleaned.get("issuer"), cleaned.get("members")
        if issuer and members is not None and issuer not in members:
            self.add_error("members", _("The administering member must be one of the parties."))
        return cleaned


@admin.register(Contract)
class ContractAdmin(RestrictedAdminMixin, admin.ModelAdmin):
    log_views = False  # contracts hold no client data
    form = ContractAdminForm
    list_display = ["name", "issuer", "producer_name", "active"]
    list_filter = ["active", "issuer"]
    search_fields = ["name", "producer_name"]
    list_select_related = ["issuer"]
    autocomplete_fields = ["issuer"]
    filter_horizontal = ["members"]
    inlines = [ContractPeriodInline]


@admin.register(ContractPeriod)
class ContractPeriodAdmin(RestrictedAdminMixin, admin.ModelAdmin):
    log_views = False  # contracts hold no client data
    list_display = ["contract", "starts_on", "ends_on", "basis", "annual_cost"]
    list_filter = ["basis", "contract"]
    search_fields = ["contract__name"]
    list_select_related = ["contract"]
    autocomplete_fields = ["contract"]
    inlines = [AgreedShareInline, UsageFigureInline, QuarterActualCostInline]
    actions = ["usage_from_placements"]

    @admin.action(
        description=_("Set usage figures from the care days of placements"),
        permissions=["change"],
    )
    def usage_from_placements(self, request, queryset):
        for period in queryset.select_related("contract"):
            total = services.usage_figures_from_placements(period=period, by=request.user)
            self.message_user(
                request,
                _("%(period)s: %(days)s care days.") % {"period": period, "days": total},
            )


@admin.register(UsageFigure)
class UsageFigureAdmin(RestrictedAdminMixin, ImportExportModelAdmin):
    log_views = False  # contracts hold no client data
    resource_classes = [UsageFigureResource]
    list_display = ["period", "member", "care_days", "source"]
    list_filter = ["period__contract"]
    list_select_related = ["period__contract", "member"]
    autocomplete_fields = ["member"]


class InvoiceLineInline(RestrictedAdminMixin, admin.TabularInline):
    model = InvoiceLine
    extra = 0
    can_delete = False
    readonly_fields = ["position", "description", "amount"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Invoice)
class InvoiceAdmin(RestrictedAdminMixin, admin.ModelAdmin):
    """Read-only: invoices change only through the invoicing pages' services."""

    log_views = False  # contracts hold no client data

    list_display = ["number", "issuer", "member", "year", "quarter", "kind", "status", "total"]
    list_filter = ["status", "kind", "year", "quarter", "issuer"]
    search_fields = ["number", "reference", "member__name_fi"]
    list_select_related = ["issuer", "member"]
    inlines = [InvoiceLineInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(InvoicingRun)
class InvoicingRunAdmin(RestrictedAdminMixin, admin.ModelAdmin):
    log_views = False  # contracts hold no client data
    list_display = ["year", "quarter", "status", "invoices_created", "started_by", "created_at"]
    list_filter = ["status"]
    list_select_related = ["started_by"]


@admin.register(InvoiceNumberCounter)
class InvoiceNumberCounterAdmin(RestrictedAdminMixin, admin.ModelAdmin):
    log_views = False  # contracts hold no client data
    list_display = ["issuer", "last_number"]
    list_select_related = ["issuer"]

    def has_change_permission(self, request, obj=None):
        return False
