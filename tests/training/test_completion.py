"""The completion rule is data on the course type; PRIDE: 9 meetings, make-ups, 3 individual."""

import pytest

from tests.families.factories import CarerFactory, FamilyFactory
from tests.training.factories import CourseTypeFactory, EnrolmentFactory, pride_course
from training import selectors, services
from training.models import Attendance, IndividualMeeting, ReadinessAssessment, Session


def _attend(enrolment, sessions):
    for session in sessions:
        Attendance.objects.create(session=session, enrolment=enrolment)


@pytest.fixture
def pride_participant(db, unit_worker):
    course = pride_course(sessions=9, make_ups=1)
    family = FamilyFactory(status="in_training")
    enrolment = EnrolmentFactory(course=course, carer=CarerFactory(family=family))
    for day in ("2026-01-10", "2026-02-10", "2026-03-10"):
        IndividualMeeting.objects.create(course=course, family=family, held_on=day, workers="U")
    ReadinessAssessment.objects.create(
        course=course,
        family=family,
        assessed_on="2026-03-20",
        assessors="U",
        conclusion="not_yet",
        reasoning="-",
    )
    return course, enrolment


def _progress(course, enrolment):
    return selectors.enrolments_with_progress(course).get(pk=enrolment.pk).progress


def test_eight_of_nine_meetings_without_make_up_is_not_complete(pride_participant):
    course, enrolment = pride_participant
    group = list(course.sessions.filter(kind=Session.Kind.GROUP))
    _attend(enrolment, group[:8])
    progress = _progress(course, enrolment)
    assert progress.group_meetings == 8
    assert not progress.meetings_met
    assert not progress.complete


def test_eight_of_nine_meetings_with_a_make_up_is_complete(pride_participant):
    course, enrolment = pride_participant
    group = list(course.sessions.filter(kind=Session.Kind.GROUP))
    _attend(enrolment, group[:8] + list(course.sessions.filter(kind=Session.Kind.MAKE_UP)))
    progress = _progress(course, enrolment)
    assert (progress.group_meetings, progress.make_ups, progress.counted_meetings) == (8, 1, 9)
    assert progress.complete


def test_make_ups_beyond_the_allowed_number_do_not_count(db):
    rule = CourseTypeFactory(code="strict", make_ups_allowed=1, required_individual_meetings=0)
    progress = rule.progress(group_meetings=7, make_ups=2, individual_meetings=0, assessed=True)
    assert progress.counted_meetings == 8
    assert not progress.complete


def test_make_up_does_not_replace_missing_individual_meetings(pride_participant):
    course, enrolment = pride_participant
    IndividualMeeting.objects.filter(course=course).first().delete()
    _attend(enrolment, course.sessions.all())
    progress = _progress(course, enrolment)
    assert progress.meetings_met
    assert not progress.individual_meetings_met
    assert not progress.complete


def test_without_assessment_pride_is_only_ready_for_assessment(pride_participant):
    course, enrolment = pride_participant
    ReadinessAssessment.objects.all().delete()
    _attend(enrolment, course.sessions.filter(kind=Session.Kind.GROUP))
    progress = _progress(course, enrolment)
    assert progress.ready_for_assessment
    assert not progress.complete
    assert services.family_progress(course=course, family=enrolment.carer.family)


def test_default_course_types_are_data(db):
    from training.models import CourseType

    codes = set(CourseType.objects.values_list("code", flat=True))
    assert {"pride", "info-evening", "peer-group", "continuing-education"} <= codes
    pride = CourseType.objects.get(code="pride")
    assert (pride.required_group_meetings, pride.required_individual_meetings) == (9, 3)
