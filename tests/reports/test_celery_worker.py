"""The report task through a real Celery worker process and Redis, once end to end."""

import hashlib

import pytest
from django.conf import settings

from reports.models import Report


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_the_steering_report_made_by_a_real_worker_twice_is_one_report(steering_data):
    from tests.celery_worker import real_worker

    report = Report.objects.create(
        kind=Report.Kind.STEERING, contract=steering_data["contract"], year=2026, quarter=1
    )
    with real_worker("reports", MEDIA_ROOT=str(settings.MEDIA_ROOT)) as worker:
        first = worker.send_task("reports.tasks.report_render", args=[report.pk]).get(timeout=180)
        again = worker.send_task("reports.tasks.report_render", args=[report.pk]).get(timeout=180)

    report = Report.objects.get()
    assert report.status == Report.Status.DONE
    with report.pdf.open("rb") as handle:
        content = handle.read()
    assert content.startswith(b"%PDF") and hashlib.sha256(content).hexdigest() == again
    assert len(first) == 64
    # rendered twice: the same row, and one stored file
    assert [p.name for p in (settings.MEDIA_ROOT / "reports" / "2026").iterdir()] == [
        report.pdf.name.rsplit("/", 1)[1]
    ]
    assert [t["key"] for t in report.tables][:4] == [
        "families",
        "recruitment",
        "placements",
        "care_days",
    ]
