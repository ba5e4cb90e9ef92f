"""Writes to the register. Every write validates, runs in a transaction and keeps history."""

from datetime import date, timedelta

import pgtrigger
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Sum
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from families import history_texts, selectors
from families.gates import family_gaps
from families.models import (
    PERSONS_COUNTED,
    Carer,
    Family,
    FamilyStatusChange,
    HouseholdMember,
    OccupancySnapshot,
    Provider,
    ProviderUnit,
    SupervisionVisit,
    family_surname,
    persons_counted_sql,
)
from families.occupancy import FAMILY, PROVIDER_UNIT, placed_by_day
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


@transaction.atomic
def family_persons_recount() -> int:
    """Count again, from the carers' and household's rows, the persons the legal limit
    counts on each family's row (``PERSONS_COUNTED``), and correct the families whose
    stored counts differ; returns how many. The triggers keep the counts on every write;
    this is for a database where they were bypassed (triggers disabled, or
    ``session_replication_role = replica`` while rows were written). The persons' tables
    are locked against writes until it commits."""
    tables = ", ".join(table for table, _who in PERSONS_COUNTED.values())
    counts = ", ".join(f"{sql} AS {column}" for column, sql in persons_counted_sql("f.id").items())
    assigned = ", ".join(f"{column} = c.{column}" for column in PERSONS_COUNTED)
    stored = ", ".join(f"f.{column}" for column in PERSONS_COUNTED)
    counted = ", ".join(f"c.{column}" for column in PERSONS_COUNTED)
    # the family's trigger keeps the counts from any write but the persons' triggers'
    with pgtrigger.ignore("families.Family:persons_counted_kept"), connection.cursor() as cursor:
        cursor.execute(f"LOCK TABLE {tables} IN SHARE MODE")
        cursor.execute(
            f"WITH c AS (SELECT f.id, {counts} FROM families_family f) "
            f"UPDATE families_family f SET {assigned} FROM c "
            f"WHERE c.id = f.id AND ({stored}) IS DISTINCT FROM ({counted})"
        )
        return cursor.rowcount


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
    # Called after the write: the family's row, locked so that two simultaneous additions
    # cannot both pass, holds the persons who count as the database keeps them from the
    # carers' and household's rows (``PERSONS_COUNTED``), this write's included.
    resident_carers, counted = (
        Family.objects.select_for_update()
        .values_list("resident_carer_count", "counted_household_count")
        .get(pk=family.pk)
    )
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


# Going back in the lifecycle, pausing and ending are recorded with their reason.
LIFECYCLE_ORDER = [S.INQUIRY, S.IN_TRAINING, S.ASSESSMENT, S.APPROVED, S.ACTIVE]


def status_change_needs_reason(from_status: str, to_status: str) -> bool:
    """Whether moving from one status to another is a step back or an ending."""
    if to_status in (S.PAUSED, S.ENDED):
        return True
    return (
        from_status in LIFECYCLE_ORDER
        and to_status in LIFECYCLE_ORDER
        and LIFECYCLE_ORDER.index(to_status) < LIFECYCLE_ORDER.index(from_status)
    )


# The form field that confirms saving a possible duplicate ("save anyway").
DUPLICATES_CONFIRMED = "duplicates_confirmed"


def _address(family: Family) -> tuple[str, str]:
    return " ".join(family.street_address.split()).lower(), family.postal_code.strip()


def _duplicates_check(others, message: str) -> None:
    """Refuse the save while ``others`` (possible duplicates) exist and are not confirmed,
    naming each other family with its register number."""
    others = list(others[:5])
    if others:
        names = ", ".join(family.choice_label for family in others)
        raise ValidationError(
            {
                DUPLICATES_CONFIRMED: ValidationError(
                    _(
                        "%(message)s %(families)s. Check that it is not the same family; "
                        "to save anyway, tick “Save anyway”."
                    )
                    % {"message": message, "families": names},
                    code="duplicate",
                )
            }
        )


