import csv
import io

from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.text import slugify

from fostercare.access import may
from fostercare.exports import escape_formula
from fostercare.forms import run_service
from reports import selectors, services
from reports.forms import ReferenceCostForm, ReportRequestForm
from reports.models import ReferenceDailyCost, Report
from reports.rendering import with_charts

REPORTS_SHOWN = 50


def report_list(request):
    """Every role that may read a report; municipal workers see their own annual reports."""
    may_request = may(request.user, "add", Report)
    form = (
        ReportRequestForm(request.POST if request.method == "POST" else None, user=request.user)
        if may_request
        else None
    )
    if request.method == "POST":
        if not may_request:
            raise PermissionDenied
        if form.is_valid():
            data = form.cleaned_data
            report = run_service(
                form,
                lambda: services.report_request(
                    kind=data["kind"],
                    contract=data["contract"],
                    member=data["member"],
                    year=data["year"],
                    quarter=data["quarter"],
                    language=data["language"],
                    by=request.user,
                ),
            )
            if report:
                return redirect("reports:report-detail", pk=report.pk)
    reports = selectors.report_list(request.user)[:REPORTS_SHOWN]
    status = 400 if form is not None and form.errors else 200
    return render(
        request, "reports/report_list.html", {"form": form, "reports": reports}, status=status
    )


def report_detail(request, pk):
    report = selectors.report_detail(request.user, pk)
    if request.htmx:
        return render(request, "reports/_report_progress.html", {"report": report})
    tables = with_charts(report.tables) if report.status == Report.Status.DONE else []
    return render(request, "reports/report_detail.html", {"report": report, "tables": tables})


def report_pdf(request, pk):
    report = selectors.report_detail(request.user, pk)
    if not report.pdf:
        raise Http404
    return FileResponse(
        report.pdf.open("rb"),
        as_attachment=True,
        filename=f"{report.file_stem}-v{report.version}.pdf",
        content_type="application/pdf",
    )


def _cells(table: dict) -> list[list]:
    rows = [table["headers"], *table["rows"]]
    if table.get("total"):
        rows.append(table["total"])
    return [
        [escape_formula(cell) if isinstance(cell, str) else cell for cell in row] for row in rows
    ]


def report_csv(request, pk, key):
    report = selectors.report_detail(request.user, pk)
    table = next((t for t in report.tables if t["key"] == key), None)
    if table is None:
        raise Http404
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerows(_cells(table))
    response = HttpResponse(out.getvalue().encode("utf-8-sig"), content_type="text/csv")
    response["Content-Disposition"] = (
        f'attachment; filename="{report.file_stem}-v{report.version}-{key}.csv"'
    )
    return response


def report_xlsx(request, pk):
    from openpyxl import Workbook

    report = selectors.report_detail(request.user, pk)
    if not report.tables:
        raise Http404
    book = Workbook()
    book.remove(book.active)
    for table in report.tables:
        sheet = book.create_sheet(slugify(table["title"])[:31] or table["key"])
        for row in _cells(table):
            sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    response = HttpResponse(
        out.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = (
        f'attachment; filename="{report.file_stem}-v{report.version}.xlsx"'
    )
    return response


@permission_required("reports.view_referencedailycost", raise_exception=True)
def reference_cost_list(request):
    may_set = may(request.user, "change", ReferenceDailyCost)
    form = (
        ReferenceCostForm(request.POST if request.method == "POST" else None) if may_set else None
    )
    if request.method == "POST":
        if not may_set:
            raise PermissionDenied
        if form.is_valid() and run_service(
            form, lambda: services.reference_cost_set(**form.cleaned_data, by=request.user)
        ):
            return redirect("reports:reference-cost-list")
    costs = selectors.reference_costs(request.user)
    status = 400 if form is not None and form.errors else 200
    return render(
        request, "reports/reference_cost_list.html", {"form": form, "costs": costs}, status=status
    )
