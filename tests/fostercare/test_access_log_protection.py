"""The access log is append-only in the database; only the retention task deletes."""

from datetime import timedelta

import pgtrigger
import pytest
from django.db import IntegrityError, InternalError, ProgrammingError, connection, transaction
from django.utils import timezone

from fostercare.models import AccessLogEntry
from fostercare.services import access_log_record
from fostercare.tasks import access_log_prune
from tests.families.factories import FamilyFactory

# psycopg reports the trigger's RAISE EXCEPTION as a ProgrammingError
REFUSED = (ProgrammingError, InternalError, IntegrityError)


@pytest.fixture
def entry(unit_worker):
    return access_log_record(
        user=unit_worker, action=AccessLogEntry.Action.VIEW, obj=FamilyFactory()
    )


def test_the_orm_cannot_update_an_entry(entry):
    with pytest.raises(REFUSED), transaction.atomic():
        AccessLogEntry.objects.filter(pk=entry.pk).update(purpose="covered up")


def test_the_orm_cannot_delete_an_entry(entry):
    with pytest.raises(REFUSED), transaction.atomic():
        AccessLogEntry.objects.filter(pk=entry.pk).delete()


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE fostercare_accesslogentry SET purpose = 'x' WHERE id = %s",
        "DELETE FROM fostercare_accesslogentry WHERE id = %s",
    ],
)
def test_raw_sql_cannot_change_the_log(entry, sql):
    with pytest.raises(REFUSED), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, [entry.pk])
    assert AccessLogEntry.objects.filter(pk=entry.pk, purpose="").exists()


def _age(entry, days):
    with pgtrigger.ignore("fostercare.AccessLogEntry:append_only"):
        AccessLogEntry.objects.filter(pk=entry.pk).update(at=timezone.now() - timedelta(days=days))


def test_retention_deletes_only_entries_past_the_period(unit_worker, settings, caplog):
    settings.ACCESS_LOG_RETENTION_DAYS = 1096
    family = FamilyFactory()
    old, kept = (
        access_log_record(user=unit_worker, action=AccessLogEntry.Action.VIEW, obj=family)
        for _ in range(2)
    )
    _age(old, 1100)
    _age(kept, 1000)

    assert access_log_prune() == 1

    assert list(AccessLogEntry.objects.values_list("pk", flat=True)) == [kept.pk]
    assert "deleted 1 entries" in caplog.text
    # the exception was for the task's transaction only
    with pytest.raises(REFUSED), transaction.atomic():
        AccessLogEntry.objects.all().delete()


def test_retention_is_safe_to_run_twice(unit_worker):
    access_log_prune()
    assert access_log_prune() == 0
