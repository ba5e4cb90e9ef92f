"""The placements admin: rows load through visible_to, opening a record is logged
(``RestrictedAdminMixin``), children are written through ``child_save``, and a request's
flow (its steps, proposals, placements and sharing) is only read here: its pages call the
services that check the rules and write the timeline."""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError

from fostercare.admin_doors import ReadOnlyAdminMixin, RestrictedAdminMixin
from placements import services
from placements.models import Child, Placement, PlacementRequest, Proposal, RequestEvent


class ChildAdminForm(forms.ModelForm):
    class Meta:
        model = Child
        # the identity code stays out of the admin (see ChildAdmin)
        fields = [
            "municipality",
            "first_name",
            "last_name",
            "date_of_birth",
            "languages",
            "needs",
            "needs_description",
            "school_or_daycare",
            "birth_parent_contact",
            "birth_parent_contact_notes",
            "siblings",
        ]

    def clean(self):
        cleaned = super().clean()
        # the service's own check, so that a refusal is a form error and not a 500
        municipality, siblings = cleaned.get("municipality"), cleaned.get("siblings")
        if municipality and siblings is not None:
            child = Child(pk=self.instance.pk, municipality=municipality)
            try:
                services.child_siblings_check(child=child, siblings=siblings)
            except ValidationError as error:
                self.add_error(None, error)
        return cleaned


@admin.register(Child)
class ChildAdmin(RestrictedAdminMixin, admin.ModelAdmin):
    form = ChildAdminForm
    list_display = ["last_name", "first_name", "date_of_birth", "municipality"]
    list_filter = ["municipality"]
    search_fields = ["last_name", "first_name"]
    list_select_related = ["municipality"]
    show_full_result_count = False  # a national register: no count of every row
    # siblings are searched: a filter_horizontal listed every child of the country
    autocomplete_fields = ["municipality", "siblings"]
    filter_horizontal = ["needs"]
    # The identity code is shown masked in the app and logged when revealed; keep it
    # out of the admin's lists and searches.
    exclude = ["personal_identity_code"]

    def save_model(self, request, obj, form, change):
        services.child_save(
            child=obj,
            by=request.user,
            needs=form.cleaned_data.get("needs"),
            siblings=form.cleaned_data.get("siblings"),
        )

    def save_related(self, request, form, formsets, change):
        # child_save has set the needs and siblings; only inlines (none yet) remain
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    # A child's record is kept (archived with the client documents), never deleted here.
    def has_delete_permission(self, request, obj=None):
        return False


class RequestEventInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = RequestEvent
    extra = 0
    fields = readonly_fields = ["at", "by", "from_status", "to_status", "note"]


class ProposalInline(ReadOnlyAdminMixin, admin.TabularInline):
    """Read-only: proposing, accepting and declining are steps of the request's flow, which
    check the rules (capacity, gates, reservations, grants); the admin must not bypass them."""

    model = Proposal
    extra = 0
    fields = readonly_fields = [
        "family",
        "rank",
        "reasons",
        "accepted",
        "declined",
        "proposed_at",
        "proposed_by",
    ]


@admin.register(PlacementRequest)
class PlacementRequestAdmin(RestrictedAdminMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    """Read-only: a request is made, edited as a draft, moved along and shared with another
    municipality's worker on its own pages, through the services that check the role,
    the organisation and the status and write the timeline."""

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
    inlines = [ProposalInline, RequestEventInline]

    def people_shown(self, obj):
        return list(obj.children.all())  # the page lists the request's children


@admin.register(Placement)
class PlacementAdmin(RestrictedAdminMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    """Read-only: placements are started and ended through the pages, which check the
    family's room and gates and the request's status."""

    list_display = ["child", "family", "provider", "placement_type", "started_on", "ended_on"]
    list_filter = ["placement_type", "end_reason"]
    search_fields = ["child__last_name", "family__name", "provider__name", "decision_reference"]
    list_select_related = ["child", "family", "provider"]
    show_full_result_count = False  # a national register: no count of every row
    date_hierarchy = "started_on"
