"""The national-scale data set: families with carers, household and status history, and
providers. Run through ``manage.py seed_scale`` (see fostercare/scale.py)."""

import random
from datetime import date, timedelta

from django.utils import timezone

from families.demo import FIRST_NAMES, KIND_WEIGHTS, PATHS, STATUS_WEIGHTS, SURNAMES
from families.models import Carer, Family, FamilyStatusChange, HouseholdMember, Provider
from fostercare.models import MemberOrganisation, User
from fostercare.scale import BATCH, Size, business_id, scale_organisations


def seed(size: Size, stdout) -> None:
    rng = random.Random(11)
    today = date.today()
    now = timezone.now()
    unit = User.objects.get(username="unit")
    organisations = list(MemberOrganisation.objects.order_by("pk"))
    families = []
    for n in range(size.families):
        kind = rng.choices(list(KIND_WEIGHTS), weights=list(KIND_WEIGHTS.values()))[0]
        status = rng.choices(list(STATUS_WEIGHTS), weights=list(STATUS_WEIGHTS.values()))[0]
        trained = status in (Family.Status.APPROVED, Family.Status.ACTIVE, Family.Status.PAUSED)
        age_min = rng.choice([0, 0, 2, 4, 7, 10])
        surname = SURNAMES[n % len(SURNAMES)]
        families.append(
            Family(
                name=f"{surname} {n + 1}",
                kind=kind,
                status=status,
                home_municipality=rng.choice(organisations),
                street_address=f"Koivutie {n % 200 + 1}",
                postal_code="94100",
                post_office="KEMI",
                places=rng.choice([1, 1, 2, 2, 3]) if kind != Family.Kind.SUPPORT else 1,
                age_min=age_min,
                age_max=min(17, age_min + rng.choice([6, 10, 17])),
                siblings_accepted=rng.random() < 0.6,
                languages=["fi"] + (["sv"] if n % 9 == 0 else []),
                pre_service_training_completed_on=(
                    today - timedelta(days=rng.randint(60, 3000)) if trained else None
                ),
                home_study_approved_on=(
                    today - timedelta(days=rng.randint(30, 2500)) if trained else None
                ),
            )
        )
    families = Family.objects.bulk_create(families, batch_size=BATCH)

    carers, household, history = [], [], []
    for n, family in enumerate(families):
        trained = family.pre_service_training_completed_on is not None
        for c in range(2 if rng.random() < 0.7 else 1):
            carers.append(
                Carer(
                    family=family,
                    first_name=FIRST_NAMES[(n + c * 10) % len(FIRST_NAMES)],
                    last_name=SURNAMES[n % len(SURNAMES)],
                    birth_year=rng.randint(1960, 1998),
                    email=f"hoitaja{family.pk}.{c + 1}@example.fi",
                    languages=family.languages,
                    criminal_record_seen_on=today - timedelta(days=400) if trained else None,
                    criminal_record_seen_by=unit if trained else None,
                    health_checked_on=today - timedelta(days=380) if trained else None,
                )
            )
        if rng.random() < 0.3:
            household.append(
                HouseholdMember(
                    family=family,
                    description="Oma lapsi",
                    birth_year=today.year - rng.randint(1, 15),
                )
            )
        previous = Family.Status.INQUIRY
        steps = PATHS[family.status]
        for s, step in enumerate(steps):
            history.append(
                FamilyStatusChange(
                    family=family,
                    from_status=previous,
                    to_status=step,
                    changed_at=now - timedelta(days=30 * (len(steps) - s)),
                    changed_by=unit,
                )
            )
            previous = step
    Carer.objects.bulk_create(carers, batch_size=BATCH)
    HouseholdMember.objects.bulk_create(household, batch_size=BATCH)
    FamilyStatusChange.objects.bulk_create(history, batch_size=BATCH)

    scale_orgs = list(scale_organisations()) or organisations
    Provider.objects.bulk_create(
        (
            Provider(
                name=f"{'Perhekoti' if n % 3 else 'Lastenkoti'} {SURNAMES[n % 32]} {n + 1}",
                kind=(
                    Provider.Kind.PROFESSIONAL_FAMILY_HOME if n % 3 else Provider.Kind.INSTITUTION
                ),
                business_id=business_id(500000 + n),
                municipality=scale_orgs[n % len(scale_orgs)],
                places=rng.randint(4, 7) if n % 3 else rng.randint(6, 14),
                licence_number=f"LUPA-{n + 1}",
                licence_granted_by="Aluehallintovirasto",
                licence_granted_on=today - timedelta(days=rng.randint(100, 4000)),
            )
            for n in range(size.providers)
        ),
        batch_size=BATCH,
    )
    stdout.write(
        f"Families: {len(families)} with {len(carers)} carers, {len(household)} household "
        f"members, {len(history)} status changes; {size.providers} providers."
    )
