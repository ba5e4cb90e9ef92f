"""The course's .ics file: safe with any stored date, no line injection, stable UIDs."""

import re
from datetime import date, time

import pytest

from tests.training.factories import CourseFactory, SessionFactory


def _ics(client, course, host="testserver"):
    return client.get(f"/training/courses/{course.pk}/sessions.ics", HTTP_HOST=host)


@pytest.mark.django_db
def test_session_in_year_one_does_not_break_the_course_calendar(unit_worker, client_for):
    session = SessionFactory(date=date(1, 1, 1), start_time=time(0, 30), end_time=time(1, 30))

    response = _ics(client_for(unit_worker), session.course)

    assert response.status_code == 200
    assert "DTSTART:00010101T003000" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("breaker", ["\r", "\n", "\r\n", "\x0b", "\x85", "\u2028"])
def test_line_breaks_in_title_and_place_inject_no_lines(breaker, unit_worker, client_for):
    course = CourseFactory(title=f"Kurssi{breaker}ATTENDEE:mailto:x@example.com")
    SessionFactory(course=course, place=f"Kemi{breaker}END:VEVENT")

    body = _ics(client_for(unit_worker), course).content.decode()

    lines = body.split("\r\n")
    assert not any(re.search(r"[\x00-\x08\x0a-\x1f\x7f\x85\u2028\u2029]", line) for line in lines)
    assert not any(line.startswith(("ATTENDEE", " ATTENDEE")) for line in lines)
    assert lines.count("END:VEVENT") == 1


@pytest.mark.django_db
def test_uid_is_the_same_whatever_host_the_file_was_fetched_through(
    unit_worker, client_for, settings
):
    settings.ALLOWED_HOSTS = ["*"]
    settings.SITE_URL = "https://sijoitus.example.fi"
    session = SessionFactory()
    client = client_for(unit_worker)

    uids = [
        re.findall(r"^UID:.*$", _ics(client, session.course, host).content.decode(), re.M)
        for host in ("testserver", "other.example.com")
    ]

    assert uids[0] == uids[1] == [f"UID:training-session-{session.pk}@sijoitus.example.fi\r"]
