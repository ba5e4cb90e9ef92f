import io

import pytest

from families.models import Family
from tests.placements.factories import (
    ChildFactory,
    PlacementRequestFactory,
    ReadyFamilyFactory,
    years_ago,
)


@pytest.fixture
def available_family(kemi_org):
    """A family that passes every hard rule for an ordinary request of two children,
    the lifecycle gates included."""

    def make(**fields):
        values = {
            "status": Family.Status.APPROVED,
            "kind": Family.Kind.FOSTER,
            "places": 3,
            "age_min": 0,
            "age_max": 17,
            "home_municipality": kemi_org,
            "pre_service_training_completed_on": years_ago(3),
            "siblings_accepted": True,
        }
        values.update(fields)
        return ReadyFamilyFactory(**values)

    return make


@pytest.fixture
def kemi_request(kemi_org, kemi_worker):
    """A submitted substitute-care request of Kemi for two siblings aged 7 and 4."""
    children = [
        ChildFactory(municipality=kemi_org, date_of_birth=years_ago(7)),
        ChildFactory(municipality=kemi_org, date_of_birth=years_ago(4)),
    ]
    return PlacementRequestFactory(
        municipality=kemi_org, created_by=kemi_worker, children=children, status="submitted"
    )


@pytest.fixture
def seed_demo(db):
    """seed_demo() runs the demo seeds placements builds on (the others are their apps')."""
    from families import demo as families_demo
    from fostercare import demo as fostercare_demo
    from placements import demo as placements_demo

    def seed():
        for module in (fostercare_demo, families_demo, placements_demo):
            module.seed(io.StringIO())

    return seed
