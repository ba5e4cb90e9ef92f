"""Support-family arrangements (tukiperhe): an open-care support measure (Child Welfare
Act 36 §), not a placement. An arrangement between a child, a support family and the
child's municipality has a pattern and dated stays; the family's room is checked for each
stay, on each of its days, counting the overlapping stays of every child it supports
(Family Care Act 7 §, through ``Family.objects.with_room()``), never permanently.

The writes (services) and the calendar they need; each write is logged in the
arrangement's history and in the access log of the child.
"""

from calendar import FRIDAY, monthrange
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from families.models import Family
from fostercare.models import AccessLogEntry, User
from fostercare.services import access_log_record
from placements.access import may_arrange_support
from placements.models import (
    PlacementRequest,
    PlacementType,
    SupportArrangement,
    SupportArrangementEvent,
    SupportStay,
)

WEEKEND_DAYS = 3  # Friday to Sunday


def monthly_weekends(starts_on: date, ends_on: date, weekend_of_month: int) -> list[date]:
    """The first days (Fridays) of the ``weekend_of_month``-th weekend of each month whose
    Friday–Sunday lies within the period."""
    fridays = []
    year, month = starts_on.year, starts_on.month
    while date(year, month, 1) <= ends_on:
        first = date(year, month, 1)
        friday = first + timedelta(days=(FRIDAY - first.weekday()) % 7)
        friday += timedelta(weeks=weekend_of_month - 1)
        last_of_month = date(year, month, monthrange(year, month)[1])
        if friday <= last_of_month and starts_on <= friday and _weekend_end(friday) <= ends_on:
            fridays.append(friday)
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return fridays


def _weekend_end(friday: date) -> date:
    return friday + timedelta(days=WEEKEND_DAYS - 1)


def _short(day: date) -> str:
    return date_format(day, "SHORT_DATE_FORMAT")


def family_room_during(
    family_id: int,
    first: date,
    last: date,
    *,
    excluding_stay: SupportStay | None = None,
    excluding_request: PlacementRequest | None = None,
    also: list[tuple[date, date]] = (),
) -> int:
    """The least room the family has on any day between ``first`` and ``last``: its room
    now (``with_room()``: places, placed and reserved children, the legal limit) less the
    children of the support stays on that day; ``also`` are stays not yet saved."""
    family = Family.objects.with_room(excluding_request=excluding_request).get(pk=family_id)
    stays = SupportStay.objects.active().filter(
        arrangement__family_id=family_id, starts_on__lte=last, ends_on__gte=first
    )
    if excluding_stay is not None and excluding_stay.pk:
        stays = stays.exclude(pk=excluding_stay.pk)
    spans = list(stays.values_list("starts_on", "ends_on")) + list(also)
    busiest = 0
    day = first
    while day <= last:
        busiest = max(busiest, sum(1 for start, end in spans if start <= day <= end))
        day += timedelta(days=1)
    return family.room - busiest


def free_weekends(family_ids: list[int], starts_on: date, count: int = 3) -> dict[int, list[date]]:
    """For each family, the first weekends of the next ``count`` months from ``starts_on``
    on which it has room for one more child: the free dates that matching shows for a
    support request. One query for the families' room and one for the stays."""
    if not family_ids:
        return {}
    ends_on = starts_on + timedelta(days=31 * count)
    rooms = dict(Family.objects.with_room().filter(pk__in=family_ids).values_list("pk", "room"))
    spans: dict[int, list[tuple[date, date]]] = {pk: [] for pk in family_ids}
    for family_id, start, end in (
        SupportStay.objects.active()
        .filter(
            arrangement__family_id__in=family_ids, starts_on__lte=ends_on, ends_on__gte=starts_on
        )
        .values_list("arrangement__family_id", "starts_on", "ends_on")
    ):
        spans[family_id].append((start, end))
    weekends = [friday for n in range(1, 5) for friday in monthly_weekends(starts_on, ends_on, n)]
    weekends.sort()
    free = {}
    for family_id in family_ids:
        free[family_id] = [
            friday
            for friday in weekends
            if rooms.get(family_id, 0)
            > max(
                sum(1 for s, e in spans[family_id] if s <= friday + timedelta(days=d) <= e)
                for d in range(WEEKEND_DAYS)
            )
        ]
    return free


