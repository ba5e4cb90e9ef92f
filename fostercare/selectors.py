from datetime import date, datetime, time, timedelta

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_language

from fostercare.access import may
from fostercare.caching import versioned
from fostercare.models import AccessLogEntry, MemberOrganisation
from fostercare.people import PersonKind


def organisation_names() -> dict[int, str]:
    """Every member organisation's name in the reader's language (``MemberOrganisation.
    name``) by its id, from the shared cache until an organisation is changed
    (``fostercare.apps``): a summary grouped by organisation groups by the id and names
    the groups from here."""
    return versioned(
        "organisations",
        f"names:{get_language()}",
        lambda: {org.pk: org.name for org in MemberOrganisation.objects.all()},
        timeout=3600,
    )


def may_report_access(user) -> bool:
    """Administrators produce the per-person access-log report (Act 703/2023)."""
    return user.is_authenticated and may(user, "view", AccessLogEntry)


def _records_of(kind: PersonKind, person: models.Model) -> list[models.Model]:
    return [person, *kind.filed_under(person)]


def access_log_for_person(
    *, kind: PersonKind, person: models.Model, start: date, end: date
) -> models.QuerySet[AccessLogEntry]:
    """Who viewed, changed, exported or disclosed ``person``'s data from ``start`` to ``end``
    (both included), oldest first: the rows filed under the person and under the records
    the person's kind names (a carer's family).

    Each record is one (content_type, object_id) pair with a range on ``at``, so every
    branch of the OR is a scan of the index on (content_type, object_id, at).
    """
    tz = timezone.get_current_timezone()
    since = datetime.combine(start, time.min, tzinfo=tz)
    until = datetime.combine(end + timedelta(days=1), time.min, tzinfo=tz)
    records = Q()
    for record in _records_of(kind, person):
        records |= Q(
            content_type=ContentType.objects.get_for_model(record), object_id=str(record.pk)
        )
    return (
        AccessLogEntry.objects.filter(records, at__gte=since, at__lt=until)
        # a few users and organisations over hundreds of rows: each read and built once
        # (a join would build them again for every row)
        .prefetch_related("user", "organisation", "content_type")
        .order_by("at", "pk")
    )
