"""One page per session; one click (htmx) per person toggles presence."""

from tests.families.factories import CarerFactory
from tests.training.factories import EnrolmentFactory, SessionFactory
from training.models import Attendance


def test_one_click_marks_present_and_a_second_click_absent(db, unit_worker, client_for):
    session = SessionFactory()
    enrolment = EnrolmentFactory(course=session.course, carer=CarerFactory(first_name="Aino"))
    client = client_for(unit_worker)
    url = f"/training/sessions/{session.pk}/attendance/{enrolment.pk}/"

    response = client.post(url, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert 'aria-pressed="true"' in response.content.decode()
    assert "<html" not in response.content.decode()  # only the row is swapped
    assert Attendance.objects.filter(session=session, enrolment=enrolment).exists()

    response = client.post(url, headers={"HX-Request": "true"})
    assert 'aria-pressed="false"' in response.content.decode()
    assert not Attendance.objects.exists()


def test_attendance_page_lists_enrolled_not_waitlisted(db, unit_worker, client_for):
    session = SessionFactory()
    EnrolmentFactory(course=session.course, carer=CarerFactory(first_name="Enrolled"))
    EnrolmentFactory(
        course=session.course, carer=CarerFactory(first_name="Waiting"), status="waitlisted"
    )
    page = client_for(unit_worker).get(f"/training/sessions/{session.pk}/attendance/")
    assert "Enrolled" in page.content.decode()
    assert "Waiting" not in page.content.decode()


def test_participant_of_another_course_cannot_be_marked(db, unit_worker, client_for):
    session = SessionFactory()
    other = EnrolmentFactory()
    response = client_for(unit_worker).post(
        f"/training/sessions/{session.pk}/attendance/{other.pk}/"
    )
    assert response.status_code == 404
    assert not Attendance.objects.exists()
