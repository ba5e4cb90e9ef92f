"""Individual meetings and readiness assessments are corrected on the pages, logged."""

from datetime import date

from django.urls import reverse

from fostercare.models import AccessLogEntry
from tests.families.factories import CarerFactory, FamilyFactory
from tests.training.factories import EnrolmentFactory, SessionFactory
from training.models import IndividualMeeting, ReadinessAssessment


def _on_course():
    session = SessionFactory()
    family = FamilyFactory(status="in_training")
    EnrolmentFactory(course=session.course, carer=CarerFactory(family=family))
    return session.course, family


def test_an_individual_meeting_is_corrected_and_logged(unit_worker, client_for):
    course, family = _on_course()
    meeting = IndividualMeeting.objects.create(
        course=course, family=family, held_on=date(2026, 1, 5), workers="Liisa"
    )
    response = client_for(unit_worker).post(
        reverse("training:individual-meeting-update", args=[meeting.pk]),
        {"held_on": "2026-01-06", "workers": "Liisa ja Pekka", "notes": "Kotikäynti"},
    )
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert (meeting.held_on, meeting.workers) == (date(2026, 1, 6), "Liisa ja Pekka")
    assert AccessLogEntry.objects.filter(
        object_id=str(family.pk), purpose="individual meeting corrected"
    ).exists()


def test_an_assessment_is_corrected_but_keeps_its_conclusion(unit_worker, client_for):
    course, family = _on_course()
    assessment = ReadinessAssessment.objects.create(
        course=course,
        family=family,
        assessed_on=date(2026, 2, 1),
        assessors="Liisa",
        conclusion="not_yet",
        reasoning="Kesken",
    )
    response = client_for(unit_worker).post(
        reverse("training:assessment-update", args=[assessment.pk]),
        {
            "assessed_on": "2026-02-02",
            "assessors": "Liisa, Pekka",
            "reasoning": "Kesken; jatketaan keväällä",
            "conclusion": "ready",
        },
    )
    assert response.status_code == 302
    assessment.refresh_from_db()
    assert (assessment.assessed_on, assessment.conclusion) == (date(2026, 2, 2), "not_yet")
    assert AccessLogEntry.objects.filter(purpose="readiness assessment corrected").exists()


def test_an_empty_correction_changes_nothing(unit_worker, client_for):
    course, family = _on_course()
    meeting = IndividualMeeting.objects.create(
        course=course, family=family, held_on=date(2026, 1, 5), workers="Liisa"
    )
    response = client_for(unit_worker).post(
        reverse("training:individual-meeting-update", args=[meeting.pk]), {"held_on": ""}
    )
    assert response.status_code == 400
    meeting.refresh_from_db()
    assert meeting.workers == "Liisa"
