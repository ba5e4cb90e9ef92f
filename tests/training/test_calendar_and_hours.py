"""The course calendar and continuing-education hours on the family page."""

from datetime import time, timedelta

from django.utils import timezone

from tests.families.factories import CarerFactory, FamilyFactory
from tests.training.factories import (
    CourseFactory,
    CourseTypeFactory,
    EnrolmentFactory,
    SessionFactory,
)
from training.models import Attendance


def test_calendar_shows_upcoming_sessions_only(db, unit_worker, client_for):
    today = timezone.localdate()
    SessionFactory(date=today + timedelta(days=3), topic="Tuleva tapaaminen")
    SessionFactory(date=today - timedelta(days=3), topic="Mennyt tapaaminen")
    SessionFactory(date=today + timedelta(weeks=20), topic="Kaukainen tapaaminen")
    body = client_for(unit_worker).get("/training/calendar/").content.decode()
    assert "Tuleva tapaaminen" in body
    assert "Mennyt tapaaminen" not in body
    assert "Kaukainen tapaaminen" not in body


def test_family_page_shows_continuing_education_hours_per_carer_per_year(
    db, unit_worker, client_for
):
    family = FamilyFactory()
    aino = CarerFactory(family=family, first_name="Aino", last_name="Aho")
    course = CourseFactory(
        course_type=CourseTypeFactory(
            code="ce",
            category="continuing_education",
            counts_as_continuing_education=True,
            required_group_meetings=1,
            make_ups_allowed=0,
            required_individual_meetings=0,
            assessment_required=False,
        )
    )
    enrolment = EnrolmentFactory(course=course, carer=aino)
    for day, end in (
        ("2025-10-01", time(12)),
        ("2026-02-01", time(15)),
        ("2026-03-01", time(10, 30)),
    ):
        session = SessionFactory(course=course, date=day, start_time=time(9), end_time=end)
        Attendance.objects.create(session=session, enrolment=enrolment)
    # PRIDE hours are pre-service training, not continuing education
    pride = EnrolmentFactory(carer=aino)
    Attendance.objects.create(
        session=SessionFactory(course=pride.course, date="2026-01-10"), enrolment=pride
    )

    response = client_for(unit_worker).get(f"/families/{family.pk}/")
    rows = [(r["year"], r["carer"], str(r["hours"])) for r in response.context["hour_rows"]]
    assert rows == [(2026, "Aino Aho", "7.5"), (2025, "Aino Aho", "3.0")]
    assert "Continuing education" in response.content.decode()
