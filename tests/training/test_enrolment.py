"""Seats, the waitlist and the last seat under concurrent enrolments."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from families.models import Family, FamilyStatusChange
from tests.families.factories import CarerFactory, FamilyFactory
from tests.training.factories import CourseFactory, CourseTypeFactory
from training import services
from training.models import Enrolment


def _family(carers=1, **kwargs):
    family = FamilyFactory(**kwargs)
    CarerFactory.create_batch(carers, family=family)
    return family


def test_a_family_enrols_both_carers(db, unit_worker):
    course = CourseFactory(capacity=4)
    enrolments = services.family_enrol(course=course, family=_family(2), by=unit_worker)
    assert [e.status for e in enrolments] == ["enrolled", "enrolled"]


def test_a_full_course_waitlists_the_family(db, unit_worker):
    course = CourseFactory(capacity=3)
    services.family_enrol(course=course, family=_family(2), by=unit_worker)
    waitlisted = services.family_enrol(course=course, family=_family(2), by=unit_worker)
    assert {e.status for e in waitlisted} == {"waitlisted"}
    assert course.enrolments.filter(status="enrolled").count() == 2


def test_enrolling_twice_is_refused(db, unit_worker):
    course = CourseFactory()
    family = _family(1)
    services.family_enrol(course=course, family=family, by=unit_worker)
    with pytest.raises(ValidationError):
        services.family_enrol(course=course, family=family, by=unit_worker)
    assert course.enrolments.count() == 1


def test_enrolment_outside_the_window_is_refused(db, unit_worker):
    course = CourseFactory(enrolment_opens_on="2020-01-01", enrolment_closes_on="2020-02-01")
    with pytest.raises(ValidationError):
        services.family_enrol(course=course, family=_family(1), by=unit_worker)
    assert not course.enrolments.exists()


def test_cancellation_promotes_the_first_on_the_waitlist(db, unit_worker):
    course = CourseFactory(capacity=1)
    (first,) = services.family_enrol(course=course, family=_family(1), by=unit_worker)
    (second,) = services.family_enrol(course=course, family=_family(1), by=unit_worker)
    (third,) = services.family_enrol(course=course, family=_family(1), by=unit_worker)
    assert (second.status, third.status) == ("waitlisted", "waitlisted")

    promoted = services.enrolment_cancel(enrolment=first, by=unit_worker)

    assert promoted.pk == second.pk
    statuses = dict(course.enrolments.values_list("pk", "status"))
    assert statuses == {first.pk: "cancelled", second.pk: "enrolled", third.pk: "waitlisted"}


def test_cancelling_a_waitlisted_enrolment_promotes_nobody(db, unit_worker):
    course = CourseFactory(capacity=1)
    services.family_enrol(course=course, family=_family(1), by=unit_worker)
    (second,) = services.family_enrol(course=course, family=_family(1), by=unit_worker)
    (third,) = services.family_enrol(course=course, family=_family(1), by=unit_worker)
    assert services.enrolment_cancel(enrolment=second, by=unit_worker) is None
    third.refresh_from_db()
    assert third.status == "waitlisted"


def test_pre_service_enrolment_moves_an_inquiry_family_into_training(db, unit_worker):
    course = CourseFactory()
    family = _family(1, status=Family.Status.INQUIRY)
    services.family_enrol(course=course, family=family, by=unit_worker)
    family.refresh_from_db()
    assert family.status == Family.Status.IN_TRAINING
    assert FamilyStatusChange.objects.filter(family=family, to_status="in_training").exists()


def test_cancel_view_promotes_and_says_so(db, unit_worker, client_for):
    course = CourseFactory(capacity=1)
    (first,) = services.family_enrol(course=course, family=_family(1), by=unit_worker)
    (second,) = services.family_enrol(course=course, family=_family(1), by=unit_worker)
    response = client_for(unit_worker).post(f"/training/enrolments/{first.pk}/cancel/", follow=True)
    second.refresh_from_db()
    assert second.status == "enrolled"
    assert "got the seat from the waitlist" in response.content.decode()


@pytest.mark.django_db(transaction=True)
def test_two_enrolments_at_once_for_the_last_seat_give_one_seat_and_one_waitlist(unit_worker):
    course = CourseFactory(
        capacity=1, course_type=CourseTypeFactory(code="peer", category="peer_group")
    )
    families = [_family(1), _family(1)]
    barrier = threading.Barrier(2)
    errors = []

    def enrol(family):
        try:
            barrier.wait(timeout=5)  # both threads call the service at the same moment
            services.family_enrol(course=course, family=family, by=unit_worker)
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)
        finally:
            connections.close_all()  # each thread had its own database connection

    threads = [threading.Thread(target=enrol, args=(f,)) for f in families]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=20)

    assert not errors
    statuses = sorted(Enrolment.objects.filter(course=course).values_list("status", flat=True))
    assert statuses == ["enrolled", "waitlisted"]
    assert connection.vendor == "postgresql"


@pytest.mark.django_db(transaction=True)
def test_without_the_lock_the_race_is_real(unit_worker, monkeypatch):
    """Guard that the concurrency test can fail: drop the row lock and both get the seat."""
    from django.db.models import QuerySet

    course = CourseFactory(
        capacity=1, course_type=CourseTypeFactory(code="peer", category="peer_group")
    )
    families = [_family(1), _family(1)]
    monkeypatch.setattr(QuerySet, "select_for_update", lambda self, **kw: self)
    original_count = services._seats_taken
    barrier = threading.Barrier(2)

    def slow_count(c):
        taken = original_count(c)
        barrier.wait(timeout=5)  # both have counted before either writes
        return taken

    monkeypatch.setattr(services, "_seats_taken", slow_count)

    def enrol(family):
        try:
            services.family_enrol(course=course, family=family, by=unit_worker)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=enrol, args=(f,)) for f in families]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=20)
    statuses = sorted(Enrolment.objects.filter(course=course).values_list("status", flat=True))
    assert statuses == ["enrolled", "enrolled"]
