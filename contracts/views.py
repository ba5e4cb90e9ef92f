import zipfile

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from contracts import selectors, services
from contracts.filters import InvoiceFilter
from contracts.forms import (
    ActualCostCorrectionForm,
    AgreedShareForm,
    ContractForm,
    ContractPeriodForm,
    InvoiceActionForm,
    InvoiceStatusForm,
    InvoicingRunForm,
    IssueDraftsForm,
    ProducerInvoiceForm,
    QuarterActualCostForm,
    QuarterForm,
    UsageFigureForm,
    WhatIfForm,
)
from contracts.models import (
    Contract,
    ContractPeriod,
    InvoicingRun,
    ProducerInvoice,
    QuarterActualCost,
)
from fostercare.access import may
from fostercare.forms import run_service
from fostercare.htmx import announce
from fostercare.pickers import MEMBER_SEARCH_FIELDS, member_organisations, picker_search

INVOICES_PER_PAGE = 50  # a quarter of a big contract fits one page


@permission_required("contracts.view_contract", raise_exception=True)
def contract_list(request):
    contracts = selectors.contract_list(request.user)
    return render(request, "contracts/contract_list.html", {"contracts": contracts})


def _contract_for(request, pk):
    return selectors.contract_detail(request.user, pk)


def _contract_url(contract, period=None) -> str:
    url = reverse("contracts:contract-detail", args=[contract.pk])
    return f"{url}?period={period.pk}" if period else url


def _contract_form_response(request, form, contract, *, status=200):
    context = {"form": form, "contract": contract}
    return render(request, "contracts/contract_form.html", context, status=status)


@permission_required("contracts.add_contract", raise_exception=True)
def contract_create(request):
    """A new contract with its parties, the administering member and the producer."""
    form = ContractForm(request.POST or None, instance=Contract())
    if request.method == "POST":
        if form.is_valid() and run_service(
            form,
            lambda: services.contract_save(
                contract=form.instance, members=form.cleaned_data["members"], by=request.user
            ),
        ):
            messages.success(request, _("The contract was saved. Add its first period next."))
            return redirect("contracts:period-create", pk=form.instance.pk)
        return _contract_form_response(request, form, None, status=400)
    return _contract_form_response(request, form, None)


def contract_member_search(request):
    """The member organisations matching what was typed (the contract form's parties)."""
    if not (
        request.user.has_perm("contracts.add_contract")
        or request.user.has_perm("contracts.change_contract")
    ):
        raise PermissionDenied
    return picker_search(request, member_organisations(), MEMBER_SEARCH_FIELDS)


@permission_required("contracts.change_contract", raise_exception=True)
def contract_edit(request, pk):
    contract = selectors.contract_for_change(request.user, pk)
    form = ContractForm(request.POST or None, instance=contract)
    if request.method == "POST":
        if form.is_valid() and run_service(
            form,
            lambda: services.contract_save(
                contract=form.instance, members=form.cleaned_data["members"], by=request.user
            ),
        ):
            messages.success(request, _("The contract was saved."))
            return redirect(_contract_url(contract))
        contract.refresh_from_db()  # the heading shows the stored name, not the typed one
        return _contract_form_response(request, form, contract, status=400)
    return _contract_form_response(request, form, contract)


def _period_form_response(request, form, contract, period, *, status=200):
    context = {"form": form, "contract": contract, "period": period}
    return render(request, "contracts/period_form.html", context, status=status)


def _period_save(request, contract, period):
    form = ContractPeriodForm(request.POST or None, instance=period)
    if request.method == "POST":
        if form.is_valid() and run_service(
            form, lambda: services.contract_period_save(period=form.instance, by=request.user)
        ):
            messages.success(
                request,
                _("The period was saved. Check its shares or figures in the allocation table."),
            )
            return redirect(_contract_url(contract, form.instance))
        return _period_form_response(request, form, contract, period, status=400)
    return _period_form_response(request, form, contract, period)


@permission_required("contracts.add_contractperiod", raise_exception=True)
def period_create(request, pk):
    contract = selectors.contract_for_change(request.user, pk)
    return _period_save(request, contract, ContractPeriod(contract=contract))


@permission_required("contracts.change_contractperiod", raise_exception=True)
def period_edit(request, pk, period_pk):
    contract = selectors.contract_for_change(request.user, pk)
    period = selectors.contract_period_for_change(request.user, contract, period_pk)
    return _period_save(request, contract, period)


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


