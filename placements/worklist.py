"""What placements puts on the work queue. Registered in ``PlacementsConfig.ready()``.

The unit: requests waiting for a pair (emergencies first), emergency placements by days
left of their 30, proposals waiting for the municipality, young people approaching the
aftercare planning point, and approved families idle for a long time. A municipal worker:
their own municipality's open requests with whom each waits for, and their children's
emergency clocks — never another municipality's, not even a request shared with them.
"""

from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db.models import Case, Exists, F, Max, OuterRef, Q, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce, Greatest, TruncDate
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from families.models import Family, FamilyStatusChange
from fostercare.access import is_municipal_worker_of_member
from fostercare.worklist import Item, Level, NotBuilt, filtered_list, most_urgent
from placements.access import is_unit_side
from placements.models import (
    AftercarePlan,
    Placement,
    PlacementRequest,
    PlacementType,
    aftercare_planning_born,
)

S = PlacementRequest.Status

SECTION_WAITING_FOR_PAIR = "placements.waiting_for_pair"
SECTION_EMERGENCY = "placements.emergency"
SECTION_PROPOSED = "placements.proposed"
SECTION_OWN_REQUESTS = "placements.own_requests"
SECTION_AFTERCARE = "placements.aftercare"
SECTION_IDLE = "placements.idle_families"
SECTION_AFTERCARE_REVIEW = "placements.aftercare_review"

SECTIONS = [
    (
        SECTION_WAITING_FOR_PAIR,
        gettext_lazy("Requests waiting for a pair"),
        10,
        filtered_list("placements:request-list", status=S.SUBMITTED),
    ),
    (SECTION_OWN_REQUESTS, gettext_lazy("Your municipality's open requests"), 15),
    (
        SECTION_EMERGENCY,
        gettext_lazy("Emergency placements"),
        20,
        filtered_list("placements:placement-list", placement_type=PlacementType.EMERGENCY),
    ),
    (
        SECTION_PROPOSED,
        gettext_lazy("Proposals waiting for the municipality"),
        30,
        filtered_list("placements:request-list", status=S.PROPOSED),
    ),
    (SECTION_AFTERCARE, gettext_lazy("Young people approaching aftercare planning"), 60),
    (SECTION_AFTERCARE_REVIEW, gettext_lazy("Aftercare plans due for review"), 65),
    (SECTION_IDLE, gettext_lazy("Approved families without a child for a long time"), 70),
]

UNIT, MUNICIPALITY, EITHER = "unit", "municipality", "either"
# Who takes the step that moves an open request on (PlacementRequest.STEPS).
WAITS_FOR = {
    S.DRAFT: MUNICIPALITY,  # submit
    S.SUBMITTED: UNIT,  # take: become the pair
    S.IN_SEARCH: UNIT,  # propose
    S.PROPOSED: MUNICIPALITY,  # accept or decline
    S.ACCEPTED: MUNICIPALITY,  # record the official's decision
    S.DECIDED: EITHER,  # start the placement
}


# The one read of each model, through its visibility rule (placements.access).
def _requests(user) -> QuerySet[PlacementRequest]:
    return PlacementRequest.objects.visible_to(user)


def _placements(user) -> QuerySet[Placement]:
    return Placement.objects.visible_to(user)


def _families(user) -> QuerySet[Family]:
    return Family.objects.visible_to(user)


def _is_unit(user) -> bool:
    return is_unit_side(user)


def _days_since(moment: datetime | None, today: date) -> int:
    return (today - timezone.localdate(moment)).days if moment else 0


def _age_text(days: int) -> str:
    return ngettext("%(days)s day old", "%(days)s days old", days) % {"days": days}


def _with_level(requests: QuerySet[PlacementRequest]) -> QuerySet[PlacementRequest]:
    """The urgency rule of the queue, in SQL so that the queue can be ordered by it: an
    emergency placement or an immediate need acts now, an urgent one soon."""
    return requests.annotate(
        level=Case(
            When(
                Q(placement_type=PlacementType.EMERGENCY)
                | Q(urgency=PlacementRequest.Urgency.IMMEDIATE),
                then=Value(int(Level.CRITICAL)),
            ),
            When(urgency=PlacementRequest.Urgency.URGENT, then=Value(int(Level.HIGH))),
            default=Value(int(Level.NORMAL)),
        )
    )


