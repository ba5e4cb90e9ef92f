"""The morning digest: scheduled, sent once per item and threshold, links and counts only."""

from datetime import timedelta

import pytest
from celery.schedules import crontab
from django.conf import settings
from django.utils import timezone

from families.worklist import add_months
from fostercare import tasks
from fostercare.celery import app
from fostercare.models import ReminderSent
from fostercare.reminders import reminders_send
from fostercare.roles import Role
from placements.models import PlacementRequest, PlacementType
from tests.contracts.factories import ContractFactory, ContractPeriodFactory
from tests.families.factories import CarerFactory, FamilyFactory
from tests.fostercare.factories import user_with_role
from tests.placements.factories import ChildFactory, PlacementFactory, PlacementRequestFactory
from tests.worklist.conftest import AVAILABLE, days_ago, invoice

S = PlacementRequest.Status


@pytest.fixture
def due_things(kemi_org, kemi_worker, tornio_org, tornio_worker):
    """Items with names in them: an emergency request and clock of Kemi, a family whose
    carer's checks are overdue, and a Tornio request."""
    child = ChildFactory(municipality=kemi_org, first_name="Salainen", last_name="Lapsinen")
    request = PlacementRequestFactory(
        municipality=kemi_org,
        created_by=kemi_worker,
        children=[child],
        status=S.PROPOSED,
        placement_type=PlacementType.EMERGENCY,
        urgency="immediate",
        submitted_at=timezone.now(),
    )
    family = FamilyFactory(**{**AVAILABLE, "status": "active"}, name="Perhe Piilonen")
    CarerFactory(family=family, first_name="Kaisa", last_name="Kätketty")
    clock = PlacementFactory(
        child=ChildFactory(municipality=kemi_org, first_name="Toinen", last_name="Tuntematon"),
        family=family,
        placement_type=PlacementType.EMERGENCY,
        started_on=days_ago(31),
        request=request,
    )
    tornio = PlacementRequestFactory(
        municipality=tornio_org, created_by=tornio_worker, status=S.DRAFT
    )
    return {"request": request, "clock": clock, "family": family, "tornio": tornio}


@pytest.fixture
def with_email(unit_worker, kemi_worker, tornio_worker, finance_user):
    for user, address in (
        (unit_worker, "unit@example.fi"),
        (kemi_worker, "kemi@example.fi"),
        (tornio_worker, "tornio@example.fi"),
        (finance_user, "finance@example.fi"),
    ):
        user.email = address
        user.save()


def _mail_to(mailoutbox, address):
    found = [m for m in mailoutbox if m.to == [address]]
    assert len(found) == 1, [m.to for m in mailoutbox]
    return found[0]


def test_the_digest_is_scheduled_every_morning_at_seven():
    entry = settings.CELERY_BEAT_SCHEDULE["fostercare-daily-reminders"]
    assert entry["task"] == "fostercare.tasks.reminders_send"
    assert entry["schedule"] == crontab(minute=0, hour=7)
    assert settings.CELERY_TIMEZONE == "Europe/Helsinki"
    app.loader.import_default_modules()
    assert entry["task"] in app.tasks
    assert tasks.reminders_send.name == entry["task"]


def test_the_task_run_twice_sends_nothing_new(due_things, with_email, mailoutbox):
    first = tasks.reminders_send()
    sent = len(mailoutbox)
    rows = ReminderSent.objects.count()

    second = tasks.reminders_send()

    assert first > 0 and sent == 3  # unit, kemi, tornio; nothing is due for finance
    assert second == 0
    assert len(mailoutbox) == sent
    assert ReminderSent.objects.count() == rows


def test_a_new_threshold_is_sent_once_more(due_things, with_email, mailoutbox, unit_worker):
    clock = due_things["clock"]
    clock.started_on = days_ago(25)  # 5 days left: the warning threshold
    clock.save()
    today = timezone.localdate()
    reminders_send(today=today)
    clock.started_on = days_ago(31)  # ...and then past its 30 days
    clock.save()
    mailoutbox.clear()

    reminders_send(today=today)

    mail = _mail_to(mailoutbox, "unit@example.fi")
    assert mail.body.count("http") == 2  # the clock's link and the front page
    assert set(
        ReminderSent.objects.filter(
            user=unit_worker, item_key=f"placements.emergency:{clock.pk}"
        ).values_list("threshold", flat=True)
    ) == {"warning", "past"}


def test_the_digest_holds_no_personal_data(due_things, with_email, mailoutbox):
    reminders_send(today=timezone.localdate())

    names = [
        "Salainen",
        "Lapsinen",
        "Toinen",
        "Tuntematon",
        "Piilonen",
        "Kaisa",
        "Kätketty",
    ]
    for mail in mailoutbox:
        for name in names:
            assert name not in mail.subject and name not in mail.body, (mail.to, name)
    unit = _mail_to(mailoutbox, "unit@example.fi")
    request_url = f"{settings.SITE_URL}/placements/{due_things['request'].pk}/"
    assert request_url in unit.body


