"""The unit opens its work queue, sees the emergency first and follows it to the request;
the queue is accessible and fits a 320 px wide screen."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from placements.models import PlacementRequest, PlacementType

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def requests_waiting(kemi_org, kemi_worker):
    from tests.families.factories import SupervisionVisitFactory
    from tests.placements.factories import ChildFactory, PlacementRequestFactory

    made = {}
    for name, placement_type, urgency in (
        ("normal", PlacementType.SUBSTITUTE_CARE, PlacementRequest.Urgency.NORMAL),
        ("emergency", PlacementType.EMERGENCY, PlacementRequest.Urgency.IMMEDIATE),
    ):
        made[name] = PlacementRequestFactory(
            municipality=kemi_org,
            created_by=kemi_worker,
            children=[ChildFactory(municipality=kemi_org)],
            status=PlacementRequest.Status.SUBMITTED,
            placement_type=placement_type,
            urgency=urgency,
            submitted_at=timezone.now(),
        )
    SupervisionVisitFactory(
        visited_on=timezone.localdate() - timedelta(days=40),
        follow_up_due_on=timezone.localdate() - timedelta(days=3),
    )
    return made


def test_unit_follows_the_emergency_from_its_queue_to_the_request(
    page, login, assert_accessible, requests_waiting, unit_worker
):
    emergency = requests_waiting["emergency"]

    login("unit")
    expect(page.get_by_role("heading", name="Työjonosi")).to_be_visible()
    section = page.locator("#placements-waiting-for-pair")
    heading = section.get_by_role("heading", level=3)
    expect(heading).to_contain_text("Työparia odottavat pyynnöt")
    expect(heading).to_contain_text("2 kohdetta")  # the count is text, not a colour
    # the emergency first, its urgency said in words
    first = section.locator("li").first
    expect(first).to_contain_text("Toimi nyt")
    expect(first).to_contain_text(f"Sijoituspyyntö {emergency.pk}: Kiireellinen sijoitus")
    # the emergency's section comes before the supervision follow-up's
    headings = page.locator("#work-queue h3").all_inner_texts()
    assert headings[0].startswith("Työparia odottavat pyynnöt")
    assert any(h.startswith("Myöhässä olevat valvonnan jälkiseurannat") for h in headings)
    assert_accessible(page)

    # nothing on the page updates by itself, so it has no live region
    expect(page.locator("#work-queue [aria-live]")).to_have_count(0)

    # no horizontal scrolling on a 320 px wide screen
    page.set_viewport_size({"width": 320, "height": 720})
    assert page.evaluate(
        "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    )
    assert_accessible(page)

    first.get_by_role("link").click()
    expect(page).to_have_url(re.compile(rf"/placements/{emergency.pk}/$"))
    expect(page.locator("#request-status")).to_have_text("Lähetetty")
    assert_accessible(page)
