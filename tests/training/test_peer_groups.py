"""Peer groups: participants who are not carers (children, birth parents), known by a
display name only, attend the group's sessions through the same attendance service."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.urls import reverse
from django.utils import timezone

from tests.training.factories import (
    CourseFactory,
    CourseTypeFactory,
    EnrolmentFactory,
    SessionFactory,
)
from training import services
from training.models import Attendance, CourseType, GroupParticipant


def _peer_group(**kwargs):
    peer = CourseTypeFactory(
        code="peer-group",
        category=CourseType.Category.PEER_GROUP,
        name_fi="Vertaisryhmä",
        required_group_meetings=0,
        make_ups_allowed=0,
        required_individual_meetings=0,
        assessment_required=False,
    )
    return CourseFactory(course_type=peer, title="Vertaisryhmä Kemi", **kwargs)


def test_a_child_and_a_birth_parent_attend_a_held_session_but_not_a_future_one(db, unit_worker):
    course = _peer_group()
    held = SessionFactory(course=course)
    future = SessionFactory(course=course, date=timezone.localdate() + timedelta(days=7))
    child = services.group_participant_add(
        course=course, role=GroupParticipant.Role.CHILD, display_name="Eetu", by=unit_worker
    )
    mother = services.group_participant_add(
        course=course, role=GroupParticipant.Role.BIRTH_PARENT, display_name="M.", by=unit_worker
    )

    for participant in (child, mother):
        services.attendance_set(session=held, participant=participant, present=True, by=unit_worker)
        with pytest.raises(ValidationError, match="once the session has started"):
            services.attendance_set(
                session=future, participant=participant, present=True, by=unit_worker
            )

    assert set(Attendance.objects.values_list("participant__display_name", flat=True)) == {
        "Eetu",
        "M.",
    }
    assert held.attendances.count() == 2
    assert not future.attendances.exists()


def test_marking_a_participant_twice_keeps_one_row_and_absent_removes_it(db, unit_worker):
    course = _peer_group()
    session = SessionFactory(course=course)
    child = services.group_participant_add(
        course=course, role=GroupParticipant.Role.CHILD, display_name="Eetu", by=unit_worker
    )
    for _ in range(2):
        services.attendance_set(session=session, participant=child, present=True, by=unit_worker)
    assert Attendance.objects.count() == 1
    services.attendance_set(session=session, participant=child, present=False, by=unit_worker)
    assert not Attendance.objects.exists()


def test_carers_and_participants_attend_the_same_peer_group_session(db, unit_worker):
    course = _peer_group()
    session = SessionFactory(course=course)
    enrolment = EnrolmentFactory(course=course)
    child = services.group_participant_add(
        course=course, role=GroupParticipant.Role.CHILD, display_name="Eetu", by=unit_worker
    )
    services.attendance_set(session=session, enrolment=enrolment, present=True, by=unit_worker)
    services.attendance_set(session=session, participant=child, present=True, by=unit_worker)
    assert session.attendances.count() == 2


def test_a_participant_of_another_group_cannot_be_marked(db, unit_worker):
    session = SessionFactory(course=_peer_group())
    other = services.group_participant_add(
        course=_peer_group(), role=GroupParticipant.Role.OTHER, display_name="X", by=unit_worker
    )
    with pytest.raises(ValidationError, match="not on this course"):
        services.attendance_set(session=session, participant=other, present=True, by=unit_worker)


def test_an_identity_code_is_refused_as_a_display_name(db, unit_worker):
    with pytest.raises(ValidationError) as error:
        services.group_participant_add(
            course=_peer_group(),
            role=GroupParticipant.Role.CHILD,
            display_name="Eetu 010115A123T",
            by=unit_worker,
        )
    assert "display_name" in error.value.error_dict


def test_free_participants_join_peer_groups_only(db, unit_worker):
    pride = CourseFactory()
    with pytest.raises(ValidationError) as error:
        services.group_participant_add(
            course=pride, role=GroupParticipant.Role.CHILD, display_name="Eetu", by=unit_worker
        )
    assert "course" in error.value.error_dict


def test_the_database_refuses_an_attendance_naming_both_or_neither(db, unit_worker):
    course = _peer_group()
    session = SessionFactory(course=course)
    enrolment = EnrolmentFactory(course=course)
    child = services.group_participant_add(
        course=course, role=GroupParticipant.Role.CHILD, display_name="Eetu", by=unit_worker
    )
    with pytest.raises(IntegrityError):
        Attendance.objects.create(session=session, enrolment=enrolment, participant=child)


def test_the_database_refuses_an_attendance_naming_nobody(db):
    with pytest.raises(IntegrityError):
        Attendance.objects.create(session=SessionFactory())


def test_the_admin_adds_a_participant_through_the_service(db, admin_user, client_for):
    course = _peer_group()
    response = client_for(admin_user).post(
        reverse("admin:training_groupparticipant_add"),
        {"course": course.pk, "role": "child", "display_name": "010115A123T"},
    )
    assert response.status_code == 200  # the form again, with the refusal
    assert not GroupParticipant.objects.exists()

    response = client_for(admin_user).post(
        reverse("admin:training_groupparticipant_add"),
        {"course": course.pk, "role": "child", "display_name": "Eetu"},
    )
    assert response.status_code == 302
    assert GroupParticipant.objects.get().created_by == admin_user


def test_the_admin_deletes_a_participants_attendance_through_the_service(
    db, admin_user, client_for
):
    course = _peer_group()
    session = SessionFactory(course=course)
    child = services.group_participant_add(
        course=course, role=GroupParticipant.Role.CHILD, display_name="Eetu", by=admin_user
    )
    services.attendance_set(session=session, participant=child, present=True, by=admin_user)
    attendance = Attendance.objects.get()
    response = client_for(admin_user).post(
        reverse("admin:training_attendance_delete", args=[attendance.pk]), {"post": "yes"}
    )
    assert response.status_code == 302
    assert not Attendance.objects.exists()


def test_the_default_course_types_include_supervision_and_peer_groups(db):
    categories = set(CourseType.objects.values_list("category", flat=True))
    assert {"peer_group", "group_supervision", "individual_supervision"} <= categories


def _page(session):
    return reverse("training:session-group-participants", args=[session.pk])


def test_the_unit_adds_a_child_and_marks_them_present_with_one_click(db, unit_worker, client_for):
    session = SessionFactory(course=_peer_group())
    client = client_for(unit_worker)
    response = client.post(_page(session), {"role": "child", "display_name": "Eetu"})
    assert response.status_code == 302
    child = GroupParticipant.objects.get()

    url = reverse("training:group-participant-attendance-toggle", args=[session.pk, child.pk])
    response = client.post(url, {"present": "true"}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert 'aria-pressed="true"' in response.content.decode()
    assert Attendance.objects.filter(session=session, participant=child).exists()
    assert "Eetu" in client.get(_page(session)).content.decode()


def test_a_future_session_refuses_attendance_on_the_page(db, unit_worker, client_for):
    course = _peer_group()
    session = SessionFactory(course=course, date=timezone.localdate() + timedelta(days=7))
    child = GroupParticipant.objects.create(course=course, role="child", display_name="Eetu")
    url = reverse("training:group-participant-attendance-toggle", args=[session.pk, child.pk])
    response = client_for(unit_worker).post(
        url, {"present": "true"}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 400
    assert "once the session has started" in response.content.decode()
    assert not Attendance.objects.exists()


def test_an_identity_code_is_refused_on_the_page(db, unit_worker, client_for):
    session = SessionFactory(course=_peer_group())
    response = client_for(unit_worker).post(
        _page(session), {"role": "child", "display_name": "010115A123T"}
    )
    assert response.status_code == 400
    assert not GroupParticipant.objects.exists()


def test_a_training_course_has_no_other_participants_page(db, unit_worker, client_for):
    assert client_for(unit_worker).get(_page(SessionFactory())).status_code == 404


def test_a_participant_of_another_group_is_404_on_the_page(db, unit_worker, client_for):
    session = SessionFactory(course=_peer_group())
    other = GroupParticipant.objects.create(course=_peer_group(), role="other", display_name="X")
    url = reverse("training:group-participant-attendance-toggle", args=[session.pk, other.pk])
    response = client_for(unit_worker).post(url, {"present": "true"})
    assert response.status_code == 404


@pytest.mark.parametrize("n", [5, 200])
def test_other_participants_page_query_count_is_constant(
    n, unit_worker, client_for, django_assert_num_queries
):
    course = _peer_group()
    session = SessionFactory(course=course)
    participants = GroupParticipant.objects.bulk_create(
        GroupParticipant(course=course, role="child", display_name=f"Lapsi {i}") for i in range(n)
    )
    Attendance.objects.bulk_create(Attendance(session=session, participant=p) for p in participants)
    client = client_for(unit_worker)
    # session, user, user permissions, group permissions,
    # session (+course, type), participants with presence
    with django_assert_num_queries(6):
        response = client.get(_page(session))
    assert response.status_code == 200
    assert len(response.context["participants"]) == n
    assert all(p.present for p in response.context["participants"])
