"""The admin of recruitment and training: a door like any page. Saves, deletions,
actions and imports call the same services as the course and attendance pages."""

from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from import_export import fields, widgets
from import_export.admin import ImportExportModelAdmin

from families.models import Carer
from fostercare.admin_doors import (
    BackgroundImportMixin,
    ExportLoggedMixin,
    RestrictedAdminMixin,
    ServiceAdminForm,
    ServiceAdminMixin,
)
from fostercare.imports import ImportResource
from training import services
from training.models import (
    Attendance,
    Course,
    CourseType,
    Enrolment,
    GroupParticipant,
    IndividualMeeting,
    Inquiry,
    InquiryStageChange,
    ReadinessAssessment,
    Session,
)


class CourseResource(ImportResource):
    course_type = fields.Field(
        attribute="course_type",
        column_name="course_type_code",
        widget=widgets.ForeignKeyWidget(CourseType, field="code"),
    )
    audience = fields.Field(
        attribute="audience", column_name="audience", widget=widgets.SimpleArrayWidget(",")
    )

    class Meta:
        model = Course
        fields = [
            "id",
            "course_type",
            "title",
            "audience",
            "capacity",
            "enrolment_opens_on",
            "enrolment_closes_on",
            "description",
        ]
        clean_model_instances = True

    def save_instance(self, instance, is_create, row, **kwargs):
        # a raised capacity gives the new seats to the waitlist, as on the course page
        services.course_save(course=instance, by=kwargs.get("user"))


class EnrolmentResource(ImportResource):
    course = fields.Field(
        attribute="course", column_name="course_id", widget=widgets.ForeignKeyWidget(Course)
    )
    carer = fields.Field(
        attribute="carer", column_name="carer_id", widget=widgets.ForeignKeyWidget(Carer)
    )

    class Meta:
        model = Enrolment
        fields = ["id", "course", "carer", "status", "created_at", "cancelled_at"]
        clean_model_instances = True

    def save_instance(self, instance, is_create, row, **kwargs):
        if not is_create:
            # an enrolment changes on the course page (cancel, waitlist), not by a file
            raise ValidationError(_("An import adds enrolments; it does not change them."))
        saved = services.enrolment_import(
            course=instance.course,
            carer=instance.carer,
            status=instance.status,
            created_at=instance.created_at,
            cancelled_at=instance.cancelled_at,
            by=kwargs.get("user"),
        )
        instance.pk = saved.pk


@admin.register(CourseType)
class CourseTypeAdmin(admin.ModelAdmin):
    list_display = [
        "name_fi",
        "category",
        "required_group_meetings",
        "make_ups_allowed",
        "required_individual_meetings",
        "assessment_required",
        "counts_as_continuing_education",
    ]
    list_filter = ["category"]
    search_fields = ["code", "name_fi", "name_sv", "name_en"]


# Links typed without a scheme are taken as https (Django 6 default), not http.
URL_HTTPS = {models.URLField: {"assume_scheme": "https"}}


class SessionInline(admin.StackedInline):  # labelled fields, no sideways scroll
    model = Session
    extra = 0
    can_delete = False
    formfield_overrides = URL_HTTPS


class CourseAdminForm(ServiceAdminForm):
    def service_call(self, user):
        return lambda: services.course_save(course=self.instance, by=user)


# Courses, sessions, enrolments and assessments are records of what happened: they are
# kept, never deleted (a course that will not run has its sessions and enrolments left).
class _KeptRecordAdmin(ServiceAdminMixin, admin.ModelAdmin):
    log_views = False  # courses and sessions are not anyone's personal data

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Course)
class CourseAdmin(_KeptRecordAdmin, BackgroundImportMixin, ImportExportModelAdmin):
    form = CourseAdminForm
    resource_classes = [CourseResource]
    list_display = ["title", "course_type", "capacity", "enrolment_opens_on", "enrolment_closes_on"]
    list_filter = ["course_type", "organiser"]
    search_fields = ["title", "description"]
    list_select_related = ["course_type"]
    autocomplete_fields = ["organiser"]
    inlines = [SessionInline]

    def save_formset(self, request, form, formset, change):
        for session in formset.save(commit=False):
            services.session_save(session=session, by=request.user)


class SessionAdminForm(ServiceAdminForm):
    def service_call(self, user):
        return lambda: services.session_save(session=self.instance, by=user)


@admin.register(Session)
class SessionAdmin(_KeptRecordAdmin):
    form = SessionAdminForm
    list_display = ["date", "start_time", "end_time", "course", "topic", "kind", "place"]
    list_filter = ["kind", "course__course_type"]
    search_fields = ["topic", "course__title", "trainers", "place"]
    list_select_related = ["course"]
    autocomplete_fields = ["course"]
    date_hierarchy = "date"
    formfield_overrides = URL_HTTPS


