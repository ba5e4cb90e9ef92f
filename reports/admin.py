from django.contrib import admin

from fostercare.admin_doors import RestrictedAdminMixin
from reports.models import ReferenceDailyCost, Report


@admin.register(ReferenceDailyCost)
class ReferenceDailyCostAdmin(RestrictedAdminMixin, admin.ModelAdmin):
    """Read here; finance sets the costs on the reports' page (reports.services)."""

    log_views = False  # no personal data

    list_display = ["year", "care_type", "daily_cost", "source"]
    list_filter = ["year", "care_type"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Report)
class ReportAdmin(RestrictedAdminMixin, admin.ModelAdmin):
    """Reports change only by being made again on the reports' page."""

    log_views = False  # totals per member, no personal data

    list_display = [
        "kind",
        "contract",
        "member",
        "year",
        "quarter",
        "language",
        "version",
        "status",
    ]
    list_filter = ["kind", "status", "year"]
    exclude = ["tables"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
