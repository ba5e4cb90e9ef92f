from django.contrib import messages
from django.contrib.auth.decorators import login_not_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from families.gates import family_gaps
from families.models import Family, family_surname
from fostercare.access import get_visible_or_404
from fostercare.forms import run_service
from fostercare.htmx import announce
from fostercare.models import AccessLogEntry
from fostercare.paging import paginate
from fostercare.pdf import pdf_response
from fostercare.pickers import picker_search
from fostercare.ratelimit import over_rate_limit
from fostercare.services import (
    access_log_record,
    access_log_record_many,
    access_log_record_people,
)
from training import ical, selectors, services
from training.access import may_add_course, may_add_session
from training.filters import InquiryFilter
from training.forms import (
    CourseForm,
    EnrolForm,
    GroupParticipantForm,
    IndividualMeetingForm,
    InquiryForm,
    InquiryStageForm,
    ReadinessAssessmentCorrectionForm,
    ReadinessAssessmentForm,
    SessionForm,
)
from training.models import (
    Course,
    Enrolment,
    GroupParticipant,
    IndividualMeeting,
    Inquiry,
    ReadinessAssessment,
    Session,
)

CALENDAR_WEEKS = 8


# --- the public inquiry form -------------------------------------------------------------


@login_not_required
def inquiry_create(request):
    form = InquiryForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if over_rate_limit(request, "inquiry"):
            form.is_valid()  # keep what the person typed, with the reason on top
            form.add_error(
                None, _("Too many inquiries from your address. Please try again in an hour.")
            )
            return render(request, "training/inquiry_form.html", {"form": form}, status=429)
        if form.is_spam:
            # a bot filled the hidden field: thank it and store nothing
            return redirect("training:inquiry-thanks")
        if form.is_valid():
            data = dict(form.cleaned_data)
            data.pop("consent")
            data.pop("website")
            inquiry = run_service(
                form,
                lambda: services.inquiry_create(
                    **data,
                    language=translation.get_language(),
                    inquiry_url_for=lambda i: request.build_absolute_uri(
                        reverse("training:inquiry-detail", args=[i.pk])
                    ),
                ),
            )
            if inquiry:
                return redirect("training:inquiry-thanks")
        status = 400
    return render(request, "training/inquiry_form.html", {"form": form}, status=status)


@login_not_required
def inquiry_thanks(request):
    return render(request, "training/inquiry_thanks.html")


# --- the inquiry pipeline ---------------------------------------------------------------


@permission_required("training.view_inquiry", raise_exception=True)
def inquiry_list(request):
    filterset = InquiryFilter(request.GET or None, queryset=selectors.inquiry_list(request.user))
    stage = filterset.form.cleaned_data.get("stage", "") if filterset.is_valid() else ""
    return render(
        request,
        "training/inquiry_list.html",
        {
            "filter": filterset,
            "pipeline": selectors.inquiry_pipeline(request.user),
            "page": paginate(request, filterset.qs),
            "stage": stage,
            "stage_label": Inquiry.Stage(stage).label if stage else "",
        },
    )


def _inquiry_for(request, pk) -> Inquiry:
    return get_visible_or_404(
        selectors.inquiry_list(request.user).prefetch_related(
            "family__carers", "stage_changes__changed_by"
        ),
        request.user,
        pk=pk,
    )


@permission_required("training.view_inquiry", raise_exception=True)
def inquiry_detail(request, pk, form=None, status=200):
    inquiry = _inquiry_for(request, pk)
    access_log_record(user=request.user, action=AccessLogEntry.Action.VIEW, obj=inquiry.family)
    # the page names each carer: one row each, in one insert
    access_log_record_people(
        user=request.user, action=AccessLogEntry.Action.VIEW, people=inquiry.family.carers.all()
    )
    changes = selectors.inquiry_stage_history(inquiry)
    return render(
        request,
        "training/inquiry_detail.html",
        {
            "inquiry": inquiry,
            "changes": changes,
            "stage_form": form or InquiryStageForm(inquiry=inquiry),
        },
        status=status,
    )


@require_POST
@permission_required("training.change_inquiry", raise_exception=True)
def inquiry_change_stage(request, pk):
    inquiry = _inquiry_for(request, pk)
    form = InquiryStageForm(request.POST, inquiry=inquiry)
    if form.is_valid() and run_service(
        form,
        lambda: services.inquiry_change_stage(
            inquiry=inquiry,
            stage=form.cleaned_data["stage"],
            note=form.cleaned_data["note"],
            by=request.user,
        ),
    ):
        messages.success(request, _("The stage was changed."))
        return redirect("training:inquiry-detail", pk=pk)
    return inquiry_detail(request, pk, form=form, status=400)


