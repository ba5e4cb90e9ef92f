from datetime import timedelta

from django.core.management.base import BaseCommand
from django.utils import timezone

from families import services


class Command(BaseCommand):
    help = (
        "Derive the occupancy history of past days not yet recorded from placements' dates "
        "(children placed on each day in today's places; no reservations). Days recorded by "
        "the daily task are left as they are. Safe to run again."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--days", type=int, default=460, help="Days back (460: a quarter and the year before)."
        )

    def handle(self, *args, days: int, **options):
        yesterday = timezone.localdate() - timedelta(days=1)
        written = services.occupancy_backfill(
            first_day=yesterday - timedelta(days=days - 1), last_day=yesterday
        )
        self.stdout.write(f"Occupancy history: {written} days derived from placements' dates.")
