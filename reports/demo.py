"""Demo reference daily costs, so the comparison of family care with institutional care
shows a figure (the amounts are illustrative, not a county's price list), and the
occupancy history of the demo's placements, so the chart of occupancy over time has a
line over the past year."""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from families import services as register
from reports import services

# family care: the care fee and reimbursements per child per day; the others by the order
# of magnitude the Länsi-Pohja service contract's background describes ("several times")
DAILY_COSTS = {
    "family_care": Decimal("95.00"),
    "professional_family_home": Decimal("240.00"),
    "institution": Decimal("330.00"),
}


def seed(stdout) -> None:
    this_year = timezone.localdate().year
    for year in (this_year - 1, this_year):
        for care_type, cost in DAILY_COSTS.items():
            services.reference_cost_set(
                year=year,
                care_type=care_type,
                daily_cost=cost,
                source="Esimerkkiluvut (demo)",
                by=None,
            )
    stdout.write("Reports: reference daily costs of two years.")

    # the reports app's demo runs after the placements': their dates give the past days
    today = timezone.localdate()
    days = register.occupancy_backfill(first_day=today - timedelta(days=460))
    register.occupancy_record(day=today)
    stdout.write(f"Reports: occupancy history of {days} past days and today.")
