"""Every training URL for every role: only unit workers and administrators get in.

The public inquiry form is the one page open to anonymous visitors.
"""

import pytest
from django.urls import reverse

from tests.families.factories import CarerFactory, FamilyFactory
from tests.training.factories import EnrolmentFactory, SessionFactory
from training.models import Inquiry

ALLOWED = {"unit", "admin"}


@pytest.fixture
def objects(db):
    session = SessionFactory()
    family = FamilyFactory(status="in_training")
    enrolment = EnrolmentFactory(course=session.course, carer=CarerFactory(family=family))
    inquiry = Inquiry.objects.create(
        family=FamilyFactory(status="inquiry"), language="fi", consent_given_at="2026-01-01T00:00Z"
    )
    inquiry.stage_changes.create(stage="new")
    return {
        "session": session,
        "course": session.course,
        "family": family,
        "enrolment": enrolment,
        "inquiry": inquiry,
    }


def _urls(o):
    c, s, e, f = o["course"].pk, o["session"].pk, o["enrolment"].pk, o["family"].pk
    return [
        ("get", reverse("training:course-list")),
        ("get", reverse("training:calendar")),
        ("get", reverse("training:inquiry-list")),
        ("get", reverse("training:inquiry-detail", args=[o["inquiry"].pk])),
        ("post", reverse("training:inquiry-stage", args=[o["inquiry"].pk])),
        ("get", reverse("training:course-create")),
        ("get", reverse("training:course-detail", args=[c])),
        ("get", reverse("training:course-update", args=[c])),
        ("post", reverse("training:course-enrol", args=[c])),
        ("get", reverse("training:course-ics", args=[c])),
        ("get", reverse("training:course-attendance-sheet", args=[c])),
        ("get", reverse("training:session-create", args=[c])),
        ("get", reverse("training:course-family", args=[c, f])),
        ("post", reverse("training:individual-meeting-add", args=[c, f])),
        ("post", reverse("training:assessment-record", args=[c, f])),
        ("get", reverse("training:session-update", args=[s])),
        ("get", reverse("training:session-attendance", args=[s])),
        ("post", reverse("training:attendance-toggle", args=[s, e])),
        ("get", reverse("training:enrolment-certificate", args=[e])),
        ("post", reverse("training:enrolment-cancel", args=[e])),
    ]


def test_anonymous_is_sent_to_login(client, objects):
    for method, url in _urls(objects):
        response = getattr(client, method)(url)
        assert response.status_code == 302, url
        assert response.url.startswith(reverse("login")), url


def test_anonymous_may_open_only_the_public_form(client, db):
    assert client.get(reverse("training:inquiry-create")).status_code == 200
    assert client.get(reverse("training:inquiry-thanks")).status_code == 200


@pytest.mark.parametrize("role", ["unit", "kemi", "tornio", "finance", "admin"])
def test_training_pages_by_role(role, roles, client_for, objects):
    client = client_for(roles[role])
    for method, url in _urls(objects):
        response = getattr(client, method)(url)
        if role in ALLOWED:
            # POSTs without data re-render the form with errors (400) or redirect (302)
            assert response.status_code in (200, 302, 400), (url, response.status_code)
        else:
            assert response.status_code == 403, (url, response.status_code)


@pytest.mark.parametrize(
    "name, args",
    [
        ("training:course-detail", [999999]),
        ("training:session-attendance", [999999]),
        ("training:inquiry-detail", [999999]),
        ("training:enrolment-certificate", [999999]),
    ],
)
def test_unknown_objects_are_404_for_unit_worker(name, args, client_for, unit_worker):
    assert client_for(unit_worker).get(reverse(name, args=args)).status_code == 404


def test_family_not_on_the_course_is_404(client_for, unit_worker, objects):
    other = FamilyFactory()
    url = reverse("training:course-family", args=[objects["course"].pk, other.pk])
    assert client_for(unit_worker).get(url).status_code == 404


def test_nav_shows_training_only_to_those_allowed(client_for, roles, objects):
    assert "/training/" in client_for(roles["unit"]).get("/").content.decode()
    assert 'href="/training/"' not in client_for(roles["kemi"]).get("/").content.decode()
