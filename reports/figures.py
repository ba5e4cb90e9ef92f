"""The figures of the reports, as tables: each a title, column headings, rows, a total
row and, for those drawn, a chart of some of its columns.

The figures are read with the derived figures the pages use: care days
(``placements.care_days``, which contracts' usage figures read), a family's room
(``Family.objects.with_room()``), the allocation table (``contracts.selectors``) and the
consultation log's hours (``experts.selectors.minutes_to_hours``). They are totals per
member organisation, never about a person, and are computed by the worker for the whole
unit — like the invoicing run, which has no user; who may read a report is decided by
``Report.objects.visible_to``.

Strings are made in the active language: call inside ``translation.override``.
"""

import statistics
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Max, Q, Sum
from django.db.models.functions import TruncMonth
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from contracts.models import Contract, ContractPeriod, Invoice, QuarterActualCost
from contracts.quarters import quarter_first_day, quarter_last_day
from contracts.selectors import allocation_table
from experts.models import Consultation
from experts.selectors import minutes_to_hours
from families.models import Family, FamilyStatusChange, OccupancySnapshot, Provider
from fostercare.models import MemberOrganisation
from placements.care_days import CARE_TYPES, FAMILY_CARE, care_days_by, care_type, days_in
from placements.models import EMERGENCY_PLACEMENT_MAX_DAYS, Placement, PlacementType
from reports.models import ReferenceDailyCost, Report
from training.models import Inquiry

CENT = Decimal("0.01")


def money(value: Decimal) -> str:
    return str(Decimal(value).quantize(CENT, ROUND_HALF_UP))


def percent(part, whole) -> str:
    if not whole:
        return "–"
    return str((Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), ROUND_HALF_UP))


@dataclass
class Table:
    key: str
    title: str
    headers: list[str]
    rows: list[list] = field(default_factory=list)
    total: list | None = None
    note: str = ""
    # the columns (indexes into a row) that the table's chart draws, one series each
    chart_columns: list[int] = field(default_factory=list)
    # "bar" (a group of bars per row) or "line" (a row is a point in time)
    chart_kind: str = "bar"
    # the value axis reaches at least this (e.g. 100 for percentages)
    chart_top: int = 0

    def as_dict(self) -> dict:
        """The table as stored (JSON): lazy translations made into text now."""
        return {
            "key": self.key,
            "title": str(self.title),
            "headers": _plain(self.headers),
            "rows": [_plain(row) for row in self.rows],
            "total": _plain(self.total) if self.total else None,
            "note": str(self.note),
            "chart_columns": self.chart_columns,
            "chart_kind": self.chart_kind,
            "chart_top": self.chart_top,
        }


def _plain(cells: list) -> list:
    return [cell if isinstance(cell, int | str) else str(cell) for cell in cells]


def _column_totals(rows: list[list], start: int = 1) -> list:
    width = len(rows[0]) if rows else 0
    totals = []
    for i in range(start, width):
        values = [row[i] for row in rows]
        if all(isinstance(v, int) for v in values):
            totals.append(sum(values))
        else:
            totals.append(money(sum((Decimal(v) for v in values), Decimal(0))))
    return [_("All members"), *totals]


class Period:
    """The days a report covers and the contract's members, read once."""

    def __init__(self, contract: Contract, first_day: date, last_day: date):
        self.contract = contract
        self.first_day, self.last_day = first_day, last_day
        # care is counted up to today in a period not yet over, never in advance
        self.counted_until = min(last_day, timezone.localdate())
        self.members: list[MemberOrganisation] = sorted(
            contract.members.all(), key=lambda m: m.name_fi
        )
        self.member_ids = [m.pk for m in self.members]

    def placements(self):
        """Placements of the members' children: the child's home municipality uses the care."""
        return Placement.objects.filter(child__municipality__in=self.member_ids)

    def rows(self, values: dict[int, list]) -> list[list]:
        return [[m.name, *values[m.pk]] for m in self.members]


# --- the register and recruitment ---------------------------------------------------------


def families_by_kind_and_status(period: Period) -> Table:
    statuses = Family.Status.choices
    counts = (
        Family.objects.filter(home_municipality__in=period.member_ids)
        .order_by()
        .values_list("home_municipality", "kind", "status")
        .annotate(n=Count("pk"))
    )
    cells = {(m, k, s): n for m, k, s, n in counts}
    rows = []
    for member in period.members:
        for kind, kind_label in Family.Kind.choices:
            values = [cells.get((member.pk, kind, status), 0) for status, _label in statuses]
            if any(values):
                rows.append([f"{member.name}: {kind_label}", *values, sum(values)])
    return Table(
        key="families",
        title=_("Families by kind and status per member"),
        headers=[_("Member and kind"), *[label for _s, label in statuses], _("Total")],
        rows=rows,
        total=_column_totals(rows) if rows else None,
        note=_("Status on the day the report was made; the family's home municipality."),
    )


