"""Making a report: the PDF through the one renderer with the charts and their data
tables, a checksum, and one stored report however often it is made."""

import hashlib
import io
from datetime import date

import pytest
from django.conf import settings
from pypdf import PdfReader

from families.services import occupancy_backfill
from reports import rendering, services, tasks
from reports.models import Report


def _request(steering_data, **extra):
    return services.report_request(
        kind=Report.Kind.STEERING,
        contract=steering_data["contract"],
        year=2026,
        quarter=1,
        language=extra.pop("language", "fi"),
        by=None,
        **extra,
    )


def _text(report: Report) -> str:
    with report.pdf.open("rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    return "\n".join(page.extract_text() for page in reader.pages)


def test_the_pdf_holds_the_charts_and_their_data_tables(steering_data):
    # the occupancy history of the quarter and the year before it, derived from placements
    occupancy_backfill(first_day=date(2025, 1, 1), last_day=date(2026, 3, 31))
    report = rendering.report_render(report_id=_request(steering_data).pk)

    assert report.status == Report.Status.DONE and report.progress == 100
    with report.pdf.open("rb") as handle:
        assert hashlib.sha256(handle.read()).hexdigest() == report.pdf_sha256
    text = _text(report)
    # the charts' titles and, in the tables beside them, their figures (Finnish)
    assert "Ohjausryhmän neljännesvuosiraportti Q1/2026" in text
    assert "Kaavio: Hoitovuorokaudet sopimuskunnittain" in text
    assert "Hoitovuorokaudet sopimuskunnittain" in text and "155" in text and "196" in text
    assert "Perhehoito laitoshoitoon verrattuna" in text and "17310.00" in text
    assert "39990.00" in text
    # occupancy over time: its chart, the caption saying what is derived, its table by month
    assert "Kaavio: Perheiden ja palveluntuottajien käyttöaste kuukausittain" in text
    assert "johdettu sijoitusten" in text
    # 12/2025: one of the five places of the approved and active families taken (20 %)
    assert "12/2025 5 1 20.0" in text


def test_a_swedish_report_is_in_swedish(steering_data):
    report = rendering.report_render(report_id=_request(steering_data, language="sv").pk)
    text = _text(report)
    assert "Vårddygn per medlemskommun" in text


def test_a_report_made_twice_is_one_report_in_its_second_version(
    steering_data, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as queued:
        first = _request(steering_data)
        # asked again while the first is queued: nothing more is queued
        assert _request(steering_data).pk == first.pk
    assert len(queued) == 1
    rendering.report_render(report_id=first.pk)
    first_file = Report.objects.get().pdf.name

    with django_capture_on_commit_callbacks() as queued_again:
        again = _request(steering_data)
    assert len(queued_again) == 1
    with django_capture_on_commit_callbacks(execute=True):  # the old file goes after commit
        rendering.report_render(report_id=again.pk)

    report = Report.objects.get()  # one row
    assert report.pk == first.pk and report.version == 2
    assert report.pdf.name.endswith("-v2.pdf") and report.pdf.name != first_file
    stored = list((settings.MEDIA_ROOT / "reports" / "2026").iterdir())
    assert [path.name for path in stored] == [report.pdf.name.rsplit("/", 1)[1]]


def test_the_schedule_makes_the_quarters_reports_once(steering_data):
    assert settings.CELERY_BEAT_SCHEDULE["reports-quarterly-reports"]["task"] == (
        "reports.tasks.reports_previous_quarter"
    )
    assert tasks.reports_previous_quarter() == 1
    assert tasks.reports_previous_quarter() == 1
    report = Report.objects.get()
    assert (report.kind, report.version, report.status) == (
        Report.Kind.STEERING,
        2,
        Report.Status.DONE,
    )


def test_a_member_annual_report_names_a_member_of_the_contract(steering_data, kemi_org):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.report_request(
            kind=Report.Kind.MEMBER_ANNUAL,
            contract=steering_data["contract"],
            year=2026,
            by=None,
        )
    assert not Report.objects.exists()
