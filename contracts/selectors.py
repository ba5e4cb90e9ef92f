"""Reads of contracts and invoices. The *_visible_to functions are the only place that
decides who sees them: finance, administrators and unit workers; nobody else."""

from django.db.models import Count, Prefetch, Q, QuerySet

from contracts.models import Contract, ContractPeriod, Invoice, InvoicingRun
from fostercare.models import User


def contracts_visible_to(user: User) -> QuerySet[Contract]:
    if user.has_perm("contracts.view_contract"):
        return Contract.objects.all()
    return Contract.objects.none()


def contract_list(user: User) -> QuerySet[Contract]:
    return (
        contracts_visible_to(user)
        .select_related("issuer")
        .annotate(member_count=Count("members", distinct=True))
        .prefetch_related(
            Prefetch("periods", queryset=ContractPeriod.objects.order_by("starts_on"))
        )
    )


def contract_detail(user: User) -> QuerySet[Contract]:
    return (
        contracts_visible_to(user)
        .select_related("issuer")
        .prefetch_related(
            "members",
            Prefetch(
                "periods",
                queryset=ContractPeriod.objects.order_by("starts_on").prefetch_related(
                    "agreed_shares", "usage_figures", "actual_costs"
                ),
            ),
        )
    )


def invoices_visible_to(user: User) -> QuerySet[Invoice]:
    if user.has_perm("contracts.view_invoice"):
        return Invoice.objects.all()
    return Invoice.objects.none()


def invoice_list(user: User) -> QuerySet[Invoice]:
    return invoices_visible_to(user).select_related("issuer", "member", "contract")


def invoice_detail(user: User) -> QuerySet[Invoice]:
    return (
        invoices_visible_to(user)
        .select_related(
            "issuer", "member", "contract", "period", "issued_by", "credited_invoice", "credit_note"
        )
        .prefetch_related("lines")
    )


def invoice_quarters(user: User) -> list[tuple[int, int]]:
    """The quarters that have invoices, newest first, for the quarter filter."""
    return list(
        invoices_visible_to(user)
        .order_by("-year", "-quarter")
        .values_list("year", "quarter")
        .distinct()
    )


def invoicing_runs_visible_to(user: User) -> QuerySet[InvoicingRun]:
    if user.has_perm("contracts.view_invoicingrun"):
        return InvoicingRun.objects.all()
    return InvoicingRun.objects.none()


def invoicing_run_list(user: User) -> QuerySet[InvoicingRun]:
    return invoicing_runs_visible_to(user).select_related("started_by")


def invoice_status_counts(user: User, *, year: int, quarter: int) -> dict[str, int]:
    counts = (
        invoices_visible_to(user)
        .filter(year=year, quarter=quarter)
        .aggregate(
            drafts=Count("pk", filter=Q(status=Invoice.Status.DRAFT)),
            total=Count("pk"),
        )
    )
    return counts
