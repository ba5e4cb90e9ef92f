"""The admin's family page makes the same number of queries however long the history it
shows (no query per inline row)."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from families.models import Family, FamilyStatusChange
from tests.families.factories import FamilyFactory


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


def _family_with_history(changes: int, by) -> Family:
    family = FamilyFactory()
    FamilyStatusChange.objects.bulk_create(
        FamilyStatusChange(
            family=family, from_status="inquiry", to_status="in_training", changed_by=by
        )
        for _ in range(changes)
    )
    return family


def test_family_change_page_queries_do_not_grow_with_the_status_history(
    client_for, admin_user, unit_worker
):
    client = client_for(admin_user)
    short = _family_with_history(1, unit_worker)
    long = _family_with_history(8, unit_worker)

    url = "admin:families_family_change"
    _queries(client, reverse(url, args=[short.pk]))  # warm the session and caches
    assert _queries(client, reverse(url, args=[long.pk])) == _queries(
        client, reverse(url, args=[short.pk])
    )


def test_family_changelist_counts_no_full_result():
    from families.admin import FamilyAdmin

    assert FamilyAdmin.show_full_result_count is False
