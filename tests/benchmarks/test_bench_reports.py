"""Make the steering group's quarterly report (its figures and its PDF) over a register of
2,000 families, 120 provider units, 4,000 placements over two years and their occupancy
history, for the seed's six-member contract with its quarter invoiced."""

import random
from datetime import date, timedelta

import pytest
from django.utils import timezone

from contracts import invoicing
from contracts.models import InvoicingRun
from contracts.quarters import previous_quarter
from families import services as register
from families.models import Family, Provider, ProviderUnit
from placements.models import Child, Placement, PlacementType
from reports import rendering
from reports.models import Report
from tests.benchmarks.conftest import assert_target
from tests.contracts.factories import seed_contract

FAMILIES, UNITS, CHILDREN, ACTIVE = 2000, 120, 4000, 1000


@pytest.fixture
def steering_report(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    rng = random.Random(7)
    today = timezone.localdate()
    contract, _period, members = seed_contract()
    members = list(members.values())
    families = Family.objects.bulk_create(
        Family(
            name=f"Perhe {i}",
            kind=rng.choice(Family.Kind.values),
            status=rng.choice([Family.Status.APPROVED, Family.Status.ACTIVE, Family.Status.ENDED]),
            home_municipality=rng.choice(members),
            places=rng.randint(1, 3),
            languages=["fi"],
        )
        for i in range(FAMILIES)
    )
    providers = Provider.objects.bulk_create(
        Provider(
            name=f"Perhekoti {i}",
            kind=rng.choice(Provider.Kind.values),
            municipality=rng.choice(members),
            places=7,
            licence_valid_from=date(2020, 1, 1),
        )
        for i in range(UNITS // 2)
    )
    units = ProviderUnit.objects.bulk_create(
        ProviderUnit(provider=providers[i // 2], name=f"Osasto {i}", places=3) for i in range(UNITS)
    )
    children = Child.objects.bulk_create(
        Child(
            municipality=rng.choice(members),
            first_name="Lapsi",
            last_name=f"Esimerkki-{n}",
            date_of_birth=today - timedelta(days=rng.randint(100, 17 * 365)),
            languages=["fi"],
        )
        for n in range(CHILDREN)
    )
    placements = []
    for n, child in enumerate(children):
        started = today - timedelta(days=rng.randint(1, 730))
        yesterday = today - timedelta(days=1)
        ended = None if n < ACTIVE else min(started + timedelta(rng.randint(3, 365)), yesterday)
        if n % 5 == 0:
            unit = rng.choice(units)
            place = {"provider_id": unit.provider_id, "provider_unit": unit}
        else:
            place = {"family": rng.choice(families)}
        placements.append(
            Placement(
                child=child,
                placement_type=rng.choice(PlacementType.values),
                started_on=started,
                ended_on=ended,
                end_reason=Placement.EndReason.RETURNED_HOME if ended else "",
                **place,
            )
        )
    Placement.objects.bulk_create(placements)
    register.occupancy_backfill(first_day=today - timedelta(days=460))
    register.occupancy_record()
    year, quarter = previous_quarter(today)
    invoicing.invoicing_run_execute(
        run_id=InvoicingRun.objects.create(year=year, quarter=quarter).pk
    )
    return Report.objects.create(
        kind=Report.Kind.STEERING, contract=contract, year=year, quarter=quarter, language="fi"
    )


def test_bench_steering_groups_quarterly_report(benchmark, steering_report):
    made = benchmark.pedantic(
        rendering.report_render, kwargs={"report_id": steering_report.pk}, rounds=3
    )

    assert made.status == Report.Status.DONE
    assert any(t["key"] == "occupancy_history" for t in made.tables)
    assert_target(benchmark, median_ms=10_000)
