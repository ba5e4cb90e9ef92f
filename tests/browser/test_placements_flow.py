"""Kemi asks for an emergency placement of two siblings; the unit proposes two families;
Kemi accepts one and records the decision; the placement starts; Tornio sees none of it."""

import re
from datetime import date

import pytest
from playwright.sync_api import expect

from families.models import Family
from placements.models import Child, Placement, PlacementRequest
from tests.browser.pickers import pick

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def families(kemi_org, tornio_org):
    from tests.placements.factories import ReadyFamilyFactory

    # trained, home study approved, two carers whose criminal-record extracts were seen
    return [
        ReadyFamilyFactory(
            name=name,
            kind=Family.Kind.RECEPTION,
            status=Family.Status.APPROVED,
            places=2,
            home_municipality=kemi_org,
            pre_service_training_completed_on=date(2022, 5, 1),
        )
        for name in ("Aalto", "Björk")  # the register keeps surnames; pages say "Perhe Aalto"
    ]


def _switch_user(page, login, username):
    page.context.clear_cookies()
    return login(username)


def test_emergency_request_from_submission_to_placement(
    page, login, assert_accessible, families, unit_worker, kemi_worker, tornio_worker
):
    aalto, _bjork = families

    # kemi adds the two siblings
    login("kemi")
    for first, born in (("Eetu", "2019-03-04"), ("Emma", "2022-01-15")):
        page.get_by_role("link", name="Lapset").first.click()
        assert_accessible(page)
        page.get_by_role("link", name="Lisää lapsi").click()
        page.get_by_label("Etunimi").fill(first)
        page.get_by_label("Sukunimi").fill("Esimerkki")
        page.get_by_label("Syntymäaika").fill(born)
        if first == "Emma":  # sibling: searched, then a checked box
            pick(page, "Sisarukset", "Eetu", "Eetu Esimerkki")
            expect(page.get_by_label("Eetu Esimerkki")).to_be_checked()
        assert_accessible(page)
        page.get_by_role("button", name="Tallenna").click()
        expect(page.get_by_role("heading", name=f"{first} Esimerkki")).to_be_visible()
    assert_accessible(page)

    # ...and submits an emergency request for them
    page.get_by_role("link", name="Sijoituspyynnöt").first.click()
    page.get_by_role("link", name="Uusi sijoituspyyntö").click()
    assert_accessible(page)
    pick(page, "Lapset", "Eetu", "Eetu Esimerkki")
    pick(page, "Lapset", "emma esim", "Emma Esimerkki", keyboard=True)
    expect(page.get_by_label("Eetu Esimerkki")).to_be_checked()
    expect(page.get_by_label("Emma Esimerkki")).to_be_checked()
    page.get_by_label("Sijoitusmuoto").select_option("emergency")
    page.get_by_label("Kiireellisyys").select_option("immediate")
    page.get_by_role("button", name="Tallenna luonnoksena").click()
    expect(page.locator("#request-status")).to_have_text("Luonnos")
    page.get_by_role("button", name="Lähetä yksikölle").click()
    expect(page.locator("#request-status")).to_have_text("Lähetetty")
    assert_accessible(page)
    request = PlacementRequest.objects.get()
    detail = f"/placements/{request.pk}/"

    # the unit takes it and proposes both families
    _switch_user(page, login, "unit")
    page.get_by_role("link", name="Sijoituspyynnöt").first.click()
    expect(page.get_by_role("cell", name="Välitön (tänään)")).to_be_visible()
    assert_accessible(page)
    page.get_by_role(
        "link", name=re.compile(r"Kiireellinen sijoitus: Eetu E\. \(\d+ v\) ja 1 sisarus")
    ).click()
    page.get_by_role("button", name="Ota pyyntö ja aloita haku").click()
    expect(page.locator("#request-status")).to_have_text("Haussa")
    page.get_by_role("link", name="Etsi perheitä").click()
    expect(page.get_by_role("heading", name="Sopivat perheet", exact=True)).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Ehdota: Perhe Aalto").check()
    page.get_by_label("Ehdota: Perhe Björk").check()
    page.get_by_role("button", name="Ehdota valitut perheet").click()
    expect(page.locator("#request-status")).to_have_text("Perheitä ehdotettu")
    assert_accessible(page)

    # kemi accepts one, records the decision and starts the placement
    _switch_user(page, login, "kemi")
    page.goto(detail)
    proposals = page.locator("#proposals")
    expect(proposals).to_contain_text("Perhe Björk")
    assert_accessible(page)
    page.get_by_role("button", name="Hyväksy Perhe Aalto").click()
    assert_accessible(page)  # the confirmation: accepting cannot be undone
    page.get_by_role("button", name="Vahvista: hyväksy perhe").click()
    expect(page.locator("#request-status")).to_have_text("Kunta hyväksynyt")
    page.get_by_label("Päätöksen päivämäärä").fill(date.today().isoformat())
    page.get_by_label("Päätöksentekijä").fill("Johtava sosiaalityöntekijä Liisa Lappalainen")
    page.get_by_label("Päätöksen tunniste").fill("LAPHA/2026/123")
    assert_accessible(page)
    page.get_by_role("button", name="Kirjaa päätös").click()
    page.get_by_role("button", name="Vahvista: kirjaa päätös").click()
    expect(page.locator("#request-status")).to_have_text("Päätös kirjattu")
    page.get_by_role("button", name="Aloita sijoitus").click()
    page.get_by_role("button", name="Vahvista: aloita sijoitus").click()
    expect(page.locator("#request-status")).to_have_text("Sijoitettu")
    placements = page.locator("#request-placements")
    expect(placements).to_contain_text("Perhe Aalto")
    expect(placements).to_contain_text("30 päivää jäljellä 30:stä")
    expect(page.locator(".timeline li")).to_have_count(7)
    assert_accessible(page)
    page.get_by_role("link", name="Sijoitukset").first.click()
    expect(page.locator("#placements")).to_contain_text("Emma Esimerkki")
    assert_accessible(page)
    assert Placement.objects.filter(family=aalto, ended_on__isnull=True).count() == 2

    # the family's free places dropped from two to none
    _switch_user(page, login, "unit")
    page.goto(f"/families/{aalto.pk}/")
    expect(page.locator("dt:has-text('Vapaat paikat') + dd")).to_have_text("0")
    page.get_by_role("link", name="Vapaat paikat").first.click()
    assert_accessible(page)

    # tornio sees none of it
    _switch_user(page, login, "tornio")
    page.get_by_role("link", name="Sijoituspyynnöt").first.click()
    expect(page.get_by_text("Ei sijoituspyyntöjä.")).to_be_visible()
    assert page.goto(detail).status == 404
    for child in Child.objects.all():
        assert page.goto(f"/placements/children/{child.pk}/").status == 404
    for family in families:  # the families proposed to Kemi, and the one accepted
        assert page.goto(f"/placements/families/{family.pk}/").status == 404
    page.goto("/placements/placements/")
    expect(page.get_by_text("Ei sijoituksia.")).to_be_visible()
    expect(page.get_by_text(re.compile("Esimerkki"))).to_have_count(0)
