"""About sixty demo families and a dozen providers in Länsi-Pohja. Idempotent."""

import random
from datetime import date, timedelta

from families import services
from families.models import (
    Carer,
    Family,
    Provider,
    ProviderUnit,
    SpecialSkill,
    SupervisionVisit,
)
from fostercare.models import MemberOrganisation, User

SKILLS = [
    ("Vammaisuus", "Funktionsnedsättning", "Disability"),
    ("Päihdealtistuneet vauvat", "Substansexponerade spädbarn", "Substance-exposed infants"),
    ("Nuoret", "Unga", "Teenagers"),
    ("Traumatisoituneet lapset", "Traumatiserade barn", "Traumatised children"),
    (
        "Maahanmuuttajataustaiset lapset",
        "Barn med invandrarbakgrund",
        "Children with migrant background",
    ),
    ("Sisarusryhmät", "Syskongrupper", "Sibling groups"),
]

SURNAMES = [
    "Aho",
    "Heikkilä",
    "Hietala",
    "Hirvonen",
    "Honkanen",
    "Jokela",
    "Kallio",
    "Karjalainen",
    "Kela",
    "Keskitalo",
    "Kinnunen",
    "Koivisto",
    "Korhonen",
    "Kumpula",
    "Laitinen",
    "Lampela",
    "Lehtonen",
    "Leinonen",
    "Mattila",
    "Mäkelä",
    "Niemelä",
    "Nieminen",
    "Ojala",
    "Palo",
    "Peltola",
    "Pesonen",
    "Pietilä",
    "Rantala",
    "Rautio",
    "Saarinen",
    "Salo",
    "Sirviö",
]
FIRST_NAMES = [
    "Aino",
    "Anna",
    "Elina",
    "Heidi",
    "Johanna",
    "Kaisa",
    "Laura",
    "Maria",
    "Minna",
    "Sari",
    "Antti",
    "Eero",
    "Heikki",
    "Jari",
    "Juha",
    "Kari",
    "Markku",
    "Mikko",
    "Pekka",
    "Timo",
]

# How far along its lifecycle each demo family is, and the path it took.
PATHS = {
    Family.Status.INQUIRY: [],
    Family.Status.IN_TRAINING: [Family.Status.IN_TRAINING],
    Family.Status.ASSESSMENT: [Family.Status.IN_TRAINING, Family.Status.ASSESSMENT],
    Family.Status.APPROVED: [
        Family.Status.IN_TRAINING,
        Family.Status.ASSESSMENT,
        Family.Status.APPROVED,
    ],
    Family.Status.ACTIVE: [
        Family.Status.IN_TRAINING,
        Family.Status.ASSESSMENT,
        Family.Status.APPROVED,
        Family.Status.ACTIVE,
    ],
    Family.Status.PAUSED: [
        Family.Status.IN_TRAINING,
        Family.Status.ASSESSMENT,
        Family.Status.APPROVED,
        Family.Status.PAUSED,
    ],
    Family.Status.ENDED: [Family.Status.IN_TRAINING, Family.Status.ENDED],
}
# Pausing and ending are recorded with their reason.
STEP_REASONS = {
    Family.Status.PAUSED: "Perheen oma toive: tauko vuodeksi",
    Family.Status.ENDED: "Perhe muutti pois alueelta",
}
STATUS_WEIGHTS = {
    Family.Status.INQUIRY: 5,
    Family.Status.IN_TRAINING: 6,
    Family.Status.ASSESSMENT: 4,
    Family.Status.APPROVED: 18,
    Family.Status.ACTIVE: 18,
    Family.Status.PAUSED: 4,
    Family.Status.ENDED: 5,
}
KIND_WEIGHTS = {
    Family.Kind.FOSTER: 24,
    Family.Kind.SUPPORT: 18,
    Family.Kind.RECEPTION: 8,
    Family.Kind.KINSHIP: 10,
}
PROVIDERS = [
    ("Perhekoti Pihlaja", "professional_family_home", "240", 6),
    ("Perhekoti Tervaskanto", "professional_family_home", "845", 7),
    ("Perhekoti Ruska", "professional_family_home", "851", 5),
    ("Perhekoti Kotiranta", "professional_family_home", "976", 6),
    ("Perhekoti Tähtitaivas", "professional_family_home", "241", 4),
    ("Perhekoti Revontuli", "professional_family_home", "751", 7),
    ("Lastenkoti Meripuisto", "institution", "240", 14),
    ("Nuorisokoti Väylä", "institution", "851", 10),
    ("Lastensuojeluyksikkö Kaarna", "institution", "241", 12),
    ("Vastaanottokoti Majakka", "institution", "240", 8),
    ("Nuorten asumisyksikkö Virta", "institution", "976", 9),
    ("Perhekuntoutusyksikkö Kajo", "institution", "851", 6),
]


def _units(kind: str, places: int) -> list[tuple[str, int, int, int]]:
    """A family home is one unit for all ages; an institution a ward for children and
    one for young people."""
    if kind == "professional_family_home":
        return [("Perhekoti", places, 0, 17)]
    children = places // 2
    return [("Lasten osasto", children, 0, 12), ("Nuorten osasto", places - children, 12, 17)]


