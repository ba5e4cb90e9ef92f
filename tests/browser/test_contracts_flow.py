"""Finance opens the demo contract, runs invoicing for a quarter, issues the drafts and
downloads a PDF; a unit worker reads; a municipal worker is refused."""

import sys

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from contracts import demo as contracts_demo
from contracts.models import Invoice
from fostercare import demo as fostercare_demo
from fostercare.celery import app as celery_app

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def demo_contracts(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    fostercare_demo.seed(sys.stdout)
    contracts_demo.seed(sys.stdout)


@pytest.fixture
def eager_celery():
    """The live server runs queued tasks at once, as a worker would."""
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = False


def test_finance_runs_issues_and_downloads_a_quarter(
    page, login, assert_accessible, demo_contracts, eager_celery
):
    login("finance")
    page.get_by_role("link", name="Sopimukset").first.click()
    expect(page.get_by_role("heading", name="Palvelusopimukset")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Lastensuojelun erityispalveluiden").click()
    allocation = page.locator("table.allocation").first
    expect(allocation).to_contain_text("Kemi")
    expect(allocation.locator("tfoot")).to_contain_text("48\u00a0000,00")
    expect(page.get_by_role("note")).to_contain_text("99,9 %")
    assert_accessible(page)

    # what-if: the same table by population (htmx, no reload)
    page.get_by_role("combobox", name="Jakoperuste").select_option("population")
    page.get_by_role("button", name="Vertaa").click()
    expect(page.locator("#whatif table")).to_contain_text("Asukasluku 2024")
    assert_accessible(page)

    # run invoicing for Q2/2026 and watch it finish
    page.get_by_role("link", name="Sopimukset").first.click()
    page.get_by_role("link", name="Neljännesvuosilaskutus").click()
    assert_accessible(page)
    page.get_by_role("spinbutton", name="Vuosi").fill("2026")
    page.get_by_role("combobox", name="Vuosineljännes").select_option("2")
    page.get_by_role("button", name="Käynnistä laskutus").click()
    expect(page.locator("#run-progress")).to_contain_text("Valmis")
    expect(page.locator("#run-progress")).to_contain_text("10 laskua luotu")
    assert_accessible(page)

    # review and issue the drafts
    page.get_by_role("link", name="Tarkasta laskut Q2/2026").click()
    expect(page.locator(".result-count")).to_contain_text("10 laskua")
    assert_accessible(page)
    page.get_by_role("link", name="Tarkista ja vahvista kaikki Q2/2026 luonnokset").click()
    expect(page.get_by_role("status").filter(has_text="10 luonnosta, yhteensä")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("checkbox", name="Olen tarkistanut luonnokset").check()
    page.get_by_role("button", name="Vahvista 10 luonnosta").click()
    # the drafts are issued in the background (here at once): the page shows the
    # progress in a status region, then the result and the way to the issued invoices
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Neljänneksen Q2/2026 luonnosten vahvistaminen"
    )
    progress = page.get_by_role("status").filter(has_text="luonnosta käsitelty")
    expect(progress).to_contain_text("10 / 10 luonnosta käsitelty, 10 vahvistettu.")
    expect(progress).to_contain_text("10 luonnosta vahvistettiin.")
    expect(progress).to_contain_text("Valmis")
    assert not Invoice.objects.filter(year=2026, quarter=2, status="draft").exists()
    assert_accessible(page)
    progress.get_by_role("link", name="Tarkasta laskut Q2/2026").click()
    expect(page.locator(".result-count")).to_contain_text("10 laskua")
    expect(page.locator("table").first).to_contain_text("Vahvistettu")
    assert_accessible(page)

    # open Kemi's invoice of the first contract and download its PDF
    kemi = Invoice.objects.filter(year=2026, quarter=2, member__code="240").order_by("number")[0]
    page.locator(f"a[href='/contracts/invoices/{kemi.pk}/']").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Kemi")
    assert_accessible(page)
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Lataa PDF").click()
    pdf = download_info.value
    text = " ".join(p.extract_text() for p in PdfReader(pdf.path()).pages)
    assert "Kemi" in text and kemi.reference in text.replace(" ", "")


def test_unit_worker_reads_contracts_but_cannot_run_invoicing(
    page, login, assert_accessible, demo_contracts
):
    login("unit")
    page.get_by_role("link", name="Laskut").first.click()
    expect(page.get_by_role("heading", name="Laskut")).to_be_visible()
    assert_accessible(page)
    page.goto("/contracts/runs/")
    expect(page.get_by_role("button", name="Käynnistä laskutus")).to_have_count(0)
    assert_accessible(page)


def test_municipal_worker_is_refused_contracts(page, login, demo_contracts):
    login("kemi")
    response = page.goto("/contracts/")
    assert response.status == 403
    expect(page.get_by_role("heading", name="Ei käyttöoikeutta")).to_be_visible()
