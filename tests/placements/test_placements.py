"""Placements: emergency days left, aftercare flags, free places and the vacancy board."""

from datetime import date, timedelta

import pytest
from django.urls import reverse

from families.models import Family
from placements.models import Placement
from tests.families.factories import CarerFactory, FamilyFactory
from tests.placements.factories import ChildFactory, PlacementFactory, years_ago


def test_emergency_placement_shows_days_left_of_30(kemi_org, unit_worker, client_for):
    placement = PlacementFactory(
        child=ChildFactory(municipality=kemi_org),
        placement_type="emergency",
        started_on=date.today() - timedelta(days=12),
    )
    assert placement.emergency_days_left == 18
    page = client_for(unit_worker).get(reverse("placements:placement-list")).content.decode()
    assert "18 days left of 30" in page


def test_overrun_emergency_placement_is_flagged(kemi_org):
    placement = PlacementFactory(
        child=ChildFactory(municipality=kemi_org),
        placement_type="emergency",
        started_on=date.today() - timedelta(days=31),
    )
    assert placement.emergency_days_left == -1
    assert PlacementFactory(placement_type="substitute_care").emergency_days_left is None


def test_young_person_near_18_is_flagged_for_aftercare_until_23(unit_worker, client_for, settings):
    settings.AFTERCARE_MAX_AGE = 23
    born = years_ago(17, days=200)  # 18 in about five months
    near = PlacementFactory(child=ChildFactory(date_of_birth=born, first_name="Niko"))
    young = PlacementFactory(child=ChildFactory(date_of_birth=years_ago(12), first_name="Eetu"))
    assert near.needs_aftercare_planning
    assert near.aftercare_until == born.replace(year=born.year + 23)
    assert not young.needs_aftercare_planning
    page = client_for(unit_worker).get(reverse("placements:placement-list")).content.decode()
    assert page.count("Plan aftercare") == 1
    settings.AFTERCARE_MAX_AGE = 21
    assert near.aftercare_until == born.replace(year=born.year + 21)


def test_family_free_places_drop_with_active_placements(unit_worker, client_for):
    family = FamilyFactory(places=3)
    PlacementFactory(family=family)
    PlacementFactory(
        family=family,
        ended_on=date.today(),
        end_reason="returned_home",
        started_on=date.today() - timedelta(days=3),
    )
    client = client_for(unit_worker)
    response = client.get(reverse("families:family-detail", args=[family.pk]))
    assert response.context["family"].free_places == 2
    response = client.get(reverse("families:family-list"))
    assert [f.free_places for f in response.context["page"].object_list] == [2]


def test_vacancy_board_sums_free_places_by_municipality_and_kind(
    kemi_org, tornio_org, unit_worker, client_for
):
    trained = {"status": Family.Status.APPROVED, "pre_service_training_completed_on": years_ago(2)}
    a = FamilyFactory(kind="foster", places=3, home_municipality=kemi_org, **trained)
    FamilyFactory(kind="foster", places=1, home_municipality=kemi_org, **trained)
    FamilyFactory(kind="reception", places=2, home_municipality=tornio_org, **trained)
    FamilyFactory(kind="foster", places=5, home_municipality=kemi_org, status="in_training")
    for family in Family.objects.all():
        CarerFactory.create_batch(2, family=family)
    PlacementFactory(family=a)
    board = client_for(unit_worker).get(reverse("placements:vacancy-board")).context["board"]
    kinds = [k for k, _label in board["kinds"]]
    rows = {name: dict(zip(kinds, cells, strict=True)) for name, cells, _total in board["rows"]}
    assert rows["Kemi"]["foster"] == 3  # 2 + 1; the family in training does not count
    assert rows["Tornio"]["reception"] == 2
    assert board["total"] == 5


def test_unit_worker_ends_a_placement(unit_worker, client_for):
    placement = PlacementFactory()
    response = client_for(unit_worker).post(
        reverse("placements:placement-end", args=[placement.pk]),
        {"ended_on": date.today().isoformat(), "end_reason": "returned_home", "confirmed": "1"},
    )
    assert response.status_code == 302
    placement.refresh_from_db()
    assert placement.ended_on == date.today()


def test_placement_cannot_end_before_it_starts(unit_worker, client_for):
    placement = PlacementFactory()
    client_for(unit_worker).post(
        reverse("placements:placement-end", args=[placement.pk]),
        {"ended_on": "2000-01-01", "end_reason": "returned_home"},
    )
    placement.refresh_from_db()
    assert placement.ended_on is None


@pytest.mark.django_db
def test_placement_is_with_a_family_or_a_provider_not_both():
    from django.core.exceptions import ValidationError

    from tests.families.factories import ProviderFactory

    placement = Placement(
        child=ChildFactory(),
        family=FamilyFactory(),
        provider=ProviderFactory(),
        placement_type="substitute_care",
        started_on=date.today(),
    )
    with pytest.raises(ValidationError, match="either a family or a provider"):
        placement.full_clean()


def test_family_page_lists_the_familys_placements(client_for, unit_worker):
    from django.urls import reverse

    from tests.placements.factories import ChildFactory, PlacementFactory

    placement = PlacementFactory(child=ChildFactory(first_name="Oona"))

    response = client_for(unit_worker).get(
        reverse("families:family-detail", args=[placement.family.pk])
    )

    assert "Placements in the family" in response.content.decode()
    assert "Oona" in response.content.decode()
