"""Reads of contracts and invoices that more than one view or the invoicing run needs.

Which rows a user sees is decided in one place, ``Model.objects.visible_to(user, action)``
(fostercare.access): finance, administrators and unit workers; nobody else. The
allocation table is a read too: each member's share of a period, for the contract page,
the what-if panel and the invoicing run.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Count, Prefetch, Q, QuerySet, Sum
from django.db.models.functions import Coalesce
from django.utils import formats
from django.utils.translation import gettext as _

from contracts import shares
from contracts.allocation import allocation_columns
from contracts.models import (
    AgreedShare,
    Contract,
    ContractPeriod,
    Invoice,
    InvoicingRun,
    IssuingRun,
    ProducerInvoice,
    QuarterActualCost,
    UsageFigure,
)
from contracts.quarters import population_year, quarter_first_day
from contracts.tables import AllocationRow, AllocationTable
from fostercare.access import Action, get_visible_or_404
from fostercare.models import MemberOrganisation, PopulationFigure, User

# --- contracts --------------------------------------------------------------------------


def _periods(user: User) -> QuerySet[ContractPeriod]:
    return ContractPeriod.objects.visible_to(user).order_by("starts_on")


def contract_list(user: User) -> QuerySet[Contract]:
    return (
        Contract.objects.visible_to(user)
        .select_related("issuer")
        .annotate(member_count=Count("members", distinct=True))
        .prefetch_related(Prefetch("periods", queryset=_periods(user)))
    )


def contract_with_periods(user: User, pk: int) -> Contract:
    """The contract with its periods (what ``contract_history`` reads), or 404."""
    queryset = Contract.objects.prefetch_related(Prefetch("periods", queryset=_periods(user)))
    return get_visible_or_404(queryset, user, pk=pk)


def contract_detail(user: User, pk: int) -> Contract:
    """The contract with its parties and periods, or 404."""
    queryset = Contract.objects.select_related("issuer").prefetch_related(
        # the parties are named and counted here (their invoicing details are the runs')
        Prefetch("members", queryset=MemberOrganisation.objects.only("name_fi", "name_sv")),
        Prefetch(
            "periods",
            queryset=_periods(user).prefetch_related(
                # the figures are read by member, the costs by quarter: no default order,
                # which sorts by period and so by contract, joined and compiled per query
                Prefetch("agreed_shares", queryset=AgreedShare.objects.order_by()),
                Prefetch("usage_figures", queryset=UsageFigure.objects.order_by()),
                Prefetch(
                    "actual_costs", queryset=QuarterActualCost.objects.order_by("year", "quarter")
                ),
                Prefetch(
                    "producer_invoices",
                    queryset=ProducerInvoice.objects.visible_to(user).order_by("year", "quarter"),
                ),
            ),
        ),
    )
    return get_visible_or_404(queryset, user, pk=pk)


def contract_for_change(user: User, pk: int) -> Contract:
    """The contract to edit, with its parties, or 404."""
    return get_visible_or_404(
        Contract.objects.select_related("issuer").prefetch_related("members"), user, "change", pk=pk
    )


def contract_period_for_change(user: User, contract: Contract, pk: int) -> ContractPeriod:
    """A period of ``contract`` to edit, or 404."""
    return get_visible_or_404(
        ContractPeriod.objects.select_related("contract"), user, "change", pk=pk, contract=contract
    )


def producer_invoice_detail(user: User, contract_pk: int, pk: int) -> ProducerInvoice:
    """A producer's invoice of a contract the user may see, or 404."""
    return get_visible_or_404(
        ProducerInvoice.objects.filter(period__contract__in=Contract.objects.visible_to(user)),
        user,
        pk=pk,
        period__contract_id=contract_pk,
    )


def agreed_share_total(period: ContractPeriod) -> Decimal:
    """The sum of the period's agreed percentages (100 when they add up)."""
    total = AgreedShare.objects.filter(period=period).aggregate(total=Sum("percentage"))["total"]
    return total or Decimal("0")