# --- courses ----------------------------------------------------------------------------


@permission_required("training.view_course", raise_exception=True)
def course_list(request):
    return render(
        request,
        "training/course_list.html",
        {"page": paginate(request, selectors.course_list(request.user))},
    )


@permission_required("training.change_course", raise_exception=True)
def course_edit(request, pk=None):
    if pk:
        course = get_visible_or_404(Course.objects, request.user, "change", pk=pk)
    else:
        if not may_add_course(request.user):
            raise PermissionDenied
        course = Course()
    form = CourseForm(request.POST or None, instance=course)
    if request.method == "POST" and form.is_valid():
        saved = run_service(
            form, lambda: services.course_save(course=form.instance, by=request.user)
        )
        if saved:
            messages.success(request, _("The course was saved."))
            _say_promoted(request, saved.promoted)
            return redirect("training:course-detail", pk=saved.pk)
    return render(request, "training/course_form.html", {"form": form, "course": course})


def _course_for(request, pk) -> Course:
    return get_visible_or_404(selectors.course_detail(request.user), request.user, pk=pk)


def _course_light(request, pk) -> Course:
    return get_visible_or_404(
        Course.objects.visible_to(request.user).select_related("course_type"),
        request.user,
        pk=pk,
    )


def _enrol_form(request, course_pk, data=None):
    return EnrolForm(
        data,
        families=selectors.enrollable_families(request.user),
        search_url=reverse("training:course-enrol-search", args=[course_pk]),
    )


@permission_required("training.add_enrolment", raise_exception=True)
def course_enrol_search(request, pk):
    """The families that may be enrolled whose name matches what was typed (the enrol
    field's search)."""
    _course_light(request, pk)
    families = selectors.enrollable_families(request.user)
    return picker_search(request, families, normalise=family_surname)


@permission_required("training.view_course", raise_exception=True)
def course_detail(request, pk, enrol_form=None, status=200):
    course = _course_for(request, pk)
    enrolments = list(selectors.enrolments_with_progress(course))
    return render(
        request,
        "training/course_detail.html",
        {
            "course": course,
            "enrolled": [e for e in enrolments if e.status == Enrolment.Status.ENROLLED],
            "waitlisted": [e for e in enrolments if e.status == Enrolment.Status.WAITLISTED],
            "enrol_form": enrol_form or _enrol_form(request, pk),
        },
        status=status,
    )


@require_POST
@permission_required("training.add_enrolment", raise_exception=True)
def course_enrol(request, pk):
    course = _course_for(request, pk)
    form = _enrol_form(request, pk, request.POST)
    if form.is_valid():
        enrolments = run_service(
            form,
            lambda: services.family_enrol(
                course=course, family=form.cleaned_data["family"], by=request.user
            ),
        )
        if enrolments:
            if enrolments[0].status == Enrolment.Status.ENROLLED:
                messages.success(request, _("The family's carers were enrolled."))
            else:
                messages.warning(
                    request, _("The course is full: the family's carers are on the waitlist.")
                )
            return redirect("training:course-detail", pk=pk)
    return course_detail(request, pk, enrol_form=form, status=400)


@require_POST
@permission_required("training.change_enrolment", raise_exception=True)
def enrolment_cancel(request, pk):
    enrolment = get_visible_or_404(Enrolment.objects, request.user, "change", pk=pk)
    try:
        promoted = services.enrolment_cancel(enrolment=enrolment, by=request.user)
    except ValidationError as error:  # e.g. already cancelled, perhaps a moment ago
        messages.error(request, " ".join(error.messages))
        return redirect("training:course-detail", pk=enrolment.course_id)
    messages.success(request, _("The enrolment was cancelled."))
    _say_promoted(request, promoted)
    return redirect("training:course-detail", pk=enrolment.course_id)


def _say_promoted(request, promoted: list[Enrolment]) -> None:
    if promoted:
        messages.success(
            request,
            _("Moved from the waitlist to the course: %(names)s.")
            % {"names": ", ".join(str(e.carer) for e in promoted)},
        )


@permission_required("training.change_session", raise_exception=True)
def session_edit(request, course_pk=None, pk=None):
    if pk:
        session = get_visible_or_404(
            Session.objects.visible_to(request.user, "change").select_related("course"),
            request.user,
            "change",
            pk=pk,
        )
    else:
        if not may_add_session(request.user):
            raise PermissionDenied
        course = get_visible_or_404(Course.objects, request.user, pk=course_pk)
        session = Session(course=course)
    form = SessionForm(request.POST or None, instance=session)
    if request.method == "POST" and form.is_valid():
        saved = run_service(
            form, lambda: services.session_save(session=form.instance, by=request.user)
        )
        if saved:
            messages.success(request, _("The session was saved."))
            return redirect("training:course-detail", pk=saved.course_id)
    return render(
        request,
        "training/session_form.html",
        {"form": form, "session": session, "course": session.course},
    )


