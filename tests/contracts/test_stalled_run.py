"""A run whose worker died says so once it has made no progress for a while (issue 15)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from contracts import invoicing
from contracts.models import InvoicingRun
from tests.contracts.factories import seed_contract

pytestmark = pytest.mark.django_db


def _run(*, status=InvoicingRun.Status.RUNNING, minutes_ago: int, progressed=True):
    run = InvoicingRun.objects.create(year=2025, quarter=1, contracts_total=3)
    then = timezone.now() - timedelta(minutes=minutes_ago)
    InvoicingRun.objects.filter(pk=run.pk).update(
        status=status, created_at=then, progress_at=then if progressed else None
    )
    return run


def _page(client_for, user, run):
    return client_for(user).get(reverse("contracts:run-detail", args=[run.pk])).content.decode()


def test_a_run_without_progress_for_longer_than_the_setting_is_shown_as_stalled(
    client_for, finance_user
):
    run = _run(minutes_ago=31)
    text = _page(client_for, finance_user, run)
    assert "Stalled" in text
    assert "The run has made no progress for over 30 minutes" in text
    assert 'hx-trigger="every 2s"' not in text  # the page stops waiting for it
    assert reverse("contracts:run-list") in text and "Run again" in text


def test_a_running_run_with_recent_progress_is_not_stalled(client_for, finance_user):
    text = _page(client_for, finance_user, _run(minutes_ago=5))
    assert "Stalled" not in text
    assert 'hx-trigger="every 2s"' in text


def test_the_stale_time_is_a_setting(settings, client_for, finance_user):
    settings.INVOICING_RUN_STALE_AFTER = 60
    assert "Stalled" not in _page(client_for, finance_user, _run(minutes_ago=31))


def test_a_queued_run_that_no_worker_took_is_stalled_too(client_for, finance_user):
    run = _run(status=InvoicingRun.Status.QUEUED, minutes_ago=45, progressed=False)
    assert run.is_stalled is False  # as created in memory; read again below
    run.refresh_from_db()
    assert run.is_stalled
    assert "Stalled" in _page(client_for, finance_user, run)


def test_a_finished_run_is_never_stalled():
    run = _run(status=InvoicingRun.Status.DONE, minutes_ago=600)
    run.refresh_from_db()
    assert not run.is_stalled


def test_the_run_list_shows_a_stalled_run(client_for, finance_user):
    _run(minutes_ago=120)
    text = client_for(finance_user).get(reverse("contracts:run-list")).content.decode()
    assert "Stalled" in text


def test_a_run_records_its_progress_as_it_goes():
    seed_contract()
    run = InvoicingRun.objects.create(year=2025, quarter=1)
    before = timezone.now()
    run = invoicing.invoicing_run_execute(run_id=run.pk)
    assert run.progress_at >= before
    assert not run.is_stalled


def test_a_reader_who_may_not_start_runs_is_not_offered_to_run_again(client_for, unit_worker):
    run = _run(minutes_ago=31)
    text = _page(client_for, unit_worker, run)
    assert "Stalled" in text
    assert "Run again" not in text