def contract_period_for_quarter(*, contract: Contract, year: int, quarter: int):
    """The period of ``contract`` that covers the quarter (None if none), with what the
    allocation table and the invoice lines read. For the invoicing run, which has no user."""
    first_day = quarter_first_day(year, quarter)
    return (
        ContractPeriod.objects.select_related("contract", "contract__issuer")
        .prefetch_related("contract__members", "agreed_shares", "usage_figures", "actual_costs")
        .filter(contract=contract, starts_on__lte=first_day, ends_on__gte=first_day)
        .first()
    )


def placement_care_days(*, period: ContractPeriod, until: date | None = None) -> dict[int, int]:
    """Care days of each party's children during the period, by member id: placements and
    support-family stays (``placements.care_days``, the one definition), up to the
    period's end or ``until``, whichever is earlier. The child's home municipality is the
    member that uses the service.
    """
    from placements.care_days import care_days_by_municipality  # contracts reads placements

    return care_days_by_municipality(
        first_day=period.starts_on,
        last_day=min(period.ends_on, until or period.ends_on),
        municipality_ids=[member.pk for member in period.contract.members.all()],
    )


# --- the allocation table ---------------------------------------------------------------


def _members(period: ContractPeriod) -> list[MemberOrganisation]:
    # contract.members is prefetched by the selectors; sorted here so rows keep one order
    return sorted(period.contract.members.all(), key=lambda m: m.name_fi)


def _basis_values(period: ContractPeriod, basis: str, members, table: AllocationTable) -> dict:
    ids = [m.pk for m in members]
    if basis == ContractPeriod.Basis.POPULATION:
        reference = period.population_reference_date or period.starts_on
        year = population_year(reference)
        table.population_year = year
        # the parties by the contract's id, not 300 ids bound one by one
        parties = Contract.members.through.objects.filter(contract_id=period.contract_id)
        figures = dict(
            PopulationFigure.objects.filter(
                organisation_id__in=parties.values("memberorganisation_id"), year=year
            )
            .order_by()  # a mapping: no join for the default order by name
            .values_list("organisation_id", "population")
        )
        for member in members:
            if member.pk not in figures:
                table.problems.append(("no_population", {"year": year, "member": str(member)}))
        return figures
    if basis == ContractPeriod.Basis.AGREED:
        # a former party's figure stays recorded but no longer counts
        values = {
            s.member_id: s.percentage for s in period.agreed_shares.all() if s.member_id in ids
        }
        for member in members:
            if member.pk not in values:
                table.problems.append(("no_agreed_share", {"member": str(member)}))
        total = sum(values.values(), Decimal(0))
        if values and total != 100:
            table.warnings.append(
                _(
                    "The agreed percentages add up to %(total)s %%, not 100 %%. They are used "
                    "as weights: each member pays its percentage divided by %(total)s %%."
                )
                % {"total": formats.number_format(total.normalize(), use_l10n=True)}
            )
        return values
    values = {u.member_id: u.care_days for u in period.usage_figures.all() if u.member_id in ids}
    for member in members:
        if member.pk not in values:
            table.problems.append(("no_usage", {"member": str(member)}))
    return values


def allocation_table(period: ContractPeriod, basis: str | None = None) -> AllocationTable:
    """Each member's share of a period's annual cost, before and after state funding,
    and its four quarterly amounts. ``basis`` other than the period's gives a what-if."""
    basis = basis or period.basis
    members = _members(period)
    funding = period.state_funding_for(period.annual_cost)
    table = AllocationTable(
        period=period,
        basis=basis,
        rows=[],
        annual_cost=period.annual_cost,
        state_funding=funding,
        annual_after=period.annual_cost - funding,
    )
    values = _basis_values(period, basis, members, table)
    table.rows = [
        AllocationRow(
            member=m,
            basis_value=values.get(m.pk),
            is_issuer=m.pk == period.contract.issuer_id,
            quarters=[Decimal("0.00")] * 4,
        )
        for m in members
    ]
    if table.problems or not members:
        return table
    weights = {m.pk: values[m.pk] for m in members}
    try:
        columns = allocation_columns(period.annual_cost, funding, tuple(weights.items()))
    except ValueError:
        table.problems.append(("shares_invalid", {}))
        return table
    table.basis_total = sum(weights.values())
    for row in table.rows:
        share, row.annual_before, row.state_funding, row.annual_after, quarters = columns[
            row.member.pk
        ]
        row.share, row.quarters = share, list(quarters)
    return table


