"""The leader of a work supervision or a peer group comes from the expert registers:
a supervision's leader is a work supervisor, and every leader has a current consent."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from experts import services
from experts.models import ExpertRole, GroupLeader
from tests.experts.factories import ExpertFactory
from tests.training.factories import CourseFactory, CourseTypeFactory
from training.models import CourseType


def _course(category: str, code: str):
    course_type = CourseTypeFactory(
        code=code,
        category=category,
        required_group_meetings=0,
        make_ups_allowed=0,
        required_individual_meetings=0,
        assessment_required=False,
    )
    return CourseFactory(course_type=course_type)


@pytest.fixture
def supervision(db):
    return _course(CourseType.Category.GROUP_SUPERVISION, "group-supervision")


@pytest.fixture
def supervisor(db):
    return ExpertFactory(roles=[ExpertRole.WORK_SUPERVISOR], name="Tyyne Työnohjaaja")


def test_a_consenting_work_supervisor_leads_a_supervision_group(
    supervision, supervisor, unit_worker
):
    leader = services.group_leader_assign(course=supervision, expert=supervisor, by=unit_worker)
    assert leader.assigned_by == unit_worker
    assert list(supervision.leaders.values_list("expert__name", flat=True)) == [supervisor.name]


def test_individual_supervision_is_led_by_a_work_supervisor_too(supervisor, unit_worker):
    course = _course(CourseType.Category.INDIVIDUAL_SUPERVISION, "individual-supervision")
    mentor = ExpertFactory(roles=[ExpertRole.MENTOR])
    with pytest.raises(ValidationError) as error:
        services.group_leader_assign(course=course, expert=mentor, by=None)
    assert "expert" in error.value.error_dict
    services.group_leader_assign(course=course, expert=supervisor, by=None)


def test_a_mentor_cannot_lead_work_supervision(supervision):
    mentor = ExpertFactory(roles=[ExpertRole.MENTOR])
    with pytest.raises(ValidationError, match="work supervisors"):
        services.group_leader_assign(course=supervision, expert=mentor, by=None)
    assert not GroupLeader.objects.exists()


def test_a_supervisor_whose_consent_is_withdrawn_cannot_lead(supervision):
    withdrawn = ExpertFactory(
        roles=[ExpertRole.WORK_SUPERVISOR], consent_withdrawn_on=date(2025, 1, 1)
    )
    with pytest.raises(ValidationError, match="current consent"):
        services.group_leader_assign(course=supervision, expert=withdrawn, by=None)


def test_a_mentor_may_lead_a_peer_group(db):
    peer = _course(CourseType.Category.PEER_GROUP, "peer-group")
    mentor = ExpertFactory(roles=[ExpertRole.MENTOR])
    services.group_leader_assign(course=peer, expert=mentor, by=None)
    assert peer.leaders.count() == 1


def test_a_training_course_has_no_leader_from_the_registers(supervisor):
    with pytest.raises(ValidationError) as error:
        services.group_leader_assign(course=CourseFactory(), expert=supervisor, by=None)
    assert "course" in error.value.error_dict


def test_the_same_leader_is_named_once_per_group(supervision, supervisor):
    services.group_leader_assign(course=supervision, expert=supervisor, by=None)
    with pytest.raises(ValidationError):
        services.group_leader_assign(course=supervision, expert=supervisor, by=None)


def test_the_admin_names_a_leader_through_the_service(
    supervision, supervisor, admin_user, client_for
):
    url = reverse("admin:experts_groupleader_add")
    mentor = ExpertFactory(roles=[ExpertRole.MENTOR])
    response = client_for(admin_user).post(url, {"course": supervision.pk, "expert": mentor.pk})
    assert response.status_code == 200  # refused on the form
    response = client_for(admin_user).post(url, {"course": supervision.pk, "expert": supervisor.pk})
    assert response.status_code == 302
    assert GroupLeader.objects.get().assigned_by == admin_user