def _record(arrangement: SupportArrangement, by: User, note: str, created=False) -> None:
    SupportArrangementEvent.objects.create(arrangement=arrangement, by=by, note=note)
    action = AccessLogEntry.Action.CREATE if created else AccessLogEntry.Action.UPDATE
    access_log_record(
        user=by, action=action, obj=arrangement.child, purpose=_("support-family arrangement")
    )


def _lock_family(arrangement: SupportArrangement) -> None:
    # two stays of the same family written at once wait for each other
    Family.objects.select_for_update().filter(pk=arrangement.family_id).first()


def _check_may(by: User, arrangement: SupportArrangement) -> None:
    if not may_arrange_support(by, arrangement):
        raise ValidationError(
            _("Only the foster-care unit or the child's own municipality may do this.")
        )


def _check_stay(
    arrangement: SupportArrangement,
    starts_on: date,
    ends_on: date,
    *,
    stay: SupportStay | None = None,
    also: list[tuple[date, date]] = (),
) -> None:
    """The stay is within the agreement, does not overlap the child's other stays of the
    arrangement, and the family has room on every one of its days."""
    if ends_on < starts_on:
        raise ValidationError({"ends_on": _("A stay cannot end before it starts.")})
    if starts_on < arrangement.starts_on or ends_on > arrangement.ends_on:
        raise ValidationError(
            _("The stay %(first)s–%(last)s is outside the agreement (%(start)s–%(end)s).")
            % {
                "first": _short(starts_on),
                "last": _short(ends_on),
                "start": _short(arrangement.starts_on),
                "end": _short(arrangement.ends_on),
            }
        )
    own = arrangement.stays.active().filter(starts_on__lte=ends_on, ends_on__gte=starts_on)
    if stay is not None and stay.pk:
        own = own.exclude(pk=stay.pk)
    if own.exists():
        raise ValidationError(_("The child already has a stay on these days."))
    room = family_room_during(
        arrangement.family_id,
        starts_on,
        ends_on,
        excluding_stay=stay,
        excluding_request=arrangement.request,
        also=also,
    )
    if room < 1:
        raise ValidationError(
            _(
                "%(family)s has no room on %(first)s–%(last)s: with the other children "
                "staying then, the places offered or the legal limit of persons in care "
                "(Family Care Act 7 §) would be exceeded."
            )
            % {
                "family": arrangement.family,
                "first": _short(starts_on),
                "last": _short(ends_on),
            }
        )


@transaction.atomic
def support_arrangement_create(
    *,
    request: PlacementRequest,
    by: User,
    pattern: str,
    starts_on: date,
    ends_on: date,
    weekend_of_month: int | None = None,
) -> list[SupportArrangement]:
    """An arrangement for each child of an accepted support-family request, with the
    accepted family; the request is done (no placement is made)."""
    from placements.services import _advance, _check_step, _locked

    request = _locked(request)
    if request.placement_type != PlacementType.SUPPORT_FAMILY:
        raise ValidationError(_("Only a support-family request is arranged as stays."))
    _check_step(by, request, "arrange")
    proposal = request.proposals.filter(accepted=True, family__isnull=False).first()
    if proposal is None:
        raise ValidationError(_("No family has been accepted for this request."))
    arrangements = []
    for child in request.children.all():
        arrangement = SupportArrangement(
            child=child,
            family_id=proposal.family_id,
            municipality_id=child.municipality_id,
            request=request,
            pattern=pattern,
            weekend_of_month=weekend_of_month
            if pattern == SupportArrangement.Pattern.MONTHLY_WEEKEND
            else None,
            starts_on=starts_on,
            ends_on=ends_on,
            created_by=by,
        )
        arrangement.full_clean()
        arrangement.save()
        _record(
            arrangement,
            by,
            _("Agreed: %(pattern)s, %(start)s–%(end)s")
            % {
                "pattern": arrangement.get_pattern_display(),
                "start": _short(starts_on),
                "end": _short(ends_on),
            },
            created=True,
        )
        arrangements.append(arrangement)
    _advance(request, "arrange", by, note=str(proposal.family))
    return arrangements


