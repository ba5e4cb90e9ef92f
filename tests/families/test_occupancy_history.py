"""The register's occupancy history: recorded each day from ``with_room()`` by a beat task,
once a day, and back-filled for past days from placements' dates."""

from datetime import date

import pytest
from celery.schedules import crontab
from django.conf import settings
from django.core.management import call_command

from families import services, tasks
from families.models import Family, OccupancySnapshot, Provider
from fostercare.celery import app
from placements.models import Placement
from tests.families.factories import FamilyFactory, ProviderFactory, ProviderUnitFactory
from tests.placements.factories import (
    ChildFactory,
    PlacementFactory,
    PlacementRequestFactory,
    ProposalFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def register():
    """Two foster families with 3 places, one institution's unit of 3 places, and (dates
    in 2026) placements and a reservation."""
    two = FamilyFactory(kind=Family.Kind.FOSTER, places=2)
    one = FamilyFactory(kind=Family.Kind.FOSTER, places=1)
    FamilyFactory(kind=Family.Kind.FOSTER, places=4, status=Family.Status.ENDED)  # not counted
    unit = ProviderUnitFactory(
        provider=ProviderFactory(kind=Provider.Kind.INSTITUTION, places=5), places=3
    )
    PlacementFactory(  # in the family of two places from 10 January to 15 February
        family=two,
        started_on=date(2026, 1, 10),
        ended_on=date(2026, 2, 15),
        end_reason=Placement.EndReason.RETURNED_HOME,
    )
    PlacementFactory(family=two, started_on=date(2026, 2, 1))  # still placed
    PlacementFactory(  # in the unit from 1 March
        family=None, provider=unit.provider, provider_unit=unit, started_on=date(2026, 3, 1)
    )
    # the family of one place is reserved by an accepted proposal (not yet placed)
    request = PlacementRequestFactory(status="accepted", children=[ChildFactory()])
    ProposalFactory(request=request, family=one, accepted=True)
    return {"two": two, "one": one, "unit": unit}


def _figures(**filters):
    return {
        (s.register, s.kind): (s.places, s.taken, s.derived)
        for s in OccupancySnapshot.objects.filter(**filters)
    }


def test_the_day_is_recorded_from_the_room_of_the_register(register):
    services.occupancy_record(day=date(2026, 3, 10))
    figures = _figures(day=date(2026, 3, 10))
    # placed 1 + reserved 1 in 3 places, as Family.objects.with_room() gives them
    assert figures[("family", "foster")] == (3, 2, False)
    assert figures[("family", "reception")] == (0, 0, False)
    assert figures[("provider_unit", "institution")] == (3, 1, False)
    assert figures[("provider_unit", "professional_family_home")] == (0, 0, False)
    assert len(figures) == len(Family.Kind.values) + len(Provider.Kind.values)


def test_recording_the_day_again_updates_it_and_never_duplicates(register):
    services.occupancy_record(day=date(2026, 3, 10))
    PlacementFactory(family=register["one"], started_on=date(2026, 3, 10))
    services.occupancy_record(day=date(2026, 3, 10))
    assert OccupancySnapshot.objects.count() == 6
    assert _figures()[("family", "foster")] == (3, 3, False)


def test_past_days_are_derived_from_placements_dates(register):
    written = services.occupancy_backfill(first_day=date(2026, 1, 9), last_day=date(2026, 3, 1))
    assert written == 52
    foster = dict(
        OccupancySnapshot.objects.filter(register="family", kind="foster").values_list(
            "day", "taken"
        )
    )
    assert foster[date(2026, 1, 9)] == 0
    assert foster[date(2026, 1, 10)] == 1  # the first day counts
    assert foster[date(2026, 2, 1)] == 2
    assert foster[date(2026, 2, 15)] == 2  # and the last
    assert foster[date(2026, 2, 16)] == 1  # the reservation of today is not a past day's
    units = _figures(day=date(2026, 3, 1), register="provider_unit")
    assert units[("provider_unit", "institution")] == (3, 1, True)
    assert _figures(day=date(2026, 2, 1))[("family", "foster")] == (3, 2, True)


def test_a_recorded_day_is_never_overwritten_by_the_back_fill(register):
    services.occupancy_record(day=date(2026, 2, 1))
    services.occupancy_backfill(first_day=date(2026, 1, 31), last_day=date(2026, 2, 2))
    assert _figures(day=date(2026, 2, 1))[("family", "foster")] == (3, 2, False)
    assert OccupancySnapshot.objects.filter(derived=True).count() == 12
    # run again: the same rows
    services.occupancy_backfill(first_day=date(2026, 1, 31), last_day=date(2026, 2, 2))
    assert OccupancySnapshot.objects.count() == 18


def test_the_back_fill_command_fills_the_past_year(register):
    call_command("occupancy_backfill", "--days", "30", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert OccupancySnapshot.objects.values("day").distinct().count() == 30


def test_the_occupancy_is_recorded_every_night():
    entry = settings.CELERY_BEAT_SCHEDULE["families-occupancy-record"]
    assert entry["task"] == "families.tasks.occupancy_record"
    assert entry["schedule"] == crontab(minute=50, hour=23)
    app.loader.import_default_modules()
    assert entry["task"] in app.tasks
    assert tasks.occupancy_record.name == entry["task"]


def test_the_task_records_today(register):
    tasks.occupancy_record()
    tasks.occupancy_record()
    assert OccupancySnapshot.objects.count() == 6
