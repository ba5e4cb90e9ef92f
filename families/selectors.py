"""Reads of the register that more than one view needs.

Visibility is decided by each model's ``visible_to`` (``fostercare.access``), and a
family's room by ``Family.objects.with_room()``; these selectors only add what the pages
show on top of them.
"""

from django.db.models import (
    Exists,
    F,
    Func,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Sum,
    Value,
)
from django.db.models.functions import Lower, Trim
from django.utils import timezone

from families.models import (
    Carer,
    Family,
    FamilyStatusChange,
    HouseholdMember,
    Provider,
    ProviderUnit,
    SpecialSkill,
    SupervisionVisit,
)
from fostercare.models import User
from fostercare.prefetching import prefetch_where_some
from fostercare.selectors import organisation_names

# --- possible duplicates (families.services warns of them before saving) -------------


def _collapsed(field: str):
    """The column lower-cased, trimmed and with runs of white space as one space."""
    return Lower(
        Func(Trim(F(field)), Value(r"\s+"), Value(" "), Value("g"), function="regexp_replace")
    )


def _collapse(text: str) -> str:
    return " ".join(text.split()).lower()


def families_at_address(user: User, *, family: Family) -> QuerySet[Family]:
    """The other families in the register (not ended) at ``family``'s street address and
    postal code, whatever the case and spacing."""
    street, postal_code = _collapse(family.street_address), family.postal_code.strip()
    if not street or not postal_code:
        return Family.objects.none()
    return (
        Family.objects.visible_to(user)
        .exclude(pk=family.pk)
        .exclude(status=Family.Status.ENDED)
        .alias(street=_collapsed("street_address"))
        .filter(street=street, postal_code=postal_code)
        .order_by("name", "pk")
    )


def families_with_carer(user: User, *, carer: Carer) -> QuerySet[Family]:
    """The other families (not ended) with a carer of the same name and year of birth:
    the register keeps no identity code for carers, so name and birth year identify one."""
    return (
        Family.objects.visible_to(user)
        .exclude(pk=carer.family_id)
        .exclude(status=Family.Status.ENDED)
        .filter(
            carers__in=Carer.objects.alias(
                first=_collapsed("first_name"), last=_collapsed("last_name")
            ).filter(
                first=_collapse(carer.first_name),
                last=_collapse(carer.last_name),
                birth_year=carer.birth_year,
            )
        )
        .distinct()
        .order_by("name", "pk")
    )


def family_list(user: User) -> QuerySet[Family]:
    return Family.objects.visible_to(user).with_room().select_related("home_municipality")


def family_detail(user: User) -> QuerySet[Family]:
    """A family with what its page shows; whether it has special skills and household
    members is annotated, for ``with_skills_and_household``."""
    return (
        Family.objects.visible_to(user)
        .with_room_joined()  # one family's: its counts joined, each once
        .select_related("home_municipality")
        .annotate(
            has_skills=Exists(Family.special_skills.through.objects.filter(family=OuterRef("pk"))),
            has_household=Exists(HouseholdMember.objects.filter(family=OuterRef("pk"))),
        )
        .prefetch_related(
            Prefetch("carers", queryset=Carer.objects.select_related("criminal_record_seen_by")),
            Prefetch(
                "status_changes",
                queryset=FamilyStatusChange.objects.select_related("changed_by"),
            ),
        )
    )


def with_skills_and_household(family: Family) -> Family:
    """Read the special skills and household members of a family from ``family_detail``
    where it has some: most families have neither, and their page then asks for neither."""
    return prefetch_where_some(
        family,
        special_skills=(SpecialSkill.objects.all(), family.has_skills),
        household_members=(HouseholdMember.objects.all(), family.has_household),
    )


def provider_list(user: User) -> QuerySet[Provider]:
    """Providers with their places and free places (``Provider.objects.with_room()``)."""
    return Provider.objects.visible_to(user).with_room().select_related("municipality")


def provider_detail(user: User) -> QuerySet[Provider]:
    return (
        Provider.objects.visible_to(user)
        .with_room()
        .select_related("municipality")
        .prefetch_related(
            Prefetch("units", queryset=ProviderUnit.objects.with_room()),
            Prefetch(
                "supervision_visits",
                queryset=SupervisionVisit.objects.select_related("recorded_by"),
            ),
        )
    )


def provider_vacancies(user: User) -> dict:
    """The room of the active units of active providers licensed today
    (``ProviderUnit.objects.with_room()``), by the provider's municipality and kind, in
    total and per age band (a unit counts in every band its ages reach), summed in the
    database in one query. Each row carries what the provider list filters by."""
    from families.filters import AGE_BANDS

    providers = Provider.objects.visible_to(user).filter(active=True)
    bands = {
        f"band_{i}": Sum("room", filter=Q(age_min__lte=high, age_max__gte=low))
        for i, (low, high) in enumerate(AGE_BANDS.values())
    }
    sums = (
        ProviderUnit.objects.with_room()
        .filter(active=True, provider__in=providers.licensed_on(timezone.localdate()))
        .order_by()
        .values("provider__municipality", "provider__kind")
        .annotate(total=Sum("room"), **bands)
    )
    names = organisation_names()  # named after grouping, as the families' board is
    kinds = dict(Provider.Kind.choices)
    rows = [
        {
            "municipality_id": row["provider__municipality"],
            "municipality": names.get(row["provider__municipality"], ""),
            "kind": row["provider__kind"],
            "kind_label": kinds[row["provider__kind"]],
            "total": row["total"] or 0,
            "bands": [(band, row[f"band_{i}"] or 0) for i, band in enumerate(AGE_BANDS)],
        }
        for row in sums
    ]
    rows.sort(key=lambda r: (r["municipality"] == "", r["municipality"], r["kind"]))
    return {"rows": rows, "bands": list(AGE_BANDS), "total": sum(r["total"] for r in rows)}
