"""The course's .ics file: safe with any stored date, no line injection, stable UIDs."""

import re
from datetime import date, time

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from fostercare.validators import validate_sane_year
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


@pytest.mark.django_db
@pytest.mark.parametrize("day", ["0001-01-01", "1899-12-31", "2101-01-01"])
def test_session_form_refuses_a_date_outside_sane_years(day, unit_worker, client_for):
    course = CourseFactory()

    response = client_for(unit_worker).post(
        f"/training/courses/{course.pk}/sessions/new/",
        {"kind": "group", "date": day, "start_time": "17:30", "end_time": "20:30", "topic": "x"},
    )

    assert response.status_code in (200, 400)
    assert "Enter a date between the years 1900 and 2100." in response.content.decode()
    assert not course.sessions.exists()


def test_the_year_message_is_translated():
    for language, expected in (("fi", "vuosien 1900 ja 2100"), ("sv", "mellan åren 1900 och 2100")):
        with pytest.raises(ValidationError) as refused:
            validate_sane_year(date(1, 1, 1))
        with translation.override(language):
            assert expected in refused.value.messages[0]


def test_a_session_dated_year_one_is_refused_at_every_door(db):
    # the admin saves through the model's validation, like the session form
    session = SessionFactory.build(course=CourseFactory(), date=date(1, 1, 1))
    with pytest.raises(ValidationError) as refused:
        session.full_clean()
    assert "date" in refused.value.error_dict
