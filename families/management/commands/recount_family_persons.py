from django.core.management.base import BaseCommand

from families import services


class Command(BaseCommand):
    help = (
        "Count again the carers living in each family's home and the household members who "
        "count toward its legal capacity, and correct the families whose stored counts "
        "differ (after rows were written with the database's triggers bypassed). Safe to "
        "run again."
    )

    def handle(self, *args, **options):
        corrected = services.family_persons_recount()
        self.stdout.write(f"Persons counted again: {corrected} families corrected.")
