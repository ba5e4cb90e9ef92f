"""Writes of recruitment and training. Every write validates and runs in a transaction."""

import logging

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from families import services as family_services
from families.choices import Language
from families.models import Carer, Family
from fostercare.models import PUBLIC_FORM_USERNAME, AccessLogEntry, User
from fostercare.services import access_log_record
from training import history_texts
from training.models import (
    Attendance,
    Course,
    Enrolment,
    GroupParticipant,
    IndividualMeeting,
    Inquiry,
    InquiryStageChange,
    ReadinessAssessment,
    Session,
)

logger = logging.getLogger(__name__)

# The family status that goes with each inquiry stage, where there is one.
STAGE_FAMILY_STATUS = {
    Inquiry.Stage.IN_TRAINING: Family.Status.IN_TRAINING,
    Inquiry.Stage.ASSESSMENT: Family.Status.ASSESSMENT,
    Inquiry.Stage.WITHDRAWN: Family.Status.ENDED,
}


def _notify_unit(*, subject: str, body: str) -> None:
    # The inquiry is already stored: a mail server failure must not show the person an
    # error page, so it is logged for the operators instead.
    try:
        send_mail(
            subject=subject,
            message=body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            recipient_list=[settings.UNIT_EMAIL],
        )
    except Exception:
        logger.exception("Could not e-mail the unit about a new inquiry")