def _family_apply(
    family: Family,
    *,
    name,
    kind,
    places,
    home_municipality,
    street_address,
    postal_code,
    post_office,
    age_min,
    age_max,
    siblings_accepted,
    languages,
    capacity_exception_reason,
    pre_service_training_completed_on,
    training_exception_reason,
    training_due_on,
    home_study_approved_on,
    notes,
) -> None:
    family.name = family_surname(name)  # the register keeps the surnames; see display_name
    family.kind = kind
    family.places = places
    family.home_municipality = home_municipality
    family.street_address = street_address
    family.postal_code = postal_code
    family.post_office = post_office
    family.age_min = age_min
    family.age_max = age_max
    family.siblings_accepted = siblings_accepted
    family.languages = list(languages)
    family.capacity_exception_reason = capacity_exception_reason
    family.pre_service_training_completed_on = pre_service_training_completed_on
    family.training_exception_reason = training_exception_reason
    family.training_due_on = training_due_on
    family.home_study_approved_on = home_study_approved_on
    family.notes = notes


@transaction.atomic
def family_create(
    *,
    by: User,
    name: str,
    kind: str,
    places: int = 1,
    home_municipality=None,
    street_address: str = "",
    postal_code: str = "",
    post_office: str = "",
    age_min: int = 0,
    age_max: int = 17,
    siblings_accepted: bool = True,
    languages=(),
    special_skills=(),
    capacity_exception_reason: str = "",
    pre_service_training_completed_on=None,
    training_exception_reason: str = "",
    training_due_on=None,
    home_study_approved_on=None,
    notes: str = "",
    duplicates_confirmed: bool = False,
) -> Family:
    """Add a family to the register, in status inquiry; later statuses come only through
    ``family_change_status``. Another family at the same address is refused unless
    ``duplicates_confirmed``."""
    family = Family(status=S.INQUIRY)
    _family_apply(
        family,
        name=name,
        kind=kind,
        places=places,
        home_municipality=home_municipality,
        street_address=street_address,
        postal_code=postal_code,
        post_office=post_office,
        age_min=age_min,
        age_max=age_max,
        siblings_accepted=siblings_accepted,
        languages=languages,
        capacity_exception_reason=capacity_exception_reason,
        pre_service_training_completed_on=pre_service_training_completed_on,
        training_exception_reason=training_exception_reason,
        training_due_on=training_due_on,
        home_study_approved_on=home_study_approved_on,
        notes=notes,
    )
    family.full_clean()
    if not duplicates_confirmed:
        _duplicates_check(
            selectors.families_at_address(by, family=family),
            _("Another family in the register lives at the same address:"),
        )
    family.save()
    family.special_skills.set(special_skills)
    family_capacity_check(family=family)
    FamilyStatusChange.objects.create(
        family=family,
        from_status="",
        to_status=family.status,
        changed_by=by,
        reason_code=history_texts.ADDED,
    )
    access_log_record(user=by, action=AccessLogEntry.Action.CREATE, obj=family)
    return family


@transaction.atomic
def family_update(
    *,
    family: Family,
    by: User,
    name: str,
    kind: str,
    places: int,
    home_municipality=None,
    street_address: str = "",
    postal_code: str = "",
    post_office: str = "",
    age_min: int = 0,
    age_max: int = 17,
    siblings_accepted: bool = True,
    languages=(),
    special_skills=None,
    capacity_exception_reason: str = "",
    pre_service_training_completed_on=None,
    training_exception_reason: str = "",
    training_due_on=None,
    home_study_approved_on=None,
    notes: str = "",
    duplicates_confirmed: bool = False,
) -> Family:
    """Change what the register knows of a family; never its status. A move to another
    family's address is refused unless ``duplicates_confirmed``."""
    # Lock the row and start from what is stored: the status is not the caller's to set.
    family = Family.objects.select_for_update().get(pk=family.pk)
    stored_address = _address(family)
    _family_apply(
        family,
        name=name,
        kind=kind,
        places=places,
        home_municipality=home_municipality,
        street_address=street_address,
        postal_code=postal_code,
        post_office=post_office,
        age_min=age_min,
        age_max=age_max,
        siblings_accepted=siblings_accepted,
        languages=languages,
        capacity_exception_reason=capacity_exception_reason,
        pre_service_training_completed_on=pre_service_training_completed_on,
        training_exception_reason=training_exception_reason,
        training_due_on=training_due_on,
        home_study_approved_on=home_study_approved_on,
        notes=notes,
    )
    family.full_clean()
    if not duplicates_confirmed and _address(family) != stored_address:
        _duplicates_check(
            selectors.families_at_address(by, family=family),
            _("Another family in the register lives at the same address:"),
        )
    family.save()
    if special_skills is not None:
        family.special_skills.set(special_skills)
    family_capacity_check(family=family)
    access_log_record(user=by, action=AccessLogEntry.Action.UPDATE, obj=family)
    return family


