import time
from dataclasses import fields, replace
from importlib import import_module
from importlib.util import find_spec

from django.apps import apps
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from fostercare.demo import MUNICIPALITIES, USERS
from fostercare.models import MemberOrganisation, User
from fostercare.scale import USERNAME_PREFIX, Size, scale_organisations


def real_data_in() -> list[str]:
    """What in the database is neither demo nor national-scale data: its organisations and
    the users who can log in. Anything else means a register in use, never to be touched."""
    demo_codes = {m[0] for m in MUNICIPALITIES}
    demo_users = {u[0] for u in USERS}
    organisations = (
        MemberOrganisation.objects.exclude(code__in=demo_codes)
        .exclude(pk__in=scale_organisations())
        .values_list("code", flat=True)
    )
    users = (
        User.objects.exclude(username__in=demo_users)
        .exclude(username__startswith=USERNAME_PREFIX)
        .exclude(password__startswith="!")  # the app's own accounts, which never log in
        .values_list("username", flat=True)
    )
    return [f"organisation {code}" for code in organisations[:5]] + [
        f"user {username}" for username in users[:5]
    ]


class Command(BaseCommand):
    help = (
        "Build the national-scale data set (300 organisations, 20,000 families, a million "
        "access-log rows …) on top of the demo data, for benchmarks. Refuses a database that "
        "holds anything but demo data. --scale 0.01 builds a hundredth of it."
    )

    def add_arguments(self, parser):
        defaults = Size()
        parser.add_argument(
            "--scale", type=float, default=1.0, help="Multiply every default size (e.g. 0.1)"
        )
        for field in fields(Size):
            parser.add_argument(
                f"--{field.name.replace('_', '-')}",
                type=int,
                default=None,
                help=f"default {getattr(defaults, field.name)} (times --scale)",
            )

    def handle(self, *args, scale=1.0, **options):
        if scale <= 0:
            raise CommandError("--scale must be above 0.")
        size = Size().scaled(scale) if scale != 1.0 else Size()
        asked = {f.name: options[f.name] for f in fields(Size) if options[f.name] is not None}
        size = replace(size, **asked)
        if scale_organisations().exists():
            raise CommandError("This database already holds the national-scale data set.")
        real = real_data_in()
        if real:
            raise CommandError(
                "This database holds data that is not demo data ("
                + ", ".join(real)
                + "); the national-scale data set is built only on an empty or demo database."
            )
        started = time.monotonic()
        call_command("seed_demo", force=True, stdout=self.stdout)
        self.stdout.write(f"Demo data in {time.monotonic() - started:.1f} s; {size.label()}")
        for app_config in apps.get_app_configs():
            module_name = f"{app_config.name}.scale"
            if find_spec(module_name) is None:
                continue
            step = time.monotonic()
            with transaction.atomic():
                import_module(module_name).seed(size, self.stdout)
            self.stdout.write(f"  {app_config.label}: {time.monotonic() - step:.1f} s")
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        self.stdout.write(
            self.style.SUCCESS(
                f"National-scale data set in place in {time.monotonic() - started:.1f} s."
            )
        )
