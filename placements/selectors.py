"""Reads of placements. The *_visible_to functions are the only place that decides who
sees which requests, children and placements; every view loads through them.

Unit workers (and administrators) hold the model-wide permissions and see everything.
A municipal worker holds none: they see what their organisation's group has been granted
on the member organisation (django-guardian), plus requests shared with them one by one.
"""

from collections import defaultdict

from django.db.models import Case, IntegerField, Prefetch, Q, QuerySet, Value, When
from guardian.shortcuts import get_objects_for_user

from families.models import Family
from fostercare.models import MemberOrganisation, User
from fostercare.roles import Role
from placements.matching import AVAILABLE_STATUSES, candidate_families, family_room
from placements.models import Child, Placement, PlacementRequest, Proposal, RequestEvent

S = PlacementRequest.Status


def is_unit_side(user: User) -> bool:
    """Unit workers (and administrators) handle every request."""
    return user.has_perm("placements.change_placementrequest")


def may_use_placements(user: User) -> bool:
    """Whether the placements pages are for this user at all (otherwise 403)."""
    return user.has_perm("placements.view_placementrequest") or bool(
        user.is_municipal_worker and user.organisation_id
    )


def organisations_handled_by(user: User) -> QuerySet[MemberOrganisation]:
    if not user.is_municipal_worker:
        return MemberOrganisation.objects.none()
    return get_objects_for_user(
        user,
        "fostercare.handle_placements",
        klass=MemberOrganisation,
        accept_global_perms=False,
        with_superuser=False,
    )


def _requests_shared_with(user: User) -> QuerySet[PlacementRequest]:
    return get_objects_for_user(
        user,
        "placements.view_placementrequest",
        klass=PlacementRequest,
        accept_global_perms=False,
        with_superuser=False,
    )


def placement_requests_visible_to(user: User) -> QuerySet[PlacementRequest]:
    if user.has_perm("placements.view_placementrequest"):
        return PlacementRequest.objects.all()
    if not user.is_municipal_worker:
        return PlacementRequest.objects.none()
    return PlacementRequest.objects.filter(
        Q(municipality__in=organisations_handled_by(user))
        | Q(pk__in=_requests_shared_with(user).values("pk"))
    )


def children_visible_to(user: User) -> QuerySet[Child]:
    if user.has_perm("placements.view_child"):
        return Child.objects.all()
    if not user.is_municipal_worker:
        return Child.objects.none()
    return Child.objects.filter(
        Q(municipality__in=organisations_handled_by(user))
        | Q(placement_requests__in=_requests_shared_with(user).values("pk"))
    ).distinct()


def placements_visible_to(user: User) -> QuerySet[Placement]:
    if user.has_perm("placements.view_placement"):
        return Placement.objects.all()
    return Placement.objects.filter(child__in=children_visible_to(user).values("pk"))


def proposed_families_visible_to(user: User) -> QuerySet[Family]:
    """Families as the placements pages show them (a few fields, not the register).

    Unit workers see every family; a municipal worker sees the families their
    organisation's group has been granted because they were proposed to its requests
    (``services.proposed_family_grants_sync``). The register pages stay closed to them.
    """
    if user.has_perm("families.view_family"):
        return Family.objects.all()
    if not user.is_municipal_worker:
        return Family.objects.none()
    return get_objects_for_user(
        user,
        "families.view_family",
        klass=Family,
        accept_global_perms=False,
        with_superuser=False,
    )


def request_shared_with(request: PlacementRequest) -> QuerySet[User]:
    """The workers outside the municipality this request has been shared with."""
    return (
        User.objects.filter(
            placementrequestuserobjectpermission__content_object=request,
            placementrequestuserobjectpermission__permission__codename="view_placementrequest",
        )
        .select_related("organisation")
        .order_by("last_name", "first_name", "pk")
    )


URGENCY_ORDER = Case(
    When(urgency=PlacementRequest.Urgency.IMMEDIATE, then=Value(0)),
    When(urgency=PlacementRequest.Urgency.URGENT, then=Value(1)),
    default=Value(2),
    output_field=IntegerField(),
)
OPEN_FIRST = Case(
    When(status__in=[S.PLACED, S.WITHDRAWN, S.NO_PLACE], then=Value(1)),
    default=Value(0),
    output_field=IntegerField(),
)


def placement_request_list(user: User) -> QuerySet[PlacementRequest]:
    """Open requests first, the most urgent at the top: night-time requests are found first."""
    return (
        placement_requests_visible_to(user)
        .select_related("municipality", "created_by", "unit_worker")
        .prefetch_related("children")
        .annotate(closed=OPEN_FIRST, urgency_rank=URGENCY_ORDER)
        .order_by("closed", "urgency_rank", "wished_start_on", "pk")
    )