def _detail_response(
    request,
    contract,
    period,
    *,
    whatif_basis=None,
    cost_form=None,
    correction_form=None,
    correction_cost=None,
    producer_form=None,
    share_form=None,
    usage_form=None,
    status=200,
):
    table = selectors.allocation_table(period) if period else None
    proposals = selectors.period_credit_proposals(period, table) if period else []
    context = {
        "proposals": proposals,
        "correction_form": correction_form,
        "correction_cost": correction_cost,
        "contract": contract,
        "period": period,
        "table": table,
        "whatif_form": WhatIfForm(initial={"basis": whatif_basis or ""}),
        "whatif": selectors.allocation_table(period, whatif_basis) if whatif_basis else None,
        "cost_form": cost_form or QuarterActualCostForm(),
        "producer_form": producer_form or ProducerInvoiceForm(),
        "share_form": share_form or (AgreedShareForm(period=period) if period else None),
        "usage_form": usage_form or (UsageFigureForm(period=period) if period else None),
    }
    return render(request, "contracts/contract_detail.html", context, status=status)


@permission_required("contracts.view_contract", raise_exception=True)
def contract_history(request, pk):
    """The contract's history of changes: loaded into its page when the section comes
    into view (htmx), or a page of its own (the section's link, without JavaScript). Half
    the contract page's time went into it, on every view and every form sent back."""
    contract = selectors.contract_with_periods(request.user, pk)
    context = {
        "contract": contract,
        "history": selectors.contract_history(contract),
        "history_limit": selectors.HISTORY_LIMIT,
    }
    template = "contracts/_history.html" if request.htmx else "contracts/contract_history.html"
    return render(request, template, context)


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
    cost = form.is_valid() and run_service(
        form, lambda: services.quarter_actual_cost_save(cost=form.instance, by=request.user)
    )
    if cost:
        messages.success(request, _("The actual cost was saved."))
        _drafts_refresh_messages(request, cost.drafts_refresh)
        return redirect(_contract_url(contract, period))
    contract = _contract_for(request, pk)
    period = _selected_period(contract, period_pk)
    return _detail_response(request, contract, period, cost_form=form, status=400)


@require_POST
@permission_required("contracts.change_quarteractualcost", raise_exception=True)
def actual_cost_correct(request, pk, period_pk, cost_pk):
    contract = _contract_for(request, pk)
    period = _selected_period(contract, period_pk)
    cost = next((c for c in period.actual_costs.all() if c.pk == cost_pk), None)
    if cost is None:
        raise Http404
    form = ActualCostCorrectionForm(request.POST)
    corrected = form.is_valid() and run_service(
        form,
        lambda: services.quarter_actual_cost_correct(
            cost=cost,
            amount=form.cleaned_data["amount"],
            reason=form.cleaned_data["reason"],
            by=request.user,
        ),
    )
    if corrected:
        messages.success(request, _("The actual cost was corrected."))
        _drafts_refresh_messages(request, corrected.drafts_refresh)
        return redirect(_contract_url(contract, period))
    contract = _contract_for(request, pk)
    period = _selected_period(contract, period_pk)
    return _detail_response(
        request, contract, period, correction_form=form, correction_cost=cost, status=400
    )


def _drafts_refresh_messages(request, refresh) -> None:
    """Say what a changed actual cost did to its year's invoices."""
    if refresh.drafts:
        messages.info(
            request,
            ngettext(
                "%(count)s draft of the year was updated.",
                "%(count)s drafts of the year were updated.",
                refresh.drafts,
            )
            % {"count": refresh.drafts},
        )
    for problem in refresh.problems:
        messages.error(
            request, _("The drafts could not be updated: %(problem)s") % {"problem": problem}
        )
    if refresh.proposals:
        messages.warning(
            request,
            ngettext(
                "%(count)s issued invoice no longer matches the figures: see the proposed "
                "credit notes on this page.",
                "%(count)s issued invoices no longer match the figures: see the proposed "
                "credit notes on this page.",
                len(refresh.proposals),
            )
            % {"count": len(refresh.proposals)},
        )


def _period_figure_set(
    request, pk, period_pk, *, form_class, context_name, service, success, after=None
):
    contract = _contract_for(request, pk)
    period = _selected_period(contract, period_pk)
    form = form_class(request.POST, period=period)
    if form.is_valid() and run_service(form, lambda: service(period, form.cleaned_data)):
        messages.success(request, success)
        if after:
            after(period)
        url = reverse("contracts:contract-detail", args=[contract.pk])
        return redirect(f"{url}?period={period.pk}")
    contract = _contract_for(request, pk)
    period = _selected_period(contract, period_pk)
    return _detail_response(request, contract, period, status=400, **{context_name: form})


@require_POST
@permission_required("contracts.change_agreedshare", raise_exception=True)
def agreed_share_set(request, pk, period_pk):
    return _period_figure_set(
        request,
        pk,
        period_pk,
        form_class=AgreedShareForm,
        context_name="share_form",
        service=lambda period, data: services.agreed_share_set(
            period=period, member=data["member"], percentage=data["percentage"], by=request.user
        ),
        success=_("The agreed share was saved. Run invoicing to update the drafts."),
        after=lambda period: _agreed_total_warning(request, period),
    )


