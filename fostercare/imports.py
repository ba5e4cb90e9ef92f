"""Admin imports: one path for every file, small ones in the request, large ones in Celery.

Each app's resource writes its rows through the app's services (its ``save_instance``);
what every import shares is here. ``ImportResource`` turns a cell that cannot be read into
a clear, translated message naming the column. A file of more than
``IMPORT_BACKGROUND_ROWS`` rows becomes an ``ImportJob``: the admin answers at once and a
Celery worker imports it, all rows or none, with its progress and result on a page of its
own (``admin_doors.BackgroundImportMixin``). Smaller files keep django-import-export's
preview and confirmation, through the same resources. Uploaded files wait in the media
storage and are deleted when the import ends or expires (``import_files_prune``).
"""

import logging
import uuid
from datetime import datetime
from pathlib import PurePath

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.core.exceptions import (
    NON_FIELD_ERRORS,
    MultipleObjectsReturned,
    ObjectDoesNotExist,
    ValidationError,
)
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone, translation
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from import_export import resources, widgets
from import_export.formats.base_formats import Format
from import_export.results import RowResult

from fostercare.models import ImportJob, User

logger = logging.getLogger(__name__)

# django-import-export's MediaStorage keeps a previewed file here until it is confirmed.
PREVIEW_FOLDER = "django-import-export"
# A result page lists this many row errors; the count says how many there were.
MAX_ERRORS_KEPT = 500
_VALUE_SHOWN = 40


def _cell_problem(field, error: Exception) -> str:
    widget = field.widget
    if isinstance(widget, widgets.IntegerWidget):
        return _("enter a whole number, such as 1250")
    if isinstance(widget, widgets.DecimalWidget | widgets.FloatWidget):
        return _("enter a number, such as 1250.50")
    if isinstance(widget, widgets.DateTimeWidget):
        return _("enter a date and time, such as 2026-03-31 14:30:00")
    if isinstance(widget, widgets.DateWidget):
        return _("enter a date, such as 2026-03-31")
    if isinstance(widget, widgets.TimeWidget):
        return _("enter a time, such as 14:30:00")
    if isinstance(widget, widgets.ForeignKeyWidget):
        opts = widget.model._meta
        key = opts.pk if widget.field == "pk" else opts.get_field(widget.field)
        return _("no %(record)s has this %(key)s") % {
            "record": opts.verbose_name,
            "key": key.verbose_name,
        }
    if isinstance(error, ValueError) and not isinstance(error, ArithmeticError):
        # our own widgets' messages are written for people (e.g. "Unknown: …")
        return str(error)
    return _("the value is not valid")


def cell_error(field, value, error: Exception) -> str:
    """The message for a cell that cannot be read: the column, the value, what to write."""
    shown = str(value if value is not None else "").strip()
    if len(shown) > _VALUE_SHOWN:
        shown = shown[: _VALUE_SHOWN - 1] + "…"
    return _("Column “%(column)s”: “%(value)s” — %(problem)s.") % {
        "column": field.column_name,
        "value": shown,
        "problem": _cell_problem(field, error),
    }


# what a widget raises for a cell it cannot read
_CELL_ERRORS = (ValueError, TypeError, ArithmeticError, ObjectDoesNotExist, MultipleObjectsReturned)