def _session_for(request, pk) -> Session:
    return get_visible_or_404(
        Session.objects.visible_to(request.user).select_related("course__course_type"),
        request.user,
        pk=pk,
    )


@permission_required("training.view_attendance", raise_exception=True)
def session_attendance(request, pk):
    session = _session_for(request, pk)
    participants = selectors.session_participants(session)
    return render(
        request,
        "training/session_attendance.html",
        {"session": session, "participants": participants, **_present_counts(participants)},
    )


def _present_counts(participants) -> dict:
    return {
        "present_count": sum(1 for p in participants if p.present),
        "participants_total": len(participants),
    }


@require_POST
@permission_required("training.add_attendance", raise_exception=True)
def session_attendance_all(request, pk):
    """Mark every enrolled participant present (the usual case, then correct the few)."""
    session = _session_for(request, pk)
    try:
        count = services.attendance_set_all(session=session, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            ngettext(
                "%(count)s participant marked present.",
                "%(count)s participants marked present.",
                count,
            )
            % {"count": count},
        )
    return redirect("training:session-attendance", pk=pk)


@require_POST
@permission_required("training.add_attendance", raise_exception=True)
def attendance_toggle(request, pk, enrolment_pk):
    """Set one person's presence. The button posts the value it sets (present=true/false),
    so a double click or a retried request repeats the same change instead of undoing it.
    A refusal is shown in the person's row, as a form error is shown at its field."""
    session = _session_for(request, pk)
    enrolment = get_visible_or_404(
        selectors.session_enrolments(request.user, session), request.user, pk=enrolment_pk
    )
    present = request.POST.get("present")
    status = 200
    try:
        if present not in ("true", "false"):
            raise ValidationError(_("Say whether the person was present."))
        enrolment.present = services.attendance_set(
            session=session, enrolment=enrolment, present=present == "true", by=request.user
        )
    except ValidationError as error:  # e.g. cancelled a moment ago, or not started yet
        enrolment.present = enrolment.attendances.filter(session=session).exists()
        enrolment.error = " ".join(error.messages)
        status = 400
    if request.htmx:
        participants = selectors.session_participants(session)
        response = render(
            request,
            "training/_attendance_row.html",
            {
                "session": session,
                "participant": enrolment,
                "oob": True,
                "participants": participants,
                **_present_counts(participants),
            },
            status=status,
        )
        if status == 200:
            state = _("present") if enrolment.present else _("absent")
            announce(response, f"{enrolment.carer}: {state}")
        return response
    if status == 200:
        return redirect("training:session-attendance", pk=pk)
    participants = [
        enrolment if p.pk == enrolment.pk else p for p in selectors.session_participants(session)
    ]
    return render(
        request,
        "training/session_attendance.html",
        {"session": session, "participants": participants, **_present_counts(participants)},
        status=status,
    )


@permission_required("training.view_course", raise_exception=True)
def course_family(request, pk, family_pk, meeting_form=None, assessment_form=None, status=200):
    """One family on a course: progress against the rule, meetings and the assessment."""
    course = _course_light(request, pk)
    family = get_visible_or_404(
        selectors.course_families(request.user, course), request.user, pk=family_pk
    )
    access_log_record(user=request.user, action=AccessLogEntry.Action.VIEW, obj=family)
    enrolments = [
        e
        for e in selectors.enrolments_with_progress(course).filter(carer__family=family)
        if e.status == Enrolment.Status.ENROLLED
    ]
    access_log_record_people(
        user=request.user,
        action=AccessLogEntry.Action.VIEW,
        people=[e.carer for e in enrolments],
    )
    assessment = family.course_assessments[0] if family.course_assessments else None
    # a positive assessment records the training; approval waits for the other gates
    waiting = (
        assessment is not None
        and assessment.conclusion == assessment.Conclusion.READY
        and family.status not in Family.AVAILABLE_STATUSES
    )
    return render(
        request,
        "training/course_family.html",
        {
            "course": course,
            "family": family,
            "enrolments": enrolments,
            "assessment": assessment,
            "ready_for_assessment": all(e.progress.ready_for_assessment for e in enrolments),
            "gaps": family_gaps(family) if waiting else [],
            "meeting_form": meeting_form or IndividualMeetingForm(),
            "assessment_form": assessment_form or ReadinessAssessmentForm(),
        },
        status=status,
    )


