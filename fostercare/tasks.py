from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.utils import timezone

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