class ImportResource(resources.ModelResource):
    """The base of every admin import: a cell that cannot be read is a row error in the
    user's language naming the column (never ``[<class 'decimal.ConversionSyntax'>]``),
    and a background import learns each row's progress."""

    def import_data(self, dataset, dry_run=False, raise_errors=False, **kwargs):
        # a file is imported whole or not at all, whichever kind of error a row has
        kwargs["rollback_on_validation_errors"] = True
        return super().import_data(dataset, dry_run, raise_errors, **kwargs)

    def import_field(self, field, instance, row, is_m2m=False, **kwargs):
        try:
            super().import_field(field, instance, row, is_m2m, **kwargs)
        except ValidationError:
            raise
        except _CELL_ERRORS as error:
            raise ValueError(cell_error(field, row.get(field.column_name), error)) from error

    def get_or_init_instance(self, instance_loader, row):
        # the loader reads the key columns (e.g. an organisation's code) before any field
        try:
            return super().get_or_init_instance(instance_loader, row)
        except _CELL_ERRORS as error:
            for field in self.get_import_fields():
                if field.attribute and field.column_name in row:
                    try:
                        field.clean(row)
                    except _CELL_ERRORS as cell:
                        value = row.get(field.column_name)
                        raise ValidationError(
                            {field.attribute: cell_error(field, value, cell)}
                        ) from error
            raise

    def after_import_row(self, row, row_result, **kwargs):
        super().after_import_row(row, row_result, **kwargs)
        progress = kwargs.get("progress")
        if progress is not None:
            progress(kwargs["row_number"])


def dotted_path(cls: type) -> str:
    return f"{cls.__module__}.{cls.__qualname__}"


def _progress_key(job_id: int) -> str:
    return f"import-job-progress:{job_id}"


def import_job_progress(job: ImportJob) -> int:
    """Rows read so far: the worker's count while it runs (the import's own transaction
    hides its rows until the end), the whole file once it has ended."""
    if job.finished:
        return job.total_rows
    return min(cache.get(_progress_key(job.pk), 0), job.total_rows)


def import_job_queue(
    *,
    user: User,
    model,
    resource_class: type[resources.Resource],
    file_format: type[Format],
    content: bytes,
    file_name: str,
    total_rows: int,
) -> ImportJob:
    """Keep the file in the media storage and queue its import for a Celery worker."""
    from fostercare import tasks  # tasks call this module's services

    job = ImportJob(
        user=user,
        content_type=ContentType.objects.get_for_model(model),
        resource=dotted_path(resource_class),
        file_format=dotted_path(file_format),
        file_name=PurePath(file_name).name[:255],
        language=translation.get_language() or settings.LANGUAGE_CODE,
        total_rows=total_rows,
    )
    # a name of our own: the uploaded name only labels the job
    job.file.save(f"{uuid.uuid4().hex}{PurePath(file_name).suffix[:10]}", ContentFile(content))
    transaction.on_commit(lambda: tasks.import_job_run.delay(job.pk))
    return job


def _column_of(resource, attribute: str) -> str:
    if resource is None:
        return attribute
    field = resource.fields.get(attribute)
    if field is not None:
        return field.column_name
    for field in resource.fields.values():
        if field.attribute == attribute:
            return field.column_name
    return attribute


def result_errors(result, resource=None) -> list[dict]:
    """Each row's errors as {"row", "column", "message"}, rows counted from the first
    row after the header (as in the preview)."""
    errors = [{"row": 0, "column": "", "message": str(e.error)} for e in result.base_errors]
    for number, row_errors in result.row_errors():
        for error in row_errors:
            # an unexpected failure is logged with its traceback; the user reads a sentence
            message = str(error.error) if isinstance(error.error, ValueError) else ""
            if not message:
                logger.warning("import row %s failed", number, exc_info=error.error)
                message = _("The row could not be saved; nothing was imported.")
            errors.append({"row": number, "column": "", "message": message})
    for invalid in result.invalid_rows:
        for attribute, messages in invalid.error_dict.items():
            column = "" if attribute == NON_FIELD_ERRORS else _column_of(resource, attribute)
            errors.extend(
                {"row": invalid.number, "column": column, "message": str(message)}
                for message in messages
            )
    return sorted(errors, key=lambda e: e["row"])


def _read_dataset(job: ImportJob):
    file_format = import_string(job.file_format)
    if not (isinstance(file_format, type) and issubclass(file_format, Format)):
        raise ValueError(job.file_format)
    with job.file.open("rb") as stored:
        data = stored.read()
    reader = file_format()
    if not reader.is_binary():
        data = data.decode("utf-8-sig")
    return reader.create_dataset(data)


