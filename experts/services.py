"""Writes to the expert registers and the consultation log. Every write validates and
runs in a transaction; pages, the admin and imports all come through here."""

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from experts.access import concern_choices_for
from experts.models import Consultation, Expert, ExpertiseArea, GroupLeader
from fostercare.models import MemberOrganisation, User
from training.models import Course


@transaction.atomic
def expert_save(
    *,
    expert: Expert,
    by: User,
    expertise: Iterable[ExpertiseArea] | None = None,
    serves: Iterable[MemberOrganisation] | None = None,
) -> Expert:
    """Add or change an expert; ``expertise`` and ``serves`` replace the current ones
    when given. A withdrawal date takes the expert out of every list from now on."""
    expert.full_clean()
    expert.save()
    if expertise is not None:
        expert.expertise.set(expertise)
    if serves is not None:
        expert.serves.set(serves)
    return expert


def _check_concerns(consultation: Consultation, by: User) -> None:
    """A consultation may name only a request or child its writer sees in placements."""
    requests, children = concern_choices_for(by)
    errors = {}
    if (
        consultation.placement_request_id
        and not requests.filter(pk=consultation.placement_request_id).exists()
    ):
        errors["placement_request"] = _("Choose a placement request you have access to.")
    if consultation.child_id and not children.filter(pk=consultation.child_id).exists():
        errors["child"] = _("Choose a child you have access to.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def consultation_save(
    *, consultation: Consultation, by: User, experts: Iterable[Expert] | None = None
) -> Consultation:
    """Log a consultation or correct one; the writer is recorded on the first save."""
    if consultation.recorded_by_id is None:
        consultation.recorded_by = by
    _check_concerns(consultation, by)
    consultation.full_clean()
    consultation.save()
    if experts is not None:
        experts = list(experts)
        listed = set(Expert.objects.listed().filter(pk__in=[e.pk for e in experts]))
        if len(listed) != len(experts):
            raise ValidationError({"experts": _("An expert is no longer listed.")})
        consultation.experts.set(experts)
    return consultation


@transaction.atomic
def group_leader_save(*, leader: GroupLeader, by: User) -> GroupLeader:
    """Name an expert as the leader of a work supervision or a peer group. A supervision's
    leader is a work supervisor; every leader has a current consent to be listed."""
    if leader.assigned_by_id is None:
        leader.assigned_by = by
    leader.full_clean()
    leader.save()
    return leader


@transaction.atomic
def group_leader_assign(*, course: Course, expert: Expert, by: User) -> GroupLeader:
    return group_leader_save(leader=GroupLeader(course=course, expert=expert), by=by)
