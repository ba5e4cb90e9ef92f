from django.contrib import admin
from guardian.admin import GuardedModelAdmin

from placements.models import Child, Placement, PlacementRequest, Proposal, RequestEvent


@admin.register(Child)
class ChildAdmin(admin.ModelAdmin):
    list_display = ["last_name", "first_name", "date_of_birth", "municipality"]
    list_filter = ["municipality"]
    search_fields = ["last_name", "first_name"]
    list_select_related = ["municipality"]
    autocomplete_fields = ["municipality"]
    filter_horizontal = ["needs", "siblings"]
    # The identity code is shown masked in the app and logged when revealed; keep it
    # out of the admin's lists and searches.
    exclude = ["personal_identity_code"]


class RequestEventInline(admin.TabularInline):
    model = RequestEvent
    extra = 0
    can_delete = False
    readonly_fields = ["at", "by", "from_status", "to_status", "note"]

    def has_add_permission(self, request, obj=None):
        return False


class ProposalInline(admin.TabularInline):
    """Read-only: proposing, accepting and declining are steps of the request's flow, which
    check the rules (capacity, reservations, grants); the admin must not bypass them."""

    model = Proposal
    extra = 0
    can_delete = False
    fields = readonly_fields = [
        "family",
        "rank",
        "reasons",
        "accepted",
        "declined",
        "proposed_at",
        "proposed_by",
    ]

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(PlacementRequest)
class PlacementRequestAdmin(GuardedModelAdmin):
    """Object permissions (a request shared with another municipality's worker) are
    managed here through guardian's "Object permissions" page."""

    list_display = [
        "pk",
        "municipality",
        "placement_type",
        "urgency",
        "status",
        "wished_start_on",
        "unit_worker",
    ]
    list_filter = ["status", "urgency", "placement_type", "municipality"]
    search_fields = ["pk", "children__last_name", "decision_reference"]
    list_select_related = ["municipality", "unit_worker"]
    autocomplete_fields = ["municipality", "created_by", "children"]
    readonly_fields = [
        "status",
        "unit_worker",
        "submitted_at",
        "closing_reason",
        "decision_on",
        "decision_maker",
        "decision_reference",
    ]
    inlines = [ProposalInline, RequestEventInline]


@admin.register(Placement)
class PlacementAdmin(admin.ModelAdmin):
    list_display = ["child", "family", "provider", "placement_type", "started_on", "ended_on"]
    list_filter = ["placement_type", "end_reason"]
    search_fields = ["child__last_name", "family__name", "provider__name", "decision_reference"]
    list_select_related = ["child", "family", "provider"]
    date_hierarchy = "started_on"

    # Placements are started and ended through the pages, which check the family's room
    # and the request's status; here they are only read.
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
