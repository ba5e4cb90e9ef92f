"""Recruitment and training in the browser: the public inquiry form, and a unit worker who
takes a family through PRIDE to "approved, in reserve"."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from families.models import Family
from training.models import Attendance, Inquiry

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_person_sends_the_public_inquiry_form(page, assert_accessible, kemi_org):
    page.goto("/training/inquiry/")
    expect(page.get_by_role("heading", name="Ryhdy sijais- tai tukiperheeksi")).to_be_visible()
    expect(page.get_by_role("heading", name="Miten käsittelemme tietojasi")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("button", name="Lähetä yhteydenotto").click()
    expect(page.locator(".errorlist").first).to_be_visible()
    # at the field, and in the error summary as a link to the field (which takes focus)
    message = "Voimme käsitellä yhteydenoton vain suostumuksellasi."
    expect(page.get_by_text(message, exact=True)).to_be_visible()
    expect(page.locator("[data-error-summary]")).to_be_focused()
    expect(page.locator("[data-error-summary] a[href='#id_consent']")).to_contain_text(message)
    assert_accessible(page)
    assert not Family.objects.exists()

    page.get_by_label("Olen kiinnostunut ryhtymään").select_option("support")
    page.get_by_label("Etunimi").fill("Sanna")
    page.get_by_label("Sukunimi").fill("Ylikangas")
    page.get_by_label("Syntymävuosi").fill("1984")
    page.get_by_label("Sähköposti").fill("sanna@example.fi")
    page.get_by_label("Puhelin").fill("040 123 4567")
    page.get_by_label("Kotikunta").select_option(label="Kemi")
    page.get_by_label("Mitä haluaisit kertoa tai kysyä?").fill("Voisimmeko olla tukiperhe?")
    page.get_by_role("checkbox", name=re.compile("Hyväksyn")).check()
    page.get_by_role("button", name="Lähetä yhteydenotto").click()

    expect(page.get_by_role("heading", name="Kiitos yhteydenotostasi")).to_be_visible()
    assert_accessible(page)
    inquiry = Inquiry.objects.get()
    assert inquiry.family.status == Family.Status.INQUIRY
    assert inquiry.family.kind == Family.Kind.SUPPORT
    assert inquiry.language == "fi"


@pytest.fixture
def pride(unit_worker, kemi_org):
    from tests.families.factories import CarerFactory, FamilyFactory
    from tests.training.factories import CourseFactory, SessionFactory

    course = CourseFactory(title="PRIDE-valmennus, Kemi", organiser=kemi_org, capacity=12)
    start = timezone.localdate() - timedelta(weeks=9)
    for n in range(9):
        SessionFactory(course=course, date=start + timedelta(weeks=n), topic=f"Tapaaminen {n + 1}")
    family = FamilyFactory(
        name="Testinen",
        status=Family.Status.INQUIRY,
        home_municipality=kemi_org,
        home_study_approved_on="2026-10-15",
    )
    CarerFactory(
        family=family,
        first_name="Aino",
        last_name="Testinen",
        criminal_record_seen_on="2026-10-01",
        criminal_record_seen_by=unit_worker,
    )
    # Eero's criminal-record extract has not been seen yet: one gate still open
    CarerFactory(family=family, first_name="Eero", last_name="Testinen")
    return course, family


def test_unit_worker_takes_a_family_through_pride_to_reserve(page, login, assert_accessible, pride):
    course, family = pride
    login("unit")
    page.get_by_role("link", name="Koulutukset").first.click()
    expect(page.get_by_role("heading", name="Koulutukset")).to_be_visible()
    assert_accessible(page)

    # enrol both carers
    page.get_by_role("link", name="PRIDE-valmennus, Kemi").click()
    picker = page.get_by_role("combobox", name=re.compile(r"^Perhe"))
    picker.fill("Testinen")
    page.get_by_role("option", name=re.compile("Perhe Testinen")).click()
    page.get_by_role("button", name="Ilmoita hoitajat").click()
    expect(page.get_by_text("Perheen hoitajat ilmoitettiin.")).to_be_visible()
    participants = page.locator("section", has=page.get_by_role("heading", name="Osallistujat"))
    expect(participants.get_by_role("cell", name="Aino Testinen", exact=True)).to_be_visible()
    expect(participants.get_by_role("cell", name="Eero Testinen", exact=True)).to_be_visible()
    assert_accessible(page)

    # attendance for every session, one click per person
    for number, session in enumerate(course.sessions.order_by("date")):
        page.goto(f"/training/sessions/{session.pk}/attendance/")
        expect(page.get_by_role("heading", name=re.compile(session.topic))).to_be_visible()
        for name in ("Aino Testinen", "Eero Testinen"):
            button = page.get_by_role("button", name=re.compile(f"^Läsnä\\W+{name}$"))
            expect(button).to_have_attribute("aria-pressed", "false")
            button.click()
            expect(button).to_have_attribute("aria-pressed", "true")
        if number == 0:
            assert_accessible(page)
    assert Attendance.objects.filter(enrolment__course=course).count() == 18

    # three individual meetings and the readiness assessment
    page.goto(f"/training/courses/{course.pk}/")
    page.get_by_role("link", name="Perhe Testinen").first.click()
    expect(
        page.get_by_role("heading", name="Perhe Testinen: PRIDE-valmennus, Kemi")
    ).to_be_visible()
    assert_accessible(page)
    for day in ("2026-09-01", "2026-09-15", "2026-10-01"):
        page.get_by_label(re.compile(r"^Päivämäärä( \(pakollinen\))?:?$")).fill(day)
        page.get_by_label("Työntekijät").fill("Ulla Unitinen")
        page.get_by_role("button", name="Tallenna tapaaminen").click()
        expect(page.get_by_text("Perhekohtainen tapaaminen kirjattiin.")).to_be_visible()
    page.get_by_label("Arvioinnin päivämäärä").fill("2026-11-20")
    page.get_by_label("Arvioijat").fill("Ulla Unitinen, Pertti Perhehoitaja")
    page.get_by_label("Johtopäätös").select_option("ready")
    page.get_by_label("Perustelut").fill("Perheellä on hyvät valmiudet tukiperhetoimintaan.")
    page.get_by_role("button", name="Tallenna arviointi").click()
    expect(page.get_by_text("Valmiuksien arviointi kirjattiin.")).to_be_visible()
    # the training is recorded, but approval waits for the open gate, named on the page
    gate = "Henkilön Eero Testinen rikostaustaotetta ei ole nähty."
    expect(page.locator("main .notice").filter(has_text=gate)).to_be_visible()
    assert_accessible(page)

    # in the register: the extract is seen, and the status action approves the family
    page.get_by_role("link", name="Perhe rekisterissä").click()
    expect(page.locator("#status-section .badge")).to_have_text("Arvioinnissa")
    page.get_by_role("link", name=re.compile(r"^Muokkaa\W+Eero$")).click()
    page.get_by_label(re.compile("^Rikosrekisteriote nähty", re.IGNORECASE)).fill("2026-11-21")
    page.get_by_role("button", name="Tallenna").click()
    page.get_by_label("Uusi tila").select_option("approved")
    page.get_by_role("button", name="Vaihda tila").click()
    expect(page.locator("#status-section .badge")).to_have_text("Hyväksytty, reservissä")
    expect(page.locator(".timeline")).to_contain_text("Myönteinen valmiuksien arviointi")
    expect(page.locator(".facts")).to_contain_text("20.11.2026")
    assert_accessible(page)
    family.refresh_from_db()
    assert family.status == Family.Status.APPROVED
    assert str(family.pre_service_training_completed_on) == "2026-11-20"


def test_unit_worker_sees_pipeline_and_calendar(page, login, assert_accessible, pride):
    from tests.training.factories import SessionFactory

    course, _ = pride
    SessionFactory(course=course, date=timezone.localdate() + timedelta(days=2), topic="Tuleva")
    login("unit")
    page.get_by_role("link", name="Yhteydenotot").first.click()
    expect(page.get_by_role("heading", name="Rekrytoinnin vaiheet")).to_be_visible()
    assert_accessible(page)
    page.goto("/training/calendar/")
    expect(page.get_by_role("heading", name="Koulutuskalenteri")).to_be_visible()
    expect(page.get_by_text("Tuleva")).to_be_visible()
    assert_accessible(page)


def test_municipal_worker_is_refused_training(page, login, kemi_worker):
    login("kemi")
    response = page.goto("/training/")
    assert response.status == 403