def placement_request_detail(user: User) -> QuerySet[PlacementRequest]:
    return (
        placement_requests_visible_to(user)
        .select_related("municipality", "created_by", "unit_worker")
        .prefetch_related(
            Prefetch("children", queryset=Child.objects.prefetch_related("needs")),
            Prefetch("events", queryset=RequestEvent.objects.select_related("by")),
            Prefetch(
                "proposals",
                queryset=Proposal.objects.select_related("family__home_municipality"),
            ),
            Prefetch(
                "placements",
                queryset=Placement.objects.select_related("child", "family", "provider"),
            ),
        )
    )


def child_list(user: User) -> QuerySet[Child]:
    return children_visible_to(user).select_related("municipality")


def child_detail(user: User) -> QuerySet[Child]:
    return (
        children_visible_to(user)
        .select_related("municipality")
        .prefetch_related(
            "needs",
            # only the siblings this user may see, whatever links were made before
            Prefetch(
                "siblings",
                queryset=Child.objects.filter(pk__in=children_visible_to(user).values("pk")),
            ),
            Prefetch(
                "placements",
                queryset=Placement.objects.select_related("family", "provider", "child"),
            ),
            Prefetch(
                "placement_requests",
                queryset=PlacementRequest.objects.select_related("municipality"),
            ),
        )
    )


def placement_list(user: User) -> QuerySet[Placement]:
    return placements_visible_to(user).select_related(
        "child", "child__municipality", "family", "provider", "request"
    )


def vacancy_board() -> dict:
    """Free places of available, trained families by municipality and family kind.

    Free places are the places offered less active placements, never more than the legal
    limit of persons in care allows.
    """
    families = (
        candidate_families()
        .prefetch_related(None)  # the board needs no special skills
        .filter(status__in=AVAILABLE_STATUSES, pre_service_training_completed_on__isnull=False)
    )
    kinds = Family.Kind.choices
    table: dict[str, dict[str, int]] = defaultdict(lambda: dict.fromkeys(Family.Kind.values, 0))
    for family in families:
        free, legal_room = family_room(family)
        municipality = family.home_municipality.name if family.home_municipality else ""
        table[municipality][family.kind] += max(0, min(free, legal_room))
    rows = [
        (name, [cells[kind] for kind, _label in kinds], sum(cells.values()))
        for name, cells in sorted(table.items(), key=lambda item: (item[0] == "", item[0]))
    ]
    totals = [sum(row[1][i] for row in rows) for i in range(len(kinds))]
    return {"kinds": kinds, "rows": rows, "totals": totals, "total": sum(totals)}


def proposals_visible_to(user, placement_request) -> tuple[list, int]:
    """The proposals whose family this user may see, and how many others there are.

    The unit sees every proposal. A municipal worker sees only the families granted to
    their organisation (those awaiting a choice, then the accepted one); a worker a
    request was shared with sees none of them. The rest are only counted.
    """
    proposals = list(placement_request.proposals.all())
    if is_unit_side(user) or not proposals:
        return proposals, 0
    visible = set(
        proposed_families_visible_to(user)
        .filter(pk__in=[p.family_id for p in proposals])
        .values_list("pk", flat=True)
    )
    shown = [p for p in proposals if p.family_id in visible]
    return shown, len(proposals) - len(shown)


# Steps whose timeline note names the families (proposed, accepted, placed with).
FAMILY_NOTE_STATUSES = {
    PlacementRequest.Status.PROPOSED,
    PlacementRequest.Status.ACCEPTED,
    PlacementRequest.Status.PLACED,
}


def timeline_notes_hidden_from(user, placement_request) -> set[int]:
    """Timeline notes naming families are for the unit; others see the step only."""
    if is_unit_side(user):
        return set()
    return {
        event.pk
        for event in placement_request.events.all()
        if event.from_status != event.to_status and event.to_status in FAMILY_NOTE_STATUSES
    }


def share_candidates(placement_request: PlacementRequest) -> QuerySet[User]:
    """Municipal workers of other organisations a request may be shared with."""
    return (
        User.objects.filter(groups__name=Role.MUNICIPAL_WORKER)
        .exclude(organisation=placement_request.municipality)
        .order_by("last_name", "first_name")
    )


def own_children(user: User) -> QuerySet[Child]:
    """The children a user may put on a request: a municipal worker their own
    municipality's; the unit every child."""
    children = children_visible_to(user)
    if user.is_municipal_worker:
        return children.filter(municipality_id=user.organisation_id)
    return children


def may_edit_child(user: User, child: Child | None = None) -> bool:
    """Whether the user may add a child (``child`` None) or change this one: the unit,
    or a worker of the child's own municipality (a shared child is only read)."""
    if user.has_perm("placements.change_child"):
        return True
    return bool(
        user.is_municipal_worker
        and user.organisation_id
        and (child is None or child.municipality_id == user.organisation_id)
    )
