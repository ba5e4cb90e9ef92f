"""What the register puts on the unit's work queue: checks that expire, providers'
licences that end, and supervision follow-ups that are overdue. Registered in
``FamiliesConfig.ready()``."""

import calendar
from datetime import date, timedelta

from django.conf import settings
from django.db.models import F, Q, QuerySet
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from families.access import may_follow_up_visits
from families.gates import GATE_CRIMINAL_RECORD, GATE_HOME_STUDY, GATES_BY_KIND
from families.models import Carer, CheckType, Family, Provider, SupervisionVisit
from fostercare.access import may
from fostercare.caching import versioned
from fostercare.worklist import Item, Level, NotBuilt, most_urgent

SECTION_CHECKS = "families.checks"
SECTION_SUPERVISION = "families.supervision"

SECTIONS = [
    (SECTION_CHECKS, gettext_lazy("Checks expiring or overdue"), 40),
    (SECTION_SUPERVISION, gettext_lazy("Supervision follow-ups overdue"), 50),
]

CHECK_HEALTH = CheckType.Code.HEALTH_CHECK.value
CHECK_CRIMINAL_RECORD = CheckType.Code.CRIMINAL_RECORD.value
CHECK_HOME_STUDY = CheckType.Code.HOME_STUDY.value
CHECK_LICENCE = CheckType.Code.PROVIDER_LICENCE.value

# How long each check is valid is data (CheckType, edited in the admin; the migration
# wrote these settings' values). A check type without a row falls back to its setting.
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


def check_validity() -> dict[str, int]:
    """Months each check stays valid (0: it does not expire); the check types' periods
    from the shared cache until one is changed (``families.apps``)."""
    validity = {code: getattr(settings, name) for code, name in CHECK_VALIDITY_SETTINGS.items()}
    validity.update(
        versioned(
            "checktypes",
            "validity",
            lambda: dict(CheckType.objects.values_list("code", "valid_months")),
            timeout=3600,
        )
    )
    return validity


def check_due_on(
    check: str, done_on: date | None, validity: dict[str, int] | None = None
) -> date | None:
    """When ``check``, last done on ``done_on``, falls due again; None if never recorded
    (due now). ``validity`` is ``check_validity()``, read once by a caller that asks often;
    a check that does not expire is due ``date.max``."""
    if done_on is None:
        return None
    months = (validity or check_validity())[check]
    return add_months(done_on, months) if months else date.max


def _check_labels() -> dict[str, str]:
    return {
        CHECK_HEALTH: _("Wellbeing and health check"),
        CHECK_CRIMINAL_RECORD: _("Criminal-record extract"),
        CHECK_HOME_STUDY: _("Home study"),
        CHECK_LICENCE: _("Provider licence review"),
    }


def _check_warning() -> timedelta:
    return timedelta(days=settings.WORKLIST_CHECK_WARNING_DAYS)


def _check_item(check, subject_key, who, done_on, url, today, validity) -> Item | None:
    """An item when the check is overdue or due within WORKLIST_CHECK_WARNING_DAYS."""
    due = check_due_on(check, done_on, validity)
    warning = _check_warning()
    if due is not None and (due == date.max or due > today + warning):
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


def last_done_on_due(until: date, months: int) -> date:
    """The latest day a check valid ``months`` may have been done on and still fall due
    by ``until``: ``check_due_on(done_on) <= until`` exactly when ``done_on`` is on or
    before it (``add_months`` clips to a month's end, so a month-end ``until`` takes in
    the whole month before)."""
    cutoff = add_months(until, -months)
    if until.day == calendar.monthrange(until.year, until.month)[1]:
        cutoff = cutoff.replace(day=calendar.monthrange(cutoff.year, cutoff.month)[1])
    return cutoff


def _due(queryset: QuerySet, field: str, months: int, until: date) -> QuerySet:
    """The rows whose check ``field`` is not recorded or falls due by ``until``, the
    most urgent (not recorded, then the longest overdue) first."""
    due = Q(**{f"{field}__isnull": True})
    if months:
        due |= Q(**{f"{field}__lte": last_done_on_due(until, months)})
    return queryset.filter(due).order_by(F(field).asc(nulls_first=True), "pk")


