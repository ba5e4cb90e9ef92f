"""Kemi's request is matched to a professional family home's unit: the unit proposes it,
Kemi accepts it and records the decision, the unit places the child; the home's free
places drop on its page and on the vacancy board; Kemi reads the provider's public facts."""

from datetime import date

import pytest
from playwright.sync_api import expect

from placements.models import Placement, PlacementRequest
from tests.families.factories import ProviderFactory, ProviderUnitFactory
from tests.placements.factories import ChildFactory, PlacementRequestFactory

pytestmark = pytest.mark.django_db(transaction=True)


def _switch_user(page, login, username):
    page.context.clear_cookies()
    return login(username)


def test_a_request_is_placed_in_a_professional_family_home(
    page, login, assert_accessible, kemi_org, unit_worker, kemi_worker, tornio_worker
):
    home = ProviderFactory(name="Perhekoti Kataja", municipality=kemi_org, places=4)
    unit = ProviderUnitFactory(provider=home, name="Perhekoti", places=2, age_min=0, age_max=17)
    request = PlacementRequestFactory(
        municipality=kemi_org,
        created_by=kemi_worker,
        status=PlacementRequest.Status.SUBMITTED,
        children=[ChildFactory(municipality=kemi_org, first_name="Aleksi", last_name="Kallio")],
    )
    detail = f"/placements/{request.pk}/"

    # the vacancy board and the home's page show two free places
    login("unit")
    page.get_by_role("link", name="Vapaat paikat").first.click()
    expect(page.locator("#provider-vacancies-total")).to_have_text("2")
    assert_accessible(page)
    page.goto(f"/families/providers/{home.pk}/")
    expect(page.locator("#provider-free-places")).to_have_text("2")
    assert_accessible(page)

    # the unit takes the request and proposes the home's unit from the matching page
    page.goto(detail)
    page.get_by_role("button", name="Ota pyyntö ja aloita haku").click()
    page.get_by_role("link", name="Etsi perheitä").click()
    expect(page.locator("#ranked-providers")).to_contain_text("Perhekoti Kataja")
    assert_accessible(page)
    page.get_by_label(f"Ehdota: {unit}").check()
    page.get_by_role("button", name="Ehdota valitut yksiköt").click()
    expect(page.locator("#request-status")).to_have_text("Perheitä ehdotettu")
    assert_accessible(page)

    # kemi accepts it and records the decision
    _switch_user(page, login, "kemi")
    page.goto(detail)
    expect(page.locator("#proposals")).to_contain_text("Perhekoti Kataja")
    assert_accessible(page)
    page.get_by_role("button", name=f"Hyväksy {unit}").click()
    # the confirmation names the unit, not a family
    expect(page.locator("main")).to_contain_text("Yksikön paikat varataan")
    page.get_by_role("button", name="Vahvista: hyväksy yksikkö").click()
    expect(page.locator("#request-status")).to_have_text("Kunta hyväksynyt")
    page.get_by_label("Päätöksen päivämäärä").fill(date.today().isoformat())
    page.get_by_label("Päätöksentekijä").fill("Johtava sosiaalityöntekijä Liisa Lappalainen")
    page.get_by_label("Päätöksen tunniste").fill("LAPHA/2026/321")
    page.get_by_role("button", name="Kirjaa päätös").click()
    page.get_by_role("button", name="Vahvista: kirjaa päätös").click()
    expect(page.locator("#request-status")).to_have_text("Päätös kirjattu")

    # the unit places the child
    _switch_user(page, login, "unit")
    page.goto(detail)
    page.get_by_role("button", name="Aloita sijoitus").click()
    page.get_by_role("button", name="Vahvista: aloita sijoitus").click()
    expect(page.locator("#request-status")).to_have_text("Sijoitettu")
    expect(page.locator("#request-placements")).to_contain_text("Perhekoti Kataja")
    assert_accessible(page)
    assert Placement.objects.get().provider_unit == unit

    # one place fewer on the home's page and on the vacancy board
    page.goto(f"/families/providers/{home.pk}/")
    expect(page.locator("#provider-free-places")).to_have_text("1")
    page.goto("/placements/vacancies/")
    expect(page.locator("#provider-vacancies-total")).to_have_text("1")
    page.locator("#provider-vacancies tbody a").first.click()
    expect(page.get_by_role("link", name="Perhekoti Kataja")).to_be_visible()
    assert_accessible(page)

    # a municipal worker reads the register's public facts
    _switch_user(page, login, "tornio")
    page.get_by_role("link", name="Palveluntuottajat").first.click()
    page.get_by_role("link", name="Perhekoti Kataja").click()
    expect(page.locator("#provider-free-places")).to_have_text("1")
    expect(page.get_by_role("link", name="Muokkaa")).to_have_count(0)
    assert_accessible(page)