@transaction.atomic
def support_stays_generate(*, arrangement: SupportArrangement, by: User) -> list[SupportStay]:
    """The pattern's weekends not yet in the calendar; all or none: a weekend on which the
    family has no room is named, and nothing is saved."""
    _check_may(by, arrangement)
    if arrangement.pattern != SupportArrangement.Pattern.MONTHLY_WEEKEND:
        raise ValidationError(_("Stays on given days are added one by one."))
    _lock_family(arrangement)
    known = set(arrangement.stays.values_list("starts_on", flat=True))
    fridays = [
        friday
        for friday in monthly_weekends(
            arrangement.starts_on, arrangement.ends_on, arrangement.weekend_of_month
        )
        if friday not in known
    ]
    if not fridays:
        raise ValidationError(_("Every weekend of the pattern is already in the calendar."))
    refused = []
    for friday in fridays:
        try:
            _check_stay(arrangement, friday, _weekend_end(friday))
        except ValidationError:
            refused.append(_short(friday))
    if refused:
        raise ValidationError(
            _(
                "%(family)s has no room on the weekends beginning %(dates)s. Nothing was "
                "saved: add the stays one by one on other days, or shorten the agreement."
            )
            % {"family": arrangement.family, "dates": ", ".join(refused)}
        )
    stays = SupportStay.objects.bulk_create(
        SupportStay(arrangement=arrangement, starts_on=friday, ends_on=_weekend_end(friday))
        for friday in fridays
    )
    _record(
        arrangement,
        by,
        _("%(count)s stay(s) added from the pattern") % {"count": len(stays)},
    )
    return stays


@transaction.atomic
def support_stay_add(
    *, arrangement: SupportArrangement, by: User, starts_on: date, ends_on: date
) -> SupportStay:
    _check_may(by, arrangement)
    _lock_family(arrangement)
    _check_stay(arrangement, starts_on, ends_on)
    stay = SupportStay(arrangement=arrangement, starts_on=starts_on, ends_on=ends_on)
    stay.full_clean()
    stay.save()
    _record(
        arrangement,
        by,
        _("Stay added: %(first)s–%(last)s") % {"first": _short(starts_on), "last": _short(ends_on)},
    )
    return stay


@transaction.atomic
def support_stay_move(
    *, stay: SupportStay, by: User, starts_on: date, ends_on: date, reason: str
) -> SupportStay:
    stay = SupportStay.objects.select_for_update().select_related("arrangement").get(pk=stay.pk)
    arrangement = stay.arrangement
    _check_may(by, arrangement)
    if stay.cancelled:
        raise ValidationError(_("A cancelled stay cannot be moved; add a new one."))
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the stay is moved.")})
    _lock_family(arrangement)
    _check_stay(arrangement, starts_on, ends_on, stay=stay)
    note = _("Stay moved from %(old)s to %(new)s: %(reason)s") % {
        "old": f"{_short(stay.starts_on)}–{_short(stay.ends_on)}",
        "new": f"{_short(starts_on)}–{_short(ends_on)}",
        "reason": reason,
    }
    stay.starts_on, stay.ends_on = starts_on, ends_on
    stay.full_clean()
    stay.save()
    _record(arrangement, by, note)
    return stay


@transaction.atomic
def support_stay_cancel(*, stay: SupportStay, by: User, reason: str) -> SupportStay:
    stay = SupportStay.objects.select_for_update().select_related("arrangement").get(pk=stay.pk)
    _check_may(by, stay.arrangement)
    if stay.cancelled:
        raise ValidationError(_("The stay has already been cancelled."))
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the stay is cancelled.")})
    stay.cancelled, stay.cancel_reason = True, reason
    stay.save(update_fields=["cancelled", "cancel_reason"])
    _record(
        stay.arrangement,
        by,
        _("Stay %(first)s–%(last)s cancelled: %(reason)s")
        % {"first": _short(stay.starts_on), "last": _short(stay.ends_on), "reason": reason},
    )
    return stay
