"""The places that placements take in a family home, for ``Family.objects.with_room()``.

Registered in ``PlacementsConfig.ready()`` (families does not import placements).
"""

from django.db.models import Count, Expression, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce

from placements.models import Placement, PlacementRequest, Proposal

# A family accepted for a request keeps its places for that request's children until they
# are placed (or the request is withdrawn): accepting reserves them.
RESERVING_STATUSES = (PlacementRequest.Status.ACCEPTED, PlacementRequest.Status.DECIDED)


def placed_children(**context) -> Expression:
    """Children placed in the family now."""
    active = (
        Placement.objects.active()
        .filter(family=OuterRef("pk"))
        .order_by()
        .values("family")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(active, output_field=IntegerField()), Value(0))


def reserved_children(*, excluding_request: PlacementRequest | None = None, **context):
    """Children of requests that accepted the family and are not yet placed; the places of
    ``excluding_request`` itself (the one being matched or placed) do not count."""
    accepted = Proposal.objects.filter(
        family=OuterRef("pk"), accepted=True, request__status__in=RESERVING_STATUSES
    )
    if excluding_request is not None and excluding_request.pk:
        accepted = accepted.exclude(request=excluding_request)
    subquery = (
        accepted.order_by().values("family").annotate(n=Count("request__children")).values("n")
    )
    return Coalesce(Subquery(subquery, output_field=IntegerField()), Value(0))