def family_data(source) -> dict:
    """The keyword arguments of ``family_create``/``family_update`` from a form's
    cleaned data or a family instance (the admin, imports): the same fields, named."""
    names = [
        "name",
        "kind",
        "places",
        "home_municipality",
        "street_address",
        "postal_code",
        "post_office",
        "age_min",
        "age_max",
        "siblings_accepted",
        "languages",
        "capacity_exception_reason",
        "pre_service_training_completed_on",
        "training_exception_reason",
        "training_due_on",
        "home_study_approved_on",
        "notes",
    ]
    if isinstance(source, Family):
        return {name: getattr(source, name) for name in names}
    return {name: source[name] for name in names if name in source}


@transaction.atomic
def family_change_status(
    *,
    family: Family,
    to_status: str,
    by: User,
    reason: str = "",
    reason_code: str = "",
    reason_params: dict | None = None,
) -> Family:
    """Move a family along its lifecycle and write the history entry.

    Approved and active need every gate of ``family_gaps`` closed; a step back, a pause or
    an ending needs its reason: a person's own words (``reason``, kept with the language
    they were typed in) or the system's (``reason_code`` of fostercare.stored_text).
    """
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
    needs_reason = status_change_needs_reason(family.status, to_status)
    if needs_reason and not (reason.strip() or reason_code):
        raise ValidationError({"reason": _("Give the reason for going back, pausing or ending.")})
    if to_status in Family.AVAILABLE_STATUSES:
        gaps = family_gaps(family)
        if gaps:
            raise ValidationError(
                _("The family cannot be “%(status)s” yet: %(gaps)s")
                % {"status": S(to_status).label, "gaps": " ".join(gaps)}
            )
    FamilyStatusChange.objects.create(
        family=family,
        from_status=family.status,
        to_status=to_status,
        changed_by=by,
        changed_at=timezone.now(),
        reason=reason,
        reason_language=translation.get_language() if reason.strip() else "",
        reason_code=reason_code,
        reason_params=reason_params or {},
    )
    family.status = to_status
    family.save(update_fields=["status", "updated_at"])
    access_log_record(user=by, action=AccessLogEntry.Action.UPDATE, obj=family)
    return family


@transaction.atomic
def carer_save(*, carer: Carer, by: User, duplicates_confirmed: bool = False) -> Carer:
    """Create or update a carer; the family's capacity is checked with the change in place.

    Whoever enters a new date for the criminal-record extract is recorded as the one who
    saw it (the extract itself is never stored); clearing the date clears the name. A
    carer (newly named) like another family's carer is refused unless
    ``duplicates_confirmed``.
    """
    stored = (
        Carer.objects.filter(pk=carer.pk)
        .values("criminal_record_seen_on", "first_name", "last_name", "birth_year")
        .first()
        if carer.pk
        else None
    ) or {"criminal_record_seen_on": None}
    if carer.criminal_record_seen_on != stored["criminal_record_seen_on"]:
        carer.criminal_record_seen_by = by if carer.criminal_record_seen_on else None
    carer.full_clean()
    person = (carer.first_name, carer.last_name, carer.birth_year)
    renamed = person != (
        stored.get("first_name"),
        stored.get("last_name"),
        stored.get("birth_year"),
    )
    if not duplicates_confirmed and renamed:
        _duplicates_check(
            selectors.families_with_carer(by, carer=carer),
            _("A carer with the same name and year of birth is in another family:"),
        )
    carer.save()
    family_capacity_check(family=carer.family)
    access_log_record(user=by, action=AccessLogEntry.Action.UPDATE, obj=carer.family)
    return carer


@transaction.atomic
def household_member_add(
    *,
    family: Family,
    by: User,
    description: str,
    birth_year: int,
    counts_toward_capacity: bool = True,
) -> HouseholdMember:
    member = HouseholdMember(
        family=family,
        description=description,
        birth_year=birth_year,
        counts_toward_capacity=counts_toward_capacity,
    )
    return household_member_save(member=member, by=by)


