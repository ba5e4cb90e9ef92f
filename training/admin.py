from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _
from import_export import fields, resources, widgets
from import_export.admin import ImportExportModelAdmin

from families.models import Carer
from training import services
from training.models import (
    Attendance,
    Course,
    CourseType,
    Enrolment,
    IndividualMeeting,
    Inquiry,
    InquiryStageChange,
    ReadinessAssessment,
    Session,
)


class CourseResource(resources.ModelResource):
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


class EnrolmentResource(resources.ModelResource):
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

    def before_save_instance(self, instance, row, **kwargs):
        # an import must not overfill a course either; the import runs in one transaction
        if instance.status == Enrolment.Status.ENROLLED:
            taken = (
                Enrolment.objects.filter(course=instance.course, status=Enrolment.Status.ENROLLED)
                .exclude(pk=instance.pk)
                .count()
            )
            if taken >= instance.course.capacity:
                raise ValidationError(
                    _("%(course)s is full; import the enrolment as waitlisted.")
                    % {"course": instance.course}
                )


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


class SessionInline(admin.TabularInline):
    model = Session
    extra = 0
    formfield_overrides = URL_HTTPS


@admin.register(Course)
class CourseAdmin(ImportExportModelAdmin):
    resource_classes = [CourseResource]
    list_display = ["title", "course_type", "capacity", "enrolment_opens_on", "enrolment_closes_on"]
    list_filter = ["course_type", "organiser"]
    search_fields = ["title", "description"]
    list_select_related = ["course_type"]
    autocomplete_fields = ["organiser"]
    inlines = [SessionInline]

    def save_model(self, request, obj, form, change):
        # through the service, so that a raised capacity gives the new seats to the waitlist
        services.course_save(course=obj, by=request.user)


@admin.register(Session)
class SessionAdmin(admin.ModelAdmin):
    list_display = ["date", "start_time", "end_time", "course", "topic", "kind", "place"]
    list_filter = ["kind", "course__course_type"]
    search_fields = ["topic", "course__title", "trainers", "place"]
    list_select_related = ["course"]
    autocomplete_fields = ["course"]
    date_hierarchy = "date"
    formfield_overrides = URL_HTTPS


@admin.register(Enrolment)
class EnrolmentAdmin(ImportExportModelAdmin):
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
    autocomplete_fields = ["course", "carer", "created_by"]


@admin.register(Attendance)
class AttendanceAdmin(admin.ModelAdmin):
    list_display = ["session", "enrolment", "recorded_at", "recorded_by"]
    search_fields = ["enrolment__carer__last_name", "session__course__title"]
    list_select_related = ["session__course", "enrolment__carer__family", "recorded_by"]
    autocomplete_fields = ["session", "enrolment", "recorded_by"]


@admin.register(IndividualMeeting)
class IndividualMeetingAdmin(admin.ModelAdmin):
    list_display = ["held_on", "family", "course", "workers"]
    search_fields = ["family__name", "course__title", "workers"]
    list_select_related = ["family", "course"]
    autocomplete_fields = ["family", "course"]


@admin.register(ReadinessAssessment)
class ReadinessAssessmentAdmin(admin.ModelAdmin):
    list_display = ["assessed_on", "family", "course", "conclusion"]
    list_filter = ["conclusion"]
    search_fields = ["family__name", "course__title", "assessors"]
    list_select_related = ["family", "course"]
    autocomplete_fields = ["family", "course", "recorded_by"]

    # A positive assessment changes the family's status; that goes through the course page.
    def has_add_permission(self, request):
        return False


class InquiryStageChangeInline(admin.TabularInline):
    model = InquiryStageChange
    extra = 0
    can_delete = False
    readonly_fields = ["stage", "entered_at", "changed_by", "note"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Inquiry)
class InquiryAdmin(admin.ModelAdmin):
    list_display = ["family", "stage", "created_at", "language"]
    list_filter = ["stage", "language"]
    search_fields = ["family__name", "family__carers__last_name", "message"]
    list_select_related = ["family"]
    autocomplete_fields = ["family"]
    readonly_fields = ["stage", "consent_given_at", "created_at"]
    inlines = [InquiryStageChangeInline]
