"""Reads of recruitment and training that more than one view needs.

Visibility is decided by each model's ``visible_to`` (``fostercare.access``); these
selectors add what the pages show on top of it.
"""

from datetime import datetime, time, timedelta
from decimal import Decimal

from django.conf import settings
from django.db import connection
from django.db.models import (
    Count,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    Func,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    Window,
)
from django.db.models.functions import Coalesce, ExtractYear, Lead
from django.utils import timezone

from families.models import Carer, Family
from fostercare.caching import versioned
from fostercare.models import User
from training.models import (
    Attendance,
    Course,
    Enrolment,
    GroupParticipant,
    IndividualMeeting,
    Inquiry,
    InquiryStageChange,
    ReadinessAssessment,
    Session,
)


def with_seats_and_days(courses: QuerySet[Course]) -> QuerySet[Course]:
    """Each course with its persons ``enrolled`` and ``waitlisted`` and its ``first_day``
    and ``last_day`` of sessions (the course list and the work queue)."""

    # Subqueries, not Count/Min over joins: joining enrolments and sessions multiplies
    # them (every enrolment times every session) and groups every course before a page
    # is cut; these run on the indexes on (course, status) and (course), and the counts
    # only for the rows shown, as PostgreSQL computes them after the sort. The aggregate
    # is a plain function of the subquery's rows (no GROUP BY): a count of none is 0.
    def over(rows: QuerySet, function: str, field: str) -> Subquery:
        return Subquery(rows.order_by().values(value=Func(field, function=function)))

    enrolments = Enrolment.objects.filter(course=OuterRef("pk"))
    sessions = Session.objects.filter(course=OuterRef("pk"))
    return courses.annotate(
        enrolled=over(enrolments.filter(status=Enrolment.Status.ENROLLED), "COUNT", "pk"),
        waitlisted=over(enrolments.filter(status=Enrolment.Status.WAITLISTED), "COUNT", "pk"),
        first_day=over(sessions, "MIN", "date"),
        last_day=over(sessions, "MAX", "date"),
    )


def course_list(user: User) -> QuerySet[Course]:
    return with_seats_and_days(
        Course.objects.visible_to(user).select_related("course_type", "organiser")
    ).order_by(F("first_day").desc(nulls_first=True), "-pk")


def course_detail(user: User) -> QuerySet[Course]:
    return (
        Course.objects.visible_to(user)
        .select_related("course_type", "organiser")
        .prefetch_related(
            Prefetch(
                "sessions",
                queryset=Session.objects.annotate(present=Count("attendances")).order_by(
                    "date", "start_time", "pk"
                ),
            )
        )
    )


def enrolments_with_progress(course: Course) -> QuerySet[Enrolment]:
    """A course's enrolments with what the completion rule needs, in one query."""
    meetings = (
        IndividualMeeting.objects.filter(course=course, family=OuterRef("carer__family"))
        .values("family")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        Enrolment.objects.filter(course=course)
        .select_related("carer__family", "course__course_type")
        .annotate(
            group_meetings=Count(
                "attendances", filter=Q(attendances__session__kind=Session.Kind.GROUP)
            ),
            make_ups=Count(
                "attendances", filter=Q(attendances__session__kind=Session.Kind.MAKE_UP)
            ),
            family_individual_meetings=Coalesce(
                Subquery(meetings, output_field=IntegerField()), Value(0)
            ),
            family_assessed=Exists(
                ReadinessAssessment.objects.filter(course=course, family=OuterRef("carer__family"))
            ),
        )
        .order_by("carer__family__name", "carer__family_id", "created_at", "pk")
    )


def enrollable_families(user: User) -> QuerySet[Family]:
    """The families a course page may enrol: not ended, with at least one carer."""
    # EXISTS, not a join with DISTINCT over every family column
    return (
        Family.objects.visible_to(user)
        .exclude(status=Family.Status.ENDED)
        .filter(Exists(Carer.objects.filter(family=OuterRef("pk"))))
        .order_by("name", "pk")
    )