@transaction.atomic
def household_member_save(*, member: HouseholdMember, by: User) -> HouseholdMember:
    """Create or update a household member; the family's capacity is checked with it."""
    member.full_clean()
    member.save()
    family_capacity_check(family=member.family)
    access_log_record(user=by, action=AccessLogEntry.Action.UPDATE, obj=member.family)
    return member


def _moved_out_check(moved_out_on: date, already: date | None) -> None:
    if already:
        raise ValidationError(_("The move-out has already been recorded."))
    if moved_out_on > timezone.localdate():
        raise ValidationError(
            {"moved_out_on": _("Record a move-out once it has happened (not a future date).")}
        )


@transaction.atomic
def carer_move_out(*, carer: Carer, by: User, moved_out_on: date) -> Carer:
    """A carer moves out: an end date, not a delete. The carer no longer lives in the
    home, so the family's legal room (Family.objects.with_room()) is counted without them."""
    carer = Carer.objects.select_for_update().select_related("family").get(pk=carer.pk)
    _moved_out_check(moved_out_on, carer.moved_out_on)
    carer.lives_in_home = False
    carer.moved_out_on = moved_out_on
    carer.full_clean()
    carer.save(update_fields=["lives_in_home", "moved_out_on"])
    access_log_record(
        user=by, action=AccessLogEntry.Action.UPDATE, obj=carer.family, purpose=_("carer moved out")
    )
    return carer


@transaction.atomic
def household_member_move_out(
    *, member: HouseholdMember, by: User, moved_out_on: date
) -> HouseholdMember:
    """A household member moves out: kept with the date, no longer counted in the home."""
    member = HouseholdMember.objects.select_for_update().select_related("family").get(pk=member.pk)
    _moved_out_check(moved_out_on, member.moved_out_on)
    member.moved_out_on = moved_out_on
    member.save(update_fields=["moved_out_on"])
    access_log_record(
        user=by,
        action=AccessLogEntry.Action.UPDATE,
        obj=member.family,
        purpose=_("household member moved out"),
    )
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
def provider_unit_save(*, unit: ProviderUnit, by: User) -> ProviderUnit:
    """Create or change a provider's unit; the units' places stay within the provider's
    licensed places (for a professional family home, Family Care Act's 7 persons)."""
    unit.full_clean()
    provider = Provider.objects.select_for_update().get(pk=unit.provider_id)
    others = sum(
        provider.units.filter(active=True).exclude(pk=unit.pk).values_list("places", flat=True)
    )
    if unit.active and others + unit.places > provider.places:
        raise ValidationError(
            {
                "places": _(
                    "The units' places would add up to %(total)s; the provider is licensed "
                    "for %(places)s."
                )
                % {"total": others + unit.places, "places": provider.places}
            }
        )
    unit.save()
    return unit


@transaction.atomic
def supervision_visit_save(*, visit: SupervisionVisit, by: User) -> SupervisionVisit:
    if visit.recorded_by_id is None:
        visit.recorded_by = by
    visit.full_clean()
    visit.save()
    return visit


@transaction.atomic
def supervision_visit_correct(*, visit: SupervisionVisit, by: User) -> SupervisionVisit:
    """Correct a recorded supervision visit; the access log keeps who changed it."""
    visit = supervision_visit_save(visit=visit, by=by)
    access_log_record(
        user=by,
        action=AccessLogEntry.Action.UPDATE,
        obj=visit,
        purpose=_("supervision visit corrected"),
    )
    return visit


@transaction.atomic
def supervision_follow_up_done(*, visit: SupervisionVisit, by: User) -> SupervisionVisit:
    visit.follow_up_done_on = timezone.localdate()
    return supervision_visit_save(visit=visit, by=by)


