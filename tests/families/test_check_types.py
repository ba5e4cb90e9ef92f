"""Checks that expire: the validity periods are data, and the family and provider pages
show each check's next due date."""

from datetime import date

from django.urls import reverse

from families.models import CheckType
from families.worklist import check_validity
from tests.families.factories import CarerFactory, FamilyFactory, ProviderFactory


def test_the_family_page_shows_when_a_carers_checks_fall_due(client_for, unit_worker):
    CheckType.objects.update_or_create(code="health_check", defaults={"valid_months": 24})
    CheckType.objects.update_or_create(code="criminal_record", defaults={"valid_months": 0})
    family = FamilyFactory()
    CarerFactory(
        family=family,
        health_checked_on=date(2026, 3, 15),
        criminal_record_seen_on=date(2026, 1, 2),
        criminal_record_seen_by=unit_worker,
    )
    page = client_for(unit_worker).get(reverse("families:family-detail", args=[family.pk]))
    assert "next due 03/15/2028" in page.content.decode()
    assert "does not expire" in page.content.decode()


def test_the_provider_page_shows_the_licence_review(client_for, unit_worker):
    CheckType.objects.update_or_create(code="provider_licence", defaults={"valid_months": 60})
    provider = ProviderFactory(licence_granted_on=date(2020, 6, 1))
    page = client_for(unit_worker).get(reverse("families:provider-detail", args=[provider.pk]))
    assert "overdue since 06/01/2025" in page.content.decode()


def test_a_check_type_without_a_row_falls_back_to_its_setting(db, settings):
    CheckType.objects.filter(code="home_study").delete()
    settings.WORKLIST_HOME_STUDY_VALID_MONTHS = 36
    assert check_validity()["home_study"] == 36