def course_families(user: User, course: Course) -> QuerySet[Family]:
    """Families with an enrolled carer on the course, with their meetings and assessment."""
    return (
        Family.objects.visible_to(user)
        .filter(
            carers__enrolments__course=course,
            carers__enrolments__status=Enrolment.Status.ENROLLED,
        )
        .distinct()
        .prefetch_related(
            Prefetch(
                "individual_meetings",
                queryset=IndividualMeeting.objects.filter(course=course),
                to_attr="course_meetings",
            ),
            Prefetch(
                "readiness_assessments",
                queryset=ReadinessAssessment.objects.filter(course=course),
                to_attr="course_assessments",
            ),
        )
        .order_by("name", "pk")
    )


def session_enrolments(user: User, session: Session) -> QuerySet[Enrolment]:
    """The enrolled participants of a session's course that ``user`` may record."""
    return (
        Enrolment.objects.visible_to(user, "change")
        .filter(course_id=session.course_id, status=Enrolment.Status.ENROLLED)
        .select_related("carer__family")
    )


def session_participants(session: Session) -> list[Enrolment]:
    """The enrolled participants of a session's course, each with ``present`` set."""
    present = Attendance.objects.filter(session=session, enrolment=OuterRef("pk"))
    return list(
        Enrolment.objects.filter(course_id=session.course_id, status=Enrolment.Status.ENROLLED)
        .select_related("carer__family")
        .annotate(present=Exists(present))
        .order_by("carer__family__name", "carer__last_name", "carer__first_name", "pk")
    )


def session_group_participants(session: Session) -> list[GroupParticipant]:
    """A peer group's participants who are not carers, each with ``present`` set."""
    present = Attendance.objects.filter(session=session, participant=OuterRef("pk"))
    return list(
        GroupParticipant.objects.filter(course_id=session.course_id)
        .annotate(present=Exists(present))
        .order_by("display_name", "pk")
    )


def upcoming_sessions(user: User, *, weeks: int) -> QuerySet[Session]:
    today = timezone.localdate()
    return (
        Session.objects.visible_to(user)
        .filter(date__gte=today, date__lt=today + timedelta(weeks=weeks))
        .select_related("course__course_type")
        .annotate(
            enrolled=Count(
                "course__enrolments",
                filter=Q(course__enrolments__status=Enrolment.Status.ENROLLED),
            )
        )
        .order_by("date", "start_time", "pk")
    )


def inquiries_not_contacted(inquiries: QuerySet[Inquiry], today) -> QuerySet[Inquiry]:
    """New inquiries received WORKLIST_INQUIRY_CONTACT_DAYS or more days ago (the work
    queue's section and the inquiry list's filter)."""
    days = settings.WORKLIST_INQUIRY_CONTACT_DAYS
    # received on or before this day: the start of the day after it, in local time
    cutoff = timezone.make_aware(datetime.combine(today - timedelta(days=days - 1), time.min))
    return inquiries.filter(stage=Inquiry.Stage.NEW, created_at__lt=cutoff)


def inquiry_list(user: User) -> QuerySet[Inquiry]:
    # The latest change as a subquery, not Max() over a join: a GROUP BY of every inquiry
    # before the page is cut; this one runs for the page's rows only, on the index on
    # (inquiry, entered_at), and the page's count leaves it out.
    latest_change = (
        InquiryStageChange.objects.filter(inquiry=OuterRef("pk"))
        .order_by("-entered_at")
        .values("entered_at")[:1]
    )
    return (
        Inquiry.objects.visible_to(user)
        .select_related("family__home_municipality")
        .annotate(stage_since=Subquery(latest_change))
        .order_by("-created_at", "-pk")
    )