def _request_level(request: PlacementRequest) -> Level:
    return Level(request.level)  # annotated by _with_level


def _request_label(request: PlacementRequest) -> str:
    return _("%(request)s: %(type)s, %(urgency)s") % {
        "request": request,
        "type": request.get_placement_type_display(),
        "urgency": request.get_urgency_display().lower(),
    }


def _waits_for_text(request: PlacementRequest) -> str:
    return {
        UNIT: _("waits for the unit"),
        MUNICIPALITY: _("waits for your municipality"),
        EITHER: _("waits for the placement to start"),
    }[WAITS_FOR[request.status]]


def request_items(user, today: date, limit: int | None = None) -> list[Item | NotBuilt]:
    """The unit: requests without a pair, and proposals the municipality has not answered,
    each the ``limit`` most urgent (by level, then the oldest) and the rest counted."""
    if not _is_unit(user):
        return []
    requests = _with_level(_requests(user)).select_related("municipality")
    waiting = requests.filter(status=S.SUBMITTED).order_by(
        "level", Coalesce("submitted_at", "created_at"), "pk"
    )
    proposed = (
        requests.filter(status=S.PROPOSED)
        .annotate(
            proposed_at=Max("proposals__proposed_at"),
            answer_level=Case(
                When(level=int(Level.CRITICAL), then=Value(int(Level.HIGH))),
                default=Value(int(Level.NORMAL)),
            ),
        )
        .order_by("answer_level", Coalesce("proposed_at", "updated_at"), "pk")
    )
    rows, more = most_urgent(waiting, limit)
    items: list[Item | NotBuilt] = [NotBuilt(SECTION_WAITING_FOR_PAIR, more)] if more else []
    for request in rows:
        age = _days_since(request.submitted_at or request.created_at, today)
        items.append(
            Item(
                section=SECTION_WAITING_FOR_PAIR,
                key=f"placements.request:{request.pk}",
                label=_request_label(request),
                url=reverse("placements:request-detail", args=[request.pk]),
                level=_request_level(request),
                sort=-age,
                detail=_("%(municipality)s, %(age)s")
                % {"municipality": request.municipality.name, "age": _age_text(age)},
                age_days=age,
                threshold="waiting_for_pair",
            )
        )
    rows, more = most_urgent(proposed, limit)
    if more:
        items.append(NotBuilt(SECTION_PROPOSED, more))
    for request in rows:
        proposed_on = timezone.localdate(request.proposed_at or request.updated_at)
        age = (today - proposed_on).days
        items.append(
            Item(
                section=SECTION_PROPOSED,
                key=f"placements.request:{request.pk}",
                label=_request_label(request),
                url=reverse("placements:request-detail", args=[request.pk]),
                # an emergency's answer is urgent, any other in the queue
                level=Level(request.answer_level),
                sort=-age,
                detail=_("%(municipality)s, proposed %(age)s ago")
                % {
                    "municipality": request.municipality.name,
                    "age": ngettext("%(days)s day", "%(days)s days", age) % {"days": age},
                },
                age_days=age,
                # with the day of the proposals: a second round is reminded again
                threshold=f"proposed:{proposed_on}",
            )
        )
    return items


def own_request_items(user, today: date) -> list[Item]:
    """A municipal worker: their municipality's open requests and whom each waits for."""
    if _is_unit(user) or not is_municipal_worker_of_member(user):
        return []
    requests = (
        _with_level(_requests(user))
        .filter(municipality_id=user.organisation_id, status__in=list(WAITS_FOR))
        .annotate(proposed_at=Max("proposals__proposed_at"))
        .order_by("pk")
    )
    items = []
    for request in requests:
        age = _days_since(request.submitted_at or request.created_at, today)
        waits_for = WAITS_FOR[request.status]
        level = _request_level(request) if waits_for != UNIT else Level.NORMAL
        items.append(
            Item(
                section=SECTION_OWN_REQUESTS,
                key=f"placements.request:{request.pk}",
                label=_request_label(request),
                url=reverse("placements:request-detail", args=[request.pk]),
                level=level,
                sort=-age,
                detail=_("%(status)s, %(waits)s, %(age)s")
                % {
                    "status": request.get_status_display(),
                    "waits": _waits_for_text(request),
                    "age": _age_text(age),
                },
                age_days=age,
                # remind the worker when it is their turn, of their own requests only
                # with the day of the latest proposal: a second round is reminded again
                threshold=(
                    f"waits_for_municipality:{request.status}:"
                    f"{timezone.localdate(request.proposed_at) if request.proposed_at else ''}"
                    if waits_for == MUNICIPALITY
                    else ""
                ),
                remind=request.created_by_id == user.pk,
            )
        )
    return items


