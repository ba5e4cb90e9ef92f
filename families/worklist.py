"""What the register puts on the unit's work queue: checks that expire, and supervision
follow-ups that are overdue. Registered in ``FamiliesConfig.ready()``."""

import calendar
from datetime import date, timedelta

from django.conf import settings
from django.db.models import QuerySet
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from families.access import may_follow_up_visits
from families.gates import GATE_CRIMINAL_RECORD, GATE_HOME_STUDY, GATES_BY_KIND
from families.models import Carer, Family, Provider, SupervisionVisit
from fostercare.worklist import Item, Level

SECTION_CHECKS = "families.checks"
SECTION_SUPERVISION = "families.supervision"

SECTIONS = [
    (SECTION_CHECKS, gettext_lazy("Checks expiring or overdue"), 40),
    (SECTION_SUPERVISION, gettext_lazy("Supervision follow-ups overdue"), 50),
]

CHECK_HEALTH = "health_check"
CHECK_CRIMINAL_RECORD = "criminal_record"
CHECK_HOME_STUDY = "home_study"
CHECK_LICENCE = "provider_licence"

# How long each check is valid, in months: the one place that says it (settings today;
# when validity periods become data, only check_due_on changes).
CHECK_VALIDITY_SETTINGS = {
    CHECK_HEALTH: "WORKLIST_HEALTH_CHECK_VALID_MONTHS",
    CHECK_CRIMINAL_RECORD: "WORKLIST_CRIMINAL_RECORD_VALID_MONTHS",
    CHECK_HOME_STUDY: "WORKLIST_HOME_STUDY_VALID_MONTHS",
    CHECK_LICENCE: "WORKLIST_PROVIDER_LICENCE_VALID_MONTHS",
}


# The one read of each model, through its visibility rule (fostercare.access).
def _families(user) -> QuerySet[Family]:
    return Family.objects.visible_to(user)


def _carers(user) -> QuerySet[Carer]:
    return Carer.objects.visible_to(user)


def _providers(user) -> QuerySet[Provider]:
    return Provider.objects.visible_to(user)


def _visits(user) -> QuerySet[SupervisionVisit]:
    return SupervisionVisit.objects.visible_to(user)


def add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return day.replace(
        year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1])
    )


def check_due_on(check: str, done_on: date | None) -> date | None:
    """When ``check``, last done on ``done_on``, falls due again; None if never recorded
    (due now)."""
    if done_on is None:
        return None
    return add_months(done_on, getattr(settings, CHECK_VALIDITY_SETTINGS[check]))


def _check_labels() -> dict[str, str]:
    return {
        CHECK_HEALTH: _("Wellbeing and health check"),
        CHECK_CRIMINAL_RECORD: _("Criminal-record extract"),
        CHECK_HOME_STUDY: _("Home study"),
        CHECK_LICENCE: _("Provider licence review"),
    }


def _check_item(check, subject_key, who, done_on, url, today) -> Item | None:
    """An item when the check is overdue or due within WORKLIST_CHECK_WARNING_DAYS."""
    due = check_due_on(check, done_on)
    warning = timedelta(days=settings.WORKLIST_CHECK_WARNING_DAYS)
    if due is not None and due > today + warning:
        return None
    name = _check_labels()[check]
    if due is None:
        detail, days_left = _("not recorded"), -(10**6)
    elif due < today:
        detail = _("overdue since %(date)s") % {"date": date_format(due, "SHORT_DATE_FORMAT")}
        days_left = (due - today).days
    else:
        detail = _("due on %(date)s") % {"date": date_format(due, "SHORT_DATE_FORMAT")}
        days_left = (due - today).days
    overdue = due is None or due < today
    return Item(
        section=SECTION_CHECKS,
        key=f"families.check:{check}:{subject_key}",
        label=f"{name}: {who}",
        url=url,
        level=Level.CRITICAL if overdue else Level.HIGH,
        sort=days_left,
        detail=detail,
        # with the due date: the next round of the same check is reminded again
        threshold=f"{'overdue' if overdue else 'due_soon'}:{due or 'not_recorded'}",
    )


def _kinds_gated_by(gate: str) -> list[str]:
    return [kind for kind, gates in GATES_BY_KIND.items() if gate in gates]


def check_items(user, today: date) -> list[Item]:
    """Checks of the families that may be given a child (and their carers living in the
    home), and of active providers' licences where a grant date is recorded."""
    items = []
    carers = (
        _carers(user)
        .filter(lives_in_home=True, family__status__in=Family.AVAILABLE_STATUSES)
        .select_related("family")
        .order_by("pk")
    )
    for carer in carers:
        family = carer.family
        url = reverse("families:family-detail", args=[family.pk])
        who = f"{carer} ({family})"
        # full-time carers: those of a family caring for children now, not support
        # families (an open-care measure, one weekend a month)
        if family.status == Family.Status.ACTIVE and family.kind != Family.Kind.SUPPORT:
            items.append(
                _check_item(
                    CHECK_HEALTH, f"carer:{carer.pk}", who, carer.health_checked_on, url, today
                )
            )
        if family.kind in _kinds_gated_by(GATE_CRIMINAL_RECORD):
            items.append(
                _check_item(
                    CHECK_CRIMINAL_RECORD,
                    f"carer:{carer.pk}",
                    who,
                    carer.criminal_record_seen_on,
                    url,
                    today,
                )
            )
    families = _families(user).filter(
        status__in=Family.AVAILABLE_STATUSES, kind__in=_kinds_gated_by(GATE_HOME_STUDY)
    )
    for family in families.order_by("pk"):
        url = reverse("families:family-detail", args=[family.pk])
        items.append(
            _check_item(
                CHECK_HOME_STUDY,
                f"family:{family.pk}",
                str(family),
                family.home_study_approved_on,
                url,
                today,
            )
        )
    providers = _providers(user).filter(active=True, licence_granted_on__isnull=False)
    if not settings.WORKLIST_PROVIDER_LICENCE_VALID_MONTHS:
        providers = providers.none()  # licences are not reviewed by date
    for provider in providers.order_by("pk"):
        url = reverse("families:provider-detail", args=[provider.pk])
        items.append(
            _check_item(
                CHECK_LICENCE,
                f"provider:{provider.pk}",
                str(provider),
                provider.licence_granted_on,
                url,
                today,
            )
        )
    return [item for item in items if item is not None]


def supervision_items(user, today: date) -> list[Item]:
    if not may_follow_up_visits(user):
        return []
    open_follow_ups = (
        _visits(user)
        .filter(follow_up_due_on__isnull=False, follow_up_done_on__isnull=True)
        .select_related("provider")
        .order_by("follow_up_due_on", "pk")
    )
    return [
        Item(
            section=SECTION_SUPERVISION,
            key=f"families.supervision:{visit.pk}",
            label=_("Follow-up of the visit of %(date)s: %(provider)s")
            % {
                "date": date_format(visit.visited_on, "SHORT_DATE_FORMAT"),
                "provider": visit.provider,
            },
            url=reverse("families:provider-detail", args=[visit.provider_id]),
            level=Level.CRITICAL,
            sort=(visit.follow_up_due_on - today).days,
            detail=_("was due on %(date)s")
            % {"date": date_format(visit.follow_up_due_on, "SHORT_DATE_FORMAT")},
            threshold="overdue",
        )
        for visit in open_follow_ups
        if visit.follow_up_overdue  # the register's own rule, as the provider page flags it
    ]


def worklist_items(user, today: date) -> list[Item]:
    return check_items(user, today) + supervision_items(user, today)