# --- invoices and runs ------------------------------------------------------------------


def invoice_list(user: User) -> QuerySet[Invoice]:
    return Invoice.objects.visible_to(user).select_related("issuer", "member", "contract")


def invoice_detail(user: User, pk: int, action: Action = "view") -> Invoice:
    """The invoice with its relations and lines, or 404."""
    queryset = Invoice.objects.select_related(
        "issuer", "member", "contract", "period", "issued_by", "credited_invoice", "credit_note"
    ).prefetch_related("lines")
    return get_visible_or_404(queryset, user, action, pk=pk)


def invoice_quarters(user: User) -> list[tuple[int, int]]:
    """The quarters that have invoices, newest first, for the quarter filter."""
    return list(
        Invoice.objects.visible_to(user)
        .order_by("-year", "-quarter")
        .values_list("year", "quarter")
        .distinct()
    )


def invoices_past_due(invoices: QuerySet[Invoice], today: date) -> QuerySet[Invoice]:
    """Invoices (not credit notes) issued or sent whose due date has passed: unpaid (the
    work queue's section and the invoice list's filter)."""
    return invoices.filter(
        kind=Invoice.Kind.INVOICE,
        status__in=[Invoice.Status.ISSUED, Invoice.Status.SENT],
        due_date__lt=today,
    )


def invoice_totals(queryset: QuerySet[Invoice]) -> dict:
    """How many invoices a (filtered) list holds and what they total, in one query."""
    totals = queryset.order_by().aggregate(count=Count("pk"), total=Sum("total"))
    return {"count": totals["count"], "total": totals["total"] or Decimal("0.00")}


@dataclass
class DraftsReview:
    """A quarter's drafts that a user may issue, with the total per member and in all."""

    drafts: list[Invoice]
    members: list[dict]
    count: int
    total: Decimal


def period_live_invoices(period: ContractPeriod, years: list[int] | None = None) -> list:
    """The period's live invoices (not credit notes, not credited), drafts included: the
    figures the year's invariant counts (``shares.LIVE_INVOICE_FIELDS``), not whole
    invoices — a contract of 300 members has 1,200 of them a year."""
    queryset = (
        Invoice.objects.filter(period=period, kind=Invoice.Kind.INVOICE)
        .exclude(status=Invoice.Status.CREDITED)
        .order_by("year", "quarter", "member__name_fi")
    )
    if years is not None:
        queryset = queryset.filter(year__in=years)
    return list(queryset.values_list(*shares.LIVE_INVOICE_FIELDS, named=True))


def period_credit_proposals(
    period: ContractPeriod, table: AllocationTable, years: list[int] | None = None
) -> list[shares.CreditProposal]:
    """The period's proposed credit notes (``shares.credit_proposals``) with their
    invoices and members: fetched whole only for the invoices proposed (one query, none
    when nothing is proposed)."""
    proposals = shares.credit_proposals(
        period=period, table=table, live=period_live_invoices(period, years)
    )
    invoices = Invoice.objects.select_related("member").in_bulk([p.invoice.pk for p in proposals])
    for proposal in proposals:
        proposal.invoice = invoices[proposal.invoice.pk]
    return proposals


def invoice_drafts_to_issue(user: User, *, year: int, quarter: int) -> QuerySet[Invoice]:
    """The quarter's drafts that "issue all drafts" issues for ``user``."""
    return Invoice.objects.visible_to(user, "change").filter(
        year=year, quarter=quarter, status=Invoice.Status.DRAFT
    )


