"""The morning digest through a real Celery worker process and Redis, once end to end."""

import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from celery import Celery
from django.conf import settings
from django.db import connection

from fostercare.models import ReminderSent
from placements.models import PlacementRequest, PlacementType
from tests.placements.factories import PlacementRequestFactory

REDIS_URL = os.environ.get("WORKLIST_TEST_REDIS_URL", "redis://127.0.0.1:6379/14")


@pytest.fixture
def worker():
    """A worker on a queue of its own, against this test's database (committed data)."""
    db = connection.settings_dict
    queue = f"worklist-test-{uuid.uuid4().hex}"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "DATABASE_URL": (
            f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST'] or '127.0.0.1'}:"
            f"{db['PORT'] or 5432}/{db['NAME']}"
        ),
        "REDIS_URL": REDIS_URL,
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
    }
    celery = Path(sys.executable).with_name("celery")
    process = subprocess.Popen(
        [
            str(celery),
            "-A",
            "fostercare",
            "worker",
            "-Q",
            queue,
            "-n",
            f"{queue}@%h",
            "--pool=threads",
            "--concurrency=2",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "--loglevel=WARNING",
        ],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    # This process publishes through an app on the same broker, backend and queue.
    app = Celery("worklist-test", broker=REDIS_URL, backend=REDIS_URL)
    app.conf.task_default_queue = queue
    app.worker_process = process
    try:
        yield app
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        with app.connection_for_write() as conn:
            conn.default_channel.queue_delete(queue)
        app.close()


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