def _course_and_family(request, pk, family_pk):
    course = _course_light(request, pk)
    family = get_visible_or_404(Family.objects, request.user, pk=family_pk)
    return course, family


@require_POST
@permission_required("training.add_individualmeeting", raise_exception=True)
def individual_meeting_add(request, pk, family_pk):
    course, family = _course_and_family(request, pk, family_pk)
    form = IndividualMeetingForm(request.POST)
    if form.is_valid() and run_service(
        form,
        lambda: services.individual_meeting_add(
            course=course, family=family, by=request.user, **form.cleaned_data
        ),
    ):
        messages.success(request, _("The individual meeting was recorded."))
        return redirect("training:course-family", pk=pk, family_pk=family_pk)
    return course_family(request, pk, family_pk, meeting_form=form, status=400)


@require_POST
@permission_required("training.add_readinessassessment", raise_exception=True)
def readiness_assessment_record(request, pk, family_pk):
    course, family = _course_and_family(request, pk, family_pk)
    form = ReadinessAssessmentForm(request.POST)
    if form.is_valid() and run_service(
        form,
        lambda: services.readiness_assessment_record(
            course=course, family=family, by=request.user, **form.cleaned_data
        ),
    ):
        messages.success(request, _("The readiness assessment was recorded."))
        family.refresh_from_db()
        gaps = family_gaps(family)
        if family.status not in Family.AVAILABLE_STATUSES and gaps:
            messages.warning(
                request,
                _("The family is approved once these are in order: %(gaps)s")
                % {"gaps": " ".join(gaps)},
            )
        return redirect("training:course-family", pk=pk, family_pk=family_pk)
    return course_family(request, pk, family_pk, assessment_form=form, status=400)


@permission_required("training.change_individualmeeting", raise_exception=True)
def individual_meeting_update(request, pk):
    """Correct a recorded individual meeting."""
    meeting = get_visible_or_404(
        IndividualMeeting.objects.select_related("course", "family"), request.user, "change", pk=pk
    )
    form = IndividualMeetingForm(
        request.POST if request.method == "POST" else None, instance=meeting
    )
    if (
        request.method == "POST"
        and form.is_valid()
        and run_service(
            form,
            lambda: services.individual_meeting_correct(meeting=form.instance, by=request.user),
        )
    ):
        messages.success(request, _("The individual meeting was corrected."))
        return redirect("training:course-family", pk=meeting.course_id, family_pk=meeting.family_id)
    return render(
        request,
        "training/record_correct.html",
        {
            "form": form,
            "course": meeting.course,
            "family": meeting.family,
            "heading": _("Correct the individual meeting"),
        },
        status=400 if form.is_bound and form.errors else 200,
    )