def test_municipal_workers_get_their_own_requests_only(
    due_things, with_email, mailoutbox, kemi_worker
):
    reminders_send(today=timezone.localdate())

    kemi = _mail_to(mailoutbox, "kemi@example.fi")
    tornio = _mail_to(mailoutbox, "tornio@example.fi")
    assert f"/placements/{due_things['request'].pk}/" in kemi.body
    assert f"/placements/{due_things['tornio'].pk}/" not in kemi.body
    assert f"/placements/{due_things['tornio'].pk}/" in tornio.body
    assert f"/placements/{due_things['request'].pk}/" not in tornio.body
    assert "/families/" not in kemi.body  # the register is the unit's


def test_the_digest_is_in_the_default_language_finnish(due_things, with_email, mailoutbox):
    reminders_send(today=timezone.localdate())

    unit = _mail_to(mailoutbox, "unit@example.fi")
    assert "Hyvää huomenta" in unit.body
    assert timezone.localdate().strftime("%-d.%-m.%Y") in unit.subject


def test_a_failed_send_is_retried_the_next_morning(due_things, with_email, mailoutbox, monkeypatch):
    import fostercare.reminders

    def broken(*args, **kwargs):
        raise ConnectionRefusedError

    monkeypatch.setattr(fostercare.reminders, "send_mail", broken)
    with pytest.raises(ConnectionRefusedError):
        reminders_send(today=timezone.localdate())
    assert not ReminderSent.objects.exists()

    monkeypatch.undo()
    reminders_send(today=timezone.localdate() + timedelta(days=1))
    assert len(mailoutbox) == 3


def test_the_next_round_of_a_check_is_reminded_again(due_things, with_email, mailoutbox):
    carer = due_things["family"].carers.get()
    today = timezone.localdate()
    reminders_send(today=today)  # never recorded: overdue
    carer.health_checked_on = add_months(today, -23)  # done; due again in a month
    carer.save()
    mailoutbox.clear()

    reminders_send(today=today)

    assert (
        _mail_to(mailoutbox, "unit@example.fi").body.count(f"/families/{due_things['family'].pk}/")
        == 1
    )


def test_a_swedish_speaking_worker_gets_a_swedish_digest(
    due_things, with_email, mailoutbox, unit_worker
):
    unit_worker.language = "sv"
    unit_worker.save()

    reminders_send(today=timezone.localdate())

    unit = _mail_to(mailoutbox, "unit@example.fi")
    assert unit.subject.startswith("Aktuellt ")
    assert "God morgon" in unit.body
    assert "Brådskande placeringar" in unit.body  # a section's title
    for finnish in ("Ajankohtaiseksi", "Hyvää huomenta", "Kiireelliset", "työjono"):
        assert finnish not in unit.subject and finnish not in unit.body
    kemi = _mail_to(mailoutbox, "kemi@example.fi")  # still Finnish
    assert "Hyvää huomenta" in kemi.body


# --- finance ----------------------------------------------------------------------------


@pytest.fixture
def finance_due(tornio_org, kemi_org, finance_user):
    """An invoice past due, a draft, and a past quarter of a producer's contract with
    neither a run nor the producer's invoice; two finance users with e-mail."""
    today = timezone.localdate()
    contract = ContractFactory(
        issuer=tornio_org, members=[tornio_org, kemi_org], producer_name="Tuottaja ry"
    )
    period = ContractPeriodFactory(
        contract=contract,
        starts_on=today.replace(year=today.year - 1, month=1, day=1),
        ends_on=today.replace(year=today.year + 1, month=12, day=31),
    )
    late = invoice(
        contract,
        period,
        kemi_org,
        status="sent",
        invoice_date=today - timedelta(days=30),
        due_date=today - timedelta(days=1),
    )
    invoice(contract, period, kemi_org, status="draft", quarter=2, due_date=today)
    finance_user.email = "finance@example.fi"
    finance_user.save()
    other = user_with_role(Role.FINANCE, "finance2", organisation=tornio_org)
    other.email = "finance2@example.fi"
    other.save()
    return {"contract": contract, "period": period, "late": late}


def test_finance_gets_one_digest_of_its_queue(finance_due, mailoutbox, finance_user):
    reminders_send(today=timezone.localdate())

    assert sorted(m.to[0] for m in mailoutbox) == ["finance2@example.fi", "finance@example.fi"]
    mail = _mail_to(mailoutbox, "finance@example.fi")
    assert f"{settings.SITE_URL}/contracts/invoices/{finance_due['late'].pk}/" in mail.body
    assert "/contracts/runs/" in mail.body  # quarters not invoiced
    assert "status=draft" in mail.body  # drafts to review
    assert f"/contracts/{finance_due['contract'].pk}/" in mail.body  # producer's invoice
    sections = set(
        ReminderSent.objects.filter(user=finance_user).values_list("item_key", flat=True)
    )
    assert {key.split(":")[0] for key in sections} == {
        "contracts.past_due",
        "contracts.not_invoiced",
        "contracts.drafts",
        "contracts.producer_invoice",
    }


def test_finance_is_not_sent_anything_twice(finance_due, mailoutbox):
    today = timezone.localdate()
    reminders_send(today=today)
    mailoutbox.clear()

    assert reminders_send(today=today) == 0
    assert mailoutbox == []


def test_finance_gets_no_digest_when_nothing_is_due(finance_user, mailoutbox):
    finance_user.email = "finance@example.fi"
    finance_user.save()

    assert reminders_send(today=timezone.localdate()) == 0
    assert mailoutbox == []
