"""Celery tasks of the register; each is safe to run twice."""

from celery import shared_task

from families import services


@shared_task
def occupancy_record() -> int:
    """Record today's occupancy by kind of family and provider (beat, 23:50 Europe/Helsinki);
    run twice, the day's rows are updated, not duplicated. Returns how many rows."""
    return len(services.occupancy_record())
