"""Query counts of the training pages do not grow with courses, sessions or people."""

import pytest
from django.urls import reverse

from tests.families.factories import CarerFactory, FamilyFactory
from tests.training.factories import CourseFactory, EnrolmentFactory, SessionFactory
from training.models import Attendance, IndividualMeeting


def _course_with(n):
    course = CourseFactory(capacity=500)
    sessions = SessionFactory.create_batch(n, course=course)
    for _ in range(n):
        family = FamilyFactory(status="in_training")
        enrolment = EnrolmentFactory(course=course, carer=CarerFactory(family=family))
        IndividualMeeting.objects.create(
            course=course, family=family, held_on="2026-01-01", workers="U"
        )
        for session in sessions[:2]:
            Attendance.objects.create(session=session, enrolment=enrolment)
    EnrolmentFactory(course=course, status="waitlisted")
    return course, sessions


@pytest.mark.parametrize("n", [3, 40])
def test_course_list_query_count_is_constant(n, client_for, unit_worker, django_assert_num_queries):
    for _ in range(n):
        course = CourseFactory()
        SessionFactory(course=course)
        EnrolmentFactory(course=course)
    client = client_for(unit_worker)
    # session, user, user permissions, group permissions,
    # count, page of courses (with type, municipality, seat counts and dates)
    with django_assert_num_queries(6):
        response = client.get(reverse("training:course-list"))
    assert response.status_code == 200
    assert response.context["page"].paginator.count == n


@pytest.mark.parametrize("n", [3, 30])
def test_course_detail_query_count_is_constant(
    n, client_for, unit_worker, django_assert_num_queries
):
    course, _ = _course_with(n)
    client = client_for(unit_worker)
    # session, user, user permissions, group permissions,
    # course (+type, municipality), sessions with attendance counts, enrolments with
    # progress (the enrol form searches families on demand: none are loaded)
    with django_assert_num_queries(7):
        response = client.get(reverse("training:course-detail", args=[course.pk]))
    assert response.status_code == 200
    assert len(response.context["enrolled"]) == n


@pytest.mark.parametrize("n", [3, 30])
def test_attendance_page_query_count_is_constant(
    n, client_for, unit_worker, django_assert_num_queries
):
    _course, sessions = _course_with(n)
    client = client_for(unit_worker)
    # session, user, user permissions, group permissions,
    # session (+course, type), participants with presence
    with django_assert_num_queries(6):
        response = client.get(reverse("training:session-attendance", args=[sessions[0].pk]))
    assert response.status_code == 200
    assert len(response.context["participants"]) == n
    assert all(p.present for p in response.context["participants"])


@pytest.mark.parametrize("n", [3, 30])
def test_course_family_page_query_count_is_constant(
    n, client_for, unit_worker, django_assert_num_queries
):
    course, _ = _course_with(n)
    family = course.enrolments.filter(status="enrolled").first().carer.family
    client = client_for(unit_worker)
    # content types, and the user's permissions into the shared cache
    client.get(reverse("training:course-family", args=[course.pk, family.pk]))
    # session, user, course (+type), family,
    # its meetings, its assessments, access log insert (the family), enrolments with
    # progress, access log insert (its enrolled carers, one insert)
    with django_assert_num_queries(9):
        response = client.get(reverse("training:course-family", args=[course.pk, family.pk]))
    assert response.status_code == 200


@pytest.mark.parametrize("n", [3, 30])
def test_inquiry_list_query_count_is_constant(
    n, client_for, unit_worker, django_assert_num_queries
):
    from training import services

    for i in range(n):
        services.inquiry_create(
            kind="foster",
            first_name="A",
            last_name=f"B{i}",
            birth_year=1980,
            email="a@example.fi",
            phone="0401234567",
            language="fi",
            notify=False,
        )
    client = client_for(unit_worker)
    # session, user, permissions (2), stage times, stage
    # counts, count, page of inquiries
    with django_assert_num_queries(8):
        response = client.get(reverse("training:inquiry-list"))
    assert response.status_code == 200


@pytest.mark.parametrize("n", [3, 30])
def test_calendar_query_count_is_constant(n, client_for, unit_worker, django_assert_num_queries):
    from datetime import timedelta

    from django.utils import timezone

    for i in range(n):
        session = SessionFactory(date=timezone.localdate() + timedelta(days=i % 50))
        EnrolmentFactory(course=session.course)
    client = client_for(unit_worker)
    # session, user, user permissions, group permissions, upcoming sessions with
    # course, type and participant counts
    with django_assert_num_queries(5):
        response = client.get(reverse("training:calendar"))
    assert response.status_code == 200


def test_inquiry_list_finds_each_stage_date_without_grouping_every_inquiry(unit_worker):
    from training.selectors import inquiry_list

    sql = str(inquiry_list(unit_worker).query)

    # a GROUP BY would aggregate every inquiry before the page of 25 is cut
    assert "GROUP BY" not in sql
