"""Finance makes the steering group's quarterly report of the demo contract, watches it
finish and downloads it; a municipal worker cannot open it."""

import sys

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from contracts import demo as contracts_demo
from fostercare import demo as fostercare_demo
from fostercare.celery import app as celery_app
from reports.models import Report

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


def test_finance_makes_and_downloads_the_quarterly_report(
    page, login, assert_accessible, demo_contracts, eager_celery
):
    login("finance")
    page.get_by_role("link", name="Raportit").first.click()
    expect(page.get_by_role("heading", name="Raportit", level=1)).to_be_visible()
    assert_accessible(page)

    page.get_by_role("combobox", name="Raportti").select_option("steering")
    page.get_by_role("combobox", name="Sopimus").select_option(
        label="Länsi-Pohjan sijais- ja tukiperhetyö"
    )
    page.get_by_role("spinbutton", name="Vuosi").fill("2026")
    page.get_by_role("combobox", name="Vuosineljännes").select_option("2")
    page.get_by_role("combobox", name="Raportin kieli").select_option("fi")
    page.get_by_role("button", name="Laadi raportti").click()

    expect(page.locator("#report-progress")).to_contain_text("Valmis")
    expect(page.get_by_role("heading", name="Hoitovuorokaudet sopimuskunnittain")).to_be_visible()
    expect(page.locator("svg.chart").first).to_be_visible()
    assert_accessible(page)

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Lataa PDF").click()
    text = " ".join(p.extract_text() for p in PdfReader(download_info.value.path()).pages)
    assert "Ohjausryhmän neljännesvuosiraportti Q2/2026" in text
    assert "Kaavio: Hoitovuorokaudet sopimuskunnittain" in text and "Kemi" in text

    page.get_by_role("link", name="Raportit").first.click()
    expect(
        page.get_by_role("link", name="Lataa Ohjausryhmän neljännesvuosiraportti Q2/2026")
    ).to_be_visible()
    assert_accessible(page)

    # a municipal worker gets 404 for the steering group's report
    report = Report.objects.get()
    page.get_by_role("button", name="Kirjaudu ulos").click()
    login("kemi")
    response = page.goto(f"/reports/{report.pk}/")
    assert response.status == 404
