"""Every training URL for the five demo roles (tests/matrix.py's shape).

Courses, participants and inquiries are the unit's: unit workers and administrators get
in, municipal workers and finance get 403. The public inquiry form and its thank-you page
are the only pages open to anonymous visitors (and so to every role).
"""

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.families.factories import CarerFactory, FamilyFactory
from tests.matrix import ROLES, assert_anonymous_sent_to_login, assert_matrix
from tests.training.factories import (
    CourseFactory,
    CourseTypeFactory,
    EnrolmentFactory,
    SessionFactory,
)
from training.models import (
    CourseType,
    GroupParticipant,
    IndividualMeeting,
    Inquiry,
    ReadinessAssessment,
)

PUBLIC = {"inquiry-create", "inquiry-thanks"}


@pytest.fixture
def objects(kemi_org):
    session = SessionFactory(course__organiser=kemi_org)
    family = FamilyFactory(status="in_training", home_municipality=kemi_org)
    enrolment = EnrolmentFactory(course=session.course, carer=CarerFactory(family=family))
    inquiry = Inquiry.objects.create(
        family=FamilyFactory(status="inquiry", home_municipality=kemi_org),
        language="fi",
        consent_given_at=timezone.now(),
    )
    inquiry.stage_changes.create(stage="new")
    peer_group = CourseFactory(
        course_type=CourseTypeFactory(
            code="peer-group",
            category=CourseType.Category.PEER_GROUP,
            required_group_meetings=0,
            make_ups_allowed=0,
            required_individual_meetings=0,
            assessment_required=False,
        ),
        organiser=kemi_org,
    )
    peer_session = SessionFactory(course=peer_group)
    return {
        "peer_session": peer_session,
        "group_participant": GroupParticipant.objects.create(
            course=peer_group, role="child", display_name="Eetu"
        ),
        "session": session,
        "course": session.course,
        "family": family,
        "enrolment": enrolment,
        "inquiry": inquiry,
        "meeting": IndividualMeeting.objects.create(
            course=session.course, family=family, held_on="2026-01-05", workers="Liisa"
        ),
        "assessment": ReadinessAssessment.objects.create(
            course=session.course,
            family=family,
            assessed_on="2026-02-01",
            assessors="Liisa",
            conclusion="not_yet",
            reasoning="Kesken",
        ),
    }


# name, method, which object's id, expected status for unit, kemi, tornio, finance, admin.
# POSTs carry no data: a form left empty answers 400 with its errors and changes nothing;
# cancelling an enrolment is one click and redirects back to the course.
MATRIX = [
    ("course-list", "get", None, (200, 403, 403, 403, 200)),
    ("calendar", "get", None, (200, 403, 403, 403, 200)),
    ("inquiry-create", "get", None, (200, 200, 200, 200, 200)),
    ("inquiry-thanks", "get", None, (200, 200, 200, 200, 200)),
    ("inquiry-list", "get", None, (200, 403, 403, 403, 200)),
    ("inquiry-detail", "get", "inquiry", (200, 403, 403, 403, 200)),
    ("inquiry-stage", "post", "inquiry", (400, 403, 403, 403, 400)),
    ("course-create", "get", None, (200, 403, 403, 403, 200)),
    ("course-detail", "get", "course", (200, 403, 403, 403, 200)),
    ("course-update", "get", "course", (200, 403, 403, 403, 200)),
    ("course-enrol", "post", "course", (400, 403, 403, 403, 400)),
    ("course-enrol-search", "get", "course", (200, 403, 403, 403, 200)),
    ("course-ics", "get", "course", (200, 403, 403, 403, 200)),
    ("course-attendance-sheet", "get", "course", (200, 403, 403, 403, 200)),
    ("session-create", "get", "course", (200, 403, 403, 403, 200)),
    ("course-family", "get", "family", (200, 403, 403, 403, 200)),
    ("individual-meeting-add", "post", "family", (400, 403, 403, 403, 400)),
    ("assessment-record", "post", "family", (400, 403, 403, 403, 400)),
    ("individual-meeting-update", "get", "meeting", (200, 403, 403, 403, 200)),
    ("individual-meeting-update", "post", "meeting", (400, 403, 403, 403, 400)),
    ("assessment-update", "get", "assessment", (200, 403, 403, 403, 200)),
    ("assessment-update", "post", "assessment", (400, 403, 403, 403, 400)),
    ("session-update", "get", "session", (200, 403, 403, 403, 200)),
    ("session-attendance", "get", "session", (200, 403, 403, 403, 200)),
    ("attendance-toggle", "post", "enrolment", (400, 403, 403, 403, 400)),
    ("session-attendance-all", "post", "session", (302, 403, 403, 403, 302)),
    ("enrolment-certificate", "get", "enrolment", (200, 403, 403, 403, 200)),
    ("session-group-participants", "get", "peer_session", (200, 403, 403, 403, 200)),
    ("group-participant-attendance-toggle", "post", "group_participant", (400, 403, 403, 403, 400)),
    ("enrolment-cancel", "post", "enrolment", (302, 403, 403, 403, 302)),
]


def _url(objects):
    def url(row):
        name, _method, key, _expected = row
        course = objects["course"].pk
        if key is None:
            return reverse(f"training:{name}")
        if key == "family":  # a family on the course
            return reverse(f"training:{name}", args=[course, objects["family"].pk])
        if name == "attendance-toggle":
            return reverse(
                f"training:{name}", args=[objects["session"].pk, objects["enrolment"].pk]
            )
        if name == "group-participant-attendance-toggle":
            return reverse(
                f"training:{name}",
                args=[objects["peer_session"].pk, objects["group_participant"].pk],
            )
        return reverse(f"training:{name}", args=[objects[key].pk])

    return url


def test_anonymous_is_sent_to_login_except_on_the_public_form(client, objects):
    rows = [row for row in MATRIX if row[0] not in PUBLIC]
    assert_anonymous_sent_to_login(client, rows, _url(objects))


def test_anonymous_may_open_the_public_form(client, db):
    assert client.get(reverse("training:inquiry-create")).status_code == 200
    assert client.get(reverse("training:inquiry-thanks")).status_code == 200


@pytest.mark.parametrize("role", ROLES)
def test_training_pages_by_role(role, roles, client_for, objects):
    assert_matrix(client_for(roles[role]), MATRIX, _url(objects), role)


@pytest.mark.parametrize(
    "name, args",
    [
        ("training:course-detail", [999999]),
        ("training:session-attendance", [999999]),
        ("training:session-group-participants", [999999]),
        ("training:inquiry-detail", [999999]),
        ("training:enrolment-certificate", [999999]),
    ],
)
def test_unknown_objects_are_404_for_the_unit(name, args, client_for, unit_worker):
    assert client_for(unit_worker).get(reverse(name, args=args)).status_code == 404


def test_family_not_on_the_course_is_404(client_for, unit_worker, objects):
    other = FamilyFactory()
    url = reverse("training:course-family", args=[objects["course"].pk, other.pk])
    assert client_for(unit_worker).get(url).status_code == 404


def test_nav_shows_training_only_to_those_allowed(client_for, roles, objects):
    assert "/training/" in client_for(roles["unit"]).get("/").content.decode()
    assert 'href="/training/"' not in client_for(roles["kemi"]).get("/").content.decode()
