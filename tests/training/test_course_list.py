"""The course list: each course's seats, waitlist and dates, newest first."""

from datetime import date

from django.urls import reverse

from tests.training.factories import CourseFactory, EnrolmentFactory, SessionFactory
from training.selectors import course_list


def test_course_list_counts_each_person_once_however_many_sessions(client_for, unit_worker):
    course = CourseFactory(capacity=10)
    for day in (date(2026, 3, 2), date(2026, 3, 30), date(2026, 3, 16)):
        SessionFactory(course=course, date=day)
    EnrolmentFactory.create_batch(3, course=course)
    EnrolmentFactory.create_batch(2, course=course, status="waitlisted")
    EnrolmentFactory(course=course, status="cancelled")
    without_sessions = CourseFactory()

    response = client_for(unit_worker).get(reverse("training:course-list"))

    shown = list(response.context["page"].object_list)
    # a course without sessions yet comes first, as it has no first day to sort by
    assert [c.pk for c in shown] == [without_sessions.pk, course.pk]
    assert (shown[1].enrolled, shown[1].waitlisted) == (3, 2)
    assert (shown[1].first_day, shown[1].last_day) == (date(2026, 3, 2), date(2026, 3, 30))
    assert (shown[0].enrolled, shown[0].waitlisted, shown[0].first_day) == (0, 0, None)
    assert "3 / 10" in response.text


def test_course_list_does_not_group_every_course_before_the_page(unit_worker):
    sql = str(course_list(unit_worker).query)

    # a GROUP BY over enrolments times sessions would aggregate every course first
    assert "GROUP BY" not in sql
