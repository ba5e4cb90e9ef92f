"""The matching page ranks the whole register for a sibling group while the worker waits."""

import random

import pytest
from django.urls import reverse

from families.models import Carer, Family, HouseholdMember
from fostercare.models import User
from tests.benchmarks.conftest import assert_target
from tests.fostercare.factories import MemberOrganisationFactory
from tests.placements.factories import ChildFactory, PlacementRequestFactory, years_ago

FAMILIES = 2000


@pytest.fixture
def big_register_and_request(db, kemi_worker, kemi_org):
    rng = random.Random(2)
    orgs = [kemi_org] + [MemberOrganisationFactory() for _ in range(5)]
    for org, (lat, lon) in zip(
        orgs,
        [
            (65.74, 24.56),
            (65.80, 24.54),
            (65.66, 25.06),
            (66.08, 24.81),
            (65.85, 24.15),
            (66.32, 23.67),
        ],
        strict=True,
    ):
        org.latitude, org.longitude = lat, lon
        org.save()
    families = Family.objects.bulk_create(
        Family(
            name=f"Perhe {i}",
            kind=rng.choice(Family.Kind.values),
            status=rng.choice(
                [Family.Status.APPROVED, Family.Status.ACTIVE, Family.Status.IN_TRAINING]
            ),
            home_municipality=rng.choice(orgs),
            places=rng.randint(1, 3),
            age_min=(low := rng.randint(0, 8)),
            age_max=min(17, low + rng.randint(3, 12)),
            siblings_accepted=rng.random() < 0.7,
            languages=["fi"] + (["sv"] if i % 7 == 0 else []),
            pre_service_training_completed_on=years_ago(rng.randint(1, 8)),
            home_study_approved_on=years_ago(rng.randint(1, 8)),
        )
        for i in range(FAMILIES)
    )
    # most carers' criminal-record extracts have been seen, as in a kept register
    seen_by = User.objects.create(username="bench-unit")
    Carer.objects.bulk_create(
        Carer(
            family=f,
            first_name="Aino",
            last_name=f"Hoitaja{f.pk}",
            birth_year=1980,
            lives_in_home=n == 0 or rng.random() < 0.7,
            criminal_record_seen_on=years_ago(1) if rng.random() < 0.95 else None,
            criminal_record_seen_by=seen_by,
        )
        for f in families
        for n in range(2)
    )
    HouseholdMember.objects.bulk_create(
        HouseholdMember(family=f, description="Oma lapsi", birth_year=2023) for f in families[::3]
    )
    children = [
        ChildFactory(municipality=kemi_org, date_of_birth=years_ago(7)),
        ChildFactory(municipality=kemi_org, date_of_birth=years_ago(4)),
    ]
    return PlacementRequestFactory(
        municipality=kemi_org, created_by=kemi_worker, children=children, status="submitted"
    )


def test_bench_matching_page_over_2000_families(
    benchmark, big_register_and_request, client_for, unit_worker
):
    client = client_for(unit_worker)
    url = reverse("placements:request-matching", args=[big_register_and_request.pk])

    response = benchmark(client.get, url)

    assert response.status_code == 200
    assert_target(benchmark, median_ms=1500)