def _resource(job: ImportJob) -> ImportResource:
    resource_class = import_string(job.resource)
    if not (isinstance(resource_class, type) and issubclass(resource_class, ImportResource)):
        raise ValueError(job.resource)

    # no before/after comparison: nobody previews a background import
    class Meta:
        skip_diff = True

    return type(resource_class.__name__, (resource_class,), {"Meta": Meta})()


def _finish(job: ImportJob, *, errors: list[dict], counts: dict) -> ImportJob:
    job.status = ImportJob.Status.FAILED if errors else ImportJob.Status.DONE
    job.errors = errors[:MAX_ERRORS_KEPT]
    job.counts = {**counts, "errors": len(errors)}
    job.finished_at = timezone.now()
    if job.file:
        job.file.delete(save=False)
    job.save()
    cache.delete(_progress_key(job.pk))
    return job


def import_job_run(*, job_id: int) -> ImportJob | None:
    """Import a queued job's file, every row or none, through the resource's services.

    Safe to run twice: a job that is no longer queued is left as it is."""
    with transaction.atomic():
        job = (
            ImportJob.objects.select_for_update(skip_locked=True)
            .filter(pk=job_id, status=ImportJob.Status.QUEUED)
            .select_related("user")
            .first()
        )
        if job is None:
            return None
        job.status = ImportJob.Status.RUNNING
        job.started_at = timezone.now()
        job.save(update_fields=["status", "started_at"])

    with translation.override(job.language):
        try:
            dataset = _read_dataset(job)
            resource = _resource(job)
        except Exception:
            logger.exception("import job %s: the file could not be read", job.pk)
            message = _("The file could not be read; check that its format is the one chosen.")
            return _finish(job, errors=[{"row": 0, "column": "", "message": message}], counts={})
        job.total_rows = len(dataset)

        def progress(row_number: int) -> None:
            if row_number % 50 == 0:
                cache.set(_progress_key(job.pk), row_number, timeout=24 * 3600)

        result = resource.import_data(
            dataset,
            dry_run=False,
            raise_errors=False,
            use_transactions=True,
            user=job.user,
            file_name=job.file_name,
            progress=progress,
        )
        errors = result_errors(result, resource)
        counts = {
            "new": result.totals[RowResult.IMPORT_TYPE_NEW],
            "update": result.totals[RowResult.IMPORT_TYPE_UPDATE],
            "skip": result.totals[RowResult.IMPORT_TYPE_SKIP],
        }
        return _finish(job, errors=errors, counts=counts)


def import_files_prune(*, before: datetime) -> int:
    """Delete uploaded files older than ``before``: previews never confirmed, and the files
    of jobs whose worker stopped (the job's transaction wrote nothing; it is marked so).
    Returns how many previews and stopped jobs it cleared."""
    deleted = 0
    stalled = ImportJob.objects.filter(
        created_at__lt=before, status__in=[ImportJob.Status.QUEUED, ImportJob.Status.RUNNING]
    )
    for job in stalled:
        with translation.override(job.language):
            message = _(
                "The import stopped before it ended and wrote nothing; upload the file again."
            )
            _finish(job, errors=[{"row": 0, "column": "", "message": message}], counts={})
        deleted += 1
    try:
        _folders, names = default_storage.listdir(PREVIEW_FOLDER)
    except FileNotFoundError:
        names = []
    for name in names:
        path = f"{PREVIEW_FOLDER}/{name}"
        if default_storage.get_modified_time(path) < before:
            default_storage.delete(path)
            deleted += 1
    logger.info("import files pruned: %s", deleted)
    return deleted


def preview_file_exists(name: str) -> bool:
    """Whether a preview's file (a name django-import-export chose: 32 hex digits) is
    still kept, so a stale or forged name is answered with a message, not a server error."""
    return (
        len(name) == 32
        and all(c in "0123456789abcdef" for c in name)
        and default_storage.exists(f"{PREVIEW_FOLDER}/{name}")
    )
