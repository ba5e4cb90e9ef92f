"""Attendance says its state in words, counts who is present, marks everyone present at once
and tells a screen reader what a click did (HX-Trigger announce)."""

import json

from django.urls import reverse

from tests.families.factories import CarerFactory
from tests.training.factories import EnrolmentFactory, SessionFactory
from training.models import Attendance


def test_the_page_says_present_and_absent_in_words_and_counts_them(db, unit_worker, client_for):
    session = SessionFactory()
    aino, _eero = (
        EnrolmentFactory(course=session.course, carer=CarerFactory(first_name=name))
        for name in ("Aino", "Eero")
    )
    client = client_for(unit_worker)
    client.post(
        reverse("training:attendance-toggle", args=[session.pk, aino.pk]), {"present": "true"}
    )
    html = client.get(reverse("training:session-attendance", args=[session.pk])).content.decode()
    assert '<td class="attendance-state"><strong>Present</strong></td>' in html
    assert '<td class="attendance-state">Absent</td>' in html
    assert "1 of 2 present" in html


def test_a_click_announces_its_result_and_updates_the_count(db, unit_worker, client_for):
    session = SessionFactory()
    enrolment = EnrolmentFactory(course=session.course, carer=CarerFactory(first_name="Aino"))
    response = client_for(unit_worker).post(
        reverse("training:attendance-toggle", args=[session.pk, enrolment.pk]),
        {"present": "true"},
        headers={"HX-Request": "true"},
    )
    announced = json.loads(response["HX-Trigger"])["announce"]
    assert announced == f"{enrolment.carer}: present"
    html = response.content.decode()
    assert 'id="present-count" class="result-count" hx-swap-oob="true"' in html
    assert "1 of 1 present" in html


def test_mark_everyone_present(db, unit_worker, client_for):
    session = SessionFactory()
    for _ in range(3):
        EnrolmentFactory(course=session.course)
    response = client_for(unit_worker).post(
        reverse("training:session-attendance-all", args=[session.pk])
    )
    assert response.status_code == 302
    assert Attendance.objects.filter(session=session).count() == 3
