from datetime import date, timedelta

import factory

from placements.models import Child, Placement, PlacementRequest, PlacementType, Proposal
from tests.families.factories import FamilyFactory
from tests.fostercare.factories import MemberOrganisationFactory


def years_ago(years: int, days: int = 30) -> date:
    return date.today() - timedelta(days=years * 365 + years // 4 + days)


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