def emergency_items(user, today: date) -> list[Item]:
    """Every running emergency placement the user may see (a municipal worker: their own
    municipality's children), by days left of the 30 (Child Welfare Act 38 §)."""
    placements = (
        _placements(user)
        .active()
        .filter(placement_type=PlacementType.EMERGENCY)
        .select_related("request")
        # the few children read by their ids: joined, PostgreSQL expected a sixth of the
        # active placements (the emergency share of all placements ever) and hashed all
        # 50,000 children for them (10 ms for one row nationally)
        .prefetch_related("child")
        .order_by("started_on", "pk")
    )
    if not _is_unit(user):
        if not user.organisation_id:
            return []
        placements = placements.filter(child__municipality_id=user.organisation_id)
    warning = settings.WORKLIST_EMERGENCY_WARNING_DAYS
    items = []
    for placement in placements:
        left = placement.emergency_days_left  # the placements rule, as its pages show it
        if left < 0:
            level, threshold = Level.CRITICAL, "past"
            detail = _("%(max)s days passed on %(date)s") % {
                "max": placement.emergency_max_days,
                "date": date_format(placement.emergency_ends_on, "SHORT_DATE_FORMAT"),
            }
        else:
            level, threshold = (Level.HIGH, "warning") if left <= warning else (Level.NORMAL, "")
            detail = ngettext(
                "%(days)s day left of %(max)s", "%(days)s days left of %(max)s", left
            ) % {"days": left, "max": placement.emergency_max_days}
        url = (
            reverse("placements:request-detail", args=[placement.request_id])
            if placement.request_id
            else reverse("placements:child-detail", args=[placement.child_id])
        )
        mine = _is_unit(user) or (
            placement.request is not None and placement.request.created_by_id == user.pk
        )
        items.append(
            Item(
                section=SECTION_EMERGENCY,
                key=f"placements.emergency:{placement.pk}",
                label=_("%(child)s, emergency placement since %(date)s")
                % {
                    "child": placement.child,
                    "date": date_format(placement.started_on, "SHORT_DATE_FORMAT"),
                },
                url=url,
                level=level,
                sort=left,
                detail=detail,
                threshold=threshold,
                remind=mine,
            )
        )
    return items


def aftercare_items(user, today: date, limit: int | None = None) -> list[Item | NotBuilt]:
    """The unit: young people placed who are near 18 or older (the placements rule,
    ``aftercare_planning_born``, as the placement list flags them), the oldest first."""
    if not _is_unit(user):
        return []
    born_after, born_by = aftercare_planning_born(today)
    placements = (
        _placements(user)
        .active()
        .filter(child__date_of_birth__gt=born_after, child__date_of_birth__lte=born_by)
        .select_related("child", "family", "provider", "provider_unit__provider")
        .order_by("child__date_of_birth", "pk")
    )
    rows, more = most_urgent(placements, limit)
    items: list[Item | NotBuilt] = [NotBuilt(SECTION_AFTERCARE, more)] if more else []
    return items + [
        Item(
            section=SECTION_AFTERCARE,
            key=f"placements.aftercare:{placement.pk}",
            label=_("%(child)s in %(place)s")
            % {"child": placement.child, "place": placement.place},
            url=reverse("placements:child-detail", args=[placement.child_id]),
            level=Level.NORMAL,
            sort=(placement.child.date_of_birth - today).days,
            detail=_("aftercare until %(date)s")
            % {"date": date_format(placement.aftercare_until, "SHORT_DATE_FORMAT")},
            threshold="aftercare_planning",
        )
        for placement in rows
    ]


