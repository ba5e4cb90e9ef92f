"""The national-scale data set: courses with sessions and enrolments, and the inquiries of
the families still being recruited. Run through ``manage.py seed_scale``."""

import random
from datetime import time, timedelta

from django.utils import timezone

from families.models import Carer, Family
from fostercare.caching import new_version
from fostercare.models import MemberOrganisation, User
from fostercare.scale import BATCH, Size
from training.models import (
    Audience,
    Course,
    CourseType,
    Enrolment,
    Inquiry,
    InquiryStageChange,
    Session,
)

ENROLMENTS_PER_COURSE = 20
# the families' statuses and the stage of the inquiry that brought them in
STAGES = {
    Family.Status.INQUIRY: [Inquiry.Stage.NEW, Inquiry.Stage.CONTACTED, Inquiry.Stage.INFO_EVENING],
    Family.Status.IN_TRAINING: [Inquiry.Stage.IN_TRAINING],
    Family.Status.ASSESSMENT: [Inquiry.Stage.ASSESSMENT],
}
STAGE_PATH = [
    Inquiry.Stage.CONTACTED,
    Inquiry.Stage.INFO_EVENING,
    Inquiry.Stage.IN_TRAINING,
    Inquiry.Stage.ASSESSMENT,
]


def seed(size: Size, stdout) -> None:
    rng = random.Random(12)
    today = timezone.localdate()
    now = timezone.now()
    unit = User.objects.get(username="unit")
    types = list(CourseType.objects.order_by("pk"))
    organisations = list(MemberOrganisation.objects.order_by("pk"))
    courses = Course.objects.bulk_create(
        (
            Course(
                course_type=types[n % len(types)],
                title=f"{types[n % len(types)].name_fi} {2020 + n % 8}/{n + 1}",
                audience=[Audience.FOSTER_PARENTS],
                capacity=rng.choice([12, 16, 20, 24]),
                enrolment_opens_on=today - timedelta(days=rng.randint(0, 2000)),
                organiser=organisations[n % len(organisations)],
            )
            for n in range(size.courses)
        ),
        batch_size=BATCH,
    )
    for course in courses:
        course.enrolment_closes_on = course.enrolment_opens_on + timedelta(days=60)
    Course.objects.bulk_update(courses, ["enrolment_closes_on"], batch_size=BATCH)
    Session.objects.bulk_create(
        (
            Session(
                course=course,
                date=course.enrolment_closes_on + timedelta(days=7 * k + 7),
                start_time=time(17, 0),
                end_time=time(20, 0),
                place="Kunnantalo",
                topic=f"Tapaaminen {k + 1}",
            )
            for course in courses
            for k in range(4)
        ),
        batch_size=BATCH,
    )
    carer_ids = list(Carer.objects.order_by("?").values_list("pk", flat=True)[: size.courses * 40])
    enrolments = []
    for n, course in enumerate(courses):
        picked = carer_ids[n * ENROLMENTS_PER_COURSE : (n + 1) * ENROLMENTS_PER_COURSE]
        for k, carer_id in enumerate(picked):
            enrolments.append(
                Enrolment(
                    course=course,
                    carer_id=carer_id,
                    status=(
                        Enrolment.Status.ENROLLED
                        if k < course.capacity
                        else Enrolment.Status.WAITLISTED
                    ),
                    created_by=unit,
                )
            )
    Enrolment.objects.bulk_create(enrolments, batch_size=BATCH)

    recruited = Family.objects.filter(status__in=STAGES, inquiry__isnull=True).order_by("pk")
    inquiries = Inquiry.objects.bulk_create(
        (
            Inquiry(
                family=family,
                stage=rng.choice(STAGES[family.status]),
                message="Olemme kiinnostuneita perhehoidosta.",
                language="fi",
                consent_given_at=now - timedelta(days=rng.randint(10, 700)),
                created_at=now - timedelta(days=rng.randint(10, 700)),
            )
            for family in recruited.only("pk", "status")
        ),
        batch_size=BATCH,
    )
    changes = []
    for inquiry in inquiries:
        reached = STAGE_PATH.index(inquiry.stage) + 1 if inquiry.stage in STAGE_PATH else 0
        for k, stage in enumerate(STAGE_PATH[:reached]):
            changes.append(
                InquiryStageChange(
                    inquiry=inquiry,
                    stage=stage,
                    entered_at=inquiry.created_at + timedelta(days=10 * (k + 1)),
                    changed_by=unit,
                )
            )
    InquiryStageChange.objects.bulk_create(changes, batch_size=BATCH)
    new_version("inquiries")  # bulk_create sends no signal (training.selectors)
    stdout.write(
        f"Training: {len(courses)} courses, {len(enrolments)} enrolments, "
        f"{len(inquiries)} inquiries."
    )
