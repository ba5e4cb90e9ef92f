"""Business IDs are stored as 1234567-8, so one organisation cannot be registered twice."""

import pytest
from django.core.exceptions import ValidationError

from fostercare.models import MemberOrganisation
from fostercare.validators import business_id_canonical

pytestmark = pytest.mark.django_db


def _organisation(business_id, code="240"):
    return MemberOrganisation(code=code, name_fi="Kemi", business_id=business_id)


def test_a_business_id_without_the_hyphen_is_stored_with_it():
    organisation = _organisation("02096026")
    organisation.full_clean()
    assert organisation.business_id == "0209602-6"


def test_the_same_business_id_without_the_hyphen_is_a_duplicate():
    first = _organisation("0209602-6")
    first.full_clean()
    first.save()
    second = _organisation("02096026", code="241")
    with pytest.raises(ValidationError) as info:
        second.full_clean()
    assert "business_id" in info.value.message_dict


def test_an_invalid_business_id_is_refused_unchanged():
    assert business_id_canonical("0209602-7") == "0209602-7"
    with pytest.raises(ValidationError):
        _organisation("0209602-7").full_clean()


def test_the_migration_puts_existing_ids_in_the_canonical_form():
    from importlib import import_module

    from django.apps import apps

    migration = import_module("fostercare.migrations.0004_memberorganisation_invoicing")
    MemberOrganisation.objects.create(code="240", name_fi="Kemi", business_id="02096026")
    migration.business_ids_in_canonical_form(apps, None)
    assert MemberOrganisation.objects.get(code="240").business_id == "0209602-6"