def _agreed_total_warning(request, period) -> None:
    """Say at once when the period's agreed percentages no longer add up to 100 %."""
    total = selectors.agreed_share_total(period)
    if total != 100:
        messages.warning(
            request,
            _(
                "The agreed percentages of the period now add up to %(total)s %%, not 100 %%. "
                "Until they do, each member pays its percentage divided by the total."
            )
            % {"total": formats.number_format(total.normalize(), use_l10n=True)},
        )


@require_POST
@permission_required("contracts.change_usagefigure", raise_exception=True)
def usage_figure_set(request, pk, period_pk):
    return _period_figure_set(
        request,
        pk,
        period_pk,
        form_class=UsageFigureForm,
        context_name="usage_form",
        service=lambda period, data: services.usage_figure_set(
            period=period,
            member=data["member"],
            care_days=data["care_days"],
            source=data["source"],
            by=request.user,
        ),
        success=_("The usage figure was saved. Run invoicing to update the drafts."),
    )


@require_POST
@permission_required("contracts.add_producerinvoice", raise_exception=True)
def producer_invoice_add(request, pk, period_pk):
    contract = _contract_for(request, pk)
    period = _selected_period(contract, period_pk)
    form = ProducerInvoiceForm(request.POST, request.FILES, instance=ProducerInvoice(period=period))
    if form.is_valid() and run_service(
        form,
        lambda: services.producer_invoice_record(invoice=form.instance, by=request.user),
    ):
        messages.success(
            request,
            _(
                "The producer's invoice was recorded as the quarter's actual cost. Run "
                "invoicing for the quarter to update its drafts."
            ),
        )
        url = reverse("contracts:contract-detail", args=[contract.pk])
        return redirect(f"{url}?period={period.pk}")
    contract = _contract_for(request, pk)
    period = _selected_period(contract, period_pk)
    return _detail_response(request, contract, period, producer_form=form, status=400)


@permission_required("contracts.view_producerinvoice", raise_exception=True)
def producer_invoice_pdf(request, pk, invoice_pk):
    invoice = selectors.producer_invoice_detail(request.user, pk, invoice_pk)
    if not invoice.pdf:
        raise Http404(_("No PDF was attached to the invoice."))
    return FileResponse(
        invoice.pdf.open("rb"),
        as_attachment=True,
        filename=invoice.pdf.name.rsplit("/", 1)[-1],
        content_type="application/pdf",
    )


def _invoice_list_response(request, *, issue_form=None, status=200):
    filterset = InvoiceFilter(
        request.GET or None,
        queryset=selectors.invoice_list(request.user),
        quarters=selectors.invoice_quarters(request.user),
    )
    chosen = filterset.year_and_quarter()
    counts = chosen and selectors.invoice_status_counts(
        request.user, year=chosen[0], quarter=chosen[1]
    )
    if request.htmx and counts:
        # the quarter's documents area polling while Celery renders (see the template)
        return _documents_response(
            request,
            "contracts/_quarter_documents.html",
            {"chosen": chosen, "counts": counts},
            pending=counts["documents_pending"],
        )
    totals = selectors.invoice_totals(filterset.qs)
    paginator = Paginator(filterset.qs, INVOICES_PER_PAGE)
    paginator.count = totals["count"]  # counted with the total, in one query
    page = paginator.get_page(request.GET.get("page"))
    has_drafts = bool(counts and counts["drafts"])
    if issue_form is None and chosen:
        issue_form = QuarterForm(initial={"year": chosen[0], "quarter": chosen[1]})
    context = {
        "filter": filterset,
        "page": page,
        "totals": totals,
        "chosen": chosen,
        "has_drafts": has_drafts,
        "counts": counts,
        "issue_form": issue_form,
    }
    return render(request, "contracts/invoice_list.html", context, status=status)


@permission_required("contracts.view_invoice", raise_exception=True)
def invoice_list(request):
    return _invoice_list_response(request)


def _invoice_response(request, invoice, *, failed_form=None, status=200):
    context = {"invoice": invoice, "status_form": InvoiceStatusForm(), "failed_form": failed_form}
    return render(request, "contracts/invoice_detail.html", context, status=status)


def _documents_response(request, template, context, *, pending):
    """A documents area polled by htmx: once nothing is pending it stops polling and the
    page's live region says so (fostercare.htmx.announce); focus stays where it was."""
    response = render(request, template, context)
    if not pending:
        announce(response, _("The documents are ready."))
    return response


@permission_required("contracts.view_invoice", raise_exception=True)
def invoice_detail(request, pk):
    invoice = selectors.invoice_detail(request.user, pk)
    if request.htmx:
        return _documents_response(
            request,
            "contracts/_invoice_documents.html",
            {"invoice": invoice},
            pending=invoice.documents_pending,
        )
    return _invoice_response(request, invoice)


