from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from fostercare import imports
from fostercare.reminders import reminders_send as _reminders_send
from fostercare.services import access_log_delete_older_than


@shared_task
def access_log_prune() -> int:
    """Delete access-log rows past ACCESS_LOG_RETENTION_DAYS (Celery beat, nightly).

    Safe to run twice: the second run finds nothing older to delete."""
    before = timezone.now() - timedelta(days=settings.ACCESS_LOG_RETENTION_DAYS)
    return access_log_delete_older_than(before=before)


@shared_task
def reminders_send() -> int:
    """The morning digest (Celery beat, 07:00 Europe/Helsinki); safe to run twice: each
    item is sent once per threshold."""
    return _reminders_send(today=timezone.localdate())


@shared_task
def import_job_run(job_id: int) -> str | None:
    """A large admin import (fostercare.imports); safe to run twice: a job that is no
    longer queued is left as it is."""
    job = imports.import_job_run(job_id=job_id)
    return job.status if job else None


@shared_task
def import_files_prune() -> int:
    """Delete uploaded import files past IMPORT_FILE_MAX_AGE_HOURS and mark the imports
    whose worker stopped (Celery beat, hourly); safe to run twice."""
    before = timezone.now() - timedelta(hours=settings.IMPORT_FILE_MAX_AGE_HOURS)
    return imports.import_files_prune(before=before)