def check_items(user, today: date, limit: int | None = None) -> list[Item | NotBuilt]:
    """Checks of the families that may be given a child (and their carers living in the
    home), and of active providers' licences where a grant date is recorded: those not
    recorded, overdue or due within WORKLIST_CHECK_WARNING_DAYS, selected in SQL by the
    due-date rule of ``check_due_on``, each check's ``limit`` most urgent built."""
    until = today + _check_warning()
    carers = (
        _carers(user)
        .filter(lives_in_home=True, family__status__in=Family.AVAILABLE_STATUSES)
        .select_related("family")
        # what an item says: the carer's and the family's names, the dates (nationally,
        # a hash of 12,000 families' names, not of their whole rows: 15 ms to 11 ms)
        .only(
            "first_name",
            "last_name",
            "health_checked_on",
            "criminal_record_seen_on",
            "family__name",
        )
    )
    # full-time carers: those of a family caring for children now, not support families
    # (an open-care measure, one weekend a month)
    full_time = carers.filter(family__status=Family.Status.ACTIVE).exclude(
        family__kind=Family.Kind.SUPPORT
    )
    vetted = carers.filter(family__kind__in=_kinds_gated_by(GATE_CRIMINAL_RECORD))
    families = _families(user).filter(
        status__in=Family.AVAILABLE_STATUSES, kind__in=_kinds_gated_by(GATE_HOME_STUDY)
    )
    providers = _providers(user).filter(active=True, licence_granted_on__isnull=False)
    if not may(user, "view", Provider):
        providers = providers.none()
    if all(qs.query.is_empty() for qs in (carers, families, providers)):
        return []  # nothing this user may see is checked: not even the periods are read
    validity = check_validity()
    if not validity[CHECK_LICENCE]:
        providers = None  # licences are not reviewed by date

    def carer(c):
        return f"carer:{c.pk}", f"{c} ({c.family})", "families:family-detail", c.family_id

    def family(f):
        return f"family:{f.pk}", str(f), "families:family-detail", f.pk

    def provider(p):
        return f"provider:{p.pk}", str(p), "families:provider-detail", p.pk

    sources = [
        (CHECK_HEALTH, full_time, "health_checked_on", carer),
        (CHECK_CRIMINAL_RECORD, vetted, "criminal_record_seen_on", carer),
        (CHECK_HOME_STUDY, families, "home_study_approved_on", family),
        (CHECK_LICENCE, providers, "licence_granted_on", provider),
    ]
    items: list[Item | NotBuilt] = []
    for check, queryset, field, describe in sources:
        if queryset is None:
            continue
        rows, more = most_urgent(_due(queryset, field, validity[check], until), limit)
        for row in rows:
            key, who, view, pk = describe(row)
            url = reverse(view, args=[pk])
            items.append(_check_item(check, key, who, getattr(row, field), url, today, validity))
        if more:
            items.append(NotBuilt(SECTION_CHECKS, more))
    # active providers' licences ending within the checks' warning window, or ended
    ending = (
        _providers(user)
        .filter(active=True, licence_valid_until__lte=until)
        .order_by("licence_valid_until", "pk")
    )
    if not may(user, "view", Provider):
        ending = ending.none()
    rows, more = most_urgent(ending, limit)
    for row in rows:
        url = reverse("families:provider-detail", args=[row.pk])
        items.append(_licence_end_item(row, url, today))
    if more:
        items.append(NotBuilt(SECTION_CHECKS, more))
    return [item for item in items if item is not None]


def _licence_end_item(provider: Provider, url: str, today: date) -> Item | None:
    """An item when the provider's licence ends within WORKLIST_CHECK_WARNING_DAYS or has
    ended (it is valid through its last day, ``Provider.licence_valid_on``)."""
    until = provider.licence_valid_until
    if until is None or until > today + _check_warning():
        return None
    ended = until < today
    day = date_format(until, "SHORT_DATE_FORMAT")
    return Item(
        section=SECTION_CHECKS,
        key=f"families.licence_end:provider:{provider.pk}",
        label=_("Provider licence: %(provider)s") % {"provider": provider},
        url=url,
        level=Level.CRITICAL if ended else Level.HIGH,
        sort=(until - today).days,
        detail=(_("ended on %(date)s") if ended else _("ends on %(date)s")) % {"date": day},
        # with the end date: a renewed licence's next end is reminded again
        threshold=f"{'ended' if ended else 'ending'}:{until}",
    )


def supervision_items(user, today: date, limit: int | None = None) -> list[Item | NotBuilt]:
    if not may_follow_up_visits(user):
        return []
    overdue = (
        _visits(user)
        .filter(SupervisionVisit.overdue_on(today))  # the register's rule, as its page flags it
        .select_related("provider")
        .order_by("follow_up_due_on", "pk")
    )
    rows, more = most_urgent(overdue, limit)
    items: list[Item | NotBuilt] = [NotBuilt(SECTION_SUPERVISION, more)] if more else []
    return items + [
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
        for visit in rows
    ]


def worklist_items(user, today: date, limit: int | None = None) -> list[Item | NotBuilt]:
    return check_items(user, today, limit) + supervision_items(user, today, limit)
