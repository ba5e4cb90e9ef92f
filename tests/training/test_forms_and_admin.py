"""Course and session forms, and bulk import and export of courses and enrolments."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.families.factories import CarerFactory
from tests.training.factories import CourseFactory, CourseTypeFactory, EnrolmentFactory
from training.models import Course, Enrolment, Session


def _import(client, url_name, content):
    return client.post(
        reverse(url_name),
        {
            "format": "0",
            "import_file": SimpleUploadedFile(
                "data.csv", content.encode(), content_type="text/csv"
            ),
            "resource": "0",
        },
    )


def test_unit_worker_creates_a_course(db, unit_worker, client_for):
    course_type = CourseTypeFactory()
    response = client_for(unit_worker).post(
        "/training/courses/new/",
        {
            "course_type": course_type.pk,
            "title": "PRIDE syksy",
            "audience": ["foster_parents", "support_families"],
            "capacity": "14",
            "enrolment_opens_on": "2026-08-01",
            "enrolment_closes_on": "2026-09-01",
        },
    )
    course = Course.objects.get()
    assert response.status_code == 302
    assert course.audience == ["foster_parents", "support_families"]


def test_course_with_enrolment_closing_before_it_opens_is_refused(db, unit_worker, client_for):
    response = client_for(unit_worker).post(
        "/training/courses/new/",
        {
            "course_type": CourseTypeFactory().pk,
            "title": "PRIDE syksy",
            "capacity": "14",
            "enrolment_opens_on": "2026-09-01",
            "enrolment_closes_on": "2026-08-01",
        },
    )
    assert response.status_code == 200
    assert "Enrolment cannot close before it opens." in response.content.decode()
    assert not Course.objects.exists()


def test_session_ending_before_it_starts_is_refused(db, unit_worker, client_for):
    course = CourseFactory()
    response = client_for(unit_worker).post(
        f"/training/courses/{course.pk}/sessions/new/",
        {
            "kind": "group",
            "date": "2026-09-01",
            "start_time": "18:00",
            "end_time": "17:00",
            "topic": "Aloitus",
            "place": "Kemi",
        },
    )
    assert "The session must end after it starts." in response.content.decode()
    assert not Session.objects.exists()


def test_session_needs_a_place_or_a_link(db, unit_worker, client_for):
    course = CourseFactory()
    data = {
        "kind": "group",
        "date": "2026-09-01",
        "start_time": "17:00",
        "end_time": "20:00",
        "topic": "Aloitus",
    }
    client = client_for(unit_worker)
    response = client.post(f"/training/courses/{course.pk}/sessions/new/", data)
    assert "Give a place or an online link." in response.content.decode()
    assert not Session.objects.exists()
    data["online_link"] = "https://meet.example.fi/pride"
    assert client.post(f"/training/courses/{course.pk}/sessions/new/", data).status_code == 302
    assert Session.objects.get().online_link == "https://meet.example.fi/pride"


def test_enrol_view_with_no_family_chosen_writes_nothing(db, unit_worker, client_for):
    course = CourseFactory()
    response = client_for(unit_worker).post(f"/training/courses/{course.pk}/enrol/", {})
    assert response.status_code == 400
    assert not Enrolment.objects.exists()


def test_course_import_previews_and_rejects_unknown_course_type(db, admin_user, client_for):
    CourseTypeFactory()
    csv = (
        "course_type_code,title,audience,capacity,enrolment_opens_on,enrolment_closes_on\n"
        'pride,PRIDE Tornio,"foster_parents,support_families",12,2026-08-01,2026-09-01\n'
        "no-such-type,Outo,,5,,\n"
    )
    response = _import(client_for(admin_user), "admin:training_course_import", csv)
    assert response.status_code == 200
    assert "confirm_form" not in response.context
    assert not Course.objects.exists()

    good = "\n".join(csv.splitlines()[:2]) + "\n"
    response = _import(client_for(admin_user), "admin:training_course_import", good)
    client_for(admin_user).post(
        reverse("admin:training_course_process_import"), response.context["confirm_form"].initial
    )
    course = Course.objects.get()
    assert course.audience == ["foster_parents", "support_families"]


def test_enrolment_import_cannot_overfill_a_course(db, admin_user, client_for):
    course = CourseFactory(capacity=1)
    EnrolmentFactory(course=course)
    carer = CarerFactory()
    csv = f"course_id,carer_id,status\n{course.pk},{carer.pk},enrolled\n"
    response = _import(client_for(admin_user), "admin:training_enrolment_import", csv)
    assert "is full" in response.content.decode()
    assert "confirm_form" not in response.context
    assert Enrolment.objects.count() == 1


def test_courses_and_enrolments_export(db, admin_user, client_for):
    EnrolmentFactory(course=CourseFactory(title="PRIDE Simo"))
    client = client_for(admin_user)
    for name in ("admin:training_course_export", "admin:training_enrolment_export"):
        response = client.post(reverse(name), {"format": "0", "resource": "0"})
        assert response.status_code == 200, name
    body = client.post(
        reverse("admin:training_course_export"),
        {"format": "0", "resource": "0", "courseresource_id": "on", "courseresource_title": "on"},
    ).content.decode()
    assert "PRIDE Simo" in body
