from datetime import date, timedelta

import factory

from experts.models import Consultation, Expert, ExpertiseArea, ExpertRole
from tests.fostercare.factories import MemberOrganisationFactory, UserFactory


class ExpertiseAreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ExpertiseArea
        django_get_or_create = ["name_fi"]

    name_fi = factory.Sequence(lambda n: f"Osaamisalue {n}")
    name_sv = factory.Sequence(lambda n: f"Kompetensområde {n}")


class ExpertFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Expert
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Asiantuntija {n}")
    roles = factory.LazyFunction(lambda: [ExpertRole.MENTOR])
    languages = factory.LazyFunction(lambda: ["fi"])
    consent_given_on = date(2024, 1, 15)

    @factory.post_generation
    def serves(self, create, extracted, **kwargs):
        if create and extracted:
            self.serves.set(extracted)

    @factory.post_generation
    def expertise(self, create, extracted, **kwargs):
        if create and extracted:
            self.expertise.set(extracted)


class ConsultationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Consultation

    kind = Consultation.Kind.PHONE_GUIDANCE
    held_on = factory.LazyFunction(lambda: date.today() - timedelta(days=3))
    duration_minutes = 30
    municipality = factory.SubFactory(MemberOrganisationFactory)
    recorded_by = factory.SubFactory(UserFactory)