def recruitment(period: Period) -> Table:
    first, last = period.first_day, period.last_day
    in_members = {"family__home_municipality__in": period.member_ids}
    inquiries = dict(
        Inquiry.objects.filter(created_at__date__range=(first, last), **in_members)
        .order_by()
        .values_list("family__home_municipality")
        .annotate(n=Count("pk"))
    )
    trained = dict(
        Family.objects.filter(
            home_municipality__in=period.member_ids,
            pre_service_training_completed_on__range=(first, last),
        )
        .order_by()
        .values_list("home_municipality")
        .annotate(n=Count("pk"))
    )
    approved = dict(
        FamilyStatusChange.objects.filter(
            to_status=Family.Status.APPROVED, changed_at__date__range=(first, last), **in_members
        )
        .order_by()
        .values_list("family__home_municipality")
        .annotate(n=Count("family", distinct=True))
    )
    rows = period.rows(
        {m: [inquiries.get(m, 0), trained.get(m, 0), approved.get(m, 0)] for m in period.member_ids}
    )
    return Table(
        key="recruitment",
        title=_("Recruitment: inquiries, trained and approved families"),
        headers=[
            _("Member"),
            _("New inquiries"),
            _("Pre-service training completed"),
            _("Approved"),
        ],
        rows=rows,
        total=_column_totals(rows),
        chart_columns=[1, 2, 3],
    )


# --- placements and care days -------------------------------------------------------------


def placements_started_and_ended(period: Period) -> Table:
    first, last = period.first_day, period.last_day
    counts = (
        period.placements()
        .annotate(care_type=care_type())
        .order_by()
        .values("child__municipality", "care_type")
        .annotate(
            started=Count("pk", filter=Q(started_on__range=(first, last))),
            ended=Count("pk", filter=Q(ended_on__range=(first, last))),
        )
    )
    cells = {(c["child__municipality"], c["care_type"]): c for c in counts}
    types = [value for value, _label in CARE_TYPES]

    def cell(member, kind, what):
        return cells.get((member, kind), {}).get(what, 0)

    rows = period.rows(
        {
            m: [cell(m, t, "started") for t in types] + [cell(m, t, "ended") for t in types]
            for m in period.member_ids
        }
    )
    labels = [str(label) for _value, label in CARE_TYPES]
    return Table(
        key="placements",
        title=_("Placements started and ended by care type and member"),
        headers=[
            _("Member"),
            *[_("Started: %(type)s") % {"type": label} for label in labels],
            *[_("Ended: %(type)s") % {"type": label} for label in labels],
        ],
        rows=rows,
        total=_column_totals(rows),
        chart_columns=[1, 2, 3],
    )


def care_days(period: Period) -> tuple[Table, dict[str, int]]:
    """Care days per member and care type, and the totals per care type."""
    days = care_days_by(
        period.placements(),
        period.first_day,
        period.counted_until,
        "child__municipality",
        "care_type",
    )
    types = [value for value, _label in CARE_TYPES]
    rows = period.rows(
        {
            m: [days.get((m, t), 0) for t in types] + [sum(days.get((m, t), 0) for t in types)]
            for m in period.member_ids
        }
    )
    by_type = {t: sum(days.get((m, t), 0) for m in period.member_ids) for t in types}
    table = Table(
        key="care_days",
        title=_("Care days per member"),
        headers=[_("Member"), *[str(label) for _v, label in CARE_TYPES], _("Total")],
        rows=rows,
        total=_column_totals(rows),
        note=_("A day counts when a child of the member is in placement on it."),
        chart_columns=[1, 2, 3],
    )
    return table, by_type


