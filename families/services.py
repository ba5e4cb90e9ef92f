"""Writes to the register. Every write validates, runs in a transaction and keeps history."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from families.models import (
    Carer,
    Family,
    FamilyStatusChange,
    HouseholdMember,
    Provider,
    SupervisionVisit,
)
from fostercare.models import AccessLogEntry, User
from fostercare.services import access_log_record

S = Family.Status

# Which status may follow which. Ended families may come back as a new inquiry.
STATUS_TRANSITIONS: dict[str, set[str]] = {
    S.INQUIRY: {S.IN_TRAINING, S.ASSESSMENT, S.ENDED},
    S.IN_TRAINING: {S.ASSESSMENT, S.INQUIRY, S.ENDED},
    S.ASSESSMENT: {S.APPROVED, S.IN_TRAINING, S.ENDED},
    S.APPROVED: {S.ACTIVE, S.PAUSED, S.ENDED},
    S.ACTIVE: {S.APPROVED, S.PAUSED, S.ENDED},
    S.PAUSED: {S.APPROVED, S.ACTIVE, S.ENDED},
    S.ENDED: {S.INQUIRY},
}


def allowed_next_statuses(family: Family) -> list[tuple[str, str]]:
    allowed = STATUS_TRANSITIONS[family.status]
    return [(value, label) for value, label in S.choices if value in allowed]


def capacity_limit(*, resident_carers: int) -> int:
    """Family Care Act 7 §: persons in care at once, by how many carers live in the home."""
    if resident_carers >= 2:
        return settings.FAMILY_CARE_MAX_PERSONS_TWO_CARERS
    return settings.FAMILY_CARE_MAX_PERSONS


def family_capacity_check(*, family: Family) -> None:
    """Raise if the places offered plus counted household members exceed the legal limit.

    The places are counted in full because each may be filled at once; an exception
    under 9 § is allowed only with its reason recorded on the family.
    """
    if family.capacity_exception_reason.strip():
        return
    if family.pk:
        # Lock the family so two simultaneous additions cannot both pass the count.
        list(Family.objects.select_for_update().filter(pk=family.pk).values_list("pk"))
    resident_carers = family.carers.filter(lives_in_home=True).count()
    counted = family.household_members.filter(counts_toward_capacity=True).count()
    limit = capacity_limit(resident_carers=resident_carers)
    persons = family.places + counted
    if persons > limit:
        raise ValidationError(
            _(
                "The family would care for %(persons)s persons at once, but the Family Care "
                "Act allows %(limit)s with %(carers)s carer(s) living in the home. Reduce the "
                "places or record the reason for an exception."
            )
            % {"persons": persons, "limit": limit, "carers": resident_carers}
        )


@transaction.atomic
def family_create(*, by: User, special_skills=(), **fields) -> Family:
    family = Family(**fields)
    family.full_clean()
    family.save()
    family.special_skills.set(special_skills)
    family_capacity_check(family=family)
    FamilyStatusChange.objects.create(
        family=family,
        from_status="",
        to_status=family.status,
        changed_by=by,
        reason=_("Added to the register"),
    )
    access_log_record(user=by, action=AccessLogEntry.Action.CREATE, obj=family)
    return family


@transaction.atomic
def family_update(*, family: Family, by: User, special_skills=None, **fields) -> Family:
    for name, value in fields.items():
        setattr(family, name, value)
    family.full_clean()
    family.save()
    if special_skills is not None:
        family.special_skills.set(special_skills)
    family_capacity_check(family=family)
    access_log_record(user=by, action=AccessLogEntry.Action.UPDATE, obj=family)
    return family


@transaction.atomic
def family_change_status(*, family: Family, to_status: str, by: User, reason: str = "") -> Family:
    """Move a family along its lifecycle and write the history entry."""
    # Lock the row so two simultaneous changes cannot both read the same old status.
    family = Family.objects.select_for_update().get(pk=family.pk)
    if to_status not in STATUS_TRANSITIONS[family.status]:
        raise ValidationError(
            _("A family cannot move from “%(from)s” to “%(to)s”.")
            % {
                "from": S(family.status).label,
                "to": S(to_status).label if to_status in S.values else to_status,
            }
        )
    FamilyStatusChange.objects.create(
        family=family,
        from_status=family.status,
        to_status=to_status,
        changed_by=by,
        changed_at=timezone.now(),
        reason=reason,
    )
    family.status = to_status
    family.save(update_fields=["status", "updated_at"])
    return family


@transaction.atomic
def carer_save(*, carer: Carer, by: User) -> Carer:
    """Create or update a carer; the family's capacity is checked with the change in place."""
    if carer.criminal_record_seen_on and not carer.criminal_record_seen_by_id:
        carer.criminal_record_seen_by = by
    carer.full_clean()
    carer.save()
    family_capacity_check(family=carer.family)
    access_log_record(user=by, action=AccessLogEntry.Action.UPDATE, obj=carer.family)
    return carer


@transaction.atomic
def household_member_add(*, family: Family, by: User, **fields) -> HouseholdMember:
    member = HouseholdMember(family=family, **fields)
    member.full_clean()
    member.save()
    family_capacity_check(family=family)
    access_log_record(user=by, action=AccessLogEntry.Action.UPDATE, obj=family)
    return member


@transaction.atomic
def household_member_remove(*, member: HouseholdMember, by: User) -> None:
    family = member.family
    member.delete()
    access_log_record(user=by, action=AccessLogEntry.Action.UPDATE, obj=family)


@transaction.atomic
def provider_save(*, provider: Provider, by: User) -> Provider:
    provider.full_clean()
    provider.save()
    return provider


@transaction.atomic
def supervision_visit_save(*, visit: SupervisionVisit, by: User) -> SupervisionVisit:
    if visit.recorded_by_id is None:
        visit.recorded_by = by
    visit.full_clean()
    visit.save()
    return visit


@transaction.atomic
def supervision_follow_up_done(*, visit: SupervisionVisit, by: User) -> SupervisionVisit:
    visit.follow_up_done_on = timezone.localdate()
    return supervision_visit_save(visit=visit, by=by)


def _status_path(from_status: str, to_status: str) -> list[str]:
    """The shortest way from one status to another along STATUS_TRANSITIONS (empty if none)."""
    paths = {from_status: []}
    queue = [from_status]
    while queue:
        current = queue.pop(0)
        if current == to_status:
            return paths[current]
        for following in sorted(STATUS_TRANSITIONS[current]):
            if following not in paths:
                paths[following] = [*paths[current], following]
                queue.append(following)
    return []


@transaction.atomic
def family_mark_trained(*, family: Family, completed_on, by: User, reason: str = "") -> Family:
    """Record the completed pre-service training and move the family to approved, in reserve.

    The status is stepped through the allowed transitions (e.g. in training → assessment →
    approved) so every step is in the history. A family already approved, active or
    paused keeps its status.
    """
    family = Family.objects.select_for_update().get(pk=family.pk)
    family.pre_service_training_completed_on = completed_on
    family.save(update_fields=["pre_service_training_completed_on", "updated_at"])
    if family.status not in (S.APPROVED, S.ACTIVE, S.PAUSED):
        # an ended family comes back only as a new inquiry, never straight to approved
        path = [] if family.status == S.ENDED else _status_path(family.status, S.APPROVED)
        if not path:
            raise ValidationError(
                _("A family in status “%(status)s” cannot be approved.")
                % {"status": S(family.status).label}
            )
        for step in path:
            family = family_change_status(family=family, to_status=step, by=by, reason=reason)
    access_log_record(user=by, action=AccessLogEntry.Action.UPDATE, obj=family)
    return family
