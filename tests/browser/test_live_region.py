"""After an htmx update the shared live region says what happened, in the reader's
language, and focus stays on the control the user pressed (or its replacement)."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.django_db(transaction=True)

TEXTS = {
    "fi": {"status": r"Tilaksi muutettiin ”.+”", "member": "Kotona asuva henkilö lisättiin."},
    "sv": {
        "status": r"Statusen ändrades till ”.+”",
        "member": "Personen som bor i hemmet lades till.",
    },
}


def _focused_id(page) -> str:
    return page.evaluate("document.activeElement && document.activeElement.id")


@pytest.mark.parametrize("language", ["fi", "sv"])
def test_status_change_and_household_member_are_announced_and_keep_focus(
    language, page, login, live_server, unit_worker, kemi_org
):
    from tests.families.factories import FamilyFactory

    family = FamilyFactory(name="Aho", status="inquiry", home_municipality=kemi_org)
    login("unit")
    page.context.add_cookies(
        [{"name": "django_language", "value": language, "url": live_server.url}]
    )
    page.goto(f"/families/{family.pk}/")
    live = page.locator("#live-status")
    expect(live).to_be_empty()

    # the status: the next step is preselected; the button is pressed by keyboard
    page.locator("#status-change-button").focus()
    page.keyboard.press("Enter")
    status = page.get_by_role("status").filter(has_text=re.compile(TEXTS[language]["status"]))
    expect(status).to_have_count(1)
    expect(live).to_have_text(re.compile(TEXTS[language]["status"]))
    assert _focused_id(page) == "status-change-button"

    # a household member: the form is replaced, focus is on the new form's button
    section = page.locator("#household-section")
    section.locator("[name=description]").fill("Lapsi")
    section.locator("[name=birth_year]").fill("2020")
    section.locator("#household-add").click()
    expect(page.get_by_role("status").filter(has_text=TEXTS[language]["member"])).to_have_count(1)
    expect(section).to_contain_text("Lapsi, 2020")
    assert _focused_id(page) == "household-add"


def test_invoice_documents_appear_and_are_announced_without_a_reload(
    page, login, finance_user, settings, tmp_path
):
    from contracts.invoicing import invoicing_run_execute
    from contracts.models import Invoice, InvoicingRun
    from contracts.tasks import invoice_documents_render
    from tests.contracts.factories import seed_contract

    settings.MEDIA_ROOT = tmp_path
    seed_contract()
    invoicing_run_execute(run_id=InvoicingRun.objects.create(year=2025, quarter=1).pk)
    invoice = Invoice.objects.order_by("number").first()
    # issued, its documents not rendered yet (the Celery worker has not come round)
    Invoice.objects.filter(pk=invoice.pk).update(status=Invoice.Status.ISSUED)
    login("finance")
    page.goto(f"/contracts/invoices/{invoice.pk}/")
    breadcrumb = page.locator(".breadcrumbs a").first
    breadcrumb.focus()
    expect(page.locator("#invoice-documents")).to_have_attribute("hx-trigger", "every 2s")

    invoice_documents_render.apply(args=[invoice.pk]).get()

    expect(page.get_by_role("status").filter(has_text="Asiakirjat ovat valmiit.")).to_have_count(1)
    expect(page.locator("#invoice-documents a").first).to_be_visible()
    expect(page.locator("#invoice-documents")).not_to_have_attribute("hx-trigger", "every 2s")
    assert page.evaluate("document.activeElement.closest('.breadcrumbs') !== null")