def seed(stdout) -> None:
    rng = random.Random(2026)  # fixed seed: the same demo data on every machine
    unit = User.objects.get(username="unit")
    for fi, sv, en in SKILLS:
        SpecialSkill.objects.update_or_create(name_fi=fi, defaults={"name_sv": sv, "name_en": en})
    skills = list(SpecialSkill.objects.all())
    municipalities = list(MemberOrganisation.objects.order_by("code"))
    today = date.today()

    created = 0
    for index in range(60):
        surname_a = SURNAMES[index % len(SURNAMES)]
        surname_b = SURNAMES[(index * 7 + 3) % len(SURNAMES)]
        # the surnames only: pages say "Perhe Aho" (Family.display_name)
        name = surname_a if index < len(SURNAMES) else f"{surname_a}–{surname_b}"
        kind = rng.choices(list(KIND_WEIGHTS), weights=list(KIND_WEIGHTS.values()))[0]
        status = rng.choices(list(STATUS_WEIGHTS), weights=list(STATUS_WEIGHTS.values()))[0]
        if Family.objects.filter(name=name).exists():
            continue
        two_carers = rng.random() < 0.7
        age_min = rng.choice([0, 0, 2, 4, 7, 10])
        trained = status in (Family.Status.APPROVED, Family.Status.ACTIVE, Family.Status.PAUSED)
        family = services.family_create(
            by=unit,
            name=name,
            kind=kind,
            home_municipality=rng.choice(municipalities),
            street_address=f"{rng.choice(['Koivu', 'Kuusi', 'Mänty', 'Paju'])}tie {index + 1}",
            postal_code="94100",
            post_office="KEMI",
            places=rng.choice([1, 1, 2, 2, 3]) if kind != Family.Kind.SUPPORT else 1,
            age_min=age_min,
            age_max=min(17, age_min + rng.choice([6, 10, 17])),
            siblings_accepted=rng.random() < 0.6,
            languages=["fi"]
            + (["sv"] if index % 9 == 0 else [])
            + (["se"] if index % 13 == 0 else []),
            pre_service_training_completed_on=(
                today - timedelta(days=rng.randint(60, 2000)) if trained else None
            ),
            home_study_approved_on=today - timedelta(days=rng.randint(30, 1500))
            if trained
            else None,
            special_skills=rng.sample(skills, rng.randint(0, 2)),
        )
        for n in range(2 if two_carers else 1):
            carer = Carer(
                family=family,
                first_name=FIRST_NAMES[(index + n * 10) % len(FIRST_NAMES)],
                last_name=surname_a,
                birth_year=rng.randint(1960, 1995),
                phone=f"040 {rng.randint(100, 999)} {rng.randint(1000, 9999)}",
                email=f"perhe{index + 1}.{n + 1}@example.fi",
                languages=family.languages,
                # the gates of approval: the extract seen (by the unit worker entering it)
                criminal_record_seen_on=today - timedelta(days=400) if trained else None,
                health_checked_on=today - timedelta(days=380) if trained else None,
            )
            services.carer_save(carer=carer, by=unit)
        if rng.random() < 0.3:
            services.household_member_add(
                family=family,
                by=unit,
                description="Oma lapsi",
                birth_year=today.year - rng.randint(1, 6),
            )
        for step in PATHS[status]:
            services.family_change_status(
                family=family, to_status=step, by=unit, reason=STEP_REASONS.get(step, "")
            )
        created += 1

    for index, (name, kind, code, places) in enumerate(PROVIDERS):
        phone = f"016 {rng.randint(100, 999)} {rng.randint(1000, 9999)}"
        if Provider.objects.filter(name=name).exists():
            continue
        provider = Provider(
            name=name,
            kind=kind,
            municipality=MemberOrganisation.objects.get(code=code),
            places=places,
            licence_number=f"LAP/{2015 + index}/{100 + index}",
            licence_granted_by="Aluehallintovirasto",
            licence_granted_on=date(2015 + index % 8, 3, 1),
            licence_valid_from=date(2015 + index % 8, 3, 1),
            # one licence ran out last year: it is refused by the matching
            licence_valid_until=date(today.year - 1, 12, 31) if index == 4 else None,
            phone=phone,
        )
        services.provider_save(provider=provider, by=unit)
        for unit_name, unit_places, age_min, age_max in _units(kind, places):
            services.provider_unit_save(
                unit=ProviderUnit(
                    provider=provider,
                    name=unit_name,
                    places=unit_places,
                    age_min=age_min,
                    age_max=age_max,
                ),
                by=unit,
            )
        visit = SupervisionVisit(
            provider=provider,
            visited_on=today - timedelta(days=30 + index * 20),
            visitors="Ulla Unitinen (sijaishuoltoyksikkö), Lapin hyvinvointialueen valvonta",
            findings="Toiminta asianmukaista. Lääkehoitosuunnitelma päivitettävä.",
            follow_up_due_on=today - timedelta(days=index * 10 - 40),
            follow_up_done_on=None if index % 3 else today - timedelta(days=5),
        )
        services.supervision_visit_save(visit=visit, by=unit)
    stdout.write(f"Families created: {created}; total {Family.objects.count()}.")
