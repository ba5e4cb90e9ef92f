from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from fostercare.services import access_log_delete_older_than


@shared_task
def access_log_prune() -> int:
    """Delete access-log rows past ACCESS_LOG_RETENTION_DAYS (Celery beat, nightly).

    Safe to run twice: the second run finds nothing older to delete."""
    before = timezone.now() - timedelta(days=settings.ACCESS_LOG_RETENTION_DAYS)
    return access_log_delete_older_than(before=before)
