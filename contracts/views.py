import zipfile

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from contracts import selectors, services
from contracts.forms import (
    InvoiceFilterForm,
    InvoiceStatusForm,
    InvoicingRunForm,
    QuarterActualCostForm,
    QuarterForm,
    WhatIfForm,
)
from contracts.models import ContractPeriod, Invoice, InvoicingRun, QuarterActualCost
from fostercare.access import Action, may
from fostercare.forms import run_service
from fostercare.paging import paginate

INVOICES_PER_PAGE = 50  # a quarter of a big contract fits one page


@permission_required("contracts.view_contract", raise_exception=True)
def contract_list(request):
    contracts = selectors.contract_list(request.user)
    return render(request, "contracts/contract_list.html", {"contracts": contracts})


def _contract_for(request, pk):
    return selectors.contract_detail(request.user, pk)


def _selected_period(contract, period_pk) -> ContractPeriod | None:
    periods = list(contract.periods.all())
    if period_pk:
        chosen = next((p for p in periods if str(p.pk) == str(period_pk)), None)
        if chosen is None:
            raise Http404
        return chosen
    today = timezone.localdate()
    current = [p for p in periods if p.starts_on <= today <= p.ends_on]
    return current[0] if current else (periods[-1] if periods else None)


def _whatif_basis(request, period) -> str | None:
    form = WhatIfForm(request.GET or None)
    if period is None or not form.is_bound or not form.is_valid():
        return None
    return form.cleaned_data["basis"]


@permission_required("contracts.view_contract", raise_exception=True)
def contract_detail(request, pk):
    contract = _contract_for(request, pk)
    period = _selected_period(contract, request.GET.get("period"))
    whatif_basis = _whatif_basis(request, period)
    return _detail_response(request, contract, period, whatif_basis=whatif_basis)


def _detail_response(request, contract, period, *, whatif_basis=None, cost_form=None, status=200):
    context = {
        "contract": contract,
        "period": period,
        "table": selectors.allocation_table(period) if period else None,
        "whatif_form": WhatIfForm(initial={"basis": whatif_basis or ""}),
        "whatif": selectors.allocation_table(period, whatif_basis) if whatif_basis else None,
        "cost_form": cost_form or QuarterActualCostForm(),
    }
    return render(request, "contracts/contract_detail.html", context, status=status)


@permission_required("contracts.view_contract", raise_exception=True)
def contract_whatif(request, pk, period_pk):
    """The what-if panel: the same table under another basis (htmx partial)."""
    contract = _contract_for(request, pk)
    period = _selected_period(contract, period_pk)
    basis = _whatif_basis(request, period)
    if not request.htmx:
        return _detail_response(request, contract, period, whatif_basis=basis)
    whatif = selectors.allocation_table(period, basis) if basis else None
    return render(
        request,
        "contracts/_whatif.html",
        {"contract": contract, "period": period, "whatif": whatif},
    )


@require_POST
@permission_required("contracts.add_quarteractualcost", raise_exception=True)
def actual_cost_add(request, pk, period_pk):
    contract = _contract_for(request, pk)
    period = _selected_period(contract, period_pk)
    form = QuarterActualCostForm(request.POST, instance=QuarterActualCost(period=period))
    if form.is_valid() and run_service(
        form, lambda: services.quarter_actual_cost_save(cost=form.instance)
    ):
        messages.success(
            request,
            _("The actual cost was saved. Run invoicing for the quarter to update its drafts."),
        )
        url = reverse("contracts:contract-detail", args=[contract.pk])
        return redirect(f"{url}?period={period.pk}")
    contract = _contract_for(request, pk)
    period = _selected_period(contract, period_pk)
    return _detail_response(request, contract, period, cost_form=form, status=400)


@permission_required("contracts.view_invoice", raise_exception=True)
def invoice_list(request):
    form = InvoiceFilterForm(request.GET or None, quarters=selectors.invoice_quarters(request.user))
    invoices = selectors.invoice_list(request.user)
    chosen = form.year_and_quarter()
    if chosen:
        invoices = invoices.filter(year=chosen[0], quarter=chosen[1])
    if form.is_valid() and form.cleaned_data["status"]:
        invoices = invoices.filter(status=form.cleaned_data["status"])
    page = paginate(request, invoices, per_page=INVOICES_PER_PAGE)
    has_drafts = bool(
        chosen
        and selectors.invoice_status_counts(request.user, year=chosen[0], quarter=chosen[1])[
            "drafts"
        ]
    )
    context = {
        "form": form,
        "page": page,
        "chosen": chosen,
        "has_drafts": has_drafts,
    }
    return render(request, "contracts/invoice_list.html", context)


def _invoice_for(request, pk, action: Action = "view") -> Invoice:
    return selectors.invoice_detail(request.user, pk, action)


@permission_required("contracts.view_invoice", raise_exception=True)
def invoice_detail(request, pk):
    invoice = _invoice_for(request, pk)
    return render(
        request,
        "contracts/invoice_detail.html",
        {"invoice": invoice, "status_form": InvoiceStatusForm()},
    )


def _after_change(request, invoice, call, success):
    try:
        call()
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, success)
    return redirect("contracts:invoice-detail", pk=invoice.pk)


