"""Reads of the register. The *_visible_to functions are the only place that decides
who sees which families and providers; every view loads through them."""

from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, QuerySet

from families.models import Carer, Family, FamilyStatusChange, Provider, SupervisionVisit
from fostercare.models import User


def families_visible_to(user: User) -> QuerySet[Family]:
    # Municipal workers will see families proposed to their requests (placements issue);
    # until then only users with the register permission see families.
    if user.has_perm("families.view_family"):
        return Family.objects.all()
    return Family.objects.none()


# A family's free places are the places offered less its active placements. The
# placements app points at families ("placements" is the reverse name of
# Placement.family), so the count is made here without importing it.
FREE_PLACES = F("places") - Count("placements", filter=Q(placements__ended_on__isnull=True))


def family_list(user: User) -> QuerySet[Family]:
    return (
        families_visible_to(user)
        .select_related("home_municipality")
        .annotate(free_places=FREE_PLACES)
        .annotate(
            resident_carer_exists=Exists(
                Carer.objects.filter(family=OuterRef("pk"), lives_in_home=True)
            )
        )
    )


def family_detail(user: User) -> QuerySet[Family]:
    return (
        families_visible_to(user)
        .select_related("home_municipality")
        .annotate(free_places=FREE_PLACES)
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
