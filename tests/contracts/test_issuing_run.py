"""Issuing all drafts of a quarter runs in Celery (issue 11): the page answers at once
with a progress page, and the worker issues the drafts batch by batch."""

import threading
import time
from datetime import timedelta
from unittest.mock import patch

import pytest
from django.db import IntegrityError, connection
from django.urls import reverse
from django.utils import timezone

from contracts import invoicing, selectors, services, tasks
from contracts.allocation import finnish_reference
from contracts.models import Contract, Invoice, InvoicingRun, IssuingRun
from tests.contracts.factories import seed_contract

pytestmark = pytest.mark.django_db


def _drafts(members=6):
    contract, _period, orgs = seed_contract()
    others = [org for code, org in orgs.items() if code != "851"]
    contract.members.set([orgs["851"], *others[: members - 1]])
    invoicing.invoicing_run_execute(run_id=InvoicingRun.objects.create(year=2025, quarter=1).pk)
    return orgs


def _confirmed(user):
    """What the review page posts once the drafts are confirmed."""
    review = selectors.invoice_drafts_review(user, year=2025, quarter=1)
    return {"year": 2025, "quarter": 1, "confirm": "on", "count": review.count} | {
        "total": review.total
    }


def _post(client, user, **headers):
    url = reverse("contracts:invoices-issue-quarter")
    return client.post(url, _confirmed(user), headers=headers)


def _run(status=IssuingRun.Status.RUNNING, *, by, minutes_ago=0, **fields):
    run = IssuingRun.objects.create(year=2025, quarter=1, started_by=by, status=status, **fields)
    then = timezone.now() - timedelta(minutes=minutes_ago)
    IssuingRun.objects.filter(pk=run.pk).update(created_at=then, progress_at=then)
    run.refresh_from_db()
    return run


@pytest.mark.parametrize("members", [2, 6])
def test_the_issue_page_answers_at_once_in_fixed_queries_and_queues_the_run(
    members, client_for, finance_user, django_assert_num_queries, django_capture_on_commit_callbacks
):
    _drafts(members)
    client = client_for(finance_user)
    data = _confirmed(finance_user)
    # 1 session, 2 user (its permissions cached when the review was read), 3 no issuing
    # under way, 4 the drafts for the review's count and total; 5 savepoint, 6 the
    # quarter's unfinished run locked, 7 the starter exists (full_clean), 8 savepoint,
    # 9 the run saved, 10 release, 11 release
    with django_capture_on_commit_callbacks() as callbacks, django_assert_num_queries(11):
        response = client.post(reverse("contracts:invoices-issue-quarter"), data)
    run = IssuingRun.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("contracts:issuing-detail", args=[run.pk])
    assert (run.status, run.year, run.quarter, run.started_by) == ("queued", 2025, 1, finance_user)
    assert set(Invoice.objects.values_list("status", flat=True)) == {"draft"}  # not yet
    assert len(callbacks) == 1  # the run, queued once the record is committed


def test_the_task_issues_every_draft_and_counts_its_progress(
    monkeypatch, client_for, finance_user, django_capture_on_commit_callbacks
):
    _drafts()
    _post(client_for(finance_user), finance_user)
    run = IssuingRun.objects.get()
    monkeypatch.setattr(invoicing, "ISSUE_BATCH", 2)
    seen = []
    real_batch = invoicing._issue_batch

    def batch_and_look(*args):
        real_batch(*args)
        seen.append(IssuingRun.objects.values_list("drafts_done", "drafts_total").get())

    monkeypatch.setattr(invoicing, "_issue_batch", batch_and_look)
    with django_capture_on_commit_callbacks() as callbacks:
        assert tasks.invoices_issue_run(run.pk) == 5
    assert seen == [(2, 5), (4, 5), (5, 5)]  # the page sees it advance batch by batch
    run.refresh_from_db()
    assert (run.status, run.issued, run.skipped, run.refused) == ("done", 5, 0, [])
    assert run.progress_percent == 100 and run.finished_at is not None
    assert set(Invoice.objects.values_list("status", flat=True)) == {"issued"}
    assert set(Invoice.objects.values_list("issued_by", flat=True)) == {finance_user.pk}
    assert len(callbacks) == 5  # each invoice's documents, queued once its batch commits


def test_running_the_task_again_issues_nothing_twice(finance_user):
    _drafts()
    run = IssuingRun.objects.create(year=2025, quarter=1, started_by=finance_user)
    issued_at = sorted(
        invoicing.issuing_run_execute(run_id=run.pk, queue_documents=print)
        and Invoice.objects.values_list("issued_at", flat=True)
    )
    again = invoicing.issuing_run_execute(run_id=run.pk, queue_documents=print)
    assert (again.issued, again.drafts_done) == (5, 5)
    assert sorted(Invoice.objects.values_list("issued_at", flat=True)) == issued_at


