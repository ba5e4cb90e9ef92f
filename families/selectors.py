"""Reads of the register. The *_visible_to functions are the only place that decides
who sees which families and providers; every view loads through them."""

from django.db.models import Count, F, IntegerField, OuterRef, Prefetch, QuerySet, Subquery
from django.db.models.functions import Coalesce

from families.models import Carer, Family, FamilyStatusChange, Provider, SupervisionVisit
from fostercare.models import User


def families_visible_to(user: User) -> QuerySet[Family]:
    # The register is the unit's. Municipal workers see only the families proposed to
    # their requests, and only a few fields, through placements' own selector.
    if user.has_perm("families.view_family"):
        return Family.objects.all()
    return Family.objects.none()


def _free_places():
    """The places offered less active placements, as a subquery (no GROUP BY, so the
    default ordering and other annotations are unaffected).

    The placements app points at families; its model is reached through the reverse
    relation ``Family.placements`` so that families does not import placements.
    """
    placement = Family._meta.get_field("placements").related_model
    active = (
        placement.objects.filter(family=OuterRef("pk"), ended_on__isnull=True)
        .order_by()
        .values("family")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return F("places") - Coalesce(Subquery(active, output_field=IntegerField()), 0)


def family_list(user: User) -> QuerySet[Family]:
    return (
        families_visible_to(user)
        .select_related("home_municipality")
        .annotate(free_places=_free_places())
    )


def family_detail(user: User) -> QuerySet[Family]:
    return (
        families_visible_to(user)
        .select_related("home_municipality")
        .annotate(free_places=_free_places())
        .prefetch_related(
            "special_skills",
            "household_members",
            Prefetch("carers", queryset=Carer.objects.select_related("criminal_record_seen_by")),
            Prefetch(
                "status_changes",
                queryset=FamilyStatusChange.objects.select_related("changed_by"),
            ),
        )
    )


def providers_visible_to(user: User) -> QuerySet[Provider]:
    if user.has_perm("families.view_provider"):
        return Provider.objects.all()
    return Provider.objects.none()


def provider_list(user: User) -> QuerySet[Provider]:
    return providers_visible_to(user).select_related("municipality")


def provider_detail(user: User) -> QuerySet[Provider]:
    return (
        providers_visible_to(user)
        .select_related("municipality")
        .prefetch_related(
            Prefetch(
                "supervision_visits",
                queryset=SupervisionVisit.objects.select_related("recorded_by"),
            )
        )
    )
