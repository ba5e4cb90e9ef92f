"""Reads of the expert registers and the consultation log. Every page loads through
these, and they through ``visible_to`` and ``listed()`` (experts.access)."""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Prefetch, QuerySet, Sum
from django.db.models.functions import ExtractQuarter

from experts.models import Consultation, Expert
from fostercare.models import MemberOrganisation, User


def experts_listed_for(user: User) -> QuerySet[Expert]:
    """The experts ``user`` may find: visible to them, and not withdrawn."""
    return Expert.objects.visible_to(user).listed()


def expert_list(user: User) -> QuerySet[Expert]:
    return experts_listed_for(user).prefetch_related("expertise", "serves")


def expert_detail(user: User) -> QuerySet[Expert]:
    return expert_list(user)


def consultation_list(user: User) -> QuerySet[Consultation]:
    return Consultation.objects.visible_to(user).select_related(
        "municipality", "municipal_worker", "placement_request", "child"
    )


def consultation_detail(user: User) -> QuerySet[Consultation]:
    return (
        consultation_list(user)
        .select_related("recorded_by")
        .prefetch_related(Prefetch("experts", queryset=Expert.objects.listed()))
    )


def minutes_to_hours(minutes: int) -> Decimal:
    """Hours to two decimals, each figure from its own minutes so rounding never adds up."""
    return (Decimal(minutes) / 60).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


@dataclass
class Tally:
    count: int = 0
    minutes: int = 0

    def add(self, count: int, minutes: int) -> None:
        self.count += count
        self.minutes += minutes

    @property
    def hours(self) -> Decimal:
        return minutes_to_hours(self.minutes)


@dataclass
class QuarterRow:
    organisation: MemberOrganisation
    quarter: int | None  # None: the whole year
    total: Tally = field(default_factory=Tally)
    by_kind: dict[str, Tally] = field(default_factory=lambda: defaultdict(Tally))

    def kinds(self) -> list[Tally]:
        """The tallies in the order of Consultation.Kind, for a table's columns."""
        return [self.by_kind[kind] for kind in Consultation.Kind.values]


ALL = (None, None)  # all members, the whole year


def consultation_quarterly_totals(user: User, year: int) -> list[QuarterRow]:
    """Per member organisation and quarter of ``year``: the count and hours of the
    consultations, in total and by kind, followed by the organisation's year, and the
    same for all members together (``organisation`` None) last; for the steering
    group's report. Quarters without consultations are left out."""
    grouped = (
        Consultation.objects.visible_to(user)
        .filter(held_on__year=year)
        .annotate(quarter=ExtractQuarter("held_on"))
        .values("municipality", "quarter", "kind")
        .annotate(n=Count("pk"), minutes=Sum("duration_minutes"))
        .order_by()
    )
    rows: dict[tuple[int, int | None], QuarterRow] = {}
    organisations = {}
    for item in grouped:
        org_id = item["municipality"]
        organisations.setdefault(org_id, None)
        for key in ((org_id, item["quarter"]), (org_id, None), (None, item["quarter"]), ALL):
            row = rows.get(key)
            if row is None:
                row = rows[key] = QuarterRow(organisation=None, quarter=key[1])
            row.total.add(item["n"], item["minutes"])
            row.by_kind[item["kind"]].add(item["n"], item["minutes"])
    by_id = MemberOrganisation.objects.in_bulk(list(organisations))
    for (org_id, _quarter), row in rows.items():
        row.organisation = by_id.get(org_id)
    return sorted(
        rows.values(),
        key=lambda r: (
            r.organisation is None,
            r.organisation.name_fi if r.organisation else "",
            r.quarter is None,
            r.quarter or 0,
        ),
    )


def consultation_years(user: User) -> list[int]:
    return [
        d.year for d in Consultation.objects.visible_to(user).dates("held_on", "year", order="DESC")
    ]
