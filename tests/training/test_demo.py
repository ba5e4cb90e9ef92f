"""The demo data: a PRIDE course with people and attendance, and inquiries in stages."""

import io
from datetime import date

from families import demo as families_demo
from fostercare import demo as fostercare_demo
from training import demo
from training.models import Attendance, Course, Enrolment, GroupParticipant, Inquiry


def test_demo_seeds_courses_and_inquiries_once(db):
    out = io.StringIO()
    fostercare_demo.seed(out)
    families_demo.seed(out)
    demo.seed(out)
    demo.seed(out)  # idempotent

    pride = Course.objects.get(course_type__code="pride")
    assert pride.sessions.count() == 10
    enrolled = pride.enrolments.filter(status=Enrolment.Status.ENROLLED)
    assert enrolled.exists()
    assert {e.carer.family.status for e in enrolled} == {"in_training"}
    assert Attendance.objects.filter(enrolment__course=pride).exists()
    assert Course.objects.filter(course_type__code="info-evening").count() == 1
    assert Course.objects.filter(course_type__code="peer-group").count() == 2
    assert Course.objects.filter(course_type__code="group-supervision").count() == 1
    # the children's and birth parents' group: participants by first name, with attendance
    assert set(GroupParticipant.objects.values_list("role", flat=True)) == {
        "child",
        "birth_parent",
    }
    assert Attendance.objects.filter(participant__isnull=False).exists()
    assert Inquiry.objects.count() == 5
    assert Inquiry.objects.values("stage").distinct().count() >= 4


def test_demo_families_that_may_take_children_pass_the_gates(db):
    from families.gates import family_gaps
    from families.models import Family

    out = io.StringIO()
    fostercare_demo.seed(out)
    families_demo.seed(out)
    demo.seed(out)

    available = Family.objects.filter(status__in=Family.AVAILABLE_STATUSES)
    assert available.filter(status="approved").exists()
    assert available.filter(status="active").exists()
    assert {f.name: family_gaps(f) for f in available if family_gaps(f)} == {}
    assert not Attendance.objects.filter(session__date__gt=date.today()).exists()
