"""The app's settings with the few values a test run needs; nothing else differs."""

import os
import tempfile
from pathlib import Path

os.environ.setdefault("SECRET_KEY", "test-only-secret-key")

from fostercare.settings import *  # noqa: F403

# Hashing demo passwords slowly only slows the tests down.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# Tests do not run collectstatic, so serve static files from the source folders.
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

# Documents rendered by tests (invoice PDFs, demo data) go to a throwaway folder.
# (A Celery worker started by a test is told its folder through MEDIA_ROOT.)
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT") or tempfile.mkdtemp(prefix="fostercare-test-media-"))

# The suite logs in with force_login, which gives no second factor; the MFA tests turn
# this back on (tests/fostercare/test_mfa.py, tests/browser/test_security_flow.py).
MFA_REQUIRED = False

# A worker that a test starts (tests/celery_worker.py) queues the tasks its tasks queue
# (an issued invoice's documents) on its own queue, so it runs them too.
CELERY_TASK_DEFAULT_QUEUE = os.environ.get("TEST_CELERY_QUEUE", "celery")
