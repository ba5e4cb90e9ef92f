from django.urls import path

from training import views

app_name = "training"

urlpatterns = [
    path("", views.course_list, name="course-list"),
    path("calendar/", views.calendar, name="calendar"),
    path("inquiry/", views.inquiry_create, name="inquiry-create"),
    path("inquiry/thanks/", views.inquiry_thanks, name="inquiry-thanks"),
    path("inquiries/", views.inquiry_list, name="inquiry-list"),
    path("inquiries/<int:pk>/", views.inquiry_detail, name="inquiry-detail"),
    path("inquiries/<int:pk>/stage/", views.inquiry_change_stage, name="inquiry-stage"),
    path("courses/new/", views.course_edit, name="course-create"),
    path("courses/<int:pk>/", views.course_detail, name="course-detail"),
    path("courses/<int:pk>/edit/", views.course_edit, name="course-update"),
    path("courses/<int:pk>/enrol/", views.course_enrol, name="course-enrol"),
    path(
        "courses/<int:pk>/enrol/families/",
        views.course_enrol_search,
        name="course-enrol-search",
    ),
    path("courses/<int:pk>/sessions.ics", views.course_ics, name="course-ics"),
    path(
        "courses/<int:pk>/attendance.pdf",
        views.course_attendance_sheet,
        name="course-attendance-sheet",
    ),
    path("courses/<int:course_pk>/sessions/new/", views.session_edit, name="session-create"),
    path("courses/<int:pk>/families/<int:family_pk>/", views.course_family, name="course-family"),
    path(
        "courses/<int:pk>/families/<int:family_pk>/meetings/",
        views.individual_meeting_add,
        name="individual-meeting-add",
    ),
    path(
        "courses/<int:pk>/families/<int:family_pk>/assessment/",
        views.readiness_assessment_record,
        name="assessment-record",
    ),
    path(
        "meetings/<int:pk>/edit/", views.individual_meeting_update, name="individual-meeting-update"
    ),
    path("assessments/<int:pk>/edit/", views.readiness_assessment_update, name="assessment-update"),
    path("sessions/<int:pk>/edit/", views.session_edit, name="session-update"),
    path("sessions/<int:pk>/attendance/", views.session_attendance, name="session-attendance"),
    path(
        "sessions/<int:pk>/attendance/all/",
        views.session_attendance_all,
        name="session-attendance-all",
    ),
    path(
        "sessions/<int:pk>/attendance/<int:enrolment_pk>/",
        views.attendance_toggle,
        name="attendance-toggle",
    ),
    path(
        "sessions/<int:pk>/group-participants/",
        views.session_group_participants,
        name="session-group-participants",
    ),
    path(
        "sessions/<int:pk>/group-participants/<int:participant_pk>/",
        views.group_participant_attendance_toggle,
        name="group-participant-attendance-toggle",
    ),
    path("enrolments/<int:pk>/cancel/", views.enrolment_cancel, name="enrolment-cancel"),
    path(
        "enrolments/<int:pk>/certificate.pdf",
        views.enrolment_certificate,
        name="enrolment-certificate",
    ),
]
