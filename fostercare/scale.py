"""The national-scale data set: member organisations. Run through ``manage.py seed_scale``.

Every app may have a ``scale`` module with ``seed(size, stdout)``; they run in
INSTALLED_APPS order on top of the demo data, so each builds on the apps below it. The
rows are written in bulk (``bulk_create``, ``INSERT … SELECT generate_series``): the whole
national set takes minutes, not hours.
"""

from dataclasses import dataclass, fields
from decimal import Decimal

from django.contrib.auth.models import Group

from fostercare.backends import grants_changed
from fostercare.caching import new_version
from fostercare.models import MemberOrganisation, PopulationFigure, User
from fostercare.roles import Role
from fostercare.services import organisation_group_sync, user_organisation_group_sync

# The data set's organisations have four-digit codes from 5000 up: no Finnish municipality
# (three digits) or wellbeing services county (two) has one, so they never mix with real ones.
FIRST_CODE = 5000
# Its users are named scale-…; the demo's are fostercare.demo.USERS.
USERNAME_PREFIX = "scale-"
BATCH = 5000


@dataclass(frozen=True)
class Size:
    """How many of each the data set holds. The defaults are the national scale of issue 11."""

    orgs: int = 300
    families: int = 20000
    providers: int = 2000
    children: int = 50000
    active_placements: int = 8000
    requests: int = 5000
    courses: int = 500
    access_log: int = 1000000

    def scaled(self, factor: float) -> "Size":
        """Every figure times ``factor`` (at least one each), for a smaller run."""
        return Size(**{f.name: max(1, round(getattr(self, f.name) * factor)) for f in fields(self)})

    def label(self) -> str:
        return ",".join(f"{f.name}={getattr(self, f.name)}" for f in fields(self))


def scale_organisations():
    return MemberOrganisation.objects.filter(code__regex=r"^\d{4}$", code__gte=str(FIRST_CODE))


def business_id(number: int) -> str:
    """A valid business ID from 3000000-x up, with its check digit (weights 7 9 10 5 8 4 2,
    modulo 11); the numbers whose remainder is 1 have none and are skipped."""
    while True:
        digits = f"{3000000 + number:07d}"
        weights = (7, 9, 10, 5, 8, 4, 2)
        remainder = sum(w * int(d) for w, d in zip(weights, digits, strict=True)) % 11
        if remainder != 1:
            return f"{digits}-{0 if remainder == 0 else 11 - remainder}"
        number += 1000000


def seed(size: Size, stdout) -> None:
    # the demo's six organisations count towards the total; at least one is the data set's
    # own, which marks the database as holding it
    missing = max(1, size.orgs - MemberOrganisation.objects.count())
    organisations = MemberOrganisation.objects.bulk_create(
        MemberOrganisation(
            code=str(FIRST_CODE + n),
            name_fi=f"Kunta {n + 1}",
            name_sv=f"Kommun {n + 1}",
            legal_name=f"Kunta {n + 1}",
            business_id=business_id(n),
            einvoice_address=f"0037{business_id(n).replace('-', '')}",
            einvoice_operator="003721291126",
            street_address="Kunnantie 1",
            postal_code=f"{10000 + n * 7 % 89999:05d}",
            post_office=f"KUNTA {n + 1}",
            latitude=Decimal("60.00000") + Decimal(n % 70) / 10,
            longitude=Decimal("21.00000") + Decimal(n % 90) / 10,
        )
        for n in range(missing)
    )
    PopulationFigure.objects.bulk_create(
        PopulationFigure(
            organisation=org, year=2024, population=2000 + (n * 7919) % 60000, source="Kuntaliitto"
        )
        for n, org in enumerate(organisations)
    )
    for org in organisations:
        organisation_group_sync(organisation=org)
    # one municipal worker per organisation, as the register's users would be
    group = Group.objects.get(name=Role.MUNICIPAL_WORKER)
    users = User.objects.bulk_create(
        User(
            username=f"{USERNAME_PREFIX}{org.code}",
            first_name="Sosiaalityöntekijä",
            last_name=org.name_fi,
            organisation=org,
            password="!",  # unusable: no one logs in as them
        )
        for org in organisations
    )
    User.groups.through.objects.bulk_create(
        User.groups.through(user_id=user.pk, group_id=group.pk) for user in users
    )
    for user in users:
        user_organisation_group_sync(user=user)
    # bulk_create sends no signal: forget the cached grants and organisation choices
    grants_changed()
    new_version("organisations")
    stdout.write(f"Organisations: {MemberOrganisation.objects.count()}, users {len(users)} added.")