def invoice_drafts_count_and_total(user: User, *, year: int, quarter: int) -> tuple:
    """The count and total of the review below, in one aggregate: what the confirmation
    compares with what the reviewer saw, whatever the number of drafts."""
    figures = invoice_drafts_to_issue(user, year=year, quarter=quarter).aggregate(
        count=Count("pk"), total=Coalesce(Sum("total"), Decimal("0.00"))
    )
    return figures["count"], figures["total"]


def invoice_drafts_review(user: User, *, year: int, quarter: int) -> DraftsReview:
    """What "issue all drafts" of a quarter would issue, to review before confirming."""
    drafts = list(
        invoice_drafts_to_issue(user, year=year, quarter=quarter)
        .select_related("member", "contract")
        .order_by("member__name_fi", "number")
    )
    members: dict[int, dict] = {}
    for draft in drafts:
        entry = members.setdefault(
            draft.member_id, {"member": draft.member, "count": 0, "total": Decimal("0.00")}
        )
        entry["count"] += 1
        entry["total"] += draft.total
    return DraftsReview(
        drafts=drafts,
        members=list(members.values()),
        count=len(drafts),
        total=sum((d.total for d in drafts), Decimal("0.00")),
    )


def invoice_status_counts(user: User, *, year: int, quarter: int) -> dict[str, int]:
    return (
        Invoice.objects.visible_to(user)
        .filter(year=year, quarter=quarter)
        .aggregate(
            drafts=Count("pk", filter=Q(status=Invoice.Status.DRAFT)),
            documents_pending=Count("pk", filter=Invoice.DOCUMENTS_PENDING),
            total=Count("pk"),
        )
    )


def invoices_with_documents(user: User, *, year: int, quarter: int) -> list[Invoice]:
    """The quarter's invoices whose PDF and Finvoice are rendered, for the ZIP."""
    return list(
        Invoice.objects.visible_to(user)
        .filter(year=year, quarter=quarter)
        .exclude(pdf="")
        .exclude(finvoice="")
        .order_by("issuer_id", "number")
    )


def invoicing_run_list(user: User) -> QuerySet[InvoicingRun]:
    return InvoicingRun.objects.visible_to(user).select_related("started_by")


def invoicing_run_detail(user: User, pk: int) -> InvoicingRun:
    return get_visible_or_404(InvoicingRun.objects.all(), user, pk=pk)


def issuing_run_detail(user: User, pk: int) -> IssuingRun:
    return get_visible_or_404(IssuingRun.objects.select_related("started_by"), user, pk=pk)


def issuing_run_unfinished(user: User, *, year: int, quarter: int) -> IssuingRun | None:
    """The quarter's issuing run still under way, unless its worker has stopped."""
    run = (
        IssuingRun.objects.visible_to(user)
        .filter(year=year, quarter=quarter, status__in=IssuingRun.UNFINISHED)
        .first()
    )
    return None if run is None or run.is_stalled else run


# --- the history of a contract's figures ---------------------------------------------

HISTORY_LIMIT = 50  # the latest changes; older ones stay in the history tables

# fields that only tie a row to its contract or period, which the entry already names
_HISTORY_HIDDEN = {"id", "contract_id", "period_id"}
_MEMBER_FIELDS = {"member_id", "issuer_id", "memberorganisation_id"}


@dataclass
class HistoryEntry:
    """One change of a contract's figures: when, by whom, what, and the values."""

    at: object
    user: str
    action: str
    what: str
    changes: list[tuple[str, str, str]]  # field, before ("" when added), after


def _field(model, name: str):
    """The model's field whose column the trigger named (``issuer_id`` is ``issuer``)."""
    return next(f for f in model._meta.concrete_fields if f.attname == name)