@require_POST
@permission_required("contracts.change_invoice", raise_exception=True)
def invoice_issue(request, pk):
    invoice = _invoice_for(request, pk, "change")
    return _after_change(
        request,
        invoice,
        lambda: services.invoice_issue(invoice=invoice, by=request.user),
        _("The invoice was issued. Its documents are being rendered."),
    )


@require_POST
@permission_required("contracts.change_invoice", raise_exception=True)
def invoice_change_status(request, pk):
    invoice = _invoice_for(request, pk, "change")
    form = InvoiceStatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose the new status."))
        return redirect("contracts:invoice-detail", pk=invoice.pk)
    return _after_change(
        request,
        invoice,
        lambda: services.invoice_change_status(
            invoice=invoice, to_status=form.cleaned_data["to_status"], by=request.user
        ),
        _("The status was changed."),
    )


@require_POST
@permission_required("contracts.change_invoice", raise_exception=True)
def invoice_credit(request, pk):
    invoice = _invoice_for(request, pk, "change")
    return _after_change(
        request,
        invoice,
        lambda: services.invoice_credit(invoice=invoice, by=request.user),
        _("A credit note was issued. Run invoicing for the quarter to make the new invoice."),
    )


@require_POST
@permission_required("contracts.change_invoice", raise_exception=True)
def invoices_issue_quarter(request):
    form = QuarterForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a quarter first."))
        return redirect("contracts:invoice-list")
    year, quarter = form.cleaned_data["year"], form.cleaned_data["quarter"]
    result = services.invoices_issue_drafts(year=year, quarter=quarter, by=request.user)
    messages.success(
        request,
        ngettext("%(count)s draft was issued.", "%(count)s drafts were issued.", result.issued)
        % {"count": result.issued},
    )
    if result.skipped:
        messages.warning(
            request,
            ngettext(
                "%(count)s draft was no longer a draft when its turn came: someone else "
                "issued or credited it meanwhile. It was left as it was.",
                "%(count)s drafts were no longer drafts when their turn came: someone else "
                "issued or credited them meanwhile. They were left as they were.",
                result.skipped,
            )
            % {"count": result.skipped},
        )
    return redirect(f"{reverse('contracts:invoice-list')}?quarter={year}-{quarter}")


def _document(request, pk, field: str, content_type: str):
    invoice = _invoice_for(request, pk)
    document = getattr(invoice, field)
    if not document:
        raise Http404(_("The document has not been rendered yet."))
    return FileResponse(
        document.open("rb"),
        as_attachment=True,
        filename=document.name.rsplit("/", 1)[-1],
        content_type=content_type,
    )


@permission_required("contracts.view_invoice", raise_exception=True)
def invoice_pdf(request, pk):
    return _document(request, pk, "pdf", "application/pdf")


@permission_required("contracts.view_invoice", raise_exception=True)
def invoice_finvoice(request, pk):
    return _document(request, pk, "finvoice", "application/xml")


class _ZipStream:
    """A write-only file for zipfile whose written bytes are handed out in chunks."""

    def __init__(self):
        self.chunks: list[bytes] = []
        self.position = 0

    def write(self, data: bytes) -> int:
        self.chunks.append(bytes(data))
        self.position += len(data)
        return len(data)

    def tell(self) -> int:
        return self.position

    def flush(self) -> None:
        pass

    def take(self) -> bytes:
        data, self.chunks = b"".join(self.chunks), []
        return data


def _zip_chunks(invoices):
    stream = _ZipStream()
    with zipfile.ZipFile(stream, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for invoice in invoices:
            for document in (invoice.pdf, invoice.finvoice):
                with (
                    document.open("rb") as source,
                    archive.open(document.name.rsplit("/", 1)[-1], "w") as target,
                ):
                    while chunk := source.read(64 * 1024):
                        target.write(chunk)
                        yield stream.take()
    yield stream.take()


@permission_required("contracts.view_invoice", raise_exception=True)
def invoices_zip(request):
    """Every rendered document of a quarter in one ZIP, streamed as it is written."""
    form = QuarterForm(request.GET)
    if not form.is_valid():
        raise Http404(_("Choose a quarter first."))
    year, quarter = form.cleaned_data["year"], form.cleaned_data["quarter"]
    invoices = selectors.invoices_with_documents(request.user, year=year, quarter=quarter)
    response = StreamingHttpResponse(_zip_chunks(invoices), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="invoices-{year}-Q{quarter}.zip"'
    return response


@permission_required("contracts.view_invoicingrun", raise_exception=True)
def invoicing_run_list(request):
    form = InvoicingRunForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if not may(request.user, "add", InvoicingRun):
            raise PermissionDenied
        if form.is_valid():
            run = run_service(
                form,
                lambda: services.invoicing_run_start(
                    year=form.cleaned_data["year"],
                    quarter=form.cleaned_data["quarter"],
                    by=request.user,
                ),
            )
            if run:
                return redirect("contracts:run-detail", pk=run.pk)
    runs = selectors.invoicing_run_list(request.user)[:20]
    status = 400 if form.errors else 200
    return render(request, "contracts/run_list.html", {"form": form, "runs": runs}, status=status)


@permission_required("contracts.view_invoicingrun", raise_exception=True)
def invoicing_run_detail(request, pk):
    run = selectors.invoicing_run_detail(request.user, pk)
    template = "contracts/_run_progress.html" if request.htmx else "contracts/run_detail.html"
    return render(request, template, {"run": run})