@permission_required("training.change_readinessassessment", raise_exception=True)
def readiness_assessment_update(request, pk):
    """Correct an assessment's date, assessors and reasoning (not its conclusion)."""
    assessment = get_visible_or_404(
        ReadinessAssessment.objects.select_related("course", "family"),
        request.user,
        "change",
        pk=pk,
    )
    form = ReadinessAssessmentCorrectionForm(
        request.POST if request.method == "POST" else None, instance=assessment
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if run_service(
            form,
            lambda: services.readiness_assessment_correct(
                assessment=assessment,
                by=request.user,
                assessed_on=data["assessed_on"],
                assessors=data["assessors"],
                reasoning=data["reasoning"],
            ),
        ):
            messages.success(request, _("The readiness assessment was corrected."))
            return redirect(
                "training:course-family", pk=assessment.course_id, family_pk=assessment.family_id
            )
    return render(
        request,
        "training/record_correct.html",
        {
            "form": form,
            "course": assessment.course,
            "family": assessment.family,
            "heading": _("Correct the readiness assessment"),
        },
        status=400 if form.is_bound and form.errors else 200,
    )


# --- documents --------------------------------------------------------------------------


@permission_required("training.view_attendance", raise_exception=True)
def course_attendance_sheet(request, pk):
    course = _course_for(request, pk)
    enrolments = list(
        selectors.enrolments_with_progress(course)
        .filter(status=Enrolment.Status.ENROLLED)
        .prefetch_related("attendances")
    )
    sessions = list(course.sessions.all())
    rows = []
    for enrolment in enrolments:
        present = {a.session_id for a in enrolment.attendances.all()}
        rows.append((enrolment, [s.pk in present for s in sessions]))
    # the sheet names every participant: log the export once per family, as the
    # certificate does (Client Data Act 703/2023)
    access_log_record_many(
        user=request.user,
        action=AccessLogEntry.Action.EXPORT,
        objs={e.carer.family_id: e.carer.family for e in enrolments}.values(),
        purpose=_("Attendance sheet: %(course)s") % {"course": course.title},
    )
    return pdf_response(
        request,
        "training/pdf/attendance_sheet.html",
        {"course": course, "sessions": sessions, "rows": rows},
        filename=f"attendance-{course.pk}.pdf",
    )


@permission_required("training.view_enrolment", raise_exception=True)
def enrolment_certificate(request, pk):
    enrolment = get_visible_or_404(
        Enrolment.objects.visible_to(request.user).filter(status=Enrolment.Status.ENROLLED),
        request.user,
        pk=pk,
    )
    course = _course_for(request, enrolment.course_id)
    enrolment = selectors.enrolments_with_progress(course).get(pk=enrolment.pk)
    attended = list(
        course.sessions.filter(attendances__enrolment=enrolment).order_by("date", "start_time")
    )
    sessions = list(course.sessions.all())
    access_log_record(
        user=request.user,
        action=AccessLogEntry.Action.EXPORT,
        obj=enrolment.carer.family,
        purpose=_("Training certificate"),
    )
    return pdf_response(
        request,
        "training/pdf/certificate.html",
        {
            "course": course,
            "enrolment": enrolment,
            "attended": attended,
            "first_day": sessions[0].date if sessions else None,
            "last_day": sessions[-1].date if sessions else None,
            "hours": sum((s.hours for s in attended), start=0),
        },
        filename=f"certificate-{enrolment.pk}.pdf",
    )


@permission_required("training.view_course", raise_exception=True)
def course_ics(request, pk):
    course = get_visible_or_404(Course.objects, request.user, pk=pk)
    sessions = course.sessions.select_related("course")
    body = ical.sessions_calendar(sessions, name=course.title)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="course-{course.pk}.ics"'
    return response


@permission_required("training.view_session", raise_exception=True)
def calendar(request):
    sessions = selectors.upcoming_sessions(request.user, weeks=CALENDAR_WEEKS)
    return render(
        request, "training/calendar.html", {"sessions": sessions, "weeks": CALENDAR_WEEKS}
    )


def _peer_group_session_for(request, pk) -> Session:
    session = _session_for(request, pk)
    if not session.course.course_type.is_peer_group:
        raise Http404
    return session


@permission_required("training.view_attendance", raise_exception=True)
def session_group_participants(request, pk):
    """A peer group session's participants who are not carers (children, birth parents,
    others): their attendance, and a form to add one by display name."""
    session = _peer_group_session_for(request, pk)
    form = GroupParticipantForm()
    status = 200
    if request.method == "POST":
        if not request.user.has_perm("training.add_groupparticipant"):
            raise PermissionDenied
        form = GroupParticipantForm(request.POST)
        if form.is_valid() and run_service(
            form,
            lambda: services.group_participant_add(
                course=session.course,
                role=form.cleaned_data["role"],
                display_name=form.cleaned_data["display_name"],
                by=request.user,
            ),
        ):
            return redirect("training:session-group-participants", pk=pk)
        status = 400
    return render(
        request,
        "training/session_group_participants.html",
        {
            "session": session,
            "participants": selectors.session_group_participants(session),
            "form": form,
        },
        status=status,
    )


@require_POST
@permission_required("training.add_attendance", raise_exception=True)
def group_participant_attendance_toggle(request, pk, participant_pk):
    """Set one group participant's presence; the same shape as ``attendance_toggle``."""
    session = _peer_group_session_for(request, pk)
    participant = get_visible_or_404(
        GroupParticipant.objects.filter(course_id=session.course_id),
        request.user,
        "change",
        pk=participant_pk,
    )
    present = request.POST.get("present")
    status = 200
    try:
        if present not in ("true", "false"):
            raise ValidationError(_("Say whether the person was present."))
        participant.present = services.attendance_set(
            session=session, participant=participant, present=present == "true", by=request.user
        )
    except ValidationError as error:  # e.g. the session has not started yet
        participant.present = participant.attendances.filter(session=session).exists()
        participant.error = " ".join(error.messages)
        status = 400
    if request.htmx:
        return render(
            request,
            "training/_group_participant_row.html",
            {"session": session, "participant": participant},
            status=status,
        )
    if status == 200:
        return redirect("training:session-group-participants", pk=pk)
    participants = [
        participant if p.pk == participant.pk else p
        for p in selectors.session_group_participants(session)
    ]
    return render(
        request,
        "training/session_group_participants.html",
        {"session": session, "participants": participants, "form": GroupParticipantForm()},
        status=status,
    )