def status_path(from_status: str, to_status: str) -> list[str]:
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
def family_mark_trained(
    *,
    family: Family,
    completed_on,
    by: User,
    reason: str = "",
    reason_code: str = "",
    reason_params: dict | None = None,
) -> Family:
    """Record the completed pre-service training, and approve the family if it may be.

    The training date is always recorded. The family moves to approved, in reserve only
    when every gate of ``family_gaps`` is closed; otherwise it goes as far as assessment
    and waits there, and the caller shows the gaps (``family_gaps``) that remain. The
    status is stepped through the allowed transitions so every step is in the history. A
    family already approved, active or paused keeps its status.
    """
    family = Family.objects.select_for_update().get(pk=family.pk)
    family.pre_service_training_completed_on = completed_on
    family.save(update_fields=["pre_service_training_completed_on", "updated_at"])
    access_log_record(user=by, action=AccessLogEntry.Action.UPDATE, obj=family)
    if family.status in (S.APPROVED, S.ACTIVE, S.PAUSED):
        return family
    # an ended family comes back only as a new inquiry, never straight to approved
    path = [] if family.status == S.ENDED else status_path(family.status, S.APPROVED)
    if not path:
        raise ValidationError(
            _("A family in status “%(status)s” cannot be approved.")
            % {"status": S(family.status).label}
        )
    if family_gaps(family):
        path = path[:-1]  # up to assessment: approval waits for the open gates
    for step in path:
        family = family_change_status(
            family=family,
            to_status=step,
            by=by,
            reason=reason,
            reason_code=reason_code,
            reason_params=reason_params,
        )
    return family


# --- occupancy history --------------------------------------------------------------------

# The places whose occupancy the history records, each with the lookup of its kind: the
# families that may take children (approved and active) and the active units of active
# providers; their room is what ``with_room()`` defines.
OCCUPANCY_PLACES = {
    FAMILY: (
        lambda: Family.objects.filter(status__in=Family.AVAILABLE_STATUSES),
        "kind",
        Family.Kind.values,
    ),
    PROVIDER_UNIT: (
        lambda: ProviderUnit.objects.filter(active=True, provider__active=True),
        "provider__kind",
        Provider.Kind.values,
    ),
}


def _occupancy_write(snapshots: list[OccupancySnapshot]) -> None:
    OccupancySnapshot.objects.bulk_create(
        snapshots,
        update_conflicts=True,
        unique_fields=["day", "register", "kind"],
        update_fields=["places", "taken", "derived"],
    )


def occupancy_record(*, day: date | None = None) -> list[OccupancySnapshot]:
    """Record the occupancy of the day (today) by kind of family and provider: places and
    places taken (children placed and reserved) as ``with_room()`` gives them now. Run by
    the daily beat task; run again on the same day, it updates the day's rows."""
    day = day or timezone.localdate()
    snapshots = []
    for register, (places, kind_lookup, kinds) in OCCUPANCY_PLACES.items():
        sums = {
            row[kind_lookup]: row
            for row in places()
            .with_room()
            .order_by()
            .values(kind_lookup)
            .annotate(places_sum=Sum("places"), taken_sum=Sum("taken"))
        }
        for kind in kinds:
            row = sums.get(kind, {})
            snapshots.append(
                OccupancySnapshot(
                    day=day,
                    register=register,
                    kind=kind,
                    places=row.get("places_sum") or 0,
                    taken=row.get("taken_sum") or 0,
                )
            )
    with transaction.atomic():
        _occupancy_write(snapshots)
    return snapshots


def occupancy_backfill(*, first_day: date, last_day: date | None = None) -> int:
    """Derive the occupancy of past days not recorded, from placements' dates: the children
    placed on each day in the places offered today (today's families and units and their
    places; reservations of a past day are not known). Days already recorded are left as
    they are; derived days are derived again. Returns how many days it wrote."""
    last_day = last_day or timezone.localdate() - timedelta(days=1)
    if last_day < first_day:
        return 0
    with transaction.atomic():
        recorded = set(
            OccupancySnapshot.objects.filter(
                day__range=(first_day, last_day), derived=False
            ).values_list("day", flat=True)
        )
        days = [
            first_day + timedelta(days=i)
            for i in range((last_day - first_day).days + 1)
            if first_day + timedelta(days=i) not in recorded
        ]
        snapshots = []
        for register, (places, kind_lookup, kinds) in OCCUPANCY_PLACES.items():
            offered = dict(places().order_by().values_list(kind_lookup).annotate(n=Sum("places")))
            placed = placed_by_day(places(), kind_lookup, first_day, last_day, of=register)
            snapshots += [
                OccupancySnapshot(
                    day=day,
                    register=register,
                    kind=kind,
                    places=offered.get(kind) or 0,
                    taken=placed.get((kind, day), 0),
                    derived=True,
                )
                for day in days
                for kind in kinds
            ]
        _occupancy_write(snapshots)
    return len(days)