def _history_value(model, name: str, value, members: dict) -> str:
    if value is None or value == "":
        return "–"
    if name in _MEMBER_FIELDS:
        member = members.get(value)
        return member.name if member else str(value)
    field = _field(model, name)
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, float):  # the trigger's JSON carries numbers as floats
        return formats.number_format(Decimal(str(value)), use_l10n=True)
    if isinstance(value, str) and len(value) == 10 and value[4] == value[7] == "-":
        return formats.date_format(date.fromisoformat(value), "SHORT_DATE_FORMAT")
    return str(value)


def _history_label(model, name: str) -> str:
    if name == "memberorganisation_id":
        return str(MemberOrganisation._meta.verbose_name)
    return str(_field(model, name).verbose_name)


def contract_history(contract: Contract) -> list[HistoryEntry]:
    """The latest changes of the contract, its parties, periods and their figures, newest
    first, from the history the database triggers write (pghistory). Four queries, however
    many members or changes: the contract's events, its periods' events, their users and
    the member organisations they name."""
    from pghistory.models import Events

    periods = list(contract.periods.all())
    events = list(Events.objects.references(contract).order_by("-pgh_created_at")[:HISTORY_LIMIT])
    if periods:
        events += Events.objects.references(periods).order_by("-pgh_created_at")[:HISTORY_LIMIT]
    # a period's own events reference both the contract and the period: keep them once
    events = list({e.pgh_slug: e for e in events}.values())
    events.sort(key=lambda e: (e.pgh_created_at, e.pgh_id), reverse=True)
    events = events[:HISTORY_LIMIT]
    user_ids = {(e.pgh_context or {}).get("user") for e in events} - {None}
    users = User.objects.in_bulk(user_ids) if user_ids else {}
    member_ids = {
        value
        for e in events
        for name, value in (e.pgh_data or {}).items()
        if name in _MEMBER_FIELDS and value is not None
    } | {
        value
        for e in events
        for name, pair in (e.pgh_diff or {}).items()
        if name in _MEMBER_FIELDS
        for value in pair
        if value is not None
    }
    members = MemberOrganisation.objects.in_bulk(member_ids) if member_ids else {}
    actions = {
        "insert": _("added"),
        "update": _("changed"),
        "delete": _("deleted"),
        "party.add": _("party added"),
        "party.remove": _("party removed"),
    }
    entries = []
    for event in events:
        data = event.pgh_data or {}
        model = _tracked_model(event)
        if event.pgh_label.startswith("party."):
            member = members.get(data.get("memberorganisation_id"))
            what, changes = (member.name if member else "–"), []
        else:
            what = _history_what(model, data, members)
            if event.pgh_label == "update":
                pairs = dict(event.pgh_diff or {})
            else:
                pairs = {k: (None, v) for k, v in data.items()}
            changes = [
                (
                    _history_label(model, name),
                    ""
                    if before is None and event.pgh_label != "update"
                    else _history_value(model, name, before, members),
                    _history_value(model, name, after, members),
                )
                for name, (before, after) in pairs.items()
                if name not in _HISTORY_HIDDEN
            ]
            if event.pgh_label == "update" and not changes:
                continue
        user = users.get((event.pgh_context or {}).get("user"))
        entries.append(
            HistoryEntry(
                at=event.pgh_created_at,
                user=user.get_full_name() or user.username if user else _("the system"),
                action=actions.get(event.pgh_label, event.pgh_label),
                what=what,
                changes=changes,
            )
        )
    return entries


def _tracked_model(event):
    from django.apps import apps

    if event.pgh_label.startswith("party."):
        return Contract
    return apps.get_model(event.pgh_obj_model)


def _history_what(model, data: dict, members: dict) -> str:
    name = str(model._meta.verbose_name).capitalize()
    member = members.get(data.get("member_id"))
    if member is not None:
        return f"{name}: {member.name}"
    if "quarter" in data and "year" in data:
        return f"{name} Q{data['quarter']}/{data['year']}"
    if "starts_on" in data and "ends_on" in data:
        period = "–".join(
            formats.date_format(date.fromisoformat(data[key]), "SHORT_DATE_FORMAT")
            for key in ("starts_on", "ends_on")
        )
        return f"{name} {period}"
    return name
