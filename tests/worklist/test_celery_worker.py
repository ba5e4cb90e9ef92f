"""The morning digest through a real Celery worker process and Redis, once end to end."""

import pytest

from fostercare.models import ReminderSent
from placements.models import PlacementRequest, PlacementType
from tests.celery_worker import real_worker
from tests.placements.factories import PlacementRequestFactory


@pytest.fixture
def worker():
    """A worker on a queue of its own, against this test's database (committed data)."""
    with real_worker(
        "worklist", **{"EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend"}
    ) as app:
        yield app


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_the_morning_digest_through_a_real_worker(worker, kemi_org, kemi_worker, unit_worker):
    for user in (kemi_worker, unit_worker):
        user.email = f"{user.username}@example.fi"
        user.save()
    request = PlacementRequestFactory(
        municipality=kemi_org,
        created_by=kemi_worker,
        status=PlacementRequest.Status.SUBMITTED,
        placement_type=PlacementType.EMERGENCY,
        urgency="immediate",
    )

    first = worker.send_task("fostercare.tasks.reminders_send").get(timeout=90)
    again = worker.send_task("fostercare.tasks.reminders_send").get(timeout=90)

    assert (first, again) == (1, 0)  # the unit's reminder of the request; then nothing new
    sent = ReminderSent.objects.get()
    assert (sent.user, sent.item_key, sent.threshold) == (
        unit_worker,
        f"placements.request:{request.pk}",
        "waiting_for_pair",
    )
