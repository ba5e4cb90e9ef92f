# The fostercare image: gunicorn by default; docker-compose.yml runs the same image
# as the migrate job, the Celery worker and Celery beat.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_ROOT_USER_ACTION=ignore \
    WEB_CONCURRENCY=3

# WeasyPrint's libraries, a font for the PDFs, gettext for compilemessages.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 \
        fonts-dejavu-core \
        gettext \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app

# The runtime lock only: the dev lock brings pytest, Playwright and the like.
COPY requirements.lock ./
RUN pip install --no-cache-dir -r requirements.lock

COPY . .

# Settings demand SECRET_KEY when DEBUG is off; these two commands use it for nothing and
# contact no database. The throwaway key lives on this line only, never in the image's ENV.
RUN SECRET_KEY=build-only python manage.py compilemessages -v 0 \
    && SECRET_KEY=build-only python manage.py collectstatic --noinput -v 0

# Run as a user of its own. The folders that named volumes are mounted on are made here,
# owned by that user, so that a new volume starts out writable for it.
RUN useradd --create-home --uid 10001 --user-group fostercare \
    && mkdir -p /app/media /var/lib/celery \
    && chown fostercare:fostercare /app/media /var/lib/celery
USER fostercare

EXPOSE 8000

# Workers: WEB_CONCURRENCY above (gunicorn reads it), override it per host.
CMD ["gunicorn", "fostercare.wsgi:application", \
     "--bind", "0.0.0.0:8000", \
     "--access-logfile", "-", \
     "--worker-tmp-dir", "/dev/shm"]
