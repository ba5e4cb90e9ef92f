"""Reads of placements that more than one view needs. Every read of personal data loads
through ``Model.objects.visible_to(user)``, whose rules are ``placements.access``."""

from collections import defaultdict

from django.db.models import (
    Count,
    Exists,
    OuterRef,
    Prefetch,
    QuerySet,
    Subquery,
    Sum,
)
from django.db.models.functions import Coalesce

from families.models import Family
from fostercare.models import MemberOrganisation, User
from fostercare.prefetching import prefetch_where_some
from fostercare.roles import Role
from fostercare.selectors import organisation_names
from placements.access import may_see_family_notes, proposed_families
from placements.models import (
    REQUEST_OPEN_FIRST,
    REQUEST_URGENCY_ORDER,
    AftercarePlan,
    Child,
    IdentityCodeChange,
    Placement,
    PlacementChange,
    PlacementRequest,
    Proposal,
    RequestEvent,
)

S = PlacementRequest.Status


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


def placement_request_list(user: User) -> QuerySet[PlacementRequest]:
    """Open requests first, the most urgent at the top: night-time requests are found first.
    Each with the children the user may see (for its title and names)."""
    return (
        PlacementRequest.objects.visible_to(user)
        .select_related("municipality", "created_by", "unit_worker")
        .prefetch_related(Prefetch("children", queryset=Child.objects.visible_to(user)))
        .annotate(closed=REQUEST_OPEN_FIRST, urgency_rank=REQUEST_URGENCY_ORDER)
        .order_by("closed", "urgency_rank", "wished_start_on", "pk")
    )


def placement_request_detail(user: User) -> QuerySet[PlacementRequest]:
    """A request with what its page shows; of the proposals, only those whose family the
    user may see (``proposal_count`` counts them all, for "n not shown to you"), and the
    placements made on it, each read by ``with_proposals_and_placements`` only where the
    request has some (an open request, the page read most, has neither)."""
    proposals = (
        Proposal.objects.filter(request=OuterRef("pk"))
        .order_by()
        .values("request")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        PlacementRequest.objects.visible_to(user)
        .select_related("municipality", "created_by", "unit_worker")
        .annotate(
            proposal_count=Coalesce(Subquery(proposals), 0),
            placed=Exists(Placement.objects.filter(request=OuterRef("pk"))),
        )
        .prefetch_related(
            Prefetch("children", queryset=Child.objects.prefetch_related("needs")),
            Prefetch("events", queryset=RequestEvent.objects.select_related("by")),
        )
    )


def with_proposals_and_placements(user: User, placement_request: PlacementRequest):
    """Read the proposals and placements of a request from ``placement_request_detail``
    where it has some (its annotations say so), as the user may see them."""
    return prefetch_where_some(
        placement_request,
        proposals=(
            Proposal.objects.visible_to(user).select_related(
                "family__home_municipality", "provider_unit__provider__municipality"
            ),
            placement_request.proposal_count,
        ),
        placements=(
            Placement.objects.visible_to(user).select_related(
                "child", "family", "provider", "provider_unit__provider"
            ),
            placement_request.placed,
        ),
    )


def placement_request_for_matching(user: User) -> QuerySet[PlacementRequest]:
    """A request with what matching reads: its municipality, children and their needs."""
    return (
        PlacementRequest.objects.visible_to(user)
        .select_related("municipality")
        .prefetch_related(Prefetch("children", queryset=Child.objects.prefetch_related("needs")))
    )


def child_list(user: User) -> QuerySet[Child]:
    return Child.objects.visible_to(user).select_related("municipality")


def child_detail(user: User) -> QuerySet[Child]:
    return (
        Child.objects.visible_to(user)
        .select_related("municipality")
        .prefetch_related(
            "needs",
            Prefetch("aftercare_plans", queryset=AftercarePlan.objects.visible_to(user)),
            Prefetch(
                "identity_code_changes",
                queryset=IdentityCodeChange.objects.select_related("changed_by"),
            ),
            # only the siblings this user may see, whatever links were made before
            Prefetch("siblings", queryset=Child.objects.visible_to(user)),
            Prefetch(
                "placements",
                queryset=Placement.objects.visible_to(user).select_related(
                    "family", "provider", "provider_unit__provider", "child"
                ),
            ),
            Prefetch(
                "placement_requests",
                queryset=PlacementRequest.objects.visible_to(user).select_related("municipality"),
            ),
        )
    )