@admin.register(Enrolment)
class EnrolmentAdmin(
    RestrictedAdminMixin, ExportLoggedMixin, BackgroundImportMixin, ImportExportModelAdmin
):
    """Read-only but for cancelling: enrolment takes the whole family and the seat rule,
    on the course page; the import adds rows under the same rule."""

    resource_classes = [EnrolmentResource]
    list_display = ["carer", "course", "status", "created_at"]
    list_filter = ["status", "course__course_type"]
    search_fields = [
        "carer__last_name",
        "carer__first_name",
        "carer__family__name",
        "course__title",
    ]
    list_select_related = ["carer", "course"]
    actions = ["cancel_enrolments"]

    def people_exported(self, records):
        # an enrolment is its carer's data: the report of that carer lists the export
        return list(Carer.objects.filter(pk__in={r.carer_id for r in records}))

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Cancel the selected enrolments"), permissions=["cancel"])
    def cancel_enrolments(self, request, queryset):
        promoted = []
        for enrolment in queryset.exclude(status=Enrolment.Status.CANCELLED).order_by("pk"):
            promoted += services.enrolment_cancel(enrolment=enrolment, by=request.user)
        if promoted:
            self.message_user(
                request,
                _("Moved from the waitlist to the course: %(names)s.")
                % {"names": ", ".join(str(e.carer) for e in promoted)},
            )

    def has_cancel_permission(self, request):
        return request.user.has_perm("training.change_enrolment")


@admin.register(Attendance)
class AttendanceAdmin(RestrictedAdminMixin, admin.ModelAdmin):
    """Attendance is recorded on the session's attendance page; deleting a row here marks
    the person absent through the same service."""

    list_display = ["session", "enrolment", "participant", "recorded_at", "recorded_by"]
    search_fields = [
        "enrolment__carer__last_name",
        "participant__display_name",
        "session__course__title",
    ]
    list_select_related = [
        "session__course",
        "enrolment__carer__family",
        "participant",
        "recorded_by",
    ]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def delete_model(self, request, obj):
        services.attendance_set(
            session=obj.session,
            enrolment=obj.enrolment,
            participant=obj.participant,
            present=False,
            by=request.user,
        )

    def delete_queryset(self, request, queryset):
        for attendance in queryset.select_related("session", "enrolment", "participant"):
            self.delete_model(request, attendance)


class GroupParticipantAdminForm(ServiceAdminForm):
    def service_call(self, user):
        return lambda: services.group_participant_save(participant=self.instance, by=user)


@admin.register(GroupParticipant)
class GroupParticipantAdmin(ServiceAdminMixin, admin.ModelAdmin):
    """A peer group's participants who are not carers: a display name and a role only."""

    form = GroupParticipantAdminForm
    fields = ["course", "role", "display_name"]
    list_display = ["display_name", "role", "course", "created_at"]
    list_filter = ["role"]
    search_fields = ["display_name", "course__title"]
    list_select_related = ["course"]
    autocomplete_fields = ["course"]


class IndividualMeetingAdminForm(ServiceAdminForm):
    def service_call(self, user):
        return lambda: services.individual_meeting_save(meeting=self.instance, by=user)


@admin.register(IndividualMeeting)
class IndividualMeetingAdmin(ServiceAdminMixin, admin.ModelAdmin):
    form = IndividualMeetingAdminForm
    list_display = ["held_on", "family", "course", "workers"]
    search_fields = ["family__name", "course__title", "workers"]
    list_select_related = ["family", "course"]
    autocomplete_fields = ["family", "course"]


@admin.register(ReadinessAssessment)
class ReadinessAssessmentAdmin(RestrictedAdminMixin, admin.ModelAdmin):
    list_display = ["assessed_on", "family", "course", "conclusion"]
    list_filter = ["conclusion"]
    search_fields = ["family__name", "course__title", "assessors"]
    list_select_related = ["family", "course"]

    # A positive assessment records the training and may approve the family: that goes
    # through the course page's service, and the record is not edited afterwards.
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class InquiryStageChangeInline(admin.TabularInline):
    model = InquiryStageChange
    extra = 0
    can_delete = False
    readonly_fields = ["stage", "entered_at", "changed_by", "note"]

    def get_queryset(self, request):
        # the read-only user and the row's name (its inquiry's family) without a query a row
        return super().get_queryset(request).select_related("changed_by", "inquiry__family")

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Inquiry)
class InquiryAdmin(RestrictedAdminMixin, admin.ModelAdmin):
    """Inquiries arrive through the public form and move through the stage action on
    their page (which keeps the family's status in step); here they are read."""

    list_display = ["family", "stage", "created_at", "language"]
    list_filter = ["stage", "language"]
    search_fields = ["family__name", "family__carers__last_name", "message"]
    list_select_related = ["family"]
    show_full_result_count = False  # a national register: no count of every row
    inlines = [InquiryStageChangeInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
