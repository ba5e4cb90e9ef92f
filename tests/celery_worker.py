"""A real Celery worker process against Redis and the test's database, for the few tests
that run a task end to end (STYLE.md: once with a real worker and Redis)."""

import os
import subprocess
import sys
import uuid
from contextlib import contextmanager
from pathlib import Path

from celery import Celery
from django.conf import settings
from django.db import connection

REDIS_URL = os.environ.get("TEST_CELERY_REDIS_URL", "redis://127.0.0.1:6379/14")


@contextmanager
def real_worker(name: str, **env_overrides: str):
    """A worker on a queue of its own, against this test's database (committed data).

    Yields a Celery app that publishes to that queue; ``app.worker_process`` is the
    worker's process, for tests that kill it."""
    db = connection.settings_dict
    queue = f"{name}-test-{uuid.uuid4().hex}"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "DATABASE_URL": (
            f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST'] or '127.0.0.1'}:"
            f"{db['PORT'] or 5432}/{db['NAME']}"
        ),
        "REDIS_URL": REDIS_URL,
        "TEST_CELERY_QUEUE": queue,
        **env_overrides,
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
    app = Celery(f"{name}-test", broker=REDIS_URL, backend=REDIS_URL)
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
