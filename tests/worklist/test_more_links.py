"""A section's "and N more" links to its list page filtered to the section's items,
where the list has such a filter."""

from datetime import timedelta
from html import unescape

import pytest
from django.urls import reverse
from django.utils import timezone

import fostercare.worklist
from placements.models import PlacementRequest, PlacementType
from tests.contracts.factories import ContractFactory, ContractPeriodFactory
from tests.families.factories import CarerFactory, FamilyFactory
from tests.placements.factories import ChildFactory, PlacementFactory, PlacementRequestFactory
from tests.worklist.conftest import AVAILABLE, days_ago, invoice

S = PlacementRequest.Status


@pytest.fixture(autouse=True)
def one_item_shown(monkeypatch):
    monkeypatch.setattr(fostercare.worklist, "ITEMS_SHOWN_PER_SECTION", 1)


def _more_link(client, section_id: str) -> str | None:
    """The href of the section's "and N more" paragraph, None if it has no link."""
    from lxml import html

    page = html.fromstring(client.get(reverse("home")).content)
    more = page.xpath(f'//section[@id="{section_id}"]//p[contains(., "more")]')
    assert more, f"no 'and N more' in {section_id}"
    links = more[0].xpath(".//a/@href")
    return unescape(links[0]) if links else None


def _listed(client, url: str) -> int:
    response = client.get(url)
    assert response.status_code == 200
    return response.context["page"].paginator.count


def test_requests_waiting_for_a_pair_and_proposals(client_for, unit_worker, kemi_org, kemi_worker):
    for status in (S.SUBMITTED, S.SUBMITTED, S.PROPOSED, S.PROPOSED, S.PROPOSED, S.DRAFT):
        PlacementRequestFactory(
            municipality=kemi_org,
            created_by=kemi_worker,
            status=status,
            submitted_at=timezone.now(),
        )
    client = client_for(unit_worker)

    waiting = _more_link(client, "placements-waiting-for-pair")
    proposed = _more_link(client, "placements-proposed")

    assert waiting == "/placements/?status=submitted"
    assert _listed(client, waiting) == 2
    assert proposed == "/placements/?status=proposed"
    assert _listed(client, proposed) == 3


def test_emergency_placements(client_for, unit_worker, kemi_org):
    for started in (20, 25, 31):
        PlacementFactory(
            child=ChildFactory(municipality=kemi_org),
            placement_type=PlacementType.EMERGENCY,
            started_on=days_ago(started),
        )
    PlacementFactory(child=ChildFactory(municipality=kemi_org), started_on=days_ago(40))
    client = client_for(unit_worker)

    url = _more_link(client, "placements-emergency")

    assert url == "/placements/placements/?placement_type=emergency"
    assert _listed(client, url) == 3
    assert _listed(client, "/placements/placements/") == 4


def test_invoices_past_due_and_drafts(client_for, finance_user, tornio_org, kemi_org):
    today = timezone.localdate()
    contract = ContractFactory(issuer=tornio_org, members=[tornio_org, kemi_org])
    period = ContractPeriodFactory(contract=contract)
    for quarter, status, due in (
        (1, "sent", today - timedelta(days=3)),
        (2, "issued", today - timedelta(days=1)),
        (3, "issued", today),  # due today: not yet past due
        (4, "paid", today - timedelta(days=30)),
    ):
        invoice(contract, period, kemi_org, status=status, quarter=quarter, due_date=due)
    for quarter in (1, 2):
        invoice(contract, period, kemi_org, status="draft", year=2026, quarter=quarter)
    client = client_for(finance_user)

    past_due = _more_link(client, "contracts-past-due")
    drafts = _more_link(client, "contracts-drafts")

    assert past_due == "/contracts/invoices/?past_due=on"
    assert _listed(client, past_due) == 2
    assert drafts == "/contracts/invoices/?status=draft"
    assert _listed(client, drafts) == 2


def test_a_section_without_a_filter_on_its_list_counts_the_rest_without_a_link(
    client_for, unit_worker
):
    for _ in range(2):
        CarerFactory(family=FamilyFactory(**{**AVAILABLE, "status": "active"}))

    assert _more_link(client_for(unit_worker), "families-checks") is None


def test_inquiries_not_contacted(client_for, unit_worker, settings):
    from training.models import Inquiry

    days = settings.WORKLIST_INQUIRY_CONTACT_DAYS
    for age, stage in (
        (days, "new"),
        (days + 5, "new"),
        (days - 1, "new"),
        (days + 5, "contacted"),
    ):
        received = timezone.now() - timedelta(days=age)
        Inquiry.objects.create(
            family=FamilyFactory(), language="fi", consent_given_at=received, stage=stage
        )
        Inquiry.objects.filter(pk=Inquiry.objects.latest("pk").pk).update(created_at=received)
    client = client_for(unit_worker)

    url = _more_link(client, "training-inquiries")

    assert url == "/training/inquiries/?not_contacted=on"
    assert _listed(client, url) == 2