def _invoice_step(request, pk, *, form, service, success):
    """Call ``service(invoice, form)`` on a valid form; errors, the form's or the
    service's, are shown on the invoice page's actions, as 400."""
    invoice = selectors.invoice_detail(request.user, pk, "change")
    if form.is_valid() and run_service(form, lambda: service(invoice, form)):
        messages.success(request, success)
        return redirect("contracts:invoice-detail", pk=invoice.pk)
    invoice = selectors.invoice_detail(request.user, pk)
    return _invoice_response(request, invoice, failed_form=form, status=400)


@require_POST
@permission_required("contracts.change_invoice", raise_exception=True)
def invoice_issue(request, pk):
    return _invoice_step(
        request,
        pk,
        form=InvoiceActionForm(request.POST),
        service=lambda invoice, form: services.invoice_issue(invoice=invoice, by=request.user),
        success=_("The invoice was issued. Its documents are being rendered."),
    )


@require_POST
@permission_required("contracts.change_invoice", raise_exception=True)
def invoice_change_status(request, pk):
    return _invoice_step(
        request,
        pk,
        form=InvoiceStatusForm(request.POST),
        service=lambda invoice, form: services.invoice_change_status(
            invoice=invoice, to_status=form.cleaned_data["to_status"], by=request.user
        ),
        success=_("The status was changed."),
    )


@require_POST
@permission_required("contracts.change_invoice", raise_exception=True)
def invoice_credit(request, pk):
    return _invoice_step(
        request,
        pk,
        form=InvoiceActionForm(request.POST),
        service=lambda invoice, form: services.invoice_credit(invoice=invoice, by=request.user),
        success=_(
            "A credit note was issued. Run invoicing for the quarter to make the new invoice."
        ),
    )


def _review_response(request, *, year, quarter, form=None, status=200):
    review = selectors.invoice_drafts_review(request.user, year=year, quarter=quarter)
    form = form or IssueDraftsForm(
        initial={"year": year, "quarter": quarter, "count": review.count, "total": review.total}
    )
    context = {
        "review": review,
        "form": form,
        "year": year,
        "quarter": quarter,
        "issuing": selectors.issuing_run_unfinished(request.user, year=year, quarter=quarter),
    }
    return render(request, "contracts/invoice_issue_review.html", context, status=status)


@permission_required("contracts.change_invoice", raise_exception=True)
def invoices_issue_review(request):
    """The quarter's drafts, their total per member and in all, before issuing them."""
    form = QuarterForm(request.GET)
    if not form.is_valid():
        raise Http404(_("Choose a quarter first."))
    return _review_response(
        request, year=form.cleaned_data["year"], quarter=form.cleaned_data["quarter"]
    )


@require_POST
@permission_required("contracts.change_invoice", raise_exception=True)
def invoices_issue_quarter(request):
    form = IssueDraftsForm(request.POST)
    quarter_form = QuarterForm(request.POST)
    if not quarter_form.is_valid():
        return _invoice_list_response(request, issue_form=quarter_form, status=400)
    year, quarter = quarter_form.cleaned_data["year"], quarter_form.cleaned_data["quarter"]
    running = selectors.issuing_run_unfinished(request.user, year=year, quarter=quarter)
    if running is not None:  # a second click while the drafts are being issued
        messages.info(request, _("These drafts are already being issued. Here is how far it got."))
        return redirect("contracts:issuing-detail", pk=running.pk)
    if not form.is_valid():
        return _review_response(request, year=year, quarter=quarter, form=form, status=400)
    drafts_now = selectors.invoice_drafts_count_and_total(request.user, year=year, quarter=quarter)
    if drafts_now != (form.cleaned_data["count"], form.cleaned_data["total"]):
        messages.warning(
            request,
            _("The drafts changed after you reviewed them. Review them again before issuing."),
        )
        return _review_response(request, year=year, quarter=quarter, status=409)
    run, started = services.invoices_issue_start(year=year, quarter=quarter, by=request.user)
    if not started:
        messages.info(request, _("These drafts are already being issued. Here is how far it got."))
    return redirect("contracts:issuing-detail", pk=run.pk)


@permission_required("contracts.view_issuingrun", raise_exception=True)
def issuing_detail(request, pk):
    """How far the issuing of a quarter's drafts has got; htmx asks again until it ends."""
    run = selectors.issuing_run_detail(request.user, pk)
    template = (
        "contracts/_issuing_progress.html" if request.htmx else "contracts/issuing_detail.html"
    )
    return render(request, template, {"run": run})


def _document(request, pk, field: str, content_type: str):
    invoice = selectors.invoice_detail(request.user, pk)
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
                    confirm_early=form.cleaned_data["confirm_early"],
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