def aftercare_review_items(user, today: date) -> list[Item]:
    """The unit: aftercare plans whose review date has come."""
    if not _is_unit(user):
        return []
    plans = (
        AftercarePlan.objects.visible_to(user)
        .filter(review_on__lte=today)
        .select_related("child")
        .order_by("review_on", "pk")
    )
    return [
        Item(
            section=SECTION_AFTERCARE_REVIEW,
            key=f"placements.aftercare_plan:{plan.pk}",
            label=str(plan.child),
            url=reverse("placements:aftercare-plan-update", args=[plan.child_id, plan.pk]),
            level=Level.HIGH,
            sort=(plan.review_on - today).days,
            detail=_("review due %(date)s, agreed with %(worker)s")
            % {
                "date": date_format(plan.review_on, "SHORT_DATE_FORMAT"),
                "worker": plan.agreed_with,
            },
            age_days=(today - plan.review_on).days,
            threshold=f"aftercare_review:{plan.review_on}",
        )
        for plan in plans
    ]


def idle_family_items(user, today: date, limit: int | None = None) -> list[Item | NotBuilt]:
    """Approved families with no child now (Family.objects.with_room(): nothing placed or
    reserved) and none placed in WORKLIST_IDLE_FAMILY_DAYS; idle since the later of the
    last placement's end and the day of the latest status change into approved or active
    (or of the family's creation), the longest idle first."""
    if not _is_unit(user):
        return []
    days = settings.WORKLIST_IDLE_FAMILY_DAYS
    limit_day = today - timedelta(days=days)
    last_ended = (
        Placement.objects.filter(family=OuterRef("pk"))
        .order_by()
        .values("family")
        .annotate(last=Max("ended_on"))
        .values("last")
    )
    available_since = (
        FamilyStatusChange.objects.filter(
            family=OuterRef("pk"), to_status__in=Family.AVAILABLE_STATUSES
        )
        .order_by("-changed_at")
        .values("changed_at")[:1]
    )
    # implied by the rules below, and cheap as anti-joins: no child now, none whose
    # placement ended within the period, and not approved or activated within it
    placed_lately = Placement.objects.filter(family=OuterRef("pk")).filter(
        Q(ended_on__isnull=True) | Q(ended_on__gt=limit_day)
    )
    available_lately = FamilyStatusChange.objects.filter(
        family=OuterRef("pk"),
        to_status__in=Family.AVAILABLE_STATUSES,
        changed_at__gte=timezone.make_aware(
            datetime.combine(limit_day + timedelta(days=1), time.min)
        ),
    )
    families = (
        _families(user)
        .filter(status__in=Family.AVAILABLE_STATUSES)
        .filter(
            pk__in=Family.objects.filter(status__in=Family.AVAILABLE_STATUSES)
            .exclude(Exists(placed_lately))
            .exclude(Exists(available_lately))
            .values("pk")
        )
        .annotate(
            last_placement_ended=Subquery(last_ended),
            # the local day, as timezone.localdate() gives it (TruncDate uses the
            # current time zone); GREATEST ignores a NULL
            idle_since=Greatest(
                TruncDate(Coalesce(Subquery(available_since), "created_at")),
                F("last_placement_ended"),
            ),
        )
        .filter(idle_since__lte=limit_day)
        .with_room()
        .filter(taken=0)
        .order_by("idle_since", "pk")
    )
    rows, more = most_urgent(families, limit)
    items: list[Item | NotBuilt] = [NotBuilt(SECTION_IDLE, more)] if more else []
    for family in rows:
        idle = (today - family.idle_since).days
        items.append(
            Item(
                section=SECTION_IDLE,
                key=f"placements.idle_family:{family.pk}",
                label=str(family),
                url=reverse("families:family-detail", args=[family.pk]),
                level=Level.NORMAL,
                sort=-idle,
                detail=ngettext(
                    "%(kind)s, no child for %(days)s day",
                    "%(kind)s, no child for %(days)s days",
                    idle,
                )
                % {"kind": family.get_kind_display(), "days": idle},
                age_days=idle,
                # idle again later: reminded again
                threshold=f"idle_{days}:{family.idle_since}",
            )
        )
    return items


def worklist_items(user, today: date, limit: int | None = None) -> list[Item | NotBuilt]:
    # a municipality's own requests and emergency placements are few enough to be
    # listed whole
    return (
        request_items(user, today, limit)
        + own_request_items(user, today)
        + emergency_items(user, today)
        + aftercare_items(user, today, limit)
        + aftercare_review_items(user, today)
        + idle_family_items(user, today, limit)
    )
