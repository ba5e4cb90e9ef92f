"""A unit worker creates a family, finds it with the filters and changes its status."""

import re

import pytest
from playwright.sync_api import expect

from fostercare.models import AccessLogEntry

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def register_data(unit_worker, kemi_org, tornio_org):
    from tests.families.factories import CarerFactory, FamilyFactory, ProviderFactory

    FamilyFactory(name="Aho", home_municipality=kemi_org, languages=["fi"])
    # approved, trained and with room: one the children's-ages search can offer now
    FamilyFactory(
        name="Valmis",
        kind="reception",
        home_municipality=kemi_org,
        languages=["fi", "sv"],
        places=2,
        pre_service_training_completed_on="2025-05-01",
    )
    CarerFactory(family__name="Salo", family__home_municipality=tornio_org)
    ProviderFactory(name="Perhekoti Pihlaja", municipality=tornio_org)


def test_unit_worker_creates_finds_and_changes_status_of_a_family(
    page, login, assert_accessible, register_data
):
    login("unit")
    assert_accessible(page)

    page.get_by_role("link", name="Perheet").first.click()
    expect(page.get_by_role("heading", name="Perheet")).to_be_visible()
    assert_accessible(page)

    # create
    page.get_by_role("link", name="Lisää perhe").click()
    assert_accessible(page)
    page.get_by_role("button", name="Tallenna").click()
    expect(page.locator(".errorlist").first).to_be_visible()  # required fields explained
    assert_accessible(page)
    page.get_by_label("Perheen nimi").fill("Perhe Testinen")
    page.get_by_label("Laji").select_option("reception")
    page.get_by_label("Kotikunta").select_option(label="Kemi")
    page.get_by_label("Tarjotut paikat").fill("2")
    page.get_by_label("Nuorin hyväksytty ikä").fill("3")
    page.get_by_label("Vanhin hyväksytty ikä").fill("12")
    page.get_by_label("Ruotsi").check()
    page.get_by_role("button", name="Tallenna").click()
    expect(page.get_by_role("heading", name="Perhe Testinen")).to_be_visible()
    assert_accessible(page)

    # the filters: a 7- and a 4-year-old, Swedish-speaking, in Kemi, find only families
    # that could take them now; the new family is an inquiry, so it is not offered
    page.get_by_role("link", name="Perheet").first.click()
    page.get_by_label("Laji").select_option("reception")
    page.get_by_label("Kunta").select_option(label="Kemi")
    page.get_by_label("Lasten iät").fill("7, 4")
    page.get_by_label("Perheen kieli").select_option("sv")
    page.get_by_role("button", name="Hae").click()
    results = page.locator("#results")
    expect(results.get_by_role("link", name="Perhe Valmis")).to_be_visible()
    expect(results.get_by_role("link", name="Perhe Testinen")).to_have_count(0)
    expect(results.get_by_role("link", name="Perhe Aho")).to_have_count(0)
    expect(page).to_have_url(re.compile(r"ages=7"))
    assert_accessible(page)

    # ...and by name it is found
    page.get_by_label("Lasten iät").fill("")
    page.get_by_label("Nimi").fill("Testinen")
    page.get_by_role("button", name="Hae").click()
    expect(results.get_by_role("link", name="Perhe Testinen")).to_be_visible()

    # change its status (htmx, no reload)
    results.get_by_role("link", name="Perhe Testinen").click()
    page.get_by_label("Uusi tila").select_option("in_training")
    page.get_by_label("Perustelu").fill("Aloittaa PRIDE-valmennuksen")
    page.get_by_role("button", name="Vaihda tila").click()
    history = page.locator(".timeline")
    expect(history).to_contain_text("Aloittaa PRIDE-valmennuksen")
    expect(page.locator("#status-section .badge")).to_have_text("Valmennuksessa")
    assert_accessible(page)
    assert AccessLogEntry.objects.filter(object_repr="Perhe Testinen").exists()

    # the legal capacity (htmx): two places + two small children fill the four of 7 §
    household = page.locator("#household-section")
    for child in ("Oma lapsi 1", "Oma lapsi 2", "Oma lapsi 3"):
        household.get_by_label("Kuvaus").fill(child)
        household.get_by_label("Syntymävuosi").fill("2024")
        household.get_by_role("button", name="Lisää", exact=True).click()
        if child != "Oma lapsi 3":
            expect(household.get_by_role("listitem").filter(has_text=child).first).to_be_visible()
    expect(household.get_by_role("alert")).to_contain_text("perhehoitolaki sallii 4")
    assert_accessible(page)


def test_language_switches_to_swedish_and_back(page, login, assert_accessible, unit_worker):
    login("unit")
    # the switch is three visible links: Suomi | Svenska | English
    page.get_by_role("button", name="Svenska", exact=True).click()
    expect(page.locator("html")).to_have_attribute("lang", "sv")
    nav = page.get_by_role("navigation", name="Huvudmeny")
    expect(nav.get_by_role("link", name="Familjer", exact=True)).to_be_visible()
    nav.get_by_role("link", name="Familjer", exact=True).click()
    expect(page.get_by_role("heading", name="Familjer")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("button", name="English", exact=True).click()
    expect(page.get_by_role("heading", name="Families")).to_be_visible()

    # the choice is the user's: a new login, on a Finnish login page, comes back English
    page.get_by_role("button", name="Log out").click()
    page.context.clear_cookies()
    login("unit")
    expect(page.locator("html")).to_have_attribute("lang", "en")


def test_providers_and_supervision_visits(page, login, assert_accessible, register_data):
    login("unit")
    page.goto("/families/providers/")
    assert_accessible(page)
    page.get_by_role("link", name="Perhekoti Pihlaja").click()
    page.get_by_label("Käynnin päivä").fill("2026-11-02")
    page.get_by_label("Käynnillä olleet").fill("Ulla Unitinen")
    page.get_by_label("Havainnot").fill("Lääkekaappi lukitsematta.")
    page.get_by_label("Jatkotoimet viimeistään").fill("2026-12-01")
    page.get_by_role("button", name="Tallenna käynti").click()
    expect(page.locator("#visits-section")).to_contain_text("Lääkekaappi lukitsematta.")
    assert_accessible(page)


def test_municipal_worker_is_refused_the_register(page, login, kemi_worker):
    login("kemi")
    response = page.goto("/families/")
    assert response.status == 403
    expect(page.get_by_role("heading", name="Ei käyttöoikeutta")).to_be_visible()
