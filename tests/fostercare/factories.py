import factory
from django.contrib.auth.models import Group
from stdnum.fi import ytunnus

from fostercare.models import MemberOrganisation, PopulationFigure, User
from fostercare.roles import Role


def valid_business_id(seed: int) -> str:
    """The first valid business ID (Y-tunnus) at or after ``seed``."""
    while True:
        for digit in "0123456789":
            candidate = f"{seed:07d}-{digit}"
            if ytunnus.is_valid(candidate):
                return candidate
        seed += 1


class MemberOrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MemberOrganisation
        django_get_or_create = ["code"]

    # four digits: never a real municipality's three (240 Kemi), which get_or_create would
    # return instead of a new organisation once a worker has made 140 of them
    code = factory.Sequence(lambda n: f"{1000 + n % 9000}")
    name_fi = factory.Sequence(lambda n: f"Kunta {n}")
    name_sv = factory.LazyAttribute(lambda o: o.name_fi)
    business_id = factory.Sequence(lambda n: valid_business_id(3000000 + n * 11))


class PopulationFigureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PopulationFigure

    organisation = factory.SubFactory(MemberOrganisationFactory)
    year = 2024
    population = 10000


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = "Testi"
    last_name = factory.Sequence(lambda n: f"Käyttäjä{n}")
    password = factory.PostGenerationMethodCall("set_password", "demo")

    @factory.post_generation
    def role(self, create, extracted, **kwargs):
        if extracted:
            self.groups.add(Group.objects.get(name=extracted))
        self.save()


def user_with_role(role: Role, username: str, organisation=None, **kwargs) -> User:
    return UserFactory(username=username, role=role, organisation=organisation, **kwargs)