def inquiry_pipeline(user: User) -> list[dict]:
    """Per stage: inquiries now in it, and the average time inquiries spent (or have spent
    so far) in it. Time in a stage is computed from the history, never stored; the
    figures are kept in the shared cache until an inquiry or its history changes
    (``training.apps``), and at most PIPELINE_CACHE_SECONDS for the stays still running."""
    stays, counts = versioned(
        "inquiries",
        f"pipeline:{user.pk}:{user.organisation_id}",
        lambda: _pipeline_figures(user),
        timeout=PIPELINE_CACHE_SECONDS,
    )
    rows = []
    for value, label in Inquiry.Stage.choices:
        total, n = stays.get(value, (None, 0))
        average = total / n if n else None
        rows.append(
            {
                "stage": value,
                "label": label,
                "count": counts.get(value, 0),
                "average_days": (
                    Decimal(average / timedelta(days=1)).quantize(Decimal("0.1"))
                    if average is not None
                    else None
                ),
            }
        )
    return rows


# A stay still running grows by 0.1 days in 2.4 hours: five minutes cannot show.
PIPELINE_CACHE_SECONDS = 300


def _pipeline_figures(user: User) -> tuple[dict, dict]:
    """({stage: (total time, stays)}, {stage: inquiries now in it}) over what ``user`` sees."""
    # A stay runs until the inquiry's next change, in the order its page lists them, or
    # until now: the next change's time by LEAD in one pass over the history, not by a
    # lookup per change. The outer query sums the stays per stage (an aggregate over a
    # window needs it) and leaves the closed stages out only then, as their changes end
    # the stays before them.
    history = (
        InquiryStageChange.objects.visible_to(user)
        .filter(inquiry__in=Inquiry.objects.visible_to(user))
        .order_by()
        .values(
            "stage",
            "entered_at",
            left_at=Window(
                Lead("entered_at"), partition_by="inquiry", order_by=["entered_at", "pk"]
            ),
        )
    )
    stays = {}
    if not history.query.is_empty():
        inner, params = history.query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT stage, SUM(COALESCE(left_at, STATEMENT_TIMESTAMP()) - entered_at), "
                f"COUNT(*) FROM ({inner}) AS history WHERE NOT stage = ANY(%s) GROUP BY stage",
                [*params, list(Inquiry.CLOSED_STAGES)],
            )
            stays = {stage: (total, n) for stage, total, n in cursor.fetchall()}
    counts = dict(
        Inquiry.objects.visible_to(user).values_list("stage").annotate(n=Count("pk")).order_by()
    )
    return stays, counts


def continuing_education_hours(user: User, family: Family) -> list[dict]:
    """Hours of continuing education each carer of the family attended, per year."""
    rows = (
        Attendance.objects.visible_to(user)
        .filter(
            enrolment__carer__family=family,
            session__course__course_type__counts_as_continuing_education=True,
        )
        .annotate(year=ExtractYear("session__date"))
        .values(
            "year",
            "enrolment__carer_id",
            "enrolment__carer__first_name",
            "enrolment__carer__last_name",
        )
        .annotate(
            duration=Sum(
                ExpressionWrapper(
                    F("session__end_time") - F("session__start_time"),
                    output_field=DurationField(),
                )
            )
        )
        .order_by("-year", "enrolment__carer__last_name", "enrolment__carer__first_name")
    )
    return [
        {
            "year": row["year"],
            "carer": f"{row['enrolment__carer__first_name']} {row['enrolment__carer__last_name']}",
            "hours": (Decimal(row["duration"] / timedelta(minutes=1)) / 60).quantize(
                Decimal("0.1")
            ),
        }
        for row in rows
    ]


def inquiry_stage_history(inquiry: Inquiry) -> list[InquiryStageChange]:
    """The inquiry's stages in order, each with ``duration``: until the next change, or
    until now for the stage it is in."""
    changes = list(inquiry.stage_changes.all())
    # (an inquiry without any stage yet, e.g. one imported, has no history: no zip)
    for change, following in zip(changes, [*changes[1:], None][: len(changes)], strict=True):
        change.duration = (following.entered_at if following else timezone.now()) - (
            change.entered_at
        )
    return changes
