"""Issue 8, "One rule, one place", for recruitment and training."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from fostercare.access import RestrictedQuerySet
from tests.families.factories import CarerFactory, FamilyFactory
from tests.training.factories import EnrolmentFactory, SessionFactory
from training import selectors, services
from training.models import (
    Attendance,
    Course,
    Enrolment,
    IndividualMeeting,
    Inquiry,
    InquiryStageChange,
    ReadinessAssessment,
    Session,
)

PERSONAL = [
    Course,
    Session,
    Enrolment,
    Attendance,
    IndividualMeeting,
    ReadinessAssessment,
    Inquiry,
    InquiryStageChange,
]


@pytest.fixture
def one_of_each(db, unit_worker):
    session = SessionFactory()
    enrolment = EnrolmentFactory(course=session.course)
    Attendance.objects.create(session=session, enrolment=enrolment)
    family = enrolment.carer.family
    IndividualMeeting.objects.create(
        course=session.course, family=family, held_on="2026-01-01", workers="U"
    )
    ReadinessAssessment.objects.create(
        course=session.course,
        family=family,
        assessed_on="2026-02-01",
        assessors="U",
        conclusion="not_yet",
        reasoning="-",
    )
    inquiry = Inquiry.objects.create(
        family=FamilyFactory(status="inquiry"), language="fi", consent_given_at=timezone.now()
    )
    inquiry.stage_changes.create(stage="new")


@pytest.mark.parametrize("model", PERSONAL, ids=lambda m: m.__name__)
def test_every_training_model_with_personal_data_loads_through_visible_to(
    model, one_of_each, kemi_worker, finance_user, unit_worker
):
    assert isinstance(model.objects.all(), RestrictedQuerySet)
    assert not model.objects.visible_to(kemi_worker).exists()
    assert not model.objects.visible_to(finance_user).exists()
    assert model.objects.visible_to(unit_worker).exists()


def test_training_has_no_copies_of_the_visibility_rule():
    for name in (
        "courses_visible_to",
        "sessions_visible_to",
        "enrolments_visible_to",
        "inquiries_visible_to",
    ):
        assert not hasattr(selectors, name), name


def _future_session():
    return SessionFactory(date=timezone.localdate() + timedelta(days=7))


def test_attendance_for_a_session_that_has_not_started_is_refused(db, unit_worker):
    session = _future_session()
    enrolment = EnrolmentFactory(course=session.course)
    with pytest.raises(ValidationError, match="once the session has started"):
        services.attendance_set(session=session, enrolment=enrolment, present=True, by=unit_worker)
    assert not Attendance.objects.exists()


def test_the_attendance_page_offers_no_buttons_for_a_future_session(db, unit_worker, client_for):
    session = _future_session()
    enrolment = EnrolmentFactory(course=session.course, carer=CarerFactory(first_name="Aino"))
    client = client_for(unit_worker)
    page = client.get(reverse("training:session-attendance", args=[session.pk]))
    body = page.content.decode()
    assert "Aino" in body
    assert reverse("training:attendance-toggle", args=[session.pk, enrolment.pk]) not in body
    assert "has not started yet" in body
    response = client.post(
        reverse("training:attendance-toggle", args=[session.pk, enrolment.pk]), {"present": "true"}
    )
    assert response.status_code == 400
    assert not Attendance.objects.exists()


def test_the_inquiry_list_filters_by_stage_through_its_filterset(db, unit_worker, client_for):
    for name, stage in (("Perhe Uusi", "new"), ("Perhe Soitettu", "contacted")):
        inquiry = Inquiry.objects.create(
            family=FamilyFactory(name=name, status="inquiry"),
            language="fi",
            consent_given_at=timezone.now(),
            stage=stage,
        )
        inquiry.stage_changes.create(stage=stage)
    response = client_for(unit_worker).get(reverse("training:inquiry-list"), {"stage": "contacted"})
    assert [i.family.name for i in response.context["page"].object_list] == ["Perhe Soitettu"]
    assert "filter" in response.context


def test_an_admin_view_of_an_inquiry_writes_an_access_log_row(db, admin_user, client_for):
    from fostercare.models import AccessLogEntry

    inquiry = Inquiry.objects.create(
        family=FamilyFactory(status="inquiry"), language="fi", consent_given_at=timezone.now()
    )
    response = client_for(admin_user).get(
        reverse("admin:training_inquiry_change", args=[inquiry.pk])
    )
    assert response.status_code == 200
    assert AccessLogEntry.objects.filter(object_id=str(inquiry.pk), action="view").exists()


def test_the_admin_cancels_enrolments_through_the_service_and_fills_the_seat(
    db, admin_user, client_for
):
    session = SessionFactory(course__capacity=1)
    first = EnrolmentFactory(course=session.course)
    waiting = EnrolmentFactory(course=session.course, status="waitlisted")
    response = client_for(admin_user).post(
        reverse("admin:training_enrolment_changelist"),
        {"action": "cancel_enrolments", "_selected_action": [first.pk]},
    )
    assert response.status_code == 302
    first.refresh_from_db()
    waiting.refresh_from_db()
    assert (first.status, waiting.status) == ("cancelled", "enrolled")


def test_an_admin_session_save_goes_through_the_service(db, admin_user, client_for):
    session = SessionFactory()
    url = reverse("admin:training_session_change", args=[session.pk])
    data = {
        "course": session.course_id,
        "kind": "group",
        "date": "2026-03-02",
        "start_time": "18:00",
        "end_time": "17:00",
        "topic": "X",
        "place": "Kemi",
    }
    response = client_for(admin_user).post(url, data)
    assert response.status_code == 200  # refused: ends before it starts
    assert "must end after it starts" in response.content.decode()


def test_a_refused_attendance_click_shows_its_reason_in_the_row(db, unit_worker, client_for):
    session = _future_session()
    enrolment = EnrolmentFactory(course=session.course)
    response = client_for(unit_worker).post(
        reverse("training:attendance-toggle", args=[session.pk, enrolment.pk]),
        {"present": "true"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert body.startswith(f'<tr id="participant-{enrolment.pk}">')
    assert "once the session has started" in body


def test_an_inquiry_is_approved_only_once_its_family_is(db, unit_worker):
    from tests.families.factories import family_passing_the_gates

    family = family_passing_the_gates(status="assessment")
    inquiry = Inquiry.objects.create(
        family=family, language="fi", consent_given_at=timezone.now(), stage="assessment"
    )
    with pytest.raises(ValidationError, match="approved when its family is"):
        services.inquiry_change_stage(inquiry=inquiry, stage="approved", by=unit_worker)
    from families.services import family_change_status

    family_change_status(family=family, to_status="approved", by=unit_worker)
    inquiry = services.inquiry_change_stage(inquiry=inquiry, stage="approved", by=unit_worker)
    assert inquiry.stage == Inquiry.Stage.APPROVED
