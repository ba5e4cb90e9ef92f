"""The readiness assessment: a positive one on a completed pre-service course approves."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from families.models import Family, FamilyStatusChange
from tests.families.factories import CarerFactory, FamilyFactory, family_passing_the_gates
from tests.training.factories import pride_course
from training import services
from training.models import Attendance, Enrolment, Inquiry, ReadinessAssessment, Session


@pytest.fixture
def trained_family(db, unit_worker):
    """An in-training family whose two carers attended everything, with 3 home visits."""
    course = pride_course(sessions=9, make_ups=0)
    family = FamilyFactory(
        status=Family.Status.IN_TRAINING,
        pre_service_training_completed_on=None,
        home_study_approved_on=date(2026, 3, 1),
    )
    CarerFactory.create_batch(
        2,
        family=family,
        criminal_record_seen_on=date(2026, 1, 10),
        criminal_record_seen_by=unit_worker,
    )
    services.family_enrol(course=course, family=family, by=unit_worker)
    for enrolment in Enrolment.objects.filter(course=course):
        for session in course.sessions.all():
            Attendance.objects.create(session=session, enrolment=enrolment)
    for day in ("2026-02-01", "2026-03-01", "2026-04-01"):
        services.individual_meeting_add(
            course=course, family=family, by=unit_worker, held_on=day, workers="Ulla"
        )
    return course, family


ASSESSMENT = {
    "assessed_on": "2026-04-15",
    "assessors": "Ulla Unitinen, Pekka Perhe",
    "reasoning": "Perhe on valmis ottamaan lapsen.",
}


def test_positive_assessment_sets_training_date_and_approves_with_history(
    trained_family, unit_worker
):
    course, family = trained_family
    services.readiness_assessment_record(
        course=course, family=family, by=unit_worker, conclusion="ready", **ASSESSMENT
    )
    family.refresh_from_db()
    assert str(family.pre_service_training_completed_on) == "2026-04-15"
    assert family.status == Family.Status.APPROVED
    steps = list(
        FamilyStatusChange.objects.filter(family=family)
        .order_by("changed_at", "pk")
        .values_list("from_status", "to_status", "changed_by")
    )
    assert steps[-2:] == [
        ("in_training", "assessment", unit_worker.pk),
        ("assessment", "approved", unit_worker.pk),
    ]


def test_not_yet_ready_changes_nothing_in_the_register(trained_family, unit_worker):
    course, family = trained_family
    services.readiness_assessment_record(
        course=course, family=family, by=unit_worker, conclusion="not_yet", **ASSESSMENT
    )
    family.refresh_from_db()
    assert family.pre_service_training_completed_on is None
    assert family.status == Family.Status.IN_TRAINING


def test_assessment_before_the_rule_is_met_is_refused(trained_family, unit_worker):
    course, family = trained_family
    Attendance.objects.filter(session=course.sessions.first()).delete()
    with pytest.raises(ValidationError):
        services.readiness_assessment_record(
            course=course, family=family, by=unit_worker, conclusion="ready", **ASSESSMENT
        )
    assert not ReadinessAssessment.objects.exists()
    family.refresh_from_db()
    assert family.status == Family.Status.IN_TRAINING


def test_positive_assessment_approves_the_inquiry(trained_family, unit_worker):
    course, family = trained_family
    inquiry = Inquiry.objects.create(
        family=family, language="fi", consent_given_at="2026-01-01T00:00Z"
    )
    inquiry.stage_changes.create(stage="new")
    services.readiness_assessment_record(
        course=course, family=family, by=unit_worker, conclusion="ready", **ASSESSMENT
    )
    inquiry.refresh_from_db()
    assert inquiry.stage == Inquiry.Stage.APPROVED
    assert list(inquiry.stage_changes.values_list("stage", flat=True)) == ["new", "approved"]


def test_assessment_form_on_the_course_family_page(trained_family, unit_worker, client_for):
    course, family = trained_family
    url = f"/training/courses/{course.pk}/families/{family.pk}/assessment/"
    client = client_for(unit_worker)
    bad = client.post(url, {"assessed_on": "", "conclusion": "ready"})
    assert bad.status_code == 400
    assert not ReadinessAssessment.objects.exists()
    response = client.post(url, {**ASSESSMENT, "conclusion": "ready"})
    assert response.status_code == 302
    family.refresh_from_db()
    assert family.status == Family.Status.APPROVED


def test_make_up_session_counts_for_the_family(trained_family, unit_worker):
    course, family = trained_family
    missed = course.sessions.first()
    Attendance.objects.filter(session=missed).delete()
    make_up = Session.objects.create(
        course=course,
        kind="make_up",
        date="2026-05-01",
        start_time="17:00",
        end_time="19:00",
        topic="Korvaava",
        place="Kemi",
    )
    make_up.refresh_from_db()  # dates and times as the database gives them
    for enrolment in Enrolment.objects.filter(course=course):
        services.attendance_set(session=make_up, enrolment=enrolment, present=True, by=unit_worker)
    services.readiness_assessment_record(
        course=course, family=family, by=unit_worker, conclusion="ready", **ASSESSMENT
    )
    family.refresh_from_db()
    assert family.is_trained


@pytest.mark.parametrize(
    "start, expected_steps",
    [
        ("inquiry", ["assessment", "approved"]),
        ("assessment", ["approved"]),
        ("active", []),
    ],
)
def test_family_mark_trained_steps_through_the_allowed_statuses(
    db, unit_worker, start, expected_steps
):
    from families.services import family_mark_trained

    family = family_passing_the_gates(status=start, pre_service_training_completed_on=None)
    family_mark_trained(family=family, completed_on="2026-05-01", by=unit_worker)
    family.refresh_from_db()
    assert family.is_trained
    steps = list(
        FamilyStatusChange.objects.filter(family=family)
        .order_by("changed_at", "pk")
        .values_list("to_status", flat=True)
    )
    assert steps == expected_steps
    assert family.status == (expected_steps[-1] if expected_steps else start)


def test_an_ended_family_cannot_be_marked_trained(db, unit_worker):
    from families.services import family_mark_trained

    family = FamilyFactory(status="ended", pre_service_training_completed_on=None)
    with pytest.raises(ValidationError):
        family_mark_trained(family=family, completed_on="2026-05-01", by=unit_worker)
    family.refresh_from_db()
    assert family.status == "ended" and not family.is_trained


@pytest.mark.parametrize("conclusion", ["not_yet", "not_suitable"])
def test_a_family_that_dropped_out_can_be_assessed_not_yet_or_not_suitable(
    trained_family, unit_worker, conclusion
):
    course, family = trained_family
    Attendance.objects.filter(session__in=list(course.sessions.all())[4:]).delete()
    assessment = services.readiness_assessment_record(
        course=course, family=family, by=unit_worker, conclusion=conclusion, **ASSESSMENT
    )
    assert assessment.conclusion == conclusion
    family.refresh_from_db()
    assert family.status == Family.Status.IN_TRAINING
    assert family.pre_service_training_completed_on is None


def test_positive_assessment_with_open_gates_records_the_training_but_does_not_approve(
    trained_family, unit_worker, client_for
):
    course, family = trained_family
    Family.objects.filter(pk=family.pk).update(home_study_approved_on=None)
    url = f"/training/courses/{course.pk}/families/{family.pk}/assessment/"
    client = client_for(unit_worker)
    response = client.post(url, {**ASSESSMENT, "conclusion": "ready"}, follow=True)
    family.refresh_from_db()
    assert family.is_trained
    assert family.status == Family.Status.ASSESSMENT
    assert "The home study is not approved." in response.content.decode()
    # once the home study is in order, the register's status action approves the family
    Family.objects.filter(pk=family.pk).update(home_study_approved_on=date(2026, 4, 20))
    response = client.post(
        f"/families/{family.pk}/status/", {"to_status": "approved", "reason": ""}
    )
    family.refresh_from_db()
    assert family.status == Family.Status.APPROVED


def test_family_mark_trained_stops_at_assessment_while_gates_are_open(db, unit_worker):
    from families.services import family_mark_trained

    family = FamilyFactory(status="in_training", pre_service_training_completed_on=None)
    family = family_mark_trained(family=family, completed_on="2026-05-01", by=unit_worker)
    assert family.is_trained
    assert family.status == Family.Status.ASSESSMENT
