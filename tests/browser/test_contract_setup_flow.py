"""Finance sets a contract up on the pages — parties, administering member, a period by
population with state funding — runs its first quarter, reviews the totals, confirms,
issues and downloads an invoice; the contract page shows who changed what. axe-clean."""

import sys

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from contracts.models import Contract, Invoice
from fostercare import demo as fostercare_demo
from fostercare.celery import app as celery_app
from tests.browser.pickers import pick

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def demo_members(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    fostercare_demo.seed(sys.stdout)  # members, populations of 2024, users; no contracts


@pytest.fixture
def eager_celery():
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = False


def test_finance_sets_up_a_contract_and_invoices_its_first_quarter(
    page, login, assert_accessible, demo_members, eager_celery
):
    login("finance")
    page.get_by_role("link", name="Sopimukset").first.click()
    page.get_by_role("link", name="Uusi palvelusopimus").click()
    expect(page.get_by_role("heading", name="Uusi palvelusopimus")).to_be_visible()
    assert_accessible(page)

    # the administering member outside the parties: refused, nothing saved
    page.get_by_label("Nimi").fill("Perheneuvolan ostopalvelu")
    pick(page, "Sopimusosapuolet", "Kemi")
    pick(page, "Sopimusosapuolet", "Simo", keyboard=True)
    page.get_by_label("Hallinnoiva jäsen").select_option(label="Tornio")
    page.get_by_label("Laskuttajan IBAN").fill("FI21 1234 5600 0007 85")
    page.get_by_label("Laskuttajan BIC").fill("NDEAFIHH")
    page.get_by_role("button", name="Tallenna sopimus").click()
    expect(page.locator("form.form")).to_contain_text("Hallinnoivan jäsenen on oltava yksi")
    assert not Contract.objects.exists()
    assert_accessible(page)

    expect(page.get_by_label("Kemi", exact=True)).to_be_checked()  # kept after the error
    pick(page, "Sopimusosapuolet", "Tornio")
    page.get_by_role("button", name="Tallenna sopimus").click()
    expect(page.get_by_role("heading", name="Uusi sopimuskausi")).to_be_visible()
    assert_accessible(page)

    page.get_by_label("Alkaa").fill("2025-01-01")
    page.get_by_label("Päättyy").fill("2025-12-31")
    page.get_by_label("Vuosikustannus (€)").fill("40000")
    page.get_by_label("Jakoperuste").select_option("population")
    page.get_by_label("Asukasluvun tarkastelupäivä").fill("2024-12-31")
    page.get_by_label("Valtionrahoitus vuodessa (€)").fill("10000")
    page.get_by_role("button", name="Tallenna kausi").click()
    allocation = page.locator("table.allocation").first
    expect(allocation.locator("tfoot")).to_contain_text("30\u00a0000,00")
    # the history loads when its section comes into view
    page.locator("#contract-history").scroll_into_view_if_needed()
    expect(page.locator("#contract-history ol")).to_contain_text("Fanni")
    assert_accessible(page)

    # run Q1/2025, review the drafts' totals, confirm and issue
    page.get_by_role("link", name="Sopimukset").first.click()
    page.get_by_role("link", name="Neljännesvuosilaskutus").click()
    page.get_by_role("spinbutton", name="Vuosi").fill("2025")
    page.get_by_role("combobox", name="Vuosineljännes").select_option("1")
    page.get_by_role("button", name="Käynnistä laskutus").click()
    expect(page.locator("#run-progress")).to_contain_text("2 laskua luotu")
    page.get_by_role("link", name="Tarkasta laskut Q1/2025").click()
    page.get_by_role("link", name="Tarkista ja vahvista kaikki Q1/2025 luonnokset").click()
    expect(page.get_by_role("status").filter(has_text="2 luonnosta, yhteensä")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("checkbox", name="Olen tarkistanut luonnokset").check()
    page.get_by_role("button", name="Vahvista 2 luonnosta").click()
    # the drafts are issued in the background; the page shows how far it has got
    progress = page.locator("#issuing-progress")
    expect(progress).to_contain_text("2 / 2 luonnosta käsitelty, 2 vahvistettu.")
    expect(progress).to_contain_text("2 luonnosta vahvistettiin.")
    assert not Invoice.objects.filter(status="draft").exists()
    assert_accessible(page)
    progress.get_by_role("link", name="Tarkasta laskut Q1/2025").click()

    kemi = Invoice.objects.get(member__code="240")
    page.locator(f"a[href='/contracts/invoices/{kemi.pk}/']").click()
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Lataa PDF").click()
    text = " ".join(p.extract_text() for p in PdfReader(download_info.value.path()).pages)
    assert "Kemin kaupunki" in text and kemi.reference in text.replace(" ", "")