def emergency_placements(period: Period) -> Table:
    started = (
        period.placements()
        .filter(
            placement_type=PlacementType.EMERGENCY,
            started_on__range=(period.first_day, period.last_day),
        )
        .values_list("child__municipality", "started_on", "ended_on")
    )
    lengths: dict[int, list[int]] = {m: [] for m in period.member_ids}
    for member_id, started_on, ended_on in started:
        # an emergency placement still going is counted up to the end of the period
        lengths[member_id].append(days_in(started_on, ended_on, started_on, period.counted_until))

    def summary(values: list[int]) -> list:
        if not values:
            return [0, "–", "–", 0]
        average = (Decimal(sum(values)) / len(values)).quantize(Decimal("0.1"), ROUND_HALF_UP)
        overrun = sum(1 for v in values if v > EMERGENCY_PLACEMENT_MAX_DAYS)
        return [len(values), str(average), max(values), overrun]

    rows = period.rows({m: summary(lengths[m]) for m in period.member_ids})
    every = [v for values in lengths.values() for v in values]
    return Table(
        key="emergency",
        title=_("Emergency placements started and how long they lasted"),
        headers=[
            _("Member"),
            _("Emergency placements"),
            _("Average days"),
            _("Longest (days)"),
            _("Over 30 days"),
        ],
        rows=rows,
        total=[_("All members"), *summary(every)],
        note=_("A placement still going is counted up to the end of the period or today."),
    )


def time_to_placement(period: Period) -> Table:
    """Days from the request's submission to the placement's start, for placements that
    started in the period from a request."""
    rows_db = (
        period.placements()
        .filter(request__isnull=False, started_on__range=(period.first_day, period.last_day))
        .values_list(
            "child__municipality", "started_on", "request__submitted_at", "request__created_at"
        )
    )
    waits: dict[int, list[int]] = {m: [] for m in period.member_ids}
    for member_id, started_on, submitted_at, created_at in rows_db:
        asked_on = timezone.localdate(submitted_at or created_at)  # the day in Finland
        waits[member_id].append(max((started_on - asked_on).days, 0))

    def summary(values: list[int]) -> list:
        if not values:
            return [0, "–", "–"]
        median = Decimal(str(statistics.median(values))).quantize(Decimal("0.1"), ROUND_HALF_UP)
        return [len(values), str(median), max(values)]

    every = [v for values in waits.values() for v in values]
    return Table(
        key="time_to_placement",
        title=_("Time from request to placement"),
        headers=[
            _("Member"),
            _("Placements from a request"),
            _("Median (days)"),
            _("Longest (days)"),
        ],
        rows=period.rows({m: summary(waits[m]) for m in period.member_ids}),
        total=[_("All members"), *summary(every)],
        note=_("From the day the request was submitted to the day the placement started."),
    )


def occupancy() -> Table:
    """Places and their use now: families by ``with_room()``, providers by placements."""
    families = (
        Family.objects.with_room()
        .filter(status__in=Family.AVAILABLE_STATUSES)
        .order_by()
        .values("kind")
        .annotate(places=Sum("places"), taken=Sum("taken"), room=Sum("room"))
    )
    by_kind = {row["kind"]: row for row in families}
    rows = []
    for kind, label in Family.Kind.choices:
        row = by_kind.get(kind, {"places": 0, "taken": 0, "room": 0})
        rows.append(
            [
                str(label),
                row["places"],
                row["taken"],
                row["room"],
                percent(row["taken"], row["places"]),
            ]
        )
    providers = (
        Provider.objects.filter(active=True)
        .annotate(taken=Count("placements", filter=Q(placements__ended_on__isnull=True)))
        .order_by()
        .values_list("kind", "places", "taken")
    )
    places: dict[str, list[int]] = {kind: [0, 0] for kind in Provider.Kind.values}
    for kind, offered, used in providers:
        places[kind][0] += offered
        places[kind][1] += used
    for kind, label in Provider.Kind.choices:
        offered, used = places[kind]
        rows.append([str(label), offered, used, max(offered - used, 0), percent(used, offered)])
    return Table(
        key="occupancy",
        title=_("Occupancy of families and providers"),
        headers=[
            _("Family or provider kind"),
            _("Places"),
            _("Taken"),
            _("Free"),
            _("Occupancy (%)"),
        ],
        rows=rows,
        note=_(
            "On the day the report was made; approved and active families, with the room "
            "the register shows (places taken by placed and reserved children)."
        ),
        chart_columns=[2, 3],
    )


