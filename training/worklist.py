"""What recruitment and training put on the unit's work queue: inquiries nobody has
contacted in time, and full courses with a waitlist. Registered in
``TrainingConfig.ready()``."""

from datetime import date

from django.conf import settings
from django.db.models import F, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy, ngettext

from fostercare.worklist import Item, Level, NotBuilt, filtered_list, most_urgent
from training.models import Course, Inquiry
from training.selectors import inquiries_not_contacted, with_seats_and_days

SECTION_INQUIRIES = "training.inquiries"
SECTION_COURSES = "training.courses"

SECTIONS = [
    (
        SECTION_INQUIRIES,
        gettext_lazy("Inquiries not contacted"),
        80,
        filtered_list("training:inquiry-list", not_contacted="on"),
    ),
    (SECTION_COURSES, gettext_lazy("Full courses with a waitlist"), 90),
]


# The one read of each model, through its visibility rule (fostercare.access).
def _inquiries(user) -> QuerySet[Inquiry]:
    return Inquiry.objects.visible_to(user)


def _courses(user) -> QuerySet[Course]:
    return Course.objects.visible_to(user)


def inquiry_items(user, today: date, limit: int | None = None) -> list[Item | NotBuilt]:
    """New inquiries received WORKLIST_INQUIRY_CONTACT_DAYS or more days ago."""
    inquiries = (
        inquiries_not_contacted(_inquiries(user), today)
        .select_related("family")
        .order_by("created_at", "pk")
    )
    rows, more = most_urgent(inquiries, limit)
    items: list[Item | NotBuilt] = [NotBuilt(SECTION_INQUIRIES, more)] if more else []
    for inquiry in rows:
        received = timezone.localdate(inquiry.created_at)
        age = (today - received).days
        items.append(
            Item(
                section=SECTION_INQUIRIES,
                key=f"training.inquiry:{inquiry.pk}",
                label=str(inquiry.family),
                url=reverse("training:inquiry-detail", args=[inquiry.pk]),
                level=Level.HIGH,
                sort=-age,
                detail=ngettext(
                    "received on %(date)s, %(days)s day ago",
                    "received on %(date)s, %(days)s days ago",
                    age,
                )
                % {"date": date_format(received, "SHORT_DATE_FORMAT"), "days": age},
                age_days=age,
                threshold=f"not_contacted_{settings.WORKLIST_INQUIRY_CONTACT_DAYS}",
            )
        )
    return items


def course_items(user, today: date) -> list[Item]:
    """Courses not yet over whose seats are all taken and who have people waiting."""
    courses = (
        with_seats_and_days(_courses(user))
        .filter(waitlisted__gt=0, enrolled__gte=F("capacity"))
        .filter(Q(last_day__isnull=True) | Q(last_day__gte=today))
        .order_by("pk")
    )
    return [
        Item(
            section=SECTION_COURSES,
            key=f"training.course_full:{course.pk}",
            label=str(course),
            url=reverse("training:course-detail", args=[course.pk]),
            level=Level.NORMAL,
            sort=-course.waitlisted,
            detail=ngettext(
                "%(seats)s seats taken, %(waiting)s person waiting",
                "%(seats)s seats taken, %(waiting)s persons waiting",
                course.waitlisted,
            )
            % {"seats": course.enrolled, "waiting": course.waitlisted},
            count=course.waitlisted,
            threshold="full_with_waitlist",
        )
        for course in courses
    ]


def worklist_items(user, today: date, limit: int | None = None) -> list[Item | NotBuilt]:
    # a course with a waitlist is rare enough to be listed whole
    return inquiry_items(user, today, limit) + course_items(user, today)
