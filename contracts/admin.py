from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from import_export import fields, widgets
from import_export.admin import ImportExportModelAdmin

from contracts import services
from contracts.forms import ContractForm
from contracts.models import (
    AgreedShare,
    Contract,
    ContractPeriod,
    Invoice,
    InvoiceLine,
    InvoiceNumberCounter,
    InvoicingRun,
    IssuingRun,
    QuarterActualCost,
    UsageFigure,
)
from fostercare.admin_doors import BackgroundImportMixin, ReadOnlyAdminMixin, RestrictedAdminMixin
from fostercare.imports import ImportResource
from fostercare.models import MemberOrganisation

# Each model's writes: (save, delete), the services that the pages and the demo use too.
# The admin's save_model, delete_model, inlines and imports all go through these.
WRITES = {
    # a contract is saved with its parties: ContractAdmin.save_model calls contract_save
    Contract: (None, lambda obj, by: services.contract_delete(contract=obj, by=by)),
    ContractPeriod: (
        lambda obj, by: services.contract_period_save(period=obj, by=by),
        lambda obj, by: services.contract_period_delete(period=obj, by=by),
    ),
    AgreedShare: (
        lambda obj, by: services.agreed_share_save(share=obj, by=by),
        lambda obj, by: services.agreed_share_delete(share=obj, by=by),
    ),
    UsageFigure: (
        lambda obj, by: services.usage_figure_save(figure=obj, by=by),
        lambda obj, by: services.usage_figure_delete(figure=obj, by=by),
    ),
    QuarterActualCost: (
        lambda obj, by: services.quarter_actual_cost_save(cost=obj, by=by),
        lambda obj, by: services.quarter_actual_cost_delete(cost=obj, by=by),
    ),
}


class WritesTableAdminMixin(RestrictedAdminMixin):
    """Rows load through visible_to; saves and deletes, of the model and of its inlines,
    go through the services in WRITES."""

    # Contracts hold no client data: invoices go from one municipality to another.
    log_views = False

    def save_model(self, request, obj, form, change):
        WRITES[type(obj)][0](obj, request.user)

    def delete_model(self, request, obj):
        WRITES[type(obj)][1](obj, request.user)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)

    def save_formset(self, request, form, formset, change):
        save, delete = WRITES[formset.model]
        instances = formset.save(commit=False)
        for obj in formset.deleted_objects:
            delete(obj, request.user)
        for obj in instances:
            save(obj, request.user)


class UsageFigureResource(ImportResource):
    """Usage figures are imported per period: period id, member code, care days. Each row
    is saved through the service, as in the admin's forms."""

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

    def save_instance(self, instance, is_create, row, **kwargs):
        self._user = kwargs.get("user")
        super().save_instance(instance, is_create, row, **kwargs)

    def do_instance_save(self, instance, is_create):
        services.usage_figure_save(figure=instance, by=getattr(self, "_user", None))


class AgreedShareInline(RestrictedAdminMixin, admin.StackedInline):  # labelled fields
    model = AgreedShare
    extra = 0
    autocomplete_fields = ["member"]


class UsageFigureInline(RestrictedAdminMixin, admin.StackedInline):  # labelled fields
    model = UsageFigure
    extra = 0
    autocomplete_fields = ["member"]


class QuarterActualCostInline(RestrictedAdminMixin, admin.StackedInline):  # labelled fields
    model = QuarterActualCost
    extra = 0
    readonly_fields = ["corrected_at"]  # set by the correction service, not typed in


class ContractPeriodInline(RestrictedAdminMixin, admin.StackedInline):
    model = ContractPeriod
    extra = 0
    show_change_link = True


class ContractAdminForm(ContractForm):
    """The pages' contract form, with the parties' rule, in the admin (whose own
    filter_horizontal chooses the parties: the pages' picker is removed here)."""

    members = None

    class Meta(ContractForm.Meta):
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


@admin.register(Contract)
class ContractAdmin(WritesTableAdminMixin, admin.ModelAdmin):
    form = ContractAdminForm
    list_display = ["name", "issuer", "producer_name", "active"]
    list_filter = ["active", "issuer"]
    search_fields = ["name", "producer_name"]
    list_select_related = ["issuer"]
    autocomplete_fields = ["issuer"]
    filter_horizontal = ["members"]
    inlines = [ContractPeriodInline]

    def save_model(self, request, obj, form, change):
        services.contract_save(contract=obj, members=form.cleaned_data["members"], by=request.user)

    def save_related(self, request, form, formsets, change):
        # the parties were set by contract_save; only the periods are left
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)


@admin.register(ContractPeriod)
class ContractPeriodAdmin(WritesTableAdminMixin, admin.ModelAdmin):
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
class UsageFigureAdmin(WritesTableAdminMixin, BackgroundImportMixin, ImportExportModelAdmin):
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
class InvoiceAdmin(RestrictedAdminMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    """Read-only: invoices change only through the invoicing pages' services."""

    list_display = ["number", "issuer", "member", "year", "quarter", "kind", "status", "total"]
    list_filter = ["status", "kind", "year", "quarter", "issuer"]
    search_fields = ["number", "reference", "member__name_fi"]
    list_select_related = ["issuer", "member"]
    inlines = [InvoiceLineInline]
    log_views = False  # invoices between municipalities: no client data


@admin.register(InvoicingRun)
class InvoicingRunAdmin(RestrictedAdminMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    """Read-only: a run is started on the invoicing page, which queues it
    (services.invoicing_run_start); a run added here would never run."""

    log_views = False
    list_display = ["year", "quarter", "status", "invoices_created", "started_by", "created_at"]
    list_filter = ["status"]
    list_select_related = ["started_by"]


@admin.register(IssuingRun)
class IssuingRunAdmin(RestrictedAdminMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    """Read-only: the issuing of a quarter's drafts is started on its review page, which
    queues it (services.invoices_issue_start); one added here would never run."""

    log_views = False
    list_display = ["year", "quarter", "status", "issued", "started_by", "created_at"]
    list_filter = ["status"]
    list_select_related = ["started_by"]


@admin.register(InvoiceNumberCounter)
class InvoiceNumberCounterAdmin(RestrictedAdminMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    """Read-only: only invoicing.invoice_number_next moves a counter. A counter added or
    deleted here would leave a gap in the numbers or give a number twice."""

    log_views = False
    list_display = ["issuer", "last_number"]
    list_select_related = ["issuer"]
