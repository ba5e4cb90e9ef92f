"""Find, in seconds, every family that could take a 7-year-old and her 4-year-old brother."""

import random

import pytest
from django.urls import reverse

from families.models import Carer, Family
from tests.benchmarks.conftest import assert_target
from tests.fostercare.factories import MemberOrganisationFactory

FAMILIES = 5000


@pytest.fixture
def big_register(db):
    rng = random.Random(1)
    orgs = [MemberOrganisationFactory() for _ in range(6)]
    families = Family.objects.bulk_create(
        Family(
            name=f"Perhe {i}",
            kind=rng.choice(Family.Kind.values),
            status=rng.choice(Family.Status.values),
            home_municipality=rng.choice(orgs),
            places=rng.randint(1, 3),
            age_min=(low := rng.randint(0, 10)),
            age_max=min(17, low + rng.randint(3, 12)),
            siblings_accepted=rng.random() < 0.6,
            languages=["fi"] + (["sv"] if i % 7 == 0 else []),
        )
        for i in range(FAMILIES)
    )
    Carer.objects.bulk_create(
        Carer(family=f, first_name="Aino", last_name=f"Hoitaja{f.pk}", birth_year=1980)
        for f in families
        for _ in range(2)
    )


def test_bench_family_search_for_two_siblings(benchmark, big_register, client_for, unit_worker):
    client = client_for(unit_worker)
    url = reverse("families:family-list")
    params = {"ages": "7, 4", "status": "approved", "trained": "", "q": ""}

    response = benchmark(client.get, url, params)

    assert response.status_code == 200
    assert_target(benchmark, median_ms=250)


def test_bench_family_search_by_carer_name(benchmark, big_register, client_for, unit_worker):
    client = client_for(unit_worker)

    response = benchmark(client.get, reverse("families:family-list"), {"q": "hoitaja42"})

    assert response.status_code == 200
    assert_target(benchmark, median_ms=250)
