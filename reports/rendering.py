"""Make a report: its tables, its PDF through the one renderer (fostercare.pdf), and its
stored file with a SHA-256 checksum. Run by the Celery task; safe to run twice (the same
row is rendered again, with the version the request gave it)."""

import hashlib
import logging

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone, translation

from fostercare.pdf import render_pdf
from reports.charts import chart, charted_rows
from reports.figures import report_tables
from reports.models import Report

logger = logging.getLogger(__name__)


def with_charts(tables: list[dict]) -> list[dict]:
    """The tables with their charts drawn, for the page and the PDF, and how many rows a
    bar chart of a long table shows (``chart_shows``; None when it shows every row)."""
    drawn = []
    for table in tables:
        shown = len(charted_rows(table)) if table.get("chart_kind", "bar") == "bar" else None
        drawn.append(
            {
                **table,
                "chart": chart(table, f"chart-{table['key']}"),
                "chart_shows": shown if shown is not None and shown < len(table["rows"]) else None,
            }
        )
    return drawn


def report_pdf(report: Report, tables: list[dict]) -> bytes:
    with translation.override(report.language):
        return render_pdf(
            "reports/report_pdf.html",
            {"report": report, "tables": with_charts(tables), "language": report.language},
            pdf_variant="pdf/ua-1",
        )


def report_claim(*, by, **key) -> tuple[Report, bool]:
    """The one row of the report named by ``key`` (kind, contract, member, year, quarter,
    language), and whether to make it now: a new row; an existing one gets the next
    version; one being made already is left to its worker. Call inside a transaction."""
    candidate = Report(**key, requested_by=by)
    candidate.full_clean(validate_unique=False, validate_constraints=False)
    report = Report.objects.select_for_update().filter(**key).first()
    if report is None:
        try:
            with transaction.atomic():
                candidate.save()
            return candidate, True
        except IntegrityError:  # made at the same moment by another request
            report = Report.objects.select_for_update().get(**key)
    if report.is_watched:
        return report, False
    report.version += 1
    report.status, report.progress, report.error = Report.Status.QUEUED, 0, ""
    report.requested_by, report.requested_at, report.finished_at = by, timezone.now(), None
    report.save()
    return report, True


def _progress(report: Report, status: str, progress: int) -> None:
    Report.objects.filter(pk=report.pk).update(status=status, progress=progress)


def report_render(*, report_id: int) -> Report:
    report = Report.objects.select_related("contract", "member").get(pk=report_id)
    _progress(report, Report.Status.RUNNING, 10)
    try:
        with translation.override(report.language):
            tables = report_tables(report)
        _progress(report, Report.Status.RUNNING, 50)
        pdf = report_pdf(report, tables)
    except Exception as error:
        logger.exception("Report %s could not be made", report.pk)
        Report.objects.filter(pk=report.pk).update(
            status=Report.Status.FAILED, error=str(error)[:300], finished_at=timezone.now()
        )
        raise
    with transaction.atomic():
        locked = Report.objects.select_for_update().get(pk=report.pk)
        old = locked.pdf.name if locked.pdf else ""
        locked.pdf.save(f"{locked.file_stem}-v{locked.version}.pdf", ContentFile(pdf), save=False)
        locked.pdf_sha256 = hashlib.sha256(pdf).hexdigest()
        locked.tables = tables
        locked.status, locked.progress, locked.error = Report.Status.DONE, 100, ""
        locked.finished_at = timezone.now()
        locked.save()
        if old and old != locked.pdf.name:
            # the earlier version's file goes once the new one is stored
            storage, name = locked.pdf.storage, old
            transaction.on_commit(lambda: storage.delete(name))
    return locked
