"""Seats, the waitlist and the last seat under concurrent enrolments."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from families.models import Family, FamilyStatusChange
from tests.families.factories import CarerFactory, FamilyFactory
from tests.training.factories import CourseFactory, CourseTypeFactory
from training import services
from training.models import Enrolment, Inquiry


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

    assert [e.pk for e in promoted] == [second.pk]
    statuses = dict(course.enrolments.values_list("pk", "status"))
    assert statuses == {first.pk: "cancelled", second.pk: "enrolled", third.pk: "waitlisted"}


def test_cancelling_a_waitlisted_enrolment_promotes_nobody(db, unit_worker):
    course = CourseFactory(capacity=1)
    services.family_enrol(course=course, family=_family(1), by=unit_worker)
    (second,) = services.family_enrol(course=course, family=_family(1), by=unit_worker)
    (third,) = services.family_enrol(course=course, family=_family(1), by=unit_worker)
    assert services.enrolment_cancel(enrolment=second, by=unit_worker) == []
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
    assert "Moved from the waitlist to the course" in response.content.decode()


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


def _statuses(family, course):
    return sorted(
        Enrolment.objects.filter(course=course, carer__family=family).values_list(
            "status", flat=True
        )
    )


def test_a_cancellation_promotes_a_waitlisted_couple_together_and_starts_its_training(
    db, unit_worker
):
    course = CourseFactory(capacity=2)
    enrolled = _family(2)
    services.family_enrol(course=course, family=enrolled, by=unit_worker)
    couple = _family(2, status=Family.Status.INQUIRY)
    services.family_enrol(course=course, family=couple, by=unit_worker)
    assert _statuses(couple, course) == ["waitlisted", "waitlisted"]

    for enrolment in Enrolment.objects.filter(course=course, carer__family=enrolled):
        services.enrolment_cancel(enrolment=enrolment, by=unit_worker)

    assert _statuses(couple, course) == ["enrolled", "enrolled"]
    couple.refresh_from_db()
    assert couple.status == Family.Status.IN_TRAINING
    assert FamilyStatusChange.objects.filter(family=couple, to_status="in_training").exists()


def test_one_free_seat_does_not_split_a_waitlisted_couple(db, unit_worker):
    course = CourseFactory(capacity=2)
    (first, _second) = services.family_enrol(course=course, family=_family(2), by=unit_worker)
    couple = _family(2, status=Family.Status.INQUIRY)
    services.family_enrol(course=course, family=couple, by=unit_worker)

    assert services.enrolment_cancel(enrolment=first, by=unit_worker) == []

    assert _statuses(couple, course) == ["waitlisted", "waitlisted"]
    couple.refresh_from_db()
    assert couple.status == Family.Status.INQUIRY


def test_a_smaller_family_later_on_the_waitlist_does_not_overtake_a_couple(db, unit_worker):
    """Order fairness: only the first family on the waitlist is promoted, when it fits."""
    course = CourseFactory(capacity=2)
    (first, _second) = services.family_enrol(course=course, family=_family(2), by=unit_worker)
    couple = _family(2)
    services.family_enrol(course=course, family=couple, by=unit_worker)
    single = _family(1)
    services.family_enrol(course=course, family=single, by=unit_worker)

    services.enrolment_cancel(enrolment=first, by=unit_worker)

    assert _statuses(couple, course) == ["waitlisted", "waitlisted"]
    assert _statuses(single, course) == ["waitlisted"]


def test_a_newcomer_queues_behind_a_waiting_family_even_when_a_seat_is_free(db, unit_worker):
    course = CourseFactory(capacity=3)
    (first, _second) = services.family_enrol(course=course, family=_family(2), by=unit_worker)
    couple = _family(2)
    services.family_enrol(course=course, family=couple, by=unit_worker)  # 2 + 2 > 3: waits

    newcomer = services.family_enrol(course=course, family=_family(1), by=unit_worker)

    assert [e.status for e in newcomer] == ["waitlisted"]  # the free seat is not taken
    services.enrolment_cancel(enrolment=first, by=unit_worker)
    assert _statuses(couple, course) == ["enrolled", "enrolled"]


def test_raising_the_capacity_promotes_waitlisted_families_in_order(db, unit_worker):
    course = CourseFactory(capacity=1)
    services.family_enrol(course=course, family=_family(1), by=unit_worker)
    couple = _family(2, status=Family.Status.INQUIRY)
    services.family_enrol(course=course, family=couple, by=unit_worker)
    single = _family(1)
    services.family_enrol(course=course, family=single, by=unit_worker)

    course.capacity = 4
    saved = services.course_save(course=course, by=unit_worker)

    assert _statuses(couple, course) == ["enrolled", "enrolled"]
    assert _statuses(single, course) == ["enrolled"]
    assert len(saved.promoted) == 3
    couple.refresh_from_db()
    assert couple.status == Family.Status.IN_TRAINING


def test_raising_the_capacity_in_the_course_form_says_who_got_a_seat(db, unit_worker, client_for):
    course = CourseFactory(capacity=1)
    services.family_enrol(course=course, family=_family(1), by=unit_worker)
    waiting = _family(1)
    services.family_enrol(course=course, family=waiting, by=unit_worker)
    client = client_for(unit_worker)
    form = client.get(f"/training/courses/{course.pk}/edit/").context["form"]
    data = {
        name: value
        for name, value in form.initial.items()
        if value is not None and name != "audience"
    }
    data.update(capacity=2, audience=course.audience)
    response = client.post(f"/training/courses/{course.pk}/edit/", data, follow=True)
    assert response.status_code == 200
    assert _statuses(waiting, course) == ["enrolled"]
    assert "Moved from the waitlist to the course" in response.content.decode()


def test_cancel_view_says_so_when_someone_else_cancelled_a_moment_ago(
    db, unit_worker, client_for, monkeypatch
):
    course = CourseFactory(capacity=1)
    (first,) = services.family_enrol(course=course, family=_family(1), by=unit_worker)
    real_cancel = services.enrolment_cancel

    def cancelled_meanwhile(*, enrolment, by):
        real_cancel(enrolment=enrolment, by=by)  # the other request wins the race
        return real_cancel(enrolment=enrolment, by=by)

    monkeypatch.setattr(services, "enrolment_cancel", cancelled_meanwhile)
    response = client_for(unit_worker).post(f"/training/enrolments/{first.pk}/cancel/", follow=True)
    assert response.status_code == 200
    assert "The enrolment is already cancelled." in response.content.decode()


def test_withdrawing_an_inquiry_gives_the_family_s_seats_to_the_waitlist(db, unit_worker):
    course = CourseFactory(capacity=2)
    withdrawing = _family(2, status=Family.Status.INQUIRY)
    inquiry = Inquiry.objects.create(
        family=withdrawing, language="fi", consent_given_at="2026-01-01T00:00Z"
    )
    inquiry.stage_changes.create(stage="new")
    services.family_enrol(course=course, family=withdrawing, by=unit_worker)
    waiting = _family(2)
    services.family_enrol(course=course, family=waiting, by=unit_worker)
    other_course = CourseFactory()
    services.family_enrol(course=other_course, family=withdrawing, by=unit_worker)

    services.inquiry_change_stage(
        inquiry=Inquiry.objects.get(pk=inquiry.pk), stage="withdrawn", by=unit_worker
    )

    assert _statuses(withdrawing, course) == ["cancelled", "cancelled"]
    assert _statuses(withdrawing, other_course) == ["cancelled", "cancelled"]
    assert _statuses(waiting, course) == ["enrolled", "enrolled"]
    withdrawing.refresh_from_db()
    assert withdrawing.status == Family.Status.ENDED


def test_a_waitlisted_family_whose_care_has_ended_is_passed_over(db, unit_worker):
    course = CourseFactory(capacity=1)
    (first,) = services.family_enrol(course=course, family=_family(1), by=unit_worker)
    ended = _family(1)
    services.family_enrol(course=course, family=ended, by=unit_worker)
    Family.objects.filter(pk=ended.pk).update(status=Family.Status.ENDED)
    waiting = _family(1)
    services.family_enrol(course=course, family=waiting, by=unit_worker)

    services.enrolment_cancel(enrolment=first, by=unit_worker)

    assert _statuses(ended, course) == ["waitlisted"]
    assert _statuses(waiting, course) == ["enrolled"]


def test_raising_the_capacity_in_the_admin_promotes_the_waitlist(db, admin_user, client_for):
    from django.urls import reverse

    course = CourseFactory(capacity=1)
    services.family_enrol(course=course, family=_family(1), by=admin_user)
    waiting = _family(1)
    services.family_enrol(course=course, family=waiting, by=admin_user)
    client = client_for(admin_user)
    url = reverse("admin:training_course_change", args=[course.pk])
    form = client.get(url).context["adminform"].form
    data = {
        name: value
        for name, value in form.initial.items()
        if value is not None and name not in ("audience", "course_type", "organiser")
    }
    data.update(
        capacity=2,
        audience=course.audience,
        course_type=course.course_type_id,
        **{
            "sessions-TOTAL_FORMS": "0",
            "sessions-INITIAL_FORMS": "0",
            "sessions-MIN_NUM_FORMS": "0",
            "sessions-MAX_NUM_FORMS": "1000",
        },
    )
    if course.organiser_id:
        data["organiser"] = course.organiser_id
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert _statuses(waiting, course) == ["enrolled"]
