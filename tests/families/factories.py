from datetime import date

import factory

from families.models import (
    Carer,
    Family,
    HouseholdMember,
    Provider,
    ProviderUnit,
    SupervisionVisit,
)
from tests.fostercare.factories import MemberOrganisationFactory


class FamilyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Family

    name = factory.Sequence(lambda n: f"Perhe {n}")
    kind = Family.Kind.FOSTER
    status = Family.Status.APPROVED
    places = 2
    age_min = 0
    age_max = 17
    languages = factory.LazyFunction(lambda: ["fi"])


class CarerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Carer

    family = factory.SubFactory(FamilyFactory)
    first_name = "Aino"
    last_name = factory.Sequence(lambda n: f"Hoitaja{n}")
    birth_year = 1980
    lives_in_home = True


class HouseholdMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = HouseholdMember

    family = factory.SubFactory(FamilyFactory)
    description = "Oma lapsi"
    birth_year = 2022


class ProviderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Provider

    name = factory.Sequence(lambda n: f"Perhekoti {n}")
    kind = Provider.Kind.PROFESSIONAL_FAMILY_HOME
    municipality = factory.SubFactory(MemberOrganisationFactory)
    places = 5
    licence_valid_from = date(2020, 1, 1)


class ProviderUnitFactory(factory.django.DjangoModelFactory):
    """A unit of a licensed provider that takes children of every age."""

    class Meta:
        model = ProviderUnit

    provider = factory.SubFactory(ProviderFactory)
    name = factory.Sequence(lambda n: f"Osasto {n}")
    places = 3
    age_min = 0
    age_max = 17


class SupervisionVisitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SupervisionVisit

    provider = factory.SubFactory(ProviderFactory)
    visited_on = factory.Faker("past_date")
    visitors = "Ulla Unitinen"
    findings = "Kaikki kunnossa."


def family_passing_the_gates(**fields) -> Family:
    """A family (in assessment unless told) whose every gate of approval is closed: trained,
    home study approved, and a carer living in the home whose extract has been seen."""
    from tests.fostercare.factories import UserFactory

    values = {
        "status": Family.Status.ASSESSMENT,
        "pre_service_training_completed_on": date(2025, 5, 1),
        "home_study_approved_on": date(2025, 6, 1),
    }
    values.update(fields)
    family = FamilyFactory(**values)
    CarerFactory(
        family=family,
        criminal_record_seen_on=date(2025, 4, 1),
        criminal_record_seen_by=UserFactory(),
    )
    return family
