"""Demo organisations and users. Run through ``manage.py seed_demo``."""

from decimal import Decimal

from django.contrib.auth.models import Group

from fostercare.models import MemberOrganisation, PopulationFigure, User
from fostercare.roles import Role

DEMO_PASSWORD = "demo"

# code, Finnish, Swedish, business ID, population (DOMAIN.md), latitude, longitude, postcode
MUNICIPALITIES = [
    ("240", "Kemi", "Kemi", "0209602-6", 19404, "65.73640", "24.56370", "94100"),
    ("241", "Keminmaa", "Keminmaa", "0192914-5", 7691, "65.80160", "24.54400", "94400"),
    ("751", "Simo", "Simo", "0193140-5", 2778, "65.66110", "25.06390", "95200"),
    ("845", "Tervola", "Tervola", "0193165-9", 2825, "66.08470", "24.81040", "95300"),
    ("851", "Tornio", "Torneå", "0193193-1", 20959, "65.84810", "24.14660", "95400"),
    ("976", "Ylitornio", "Övertorneå", "0996189-5", 3736, "66.31890", "23.67100", "95600"),
]
# The names on invoices: the cities' and municipalities' legal names.
LEGAL_NAMES = {
    "240": "Kemin kaupunki",
    "241": "Keminmaan kunta",
    "751": "Simon kunta",
    "845": "Tervolan kunta",
    "851": "Tornion kaupunki",
    "976": "Ylitornion kunta",
}

# username, first name, last name, role, organisation code, is_staff, is_superuser
USERS = [
    ("unit", "Ulla", "Unitinen", Role.UNIT_WORKER, None, False, False),
    ("kemi", "Kaisa", "Kemiläinen", Role.MUNICIPAL_WORKER, "240", False, False),
    ("tornio", "Topi", "Torniolainen", Role.MUNICIPAL_WORKER, "851", False, False),
    ("finance", "Fanni", "Talous", Role.FINANCE, "851", True, False),
    ("admin", "Aarne", "Ylläpito", Role.ADMINISTRATOR, None, True, True),
]


def seed(stdout) -> None:
    for code, name_fi, name_sv, business_id, population, lat, lon, postcode in MUNICIPALITIES:
        org, _ = MemberOrganisation.objects.update_or_create(
            code=code,
            defaults={
                "name_fi": name_fi,
                "name_sv": name_sv,
                "legal_name": LEGAL_NAMES[code],
                "business_id": business_id,
                "einvoice_address": f"0037{business_id.replace('-', '')}",
                "einvoice_operator": "003721291126",
                "street_address": "Valtakatu 1",
                "postal_code": postcode,
                "post_office": name_fi.upper(),
                "latitude": Decimal(lat),
                "longitude": Decimal(lon),
            },
        )
        PopulationFigure.objects.update_or_create(
            organisation=org,
            year=2024,
            defaults={"population": population, "source": "DOMAIN.md (illustrative)"},
        )
    for username, first, last, role, org_code, staff, superuser in USERS:
        user, created = User.objects.update_or_create(
            username=username,
            defaults={
                "first_name": first,
                "last_name": last,
                "email": f"{username}@example.fi",
                "organisation": MemberOrganisation.objects.filter(code=org_code).first(),
                "is_staff": staff,
                "is_superuser": superuser,
            },
        )
        if created or not user.check_password(DEMO_PASSWORD):
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        user.groups.set([Group.objects.get(name=role)])
    stdout.write(f"Demo logins (password '{DEMO_PASSWORD}'): " + ", ".join(u[0] for u in USERS))