def public_form_user() -> User:
    """The inactive account the public inquiry form writes as, so the access log names it."""
    user, created = User.objects.get_or_create(
        username=PUBLIC_FORM_USERNAME,
        defaults={"is_active": False},
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


@transaction.atomic
def inquiry_create(
    *,
    kind: str,
    first_name: str,
    last_name: str,
    birth_year: int,
    email: str,
    phone: str,
    home_municipality=None,
    message: str = "",
    language: str,
    inquiry_url_for=None,
    notify: bool = True,
) -> Inquiry:
    """A public inquiry: the family (status inquiry), its first carer and the inquiry record.

    The unit is told by e-mail once the transaction has committed; the e-mail holds no
    personal data beyond the municipality, only a link to the inquiry.
    """
    by = public_form_user()
    family = family_services.family_create(
        by=by, name=last_name, kind=kind, home_municipality=home_municipality, places=1
    )
    carer = Carer(
        family=family,
        first_name=first_name,
        last_name=last_name,
        birth_year=birth_year,
        email=email,
        phone=phone,
        languages=[language] if language in Language.values else [],
    )
    family_services.carer_save(carer=carer, by=by)
    now = timezone.now()
    inquiry = Inquiry(family=family, message=message, language=language, consent_given_at=now)
    inquiry.full_clean()
    inquiry.save()
    InquiryStageChange.objects.create(inquiry=inquiry, stage=Inquiry.Stage.NEW, entered_at=now)
    link = inquiry_url_for(inquiry) if inquiry_url_for else ""
    municipality = home_municipality.name_fi if home_municipality else "–"
    if notify:
        subject = f"Uusi yhteydenotto / New inquiry #{inquiry.pk}"
        body = (
            f"Uusi yhteydenotto perhehoidosta ({Family.Kind(kind).label}), kunta: "
            f"{municipality}.\nNew inquiry about family care, municipality: "
            f"{municipality}.\n\n{link}\n"
        )
        transaction.on_commit(lambda: _notify_unit(subject=subject, body=body))
    return inquiry


@transaction.atomic
def inquiry_change_stage(
    *, inquiry: Inquiry, stage: str, by: User, note: str = "", sync_family: bool = True
) -> Inquiry:
    """Move an inquiry to a stage, write the history and keep the family's status in step."""
    inquiry = Inquiry.objects.select_for_update().get(pk=inquiry.pk)
    if stage not in Inquiry.Stage.values:
        raise ValidationError(_("Unknown stage."))
    if stage == inquiry.stage:
        raise ValidationError(_("The inquiry is already in this stage."))
    if inquiry.is_closed:
        raise ValidationError(_("A closed inquiry cannot be moved."))
    if stage == Inquiry.Stage.APPROVED and inquiry.family.status not in (Family.AVAILABLE_STATUSES):
        raise ValidationError(
            _(
                "An inquiry is approved when its family is: after a positive readiness "
                "assessment, once every gate of the register is closed."
            )
        )
    family_status = STAGE_FAMILY_STATUS.get(stage)
    if sync_family and family_status and inquiry.family.status != family_status:
        family_services.family_change_status(
            family=inquiry.family,
            to_status=family_status,
            by=by,
            # going back or withdrawing is recorded with a reason: the note, or the stage
            reason=note,
            reason_code="" if note else history_texts.INQUIRY_STAGE,
            reason_params={} if note else {"stage": str(stage)},
        )
    InquiryStageChange.objects.create(
        inquiry=inquiry, stage=stage, entered_at=timezone.now(), changed_by=by, note=note
    )
    inquiry.stage = stage
    inquiry.save(update_fields=["stage"])
    if stage == Inquiry.Stage.WITHDRAWN:
        # a withdrawn family gives up its seats (and waitlist places) to the next families
        active = Enrolment.objects.filter(carer__family=inquiry.family_id).exclude(
            status=Enrolment.Status.CANCELLED
        )
        for enrolment in active.order_by("pk"):
            enrolment_cancel(enrolment=enrolment, by=by)
    return inquiry


def _inquiry_follow(*, family: Family, stage: str, by: User) -> None:
    """Move the family's open inquiry forward (never back) when training moves it."""
    order = list(Inquiry.Stage.values)
    inquiry = Inquiry.objects.filter(family=family).first()
    if (
        inquiry
        and inquiry.stage != Inquiry.Stage.WITHDRAWN
        and order.index(inquiry.stage) < order.index(stage)
    ):
        inquiry_change_stage(inquiry=inquiry, stage=stage, by=by, sync_family=False)


def _seats_taken(course: Course) -> int:
    return course.enrolments.filter(status=Enrolment.Status.ENROLLED).count()


def _pre_service_started(*, course: Course, family: Family, by: User) -> None:
    """A family that got seats on a pre-service course is in training: an inquiry family
    moves to status in training (history written) and its inquiry follows.

    The one step shared by enrolment and waitlist promotion."""
    if not course.course_type.is_pre_service:
        return
    family = Family.objects.get(pk=family.pk)  # the current status, not a stale copy
    if family.status == Family.Status.INQUIRY:
        family_services.family_change_status(
            family=family,
            to_status=Family.Status.IN_TRAINING,
            by=by,
            reason_code=history_texts.ENROLLED,
            reason_params={"course": course.title},
        )
    _inquiry_follow(family=family, stage=Inquiry.Stage.IN_TRAINING, by=by)


def _waitlist_promote(*, course: Course, by: User) -> list[Enrolment]:
    """Give free seats to the waitlist, one family at a time, in the order they joined it.

    A family is promoted as a unit (all its waitlisted carers or none). Promotion stops at
    the first family that does not fit: a family is never overtaken by one that joined the
    waitlist later just because it is smaller, so a couple waiting for two seats is not
    kept waiting for ever by single carers. A seat may therefore stay free until a second
    one is (family_enrol still gives a free seat to a new family that fits, as before).
    The caller holds the course row lock.
    """
    promoted = []
    free = course.capacity - _seats_taken(course)
    waitlist = list(
        course.enrolments.filter(status=Enrolment.Status.WAITLISTED)
        # a family whose care relationship has ended is no longer waiting: passed over
        .exclude(carer__family__status=Family.Status.ENDED)
        .select_related("carer__family")
        .order_by("created_at", "pk")
    )
    while waitlist and free > 0:
        family = waitlist[0].carer.family
        unit = [e for e in waitlist if e.carer.family_id == family.pk]
        if len(unit) > free:
            break
        for enrolment in unit:
            enrolment.status = Enrolment.Status.ENROLLED
            enrolment.save(update_fields=["status"])
        _pre_service_started(course=course, family=family, by=by)
        promoted.extend(unit)
        free -= len(unit)
        waitlist = [e for e in waitlist if e.carer.family_id != family.pk]
    return promoted


@transaction.atomic
def family_enrol(*, course: Course, family: Family, by: User) -> list[Enrolment]:
    """Enrol every carer of a family; when the seats do not suffice, or others already wait
    for a seat, all go on the waitlist.

    The course row is locked first, so two enrolments at the same moment are counted one
    after the other and the last seat can never be given twice.
    """
    course = Course.objects.select_for_update().select_related("course_type").get(pk=course.pk)
    if not course.enrolment_open_on(timezone.localdate()):
        raise ValidationError(_("Enrolment to this course is not open."))
    if family.status == Family.Status.ENDED:
        raise ValidationError(_("The family's care relationship has ended."))
    active = Enrolment.objects.filter(carer=OuterRef("pk"), course=course).exclude(
        status=Enrolment.Status.CANCELLED
    )
    carers = list(family.carers.exclude(Exists(active)))
    if not carers:
        raise ValidationError(_("The family's carers are already enrolled, or it has no carers."))
    # First come, first served: while anyone waits, a newcomer queues behind them.
    someone_waits = course.enrolments.filter(status=Enrolment.Status.WAITLISTED).exists()
    fits = not someone_waits and _seats_taken(course) + len(carers) <= course.capacity
    status = Enrolment.Status.ENROLLED if fits else Enrolment.Status.WAITLISTED
    now = timezone.now()
    enrolments = []
    for carer in carers:
        enrolment = Enrolment(
            course=course, carer=carer, status=status, created_at=now, created_by=by
        )
        enrolment.full_clean()
        enrolment.save()
        enrolments.append(enrolment)
    if fits:
        _pre_service_started(course=course, family=family, by=by)
    return enrolments


@transaction.atomic
def enrolment_import(
    *, course: Course, carer: Carer, status: str, by: User, created_at=None, cancelled_at=None
) -> Enrolment:
    """One imported enrolment, under the seat rule of ``family_enrol``: an enrolled row
    needs a free seat (the course row is locked), otherwise import it as waitlisted."""
    course = Course.objects.select_for_update().select_related("course_type").get(pk=course.pk)
    if status == Enrolment.Status.ENROLLED and _seats_taken(course) >= course.capacity:
        raise ValidationError(
            _("%(course)s is full; import the enrolment as waitlisted.") % {"course": course}
        )
    enrolment = Enrolment(
        course=course,
        carer=carer,
        status=status,
        created_at=created_at or timezone.now(),
        cancelled_at=cancelled_at,
        created_by=by,
    )
    enrolment.full_clean()
    enrolment.save()
    if status == Enrolment.Status.ENROLLED:
        _pre_service_started(course=course, family=carer.family, by=by)
    return enrolment


@transaction.atomic
def enrolment_cancel(*, enrolment: Enrolment, by: User) -> list[Enrolment]:
    """Cancel an enrolment; freed seats go to the waitlist, a whole family at a time.

    Returns the promoted enrolments (empty when nobody was promoted).
    """
    course = (
        Course.objects.select_for_update().select_related("course_type").get(pk=enrolment.course_id)
    )
    enrolment = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
    if enrolment.status == Enrolment.Status.CANCELLED:
        raise ValidationError(_("The enrolment is already cancelled."))
    was_enrolled = enrolment.status == Enrolment.Status.ENROLLED
    enrolment.status = Enrolment.Status.CANCELLED
    enrolment.cancelled_at = timezone.now()
    enrolment.save(update_fields=["status", "cancelled_at"])
    if not was_enrolled:
        return []
    return _waitlist_promote(course=course, by=by)


@transaction.atomic
def attendance_set_all(*, session: Session, by: User) -> int:
    """Mark every enrolled carer of the session's course present; returns how many."""
    enrolments = Enrolment.objects.filter(
        course_id=session.course_id, status=Enrolment.Status.ENROLLED
    )
    count = 0
    for enrolment in enrolments:
        attendance_set(session=session, enrolment=enrolment, present=True, by=by)
        count += 1
    return count


@transaction.atomic
def attendance_set(
    *,
    session: Session,
    present: bool,
    by: User,
    enrolment: Enrolment | None = None,
    participant: GroupParticipant | None = None,
) -> bool:
    """Mark a participant present or absent: a carer by their ``enrolment`` or a peer
    group's ``participant``, exactly one. Setting the same value again changes nothing,
    so a double click or a retried request is harmless. Returns presence.

    Attendance is a fact about a session that has started; nobody is present in advance.
    """
    if (enrolment is None) == (participant is None):
        raise ValueError("attendance_set takes an enrolment or a participant, exactly one")
    if not session.has_started:
        raise ValidationError(
            _("Attendance can be recorded once the session has started (%(start)s).")
            % {
                "start": formats.date_format(
                    timezone.localtime(session.starts_at), "SHORT_DATETIME_FORMAT"
                )
            }
        )
    who = enrolment or participant
    if who.course_id != session.course_id:
        raise ValidationError(_("The participant is not on this course."))
    # The participant's row lock puts two requests for the same person one after the other.
    if participant is not None:
        who = GroupParticipant.objects.select_for_update().get(pk=participant.pk)
        key = {"participant": who}
    else:
        who = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
        if who.status != Enrolment.Status.ENROLLED:
            raise ValidationError(_("Only enrolled participants can attend."))
        key = {"enrolment": who}
    if present:
        Attendance.objects.get_or_create(session=session, **key, defaults={"recorded_by": by})
    else:
        Attendance.objects.filter(session=session, **key).delete()
    return present


@transaction.atomic
def group_participant_save(*, participant: GroupParticipant, by: User) -> GroupParticipant:
    """Add a peer group's participant who is not a carer on the register, or correct one.
    Only a display name and the role are kept (data minimisation)."""
    if participant.created_by_id is None and participant._state.adding:
        participant.created_by = by
    participant.full_clean()
    participant.save()
    return participant


@transaction.atomic
def group_participant_add(
    *, course: Course, role: str, display_name: str, by: User
) -> GroupParticipant:
    participant = GroupParticipant(course=course, role=role, display_name=display_name.strip())
    return group_participant_save(participant=participant, by=by)


@transaction.atomic
def session_save(*, session: Session, by: User) -> Session:
    session.full_clean()
    session.save()
    return session


@transaction.atomic
def course_save(*, course: Course, by: User) -> Course:
    """Create or update a course; seats added by a raised capacity go to the waitlist."""
    course.full_clean()
    course.save()
    locked = Course.objects.select_for_update().select_related("course_type").get(pk=course.pk)
    course.promoted = _waitlist_promote(course=locked, by=by)
    return course


def _family_on_course(course: Course, family: Family) -> None:
    if not course.enrolments.filter(
        carer__family=family, status=Enrolment.Status.ENROLLED
    ).exists():
        raise ValidationError(_("The family has no enrolled carers on this course."))


@transaction.atomic
def individual_meeting_add(
    *, course: Course, family: Family, by: User, held_on, workers: str, notes: str = ""
) -> IndividualMeeting:
    meeting = IndividualMeeting(
        course=course, family=family, held_on=held_on, workers=workers, notes=notes
    )
    return individual_meeting_save(meeting=meeting, by=by)


@transaction.atomic
def individual_meeting_save(*, meeting: IndividualMeeting, by: User) -> IndividualMeeting:
    """Create or update an individual meeting of a family enrolled on the course."""
    _family_on_course(meeting.course, meeting.family)
    meeting.full_clean()
    meeting.save()
    return meeting


@transaction.atomic
def individual_meeting_correct(*, meeting: IndividualMeeting, by: User) -> IndividualMeeting:
    """Correct a recorded individual meeting; the access log keeps who changed it."""
    meeting = individual_meeting_save(meeting=meeting, by=by)
    access_log_record(
        user=by,
        action=AccessLogEntry.Action.UPDATE,
        obj=meeting.family,
        purpose=_("individual meeting corrected"),
    )
    return meeting


@transaction.atomic
def readiness_assessment_correct(
    *, assessment: ReadinessAssessment, by: User, assessed_on, assessors: str, reasoning: str
) -> ReadinessAssessment:
    """Correct an assessment's date, assessors and reasoning. The conclusion stays: what
    it set in motion (the training recorded, the family approved) is the lifecycle's, and
    a different conclusion is a new assessment on a new course."""
    assessment = ReadinessAssessment.objects.select_for_update().get(pk=assessment.pk)
    assessment.assessed_on = assessed_on
    assessment.assessors = assessors
    assessment.reasoning = reasoning
    assessment.full_clean(exclude={"recorded_by"})  # older rows may have none; not changed
    assessment.save(update_fields=["assessed_on", "assessors", "reasoning"])
    access_log_record(
        user=by,
        action=AccessLogEntry.Action.UPDATE,
        obj=assessment.family,
        purpose=_("readiness assessment corrected"),
    )
    return assessment


def family_progress(*, course: Course, family: Family):
    """The completion rule applied to each enrolled carer of the family: {carer_id: Progress}."""
    from training.selectors import enrolments_with_progress

    return {
        e.carer_id: e.progress
        for e in enrolments_with_progress(course).filter(carer__family=family)
        if e.status == Enrolment.Status.ENROLLED
    }


@transaction.atomic
def readiness_assessment_record(
    *,
    course: Course,
    family: Family,
    by: User,
    assessed_on,
    assessors: str,
    conclusion: str,
    reasoning: str,
) -> ReadinessAssessment:
    """Record the joint assessment. A positive one on a completed pre-service course
    records the family's training; the family is approved, in reserve (history written)
    only when the register's other gates are closed too (``family_mark_trained``),
    otherwise it waits in assessment and ``families.gates.family_gaps`` says for what."""
    _family_on_course(course, family)
    # Only a "ready" conclusion needs the completed course: a family that dropped out can
    # still be assessed "not yet" or "not suitable".
    progress = family_progress(course=course, family=family)
    if conclusion == ReadinessAssessment.Conclusion.READY and not all(
        p.ready_for_assessment for p in progress.values()
    ):
        raise ValidationError(
            _(
                "The carers have not yet met the course's attendance and individual meeting "
                "requirements."
            )
        )
    assessment = ReadinessAssessment(
        course=course,
        family=family,
        recorded_by=by,
        assessed_on=assessed_on,
        assessors=assessors,
        conclusion=conclusion,
        reasoning=reasoning,
    )
    assessment.full_clean()
    assessment.save()
    if (
        assessment.conclusion == ReadinessAssessment.Conclusion.READY
        and course.course_type.is_pre_service
    ):
        family = family_services.family_mark_trained(
            family=family,
            completed_on=assessment.assessed_on,
            by=by,
            reason_code=history_texts.READINESS_ASSESSED,
            reason_params={"course": course.title},
        )
        if family.status in Family.AVAILABLE_STATUSES:
            _inquiry_follow(family=family, stage=Inquiry.Stage.APPROVED, by=by)
        elif family.status == Family.Status.ASSESSMENT:
            _inquiry_follow(family=family, stage=Inquiry.Stage.ASSESSMENT, by=by)
    return assessment
