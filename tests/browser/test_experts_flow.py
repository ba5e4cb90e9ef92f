"""Kemi's worker finds a Swedish-speaking family group conference convener serving
Tornio; the unit logs a joint home visit for a Kemi request; Tornio sees none of it."""

from datetime import date

import pytest
from playwright.sync_api import expect

from experts.models import Consultation, ExpertRole
from placements.models import PlacementRequest
from tests.browser.pickers import pick

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def registers(kemi_org, tornio_org):
    from tests.experts.factories import ExpertFactory, ExpertiseAreaFactory

    area = ExpertiseAreaFactory(name_fi="Läheisneuvonpito", name_sv="Släktrådslag")
    trained = {"convener_trained_on": date(2023, 5, 12), "expertise": [area]}
    swedish = ExpertFactory(
        name="Linnea Forsström",
        roles=[ExpertRole.CONVENER],
        languages=["sv", "fi"],
        serves=[tornio_org],
        availability="iltaisin",
        **trained,
    )
    ExpertFactory(
        name="Pirjo Väisänen", roles=[ExpertRole.CONVENER], serves=[tornio_org], **trained
    )
    ExpertFactory(
        name="Sven Lindqvist", roles=[ExpertRole.CONVENER], languages=["sv"], serves=[kemi_org],
        **trained,
    )  # fmt: skip
    ExpertFactory(
        name="Matti Keskitalo",
        roles=[ExpertRole.WORK_SUPERVISOR],
        languages=["sv"],
        serves=[tornio_org],
    )
    return swedish


@pytest.fixture
def kemi_request(kemi_org, kemi_worker):
    from tests.placements.factories import PlacementRequestFactory

    return PlacementRequestFactory(
        municipality=kemi_org, created_by=kemi_worker, status=PlacementRequest.Status.SUBMITTED
    )


def _switch_user(page, login, username):
    page.context.clear_cookies()
    return login(username)


def test_convener_search_and_a_joint_home_visit(
    page, login, assert_accessible, registers, kemi_request, unit_worker, tornio_worker
):
    # kemi looks for a Swedish-speaking convener for a family in Tornio
    login("kemi")
    page.get_by_role("link", name="Asiantuntijat").first.click()
    expect(page.get_by_role("heading", name="Asiantuntijat")).to_be_visible()
    assert_accessible(page)
    expect(page.get_by_role("link", name="Lisää asiantuntija")).to_have_count(0)
    page.get_by_label("Rekisteri").select_option(label="Läheisneuvonpidon koollekutsuja")
    page.get_by_label("Työkieli").select_option(label="ruotsi")
    page.get_by_label("Palvelee sopimuskuntaa").select_option(label="Tornio")
    page.get_by_role("button", name="Hae").click()
    expect(page.locator(".result-count")).to_have_text("1 asiantuntija")
    experts = page.locator("#experts")
    expect(experts).to_contain_text("Linnea Forsström")
    expect(experts).to_contain_text("ruotsi, suomi")
    assert_accessible(page)
    page.get_by_role("link", name="Linnea Forsström").click()
    expect(page.get_by_role("heading", name="Linnea Forsström")).to_be_visible()
    expect(page.locator("main")).to_contain_text("Koollekutsujakoulutus suoritettu")
    expect(page.locator("main")).to_contain_text("12.5.2023")
    expect(page.get_by_role("link", name="Muokkaa")).to_have_count(0)
    assert_accessible(page)

    # narrow screens: the page itself never scrolls sideways
    page.set_viewport_size({"width": 320, "height": 800})
    page.get_by_role("link", name="Asiantuntijat").first.click()
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    page.set_viewport_size({"width": 1280, "height": 800})

    # the unit logs a joint home visit with Kemi's worker about Kemi's request
    _switch_user(page, login, "unit")
    page.get_by_role("link", name="Konsultaatiot").first.click()
    assert_accessible(page)
    page.get_by_role("link", name="Kirjaa konsultaatio").click()
    assert_accessible(page)
    page.get_by_label("Laji").select_option(label="Yhteinen kotikäynti")
    page.get_by_label("Päivämäärä").fill("2026-10-14")
    page.get_by_label("Kesto (minuuttia)").fill("90")
    page.get_by_label("Palveltu sopimuskunta").select_option(label="Kemi")
    worker = kemi_request.created_by
    pick(page, "Kunnan sosiaalityöntekijä", worker.last_name, f"{worker}, Kemi")
    pick(page, "Sijoituspyyntö", "Kemi", f"Sijoituspyyntö {kemi_request.pk}, Kemi", keyboard=True)
    pick(page, "Mukana olleet asiantuntijat", "Linnea", "Linnea Forsström")
    expect(page.get_by_label("Linnea Forsström")).to_be_checked()
    page.get_by_label("Huomautus").fill("Kotikäynti työparina, sovittiin seuraavasta.")
    page.get_by_role("button", name="Tallenna").click()
    expect(page.get_by_role("heading", name="Yhteinen kotikäynti 14.10.2026")).to_be_visible()
    facts = page.locator("#consultation-facts")
    expect(facts).to_contain_text("90 minuuttia")
    expect(facts).to_contain_text(f"Sijoituspyyntö {kemi_request.pk}")
    expect(facts).to_contain_text("Linnea Forsström")
    assert_accessible(page)
    consultation = Consultation.objects.get()
    assert consultation.kind == Consultation.Kind.HOME_VISIT
    assert consultation.placement_request == kemi_request

    page.get_by_role("link", name="Konsultaatiot").first.click()
    page.get_by_role("link", name="Neljännesvuosittaiset määrät").click()
    page.get_by_label("Vuosi", exact=True).select_option("2026")
    page.get_by_role("button", name="Näytä").click()
    expect(page.locator("#totals")).to_contain_text("1 / 1,50")
    assert_accessible(page)

    # kemi sees the consultation; tornio does not
    _switch_user(page, login, "kemi")
    page.get_by_role("link", name="Konsultaatiot").first.click()
    expect(page.locator("#consultations")).to_contain_text("Yhteinen kotikäynti")
    assert_accessible(page)
    _switch_user(page, login, "tornio")
    page.get_by_role("link", name="Konsultaatiot").first.click()
    expect(page.get_by_text("Ei konsultaatioita.")).to_be_visible()
    assert page.goto(f"/experts/consultations/{consultation.pk}/").status == 404