def _months(first: date, last: date) -> list[date]:
    months, month = [], first.replace(day=1)
    while month <= last:
        months.append(month)
        month = date(month.year + month.month // 12, month.month % 12 + 1, 1)
    return months


def occupancy_over_time(period: Period) -> Table:
    """Occupancy by month over the report's period and the year before it, from the
    register's occupancy history (``OccupancySnapshot``): each month as on its last
    recorded day, families and providers' units apart."""
    first = date(period.first_day.year - 1, period.first_day.month, 1)
    last = min(period.last_day, timezone.localdate())
    months = _months(first, last)
    in_range = OccupancySnapshot.objects.filter(day__range=(first, last))
    last_days = (
        in_range.annotate(month=TruncMonth("day"))
        .order_by()
        .values("month")
        .annotate(last=Max("day"))
        .values("last")
    )
    sums = (
        in_range.filter(day__in=last_days)
        .order_by()
        .values_list("day", "register")
        .annotate(places=Sum("places"), taken=Sum("taken"))
    )
    cells = {(day.replace(day=1), reg): (places, taken) for day, reg, places, taken in sums}
    registers = OccupancySnapshot.Register
    rows = []
    for month in months:
        row = [f"{month.month}/{month.year}"]
        for register in (registers.FAMILY, registers.PROVIDER_UNIT):
            if (month, register) in cells:
                places, taken = cells[(month, register)]
                row += [places, taken, percent(taken, places)]
            else:
                row += ["–", "–", "–"]
        rows.append(row)
    note = _(
        "Each month as on its last recorded day: places taken (children placed and "
        "reserved) of the places of approved and active families and of providers' "
        "active units."
    )
    recorded = OccupancySnapshot.objects.filter(derived=False).order_by("day")
    recorded_from = recorded.values_list("day", flat=True).first()
    if in_range.filter(derived=True).exists():
        note += " " + _(
            "Days before %(day)s are derived from placements' dates: the children placed on "
            "the day, in the places offered today, without reservations."
        ) % {"day": formats.date_format(recorded_from, "j.n.Y") if recorded_from else _("today")}
    return Table(
        key="occupancy_history",
        title=_("Occupancy of families and providers by month"),
        headers=[
            _("Month"),
            _("Families: places"),
            _("Families: taken"),
            _("Families: occupancy (%)"),
            _("Providers' units: places"),
            _("Providers' units: taken"),
            _("Providers' units: occupancy (%)"),
        ],
        rows=rows,
        note=note,
        chart_columns=[3, 6],
        chart_kind="line",
        chart_top=100,
    )


def consultations(period: Period) -> Table:
    grouped = {
        m: (n, minutes)
        for m, n, minutes in Consultation.objects.filter(
            municipality__in=period.member_ids,
            held_on__range=(period.first_day, period.last_day),
        )
        .order_by()
        .values_list("municipality")
        .annotate(n=Count("pk"), minutes=Sum("duration_minutes"))
    }
    values = {}
    for m in period.member_ids:
        n, minutes = grouped.get(m, (0, 0))
        values[m] = [n, str(minutes_to_hours(minutes))]
    rows = period.rows(values)
    total_n = sum(v[0] for v in grouped.values())
    total_minutes = sum(v[1] for v in grouped.values())
    return Table(
        key="consultations",
        title=_("Consultations given per member"),
        headers=[_("Member"), _("Consultations"), _("Hours")],
        rows=rows,
        total=[_("All members"), total_n, str(minutes_to_hours(total_minutes))],
    )


# --- money --------------------------------------------------------------------------------


def _period_for(contract: Contract, year: int, quarter: int) -> ContractPeriod | None:
    first = quarter_first_day(year, quarter)
    return (
        ContractPeriod.objects.prefetch_related(
            "contract__members", "agreed_shares", "usage_figures", "actual_costs"
        )
        .select_related("contract")
        .filter(contract=contract, starts_on__lte=first, ends_on__gte=first)
        .first()
    )


def cost_allocation(period: Period, year: int, quarters: list[int]) -> tuple[Table, dict]:
    """Each member's share and amount due for the quarters (after state funding)."""
    due = {m: Decimal("0.00") for m in period.member_ids}
    shares: dict[int, str] = {}
    problems: list[str] = []
    for quarter in quarters:
        contract_period = _period_for(period.contract, year, quarter)
        if contract_period is None:
            continue
        table = allocation_table(contract_period)
        problems += table.errors
        for row in table.rows:
            due[row.member.pk] += row.quarters[quarter - 1]
            shares[row.member.pk] = str(row.share_percent)
    rows = period.rows({m: [shares.get(m, "–"), money(due[m])] for m in period.member_ids})
    total = [_("All members"), "100.0000" if shares else "–", money(sum(due.values(), Decimal(0)))]
    return (
        Table(
            key="allocation",
            title=_("Cost allocation"),
            headers=[_("Member"), _("Share (%)"), _("Share of the cost (€)")],
            rows=rows,
            total=total,
            note=" ".join(sorted(set(problems))),
        ),
        due,
    )


def invoices_and_payments(period: Period, year: int, quarters: list[int]) -> Table:
    """Invoices of the contract for the quarters: issued (credit notes netted), paid,
    and drafts not yet issued."""
    sums = (
        Invoice.objects.filter(contract=period.contract, year=year, quarter__in=quarters)
        .order_by()
        .values("member")
        .annotate(
            issued=Sum("total", filter=~Q(status=Invoice.Status.DRAFT)),
            paid=Sum("total", filter=Q(status=Invoice.Status.PAID)),
            drafts=Sum("total", filter=Q(status=Invoice.Status.DRAFT)),
        )
    )
    by_member = {row["member"]: row for row in sums}
    zero = Decimal("0.00")
    rows = period.rows(
        {
            m: [
                money(by_member.get(m, {}).get(key) or zero) for key in ("issued", "paid", "drafts")
            ]
            for m in period.member_ids
        }
    )
    return Table(
        key="invoices",
        title=_("Invoices and payments per member"),
        headers=[_("Member"), _("Invoiced (€)"), _("Paid (€)"), _("Drafts (€)")],
        rows=rows,
        total=_column_totals(rows),
        note=_("The administering member bears its own share internally: it has no invoice."),
        chart_columns=[1, 2],
    )


def actual_against_budget(contract: Contract, year: int, quarters: list[int]) -> Table:
    rows = []
    for quarter in quarters:
        contract_period = _period_for(contract, year, quarter)
        if contract_period is None:
            continue
        budget = (contract_period.annual_cost / 4).quantize(CENT, ROUND_HALF_UP)
        actual = (
            QuarterActualCost.objects.filter(period=contract_period, year=year, quarter=quarter)
            .values_list("amount", flat=True)
            .first()
        )
        rows.append(
            [
                f"Q{quarter}/{year}",
                money(budget),
                money(actual) if actual is not None else "–",
                money(actual - budget) if actual is not None else "–",
            ]
        )
    return Table(
        key="budget",
        title=_("Actual cost against the budget"),
        headers=[_("Quarter"), _("Budget (€)"), _("Actual cost (€)"), _("Difference (€)")],
        rows=rows,
        note=_("The budget of a quarter is a quarter of the period's annual cost."),
    )


def family_care_savings(year: int, days_by_type: dict[str, int]) -> tuple[Table, dict]:
    """Care days by type times the reference daily cost of the year, and what the family
    care days would have cost in an institution."""
    costs = dict(
        ReferenceDailyCost.objects.filter(year=year).values_list("care_type", "daily_cost")
    )
    rows = []
    total = Decimal("0.00")
    for value, label in CARE_TYPES:
        cost = costs.get(value)
        amount = days_by_type.get(value, 0) * cost if cost is not None else None
        total += amount or 0
        rows.append(
            [
                str(label),
                days_by_type.get(value, 0),
                money(cost) if cost is not None else "–",
                money(amount) if amount is not None else "–",
            ]
        )
    family_days = days_by_type.get(FAMILY_CARE, 0)
    family_cost, institution_cost = costs.get(FAMILY_CARE), costs.get(Provider.Kind.INSTITUTION)
    figures: dict = {"family_days": family_days, "saved": None}
    if family_cost is not None and institution_cost is not None:
        figures["as_institution"] = family_days * institution_cost
        figures["saved"] = family_days * (institution_cost - family_cost)
        note = _(
            "The %(days)s care days in family care would have cost %(institution)s € in an "
            "institution: family care saved %(saved)s €."
        ) % {
            "days": family_days,
            "institution": money(figures["as_institution"]),
            "saved": money(figures["saved"]),
        }
    else:
        note = _(
            "Enter the reference daily costs of %(year)s for family care and institutions "
            "to see what family care saved."
        ) % {"year": year}
    return (
        Table(
            key="savings",
            title=_("Family care against institutional care"),
            headers=[_("Care type"), _("Care days"), _("Reference daily cost (€)"), _("Cost (€)")],
            rows=rows,
            total=[_("Total"), sum(days_by_type.values()), "", money(total)],
            note=note,
            chart_columns=[3],
        ),
        figures,
    )


# --- the reports --------------------------------------------------------------------------


def report_tables(report: Report) -> list[dict]:
    """The tables of ``report``, in the active language."""
    period = Period(report.contract, report.first_day, report.last_day)
    quarters = [report.quarter] if report.quarter else [1, 2, 3, 4]
    days_table, by_type = care_days(period)
    if report.kind == Report.Kind.STEERING:
        tables = [
            families_by_kind_and_status(period),
            recruitment(period),
            placements_started_and_ended(period),
            days_table,
            emergency_placements(period),
            time_to_placement(period),
            occupancy(),
            occupancy_over_time(period),
            consultations(period),
            cost_allocation(period, report.year, quarters)[0],
            invoices_and_payments(period, report.year, quarters),
            actual_against_budget(report.contract, report.year, quarters),
            family_care_savings(report.year, by_type)[0],
            invoicing_by_quarter(report.contract, report.year, period),
        ]
    elif report.kind == Report.Kind.MEMBER_ANNUAL:
        tables = member_annual_tables(report, period, days_table)
    else:
        tables = [days_table, family_care_savings(report.year, by_type)[0]]
    return [table.as_dict() for table in tables]


def member_annual_tables(report: Report, period: Period, days_table: Table) -> list[Table]:
    """The member's own quarters, then the member beside the other members."""
    member = report.member
    own_rows = []
    types = [value for value, _label in CARE_TYPES]
    for quarter in (1, 2, 3, 4):
        first, last = (
            quarter_first_day(report.year, quarter),
            quarter_last_day(report.year, quarter),
        )
        placements = Placement.objects.filter(child__municipality=member)
        days = care_days_by(placements, first, min(last, period.counted_until), "care_type")
        started = placements.filter(started_on__range=(first, last)).count()
        own_rows.append(
            [
                f"Q{quarter}/{report.year}",
                started,
                *[days.get((t,), 0) for t in types],
                sum(days.values()),
            ]
        )
    own = Table(
        key="member_quarters",
        title=_("%(member)s: placements and care days by quarter") % {"member": member.name},
        headers=[
            _("Quarter"),
            _("Placements started"),
            *[str(label) for _v, label in CARE_TYPES],
            _("Care days"),
        ],
        rows=own_rows,
        total=_column_totals(own_rows),
        chart_columns=[2, 3, 4],
    )
    allocation, _due = cost_allocation(period, report.year, [1, 2, 3, 4])
    paid = dict(
        Invoice.objects.filter(
            contract=report.contract, year=report.year, status=Invoice.Status.PAID
        )
        .order_by()
        .values_list("member")
        .annotate(total=Sum("total"))
    )
    day_totals = {row[0]: row[-1] for row in days_table.rows}
    rows = []
    for m, allocation_row in zip(period.members, allocation.rows, strict=True):
        rows.append(
            [
                m.name,
                day_totals[m.name],
                allocation_row[1],
                allocation_row[2],
                money(paid.get(m.pk) or Decimal(0)),
            ]
        )
    compared = Table(
        key="members_compared",
        title=_("The members compared"),
        headers=[
            _("Member"),
            _("Care days"),
            _("Share (%)"),
            _("Share of the cost (€)"),
            _("Paid (€)"),
        ],
        rows=rows,
        total=[
            _("All members"),
            sum(r[1] for r in rows),
            allocation.total[1],
            allocation.total[2],
            money(sum((Decimal(r[4]) for r in rows), Decimal(0))),
        ],
        chart_columns=[1],
    )
    invoices_by_quarter = invoicing_by_quarter(report.contract, report.year, period)
    return [own, compared, invoices_by_quarter]


def invoicing_by_quarter(contract: Contract, year: int, period: Period) -> Table:
    """Invoiced (issued, credit notes netted) per member and quarter of the year."""
    sums = (
        Invoice.objects.filter(contract=contract, year=year)
        .exclude(status=Invoice.Status.DRAFT)
        .order_by()
        .values_list("member", "quarter")
        .annotate(total=Sum("total"))
    )
    cells = {(m, q): t for m, q, t in sums}
    rows = period.rows(
        {
            m: [money(cells.get((m, q)) or Decimal(0)) for q in (1, 2, 3, 4)]
            for m in period.member_ids
        }
    )
    return Table(
        key="invoicing",
        title=_("Invoicing by member and quarter (€)"),
        headers=[_("Member"), *[f"Q{q}/{year}" for q in (1, 2, 3, 4)]],
        rows=rows,
        total=_column_totals(rows),
        chart_columns=[1, 2, 3, 4],
    )