def placement_list(user: User) -> QuerySet[Placement]:
    return Placement.objects.visible_to(user).select_related(
        "child", "child__municipality", "family", "provider", "provider_unit__provider", "request"
    )


def placement_with_history(user: User) -> QuerySet[Placement]:
    """A placement with its corrections, for the page that corrects it."""
    return placement_list(user).prefetch_related(
        Prefetch("changes", queryset=PlacementChange.objects.select_related("by"))
    )


def family_placements(user: User, family: Family) -> list[Placement]:
    """The family's placements, newest first, as the user may see them (one query: each
    is placed in ``family``, with no provider, so only the child is joined)."""
    placements = list(
        Placement.objects.visible_to(user)
        .filter(family=family)
        .select_related("child")
        .order_by("ended_on", "-started_on")
    )
    for placement in placements:
        placement.family = family
    return placements


def proposed_family(user: User) -> QuerySet[Family]:
    """A proposed family with the few fields its page shows."""
    return (
        proposed_families(user)
        .select_related("home_municipality")
        .prefetch_related("special_skills")
    )


def vacancy_board(user: User) -> dict:
    """The room of the available families (``Family.objects.with_room().available()``) by
    the family's municipality and kind, summed in the database in one query (the counts
    joined, ``with_room_joined()``: every available family's, at once), grouped by the
    municipality's id and named from the cached names (grouping 12,000 families by two
    names took a third of the query)."""
    sums = (
        proposed_families(user)
        .with_room_joined()
        .available()
        .order_by()
        .values("home_municipality", "kind")
        .annotate(free=Sum("room"))
    )
    kinds, values = Family.Kind.choices, Family.Kind.values
    names = organisation_names()
    table: dict[str, dict[str, int]] = defaultdict(lambda: dict.fromkeys(values, 0))
    for row in sums:
        # "" for families outside the member organisations
        name = names.get(row["home_municipality"], "")
        table[name][row["kind"]] += row["free"]
    rows = [
        (name, [cells[kind] for kind, _label in kinds], sum(cells.values()))
        for name, cells in sorted(table.items(), key=lambda item: (item[0] == "", item[0]))
    ]
    totals = [sum(row[1][i] for row in rows) for i in range(len(kinds))]
    return {"kinds": kinds, "rows": rows, "totals": totals, "total": sum(totals)}


def hidden_proposal_count(placement_request: PlacementRequest) -> int:
    """How many proposals of a request (loaded by ``placement_request_detail``) the user
    may not see: a municipal worker sees only the families granted to their organisation
    (those awaiting a choice, then the accepted one), a worker it was shared with none."""
    return placement_request.proposal_count - len(placement_request.proposals.all())


# Steps whose timeline note names the families (proposed, accepted, placed with).
FAMILY_NOTE_STATUSES = {
    PlacementRequest.Status.PROPOSED,
    PlacementRequest.Status.ACCEPTED,
    PlacementRequest.Status.PLACED,
}


def timeline_notes_hidden_from(user, placement_request) -> set[int]:
    """Timeline notes naming families are for the unit; others see the step only."""
    if may_see_family_notes(user):
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
        .exclude(organisation_id=placement_request.municipality_id)
        .order_by("last_name", "first_name", "pk")
    )


def children_for_request(user: User) -> QuerySet[Child]:
    """The children a request may name: those the user may change that have no ongoing
    placement (a placed child's next move is a correction of the placement)."""
    active = Placement.objects.filter(child=OuterRef("pk"), ended_on__isnull=True)
    return own_children(user).filter(~Exists(active)).select_related("municipality")


def requesting_municipalities(user: User) -> QuerySet[MemberOrganisation]:
    """The municipalities the unit may file a request for."""
    return MemberOrganisation.objects.order_by("name_fi", "pk")


def unit_pairs() -> QuerySet[User]:
    """The unit's social workers, who become the pair of a request."""
    return User.objects.filter(groups__name=Role.UNIT_WORKER).order_by(
        "last_name", "first_name", "pk"
    )


def own_children(user: User) -> QuerySet[Child]:
    """The children a user may put on a request or link as siblings: those they may
    change (a municipal worker their own municipality's; the unit every child)."""
    return Child.objects.visible_to(user, "change")