def test_a_refused_draft_is_listed_with_its_reason_and_the_others_are_issued(
    client_for, finance_user
):
    orgs = _drafts()
    orgs["241"].einvoice_address = ""
    orgs["241"].save()
    client = client_for(finance_user)
    response = _post(client, finance_user)
    tasks.invoices_issue_run(IssuingRun.objects.get().pk)
    refused = Invoice.objects.get(member=orgs["241"])
    assert refused.status == "draft"
    assert Invoice.objects.filter(status="issued").count() == 4
    text = client.get(response.url).content.decode()
    assert "These drafts were left as drafts:" in text
    assert f"{refused.number}: Keminmaa lacks what its e-invoice needs" in text
    assert "4 drafts were issued." in text


def test_the_progress_page_polls_while_the_drafts_are_issued(client_for, finance_user):
    run = _run(by=finance_user, drafts_total=300, drafts_done=150, issued=150)
    text = client_for(finance_user).get(reverse("contracts:issuing-detail", args=[run.pk]))
    text = text.content.decode()
    assert 'role="status"' in text and 'hx-trigger="every 2s"' in text
    assert "150 of 300 drafts handled, 150 issued." in text
    assert 'value="50"' in text  # the progress bar


def test_the_progress_page_stops_polling_and_announces_the_result(client_for, finance_user):
    run = _run(IssuingRun.Status.DONE, by=finance_user, drafts_total=5, drafts_done=5, issued=5)
    client = client_for(finance_user)
    url = reverse("contracts:issuing-detail", args=[run.pk])
    fragment = client.get(url, headers={"HX-Request": "true"}).content.decode().strip()
    assert fragment.startswith('<div id="issuing-progress" role="status">')
    assert "hx-trigger" not in fragment
    assert "5 drafts were issued." in fragment
    assert reverse("contracts:invoice-list") + "?quarter=2025-1" in fragment


def test_the_progress_page_takes_a_fixed_number_of_queries(
    client_for, finance_user, django_assert_num_queries
):
    run = _run(by=finance_user)
    client = client_for(finance_user)
    url = reverse("contracts:issuing-detail", args=[run.pk])
    client.get(url)  # caches the user's permissions
    # 1 session, 2 user, 3 the run with its starter
    with django_assert_num_queries(3):
        client.get(url, headers={"HX-Request": "true"})


def test_a_second_click_while_the_drafts_are_issued_shows_the_running_one(
    client_for, finance_user, django_capture_on_commit_callbacks
):
    _drafts()
    running = _run(by=finance_user)
    with django_capture_on_commit_callbacks() as callbacks:
        response = _post(client_for(finance_user), finance_user)
    assert response.url == reverse("contracts:issuing-detail", args=[running.pk])
    assert IssuingRun.objects.count() == 1 and callbacks == []


def test_the_review_page_leads_to_the_issuing_under_way(client_for, finance_user):
    _drafts()
    running = _run(by=finance_user)
    response = client_for(finance_user).get(
        reverse("contracts:invoices-issue-review"), {"year": 2025, "quarter": 1}
    )
    assert reverse("contracts:issuing-detail", args=[running.pk]) in response.content.decode()


def test_the_service_returns_the_running_issuing_rather_than_start_another(finance_user):
    running = _run(IssuingRun.Status.QUEUED, by=finance_user)
    assert services.invoices_issue_start(year=2025, quarter=1, by=finance_user) == (running, False)
    assert IssuingRun.objects.count() == 1


def test_the_database_allows_one_unfinished_issuing_per_quarter(finance_user):
    _run(by=finance_user)
    _run(IssuingRun.Status.DONE, by=finance_user)  # finished ones do not count
    with pytest.raises(IntegrityError):
        IssuingRun.objects.create(year=2025, quarter=1, started_by=finance_user)


def test_a_stalled_issuing_is_marked_failed_and_a_new_one_issues_what_is_left(
    client_for, finance_user
):
    stalled = _run(by=finance_user, minutes_ago=31)
    text = client_for(finance_user).get(reverse("contracts:issuing-detail", args=[stalled.pk]))
    assert "its worker has probably stopped" in text.content.decode()
    assert 'hx-trigger="every 2s"' not in text.content.decode()
    run, started = services.invoices_issue_start(year=2025, quarter=1, by=finance_user)
    stalled.refresh_from_db()
    assert started and run != stalled and stalled.status == "failed"
    assert stalled.refused[-1]["text"].startswith("Sen suorittaja pysähtyi.")  # its starter's


