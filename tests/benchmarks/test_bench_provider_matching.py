"""Ranking a national register of providers: 2,000 providers with about 4,000 units and
their placements, evaluated by SQL-side hard rules (placements.provider_matching)."""

import random
from datetime import date, timedelta

import pytest
from django.db import connection

from families.models import Provider, ProviderUnit
from placements.models import Child, Placement, PlacementType
from placements.provider_matching import match_provider_units
from tests.benchmarks.conftest import assert_target
from tests.fostercare.factories import MemberOrganisationFactory
from tests.placements.factories import ChildFactory, PlacementRequestFactory, years_ago

PROVIDERS = 2000


@pytest.fixture
def national_providers_and_request(db, kemi_worker, kemi_org):
    return national_register(kemi_worker, kemi_org, PROVIDERS)


def national_register(kemi_worker, kemi_org, count: int):
    rng = random.Random(3)
    orgs = [kemi_org] + [MemberOrganisationFactory() for _ in range(20)]
    today = date.today()
    providers = Provider.objects.bulk_create(
        Provider(
            name=f"Palveluntuottaja {i}",
            kind=rng.choice(Provider.Kind.values),
            municipality=rng.choice(orgs),
            places=14,
            licence_valid_from=today - timedelta(days=rng.randint(100, 3000)),
            licence_valid_until=None if rng.random() < 0.9 else today - timedelta(days=10),
            active=rng.random() < 0.97,
        )
        for i in range(count)
    )
    units = ProviderUnit.objects.bulk_create(
        ProviderUnit(
            provider=provider,
            name=f"Osasto {n}",
            places=rng.randint(2, 7),
            age_min=(low := rng.choice([0, 0, 7, 12])),
            age_max=min(17, low + rng.randint(5, 17)),
        )
        for provider in providers
        for n in range(rng.randint(1, 3))
    )
    children = Child.objects.bulk_create(
        Child(
            municipality=kemi_org,
            first_name=f"Lapsi{i}",
            last_name="Esimerkki",
            date_of_birth=years_ago(rng.randint(1, 17)),
        )
        for i in range(len(units))
    )
    Placement.objects.bulk_create(
        Placement(
            child=child,
            provider_id=unit.provider_id,
            provider_unit=unit,
            placement_type=PlacementType.SUBSTITUTE_CARE,
            started_on=today - timedelta(days=rng.randint(1, 900)),
        )
        for child, unit in zip(children, units, strict=True)
        if rng.random() < 0.8
    )
    request = PlacementRequestFactory(
        municipality=kemi_org,
        created_by=kemi_worker,
        children=[ChildFactory(municipality=kemi_org, date_of_birth=years_ago(9))],
        status="in_search",
    )
    with connection.cursor() as cursor:  # a kept database has its statistics
        cursor.execute("ANALYZE")
    return request, len(units)


def test_bench_provider_matching_over_2000_providers(benchmark, national_providers_and_request):
    request, units = national_providers_and_request

    result = benchmark(match_provider_units, request)

    assert units > 3000
    assert result.ranked and result.excluded_count
    assert result.fitting_count + result.excluded_count == units
    assert_target(benchmark, median_ms=3000)
