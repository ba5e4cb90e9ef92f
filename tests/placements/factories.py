from datetime import date, timedelta

import factory

from families.models import Carer
from fostercare.models import User
from placements.models import Child, Placement, PlacementRequest, PlacementType, Proposal
from tests.families.factories import FamilyFactory
from tests.fostercare.factories import MemberOrganisationFactory


def years_ago(years: int, days: int = 30) -> date:
    return date.today() - timedelta(days=years * 365 + years // 4 + days)


def ready_carers(family, n: int = 2) -> list[Carer]:
    """``n`` carers living in the home whose criminal-record extracts the unit has seen,
    so that the family passes that gate (families.gates)."""
    seen_by, _created = User.objects.get_or_create(username="extract-checker")
    return Carer.objects.bulk_create(
        Carer(
            family=family,
            first_name="Aino",
            last_name=f"Hoitaja{family.pk}-{i}",
            birth_year=1980,
            lives_in_home=True,
            criminal_record_seen_on=years_ago(1),
            criminal_record_seen_by=seen_by,
        )
        for i in range(n)
    )


class ReadyFamilyFactory(FamilyFactory):
    """A family that passes every lifecycle gate (``families.gates.family_gaps``):
    pre-service training completed, home study approved, and two carers living in the
    home whose criminal-record extracts have been seen. ``carers=0`` makes none."""

    class Meta:
        skip_postgeneration_save = True

    pre_service_training_completed_on = factory.LazyFunction(lambda: years_ago(3))
    home_study_approved_on = factory.LazyFunction(lambda: years_ago(3))

    @factory.post_generation
    def carers(self, create, extracted, **kwargs):
        if create:
            ready_carers(self, 2 if extracted is None else extracted)


class ChildFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Child

    municipality = factory.SubFactory(MemberOrganisationFactory)
    first_name = factory.Sequence(lambda n: f"Lapsi{n}")
    last_name = "Esimerkki"
    date_of_birth = factory.LazyFunction(lambda: years_ago(7))
    languages = factory.LazyFunction(lambda: ["fi"])


class PlacementRequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PlacementRequest
        skip_postgeneration_save = True

    municipality = factory.SubFactory(MemberOrganisationFactory)
    placement_type = PlacementType.SUBSTITUTE_CARE
    urgency = PlacementRequest.Urgency.NORMAL
    wished_start_on = factory.LazyFunction(date.today)
    status = PlacementRequest.Status.DRAFT
    created_by = factory.SubFactory("tests.fostercare.factories.UserFactory")

    @factory.post_generation
    def children(self, create, extracted, **kwargs):
        if not create:
            return
        self.children.set(
            extracted if extracted is not None else [ChildFactory(municipality=self.municipality)]
        )


class ProposalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Proposal

    request = factory.SubFactory(PlacementRequestFactory)
    family = factory.SubFactory(FamilyFactory)
    proposed_by = factory.SubFactory("tests.fostercare.factories.UserFactory")


class PlacementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Placement

    child = factory.SubFactory(ChildFactory)
    family = factory.SubFactory(FamilyFactory)
    placement_type = PlacementType.SUBSTITUTE_CARE
    started_on = factory.LazyFunction(lambda: date.today() - timedelta(days=100))