@pytest.mark.django_db(transaction=True)
def test_two_clicks_at_once_start_one_issuing(finance_user):
    """Both see no run under way (nothing to lock yet); the database lets one insert,
    and the other is given that run."""
    barrier = threading.Barrier(2)
    real_save = IssuingRun.save
    results, errors = [], []

    def save_together(self, *args, **kwargs):
        barrier.wait(timeout=10)  # both have looked for a run under way and found none
        real_save(self, *args, **kwargs)

    def click():
        try:
            results.append(services.invoices_issue_start(year=2025, quarter=1, by=finance_user))
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)
        finally:
            connection.close()

    with patch.object(IssuingRun, "save", save_together):
        threads = [threading.Thread(target=click) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
    assert errors == []
    assert IssuingRun.objects.count() == 1
    assert sorted(started for _run, started in results) == [False, True]
    assert {run.pk for run, _started in results} == {IssuingRun.objects.get().pk}


def test_an_unexpected_error_stops_the_run_and_the_page_says_so(
    monkeypatch, client_for, finance_user
):
    _drafts()
    run = IssuingRun.objects.create(year=2025, quarter=1, started_by=finance_user, language="en")

    def broken(*args):
        raise RuntimeError("database gone")

    monkeypatch.setattr(invoicing, "_issue_batch", broken)
    with pytest.raises(RuntimeError):
        invoicing.issuing_run_execute(run_id=run.pk, queue_documents=print)
    text = client_for(finance_user).get(reverse("contracts:issuing-detail", args=[run.pk]))
    assert "An unexpected error stopped the issuing." in text.content.decode()
    assert 'hx-trigger="every 2s"' not in text.content.decode()


def test_the_refusals_are_written_in_the_language_of_the_one_who_asked(client_for, finance_user):
    orgs = _drafts()
    orgs["241"].einvoice_address = ""
    orgs["241"].save()
    response = _post(client_for(finance_user), finance_user, **{"Accept-Language": "fi"})
    run = IssuingRun.objects.get()
    assert response.status_code == 302 and run.language == "fi"
    tasks.invoices_issue_run(run.pk)
    run.refresh_from_db()
    assert "Täydennä ne jäsenorganisaation tietoihin" in run.refused[0]["text"]


def _thousand_drafts(finance_user):
    """1,000 drafts of one quarter: the seed contract's five invoiced members on 200
    contracts, bulk-created (the run takes the drafts as they are)."""
    contract, period, orgs = seed_contract()
    template = Contract.objects.get(pk=contract.pk)
    copies = []
    for i in range(199):
        template.pk, template.name = None, f"Sopimus {i}"
        copies.append(
            Contract(
                **{f.attname: getattr(template, f.attname) for f in Contract._meta.concrete_fields}
            )
        )
    contracts = [contract, *Contract.objects.bulk_create(copies)]
    members = [org for code, org in orgs.items() if code != "851"]
    today = timezone.localdate()
    drafts = []
    for i in range(1000):
        number = i + 1
        drafts.append(
            Invoice(
                issuer=orgs["851"],
                number=number,
                reference=finnish_reference(f"1{number:06d}"),
                contract=contracts[i // 5],
                period=period,
                member=members[i % 5],
                year=2025,
                quarter=1,
                invoice_date=today,
                due_date=today,
                vat_rate=0,
                vat_note="",
                amount_excluding_vat=100,
                vat_amount=0,
                total=100,
            )
        )
    Invoice.objects.bulk_create(drafts)


def test_a_thousand_drafts_are_issued_by_the_task_with_progress_to_the_end(
    monkeypatch, client_for, finance_user, django_capture_on_commit_callbacks
):
    _thousand_drafts(finance_user)
    client = client_for(finance_user)
    started = time.monotonic()
    response = _post(client, finance_user)
    answered = time.monotonic() - started
    run = IssuingRun.objects.get()
    assert response.url == reverse("contracts:issuing-detail", args=[run.pk])
    seen = []
    real_batch = invoicing._issue_batch

    def batch_and_look(*args):
        real_batch(*args)
        seen.append(IssuingRun.objects.values_list("drafts_done", flat=True).get())

    monkeypatch.setattr(invoicing, "_issue_batch", batch_and_look)
    started = time.monotonic()
    with django_capture_on_commit_callbacks() as callbacks:
        tasks.invoices_issue_run(run.pk)
    issued_in = time.monotonic() - started
    print(f"\nthe page answered in {answered:.2f} s; the task issued 1,000 in {issued_in:.2f} s")
    assert seen == list(range(50, 1001, 50))
    run.refresh_from_db()
    assert (run.drafts_done, run.drafts_total, run.issued, run.status) == (1000, 1000, 1000, "done")
    assert not Invoice.objects.filter(status="draft").exists()
    assert len(callbacks) == 1000
    text = client.get(response.url).content.decode()
    assert "1,000 of 1,000 drafts handled, 1,000 issued." in text
