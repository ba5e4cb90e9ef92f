from datetime import time, timedelta

import factory
from django.utils import timezone

from training.models import Course, CourseType, Enrolment, Session


class CourseTypeFactory(factory.django.DjangoModelFactory):
    """PRIDE by default: 9 group meetings, 2 make-ups, 3 individual meetings, assessment."""

    class Meta:
        model = CourseType
        django_get_or_create = ["code"]

    code = "pride"
    category = CourseType.Category.PRE_SERVICE
    name_fi = "PRIDE-ennakkovalmennus"
    name_en = "PRIDE pre-service training"
    required_group_meetings = 9
    make_ups_allowed = 2
    required_individual_meetings = 3
    assessment_required = True


class CourseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Course

    course_type = factory.SubFactory(CourseTypeFactory)
    title = factory.Sequence(lambda n: f"PRIDE {n}")
    capacity = 12
    audience = factory.LazyFunction(lambda: ["foster_parents"])
    enrolment_opens_on = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=30))
    enrolment_closes_on = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=30))


class SessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Session

    course = factory.SubFactory(CourseFactory)
    kind = Session.Kind.GROUP
    # weekly, always in the past (attendance is recorded only for sessions that started)
    date = factory.Sequence(
        lambda n: timezone.localdate() - timedelta(days=700) + timedelta(weeks=n % 90)
    )
    start_time = time(17, 30)
    end_time = time(20, 30)
    topic = factory.Sequence(lambda n: f"Tapaaminen {n}")
    place = "Valtakatu 1, Kemi"
    trainers = "Ulla Unitinen"


class EnrolmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Enrolment

    course = factory.SubFactory(CourseFactory)
    carer = factory.SubFactory("tests.families.factories.CarerFactory")
    status = Enrolment.Status.ENROLLED


def pride_course(*, sessions=9, make_ups=1, **kwargs) -> Course:
    course = CourseFactory(**kwargs)
    for _ in range(sessions):
        SessionFactory(course=course)
    for _ in range(make_ups):
        SessionFactory(course=course, kind=Session.Kind.MAKE_UP)
    return course
