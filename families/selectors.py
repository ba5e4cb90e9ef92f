"""Reads of the register that more than one view needs.

Visibility is decided by each model's ``visible_to`` (``fostercare.access``), and a
family's room by ``Family.objects.with_room()``; these selectors only add what the pages
show on top of them.
"""

from django.db.models import Prefetch, QuerySet

from families.models import Carer, Family, FamilyStatusChange, Provider, SupervisionVisit
from fostercare.models import User


def family_list(user: User) -> QuerySet[Family]:
    return Family.objects.visible_to(user).with_room().select_related("home_municipality")


def family_detail(user: User) -> QuerySet[Family]:
    return (
        Family.objects.visible_to(user)
        .with_room()
        .select_related("home_municipality")
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


def provider_list(user: User) -> QuerySet[Provider]:
    return Provider.objects.visible_to(user).select_related("municipality")


def provider_detail(user: User) -> QuerySet[Provider]:
    return (
        Provider.objects.visible_to(user)
        .select_related("municipality")
        .prefetch_related(
            Prefetch(
                "supervision_visits",
                queryset=SupervisionVisit.objects.select_related("recorded_by"),
            )
        )
    )
