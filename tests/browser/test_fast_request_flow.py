"""A fast emergency request: a municipal worker files one for two siblings not yet in the
register in at most 10 clicks, and it reaches the unit at once; the unit files one that a
municipality phones in."""

import re

import pytest
from playwright.sync_api import expect

from placements.models import Child, PlacementRequest

pytestmark = pytest.mark.django_db(transaction=True)

MAX_CLICKS = 10


class Clicks:
    """Counts what a person clicks (a link, a button, a choice from a list)."""

    def __init__(self):
        self.count = 0

    def click(self, locator):
        self.count += 1
        locator.click()

    def choose(self, locator, value):
        self.count += 1
        locator.select_option(value)


def test_emergency_request_of_two_new_siblings_in_at_most_ten_clicks(
    page, login, assert_accessible, kemi_worker, unit_worker
):
    login("kemi")
    clicks = Clicks()
    clicks.click(page.get_by_role("link", name="Sijoituspyynnöt").first)
    clicks.click(page.get_by_role("link", name="Uusi sijoituspyyntö"))
    assert_accessible(page)
    page.get_by_label("Etunimi").fill("Aino")
    page.get_by_label("Sukunimi").fill("Kivi")
    page.get_by_label("Syntymäaika").fill("2019-03-04")
    clicks.click(page.get_by_role("button", name="Lisää toinen lapsi"))
    second = page.get_by_role("group", name="Uusi lapsi 2")
    expect(page.get_by_role("group", name="Uusi lapsi 1").get_by_label("Etunimi")).to_have_value(
        "Aino"
    )
    assert_accessible(page)
    second.get_by_label("Etunimi").fill("Eino")
    second.get_by_label("Sukunimi").fill("Kivi")
    second.get_by_label("Syntymäaika").fill("2021-05-06")
    clicks.choose(page.get_by_label("Sijoitusmuoto"), "emergency")
    clicks.choose(page.get_by_label("Kiireellisyys"), "immediate")
    clicks.click(page.get_by_role("button", name="Tallenna ja lähetä yksikölle"))
    expect(page.locator("#request-status")).to_have_text("Lähetetty")
    expect(page.get_by_role("heading", level=1)).to_contain_text(
        re.compile(r"Kiireellinen sijoitus: Aino K\. \(\d+ v\) ja 1 sisarus – Kemi")
    )
    assert_accessible(page)
    assert clicks.count <= MAX_CLICKS, clicks.count
    request = PlacementRequest.objects.get()
    assert request.status == PlacementRequest.Status.SUBMITTED
    assert sorted(c.first_name for c in request.children.all()) == ["Aino", "Eino"]

    # the unit finds it on its work queue at once
    page.context.clear_cookies()
    login("unit")
    queue = page.locator("#placements-waiting-for-pair")
    expect(queue).to_contain_text("Kemi")
    assert_accessible(page)
    # and in the request list, with the children's names and filters
    page.get_by_role("link", name="Sijoituspyynnöt").first.click()
    page.get_by_label("Kiireellisyys").select_option("immediate")
    page.get_by_role("button", name="Hae").click()
    expect(page.get_by_role("cell", name="Aino Kivi, Eino Kivi")).to_be_visible()
    assert_accessible(page)


def test_the_unit_files_an_emergency_request_phoned_in_by_a_municipality(
    page, login, assert_accessible, kemi_org, kemi_worker, unit_worker
):
    login("unit")
    page.get_by_role("link", name="Sijoituspyynnöt").first.click()
    page.get_by_role("link", name="Uusi sijoituspyyntö").click()
    page.get_by_label("Pyytävä kunta").select_option(label="Kemi")
    page.get_by_label("Pyynnön esittäjä").fill("Sanna Sosiaali")
    page.get_by_label("Etunimi").fill("Amir")
    page.get_by_label("Sukunimi").fill("Hassan")
    page.get_by_label("Syntymäaika").fill("2010-04-13")
    page.get_by_label("Henkilötunnus").fill("130410A950U")
    page.get_by_label("Sijoitusmuoto").select_option("emergency")
    page.get_by_label("Kiireellisyys").select_option("immediate")
    assert_accessible(page)
    page.get_by_role("button", name="Tallenna ja lähetä yksikölle").click()
    expect(page.locator("#request-status")).to_have_text("Lähetetty")
    expect(page.locator("#filed-by-unit")).to_contain_text("Sanna Sosiaali")
    assert_accessible(page)
    child = Child.objects.get()
    assert (child.municipality, child.identity_code_is_temporary) == (kemi_org, True)

    # Kemi sees it as its own request
    page.context.clear_cookies()
    login("kemi")
    page.get_by_role("link", name="Sijoituspyynnöt").first.click()
    expect(page.get_by_role("cell", name="Amir Hassan")).to_be_visible()
