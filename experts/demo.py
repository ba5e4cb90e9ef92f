"""Demo expert registers and consultations for Kemi and Tornio over the past quarters.
Idempotent: areas and experts are updated by name; consultations are added only once."""

from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.utils import translation
from django.utils.text import slugify

from experts import services
from experts.models import Consultation, Expert, ExpertiseArea, ExpertRole, GroupLeader
from fostercare.models import MemberOrganisation, User
from placements.models import PlacementRequest
from training.models import Course

R = ExpertRole
K = Consultation.Kind

AREAS = [
    ("Läheisneuvonpito", "Släktrådslag", "Family group conferencing"),
    ("Päihteet ja vanhemmuus", "Missbruk och föräldraskap", "Substance abuse and parenting"),
    ("Perheväkivalta", "Våld i familjen", "Family violence"),
    ("Lapsen seksuaalinen hyväksikäyttö", "Sexuella övergrepp mot barn", "Child sexual abuse"),
    ("Trauma ja kiintymyssuhde", "Trauma och anknytning", "Trauma and attachment"),
    ("Lapsilähtöiset menetelmät", "Barnorienterade metoder", "Child-centred methods"),
    ("Perhehoito", "Familjevård", "Family care"),
    ("Oppilashuolto", "Elevvård", "Pupil welfare"),
]

ALL = ["240", "241", "751", "845", "851", "976"]

# name, kind, title, roles, areas, languages, serves (codes), available, availability,
# fee per hour, convener trained, supervisor qualified, consent scope, withdrawn
EXPERTS = [
    (
        "Linnea Forsström",
        "person",
        "sosiaalityöntekijä",
        [R.CONVENER],
        ["Läheisneuvonpito"],
        ["sv", "fi"],
        ["851", "976"],
        True,
        "iltaisin ja viikonloppuisin",
        None,
        date(2023, 5, 12),
        None,
        "members",
        False,
    ),
    (
        "Pirjo Väisänen",
        "person",
        "perhetyöntekijä",
        [R.CONVENER, R.MENTOR],
        ["Läheisneuvonpito", "Lapsilähtöiset menetelmät"],
        ["fi"],
        ["240", "241", "751"],
        True,
        "arkipäivisin",
        None,
        date(2021, 11, 3),
        None,
        "members",
        False,
    ),
    (
        "Matti Keskitalo",
        "person",
        "psykoterapeutti, työnohjaaja (STOry)",
        [R.WORK_SUPERVISOR, R.EXPERT_CIRCLE],
        ["Trauma ja kiintymyssuhde"],
        ["fi", "en"],
        ALL,
        True,
        "2 uutta ryhmää keväällä",
        Decimal("95.00"),
        None,
        date(2019, 6, 14),
        "members",
        False,
    ),
    (
        "Työnohjaus Revontuli Oy",
        "organisation",
        "työnohjauspalvelut",
        [R.WORK_SUPERVISOR],
        ["Perhehoito"],
        ["fi", "sv"],
        ALL,
        True,
        "yksilö- ja ryhmätyönohjaus",
        Decimal("110.00"),
        None,
        date(2018, 9, 1),
        "members",
        False,
    ),
    (
        "Anneli Rautio",
        "person",
        "erityissosiaalityöntekijä",
        [R.EXPERT_CIRCLE, R.TRAINER],
        ["Perheväkivalta", "Päihteet ja vanhemmuus"],
        ["fi"],
        ["240", "851"],
        False,
        "virkavapaalla toukokuuhun",
        None,
        None,
        None,
        "members",
        False,
    ),
    (
        "Jussi Lampela",
        "person",
        "psykologi",
        [R.EXPERT_CIRCLE],
        ["Lapsen seksuaalinen hyväksikäyttö"],
        ["fi"],
        ALL,
        True,
        "",
        None,
        None,
        None,
        "unit",
        False,
    ),
    (
        "Helena Niemelä",
        "person",
        "sijaisvanhempi",
        [R.MENTOR],
        ["Perhehoito"],
        ["fi"],
        ["845", "751"],
        True,
        "",
        None,
        None,
        None,
        "members",
        False,
    ),
    (
        "Kaarina Ylitalo",
        "person",
        "kouluttaja, PRIDE",
        [R.TRAINER],
        ["Perhehoito", "Lapsilähtöiset menetelmät"],
        ["fi", "se"],
        ALL,
        True,
        "",
        Decimal("80.00"),
        None,
        None,
        "members",
        False,
    ),
    (
        "Seppo Kinnunen",
        "person",
        "koulukuraattori",
        [R.CONVENER, R.EXPERT_CIRCLE],
        ["Oppilashuolto", "Läheisneuvonpito"],
        ["fi"],
        ["241"],
        True,
        "",
        None,
        date(2020, 2, 20),
        None,
        "members",
        True,
    ),
]

# municipality, days ago, kind, minutes, worker username or None, with the request?
CONSULTATIONS = [
    ("240", 5, K.HOME_VISIT, 120, "kemi", True),
    ("240", 20, K.PHONE_GUIDANCE, 30, "kemi", False),
    ("240", 60, K.CLIENT_MEETING, 90, "kemi", True),
    ("240", 100, K.GROUP_CONSULTATION, 180, None, False),
    ("240", 190, K.SUPERVISION, 60, "kemi", False),
    ("240", 280, K.PHONE_GUIDANCE, 45, "kemi", False),
    ("851", 8, K.PHONE_GUIDANCE, 20, "tornio", True),
    ("851", 40, K.HOME_VISIT, 150, "tornio", False),
    ("851", 130, K.CLIENT_MEETING, 75, "tornio", True),
    ("851", 220, K.GROUP_CONSULTATION, 120, None, False),
    ("851", 320, K.SUPERVISION, 90, "tornio", False),
]


def seed(stdout) -> None:
    with translation.override(settings.LANGUAGE_CODE):
        _seed(stdout)


def _seed(stdout) -> None:
    unit = User.objects.get(username="unit")
    for name_fi, name_sv, name_en in AREAS:
        ExpertiseArea.objects.update_or_create(
            name_fi=name_fi, defaults={"name_sv": name_sv, "name_en": name_en}
        )
    today = date.today()
    for (
        name, kind, title, roles, areas, languages, serves, available, availability, fee,
        convener_on, supervisor_on, scope, withdrawn,
    ) in EXPERTS:  # fmt: skip
        expert = Expert.objects.filter(name=name).first() or Expert(name=name)
        expert.kind = kind
        expert.title = title
        expert.roles = list(roles)
        expert.languages = languages
        expert.available = available
        expert.availability = availability
        expert.hourly_fee = fee
        expert.convener_trained_on = convener_on
        expert.supervisor_qualified_on = supervisor_on
        expert.consent_given_on = date(2024, 1, 15)
        expert.consent_scope = scope
        expert.consent_withdrawn_on = today - timedelta(days=30) if withdrawn else None
        expert.email = f"{slugify(name)}@example.fi"
        expert.phone = "040 123 4567"
        if kind == "organisation":
            expert.contact_person = "Riikka Kumpula"
        services.expert_save(
            expert=expert,
            by=unit,
            expertise=ExpertiseArea.objects.filter(name_fi__in=areas),
            serves=MemberOrganisation.objects.filter(code__in=serves),
        )
    stdout.write(f"Expert registers: {Expert.objects.count()} experts.")

    # The work supervisors of the register lead the demo's supervision and peer groups.
    supervisor = Expert.objects.listed().filter(roles__contains=[ExpertRole.WORK_SUPERVISOR])
    supervisor = supervisor.order_by("pk").first()
    for course in Course.objects.filter(
        course_type__code__in=["group-supervision", "peer-group"], leaders__isnull=True
    ):
        if supervisor is not None:
            services.group_leader_save(
                leader=GroupLeader(course=course, expert=supervisor), by=unit
            )

    if Consultation.objects.exists():
        stdout.write("Consultations exist already; demo consultations left as they are.")
        return
    conveners = list(Expert.objects.listed().filter(roles__contains=[R.CONVENER]))
    supervisors = list(Expert.objects.listed().filter(roles__contains=[R.WORK_SUPERVISOR]))
    for code, days_ago, kind, minutes, username, with_request in CONSULTATIONS:
        org = MemberOrganisation.objects.get(code=code)
        request = (
            PlacementRequest.objects.filter(municipality=org).order_by("pk").first()
            if with_request
            else None
        )
        consultation = Consultation(
            kind=kind,
            held_on=today - timedelta(days=days_ago),
            duration_minutes=minutes,
            municipality=org,
            municipal_worker=User.objects.filter(username=username).first(),
            placement_request=request,
            note="Sovittiin jatkosta ja seuraavasta tapaamisesta.",
        )
        experts = supervisors[:1] if kind == K.SUPERVISION else []
        if kind == K.GROUP_CONSULTATION:
            experts = conveners[:1]
        services.consultation_save(consultation=consultation, by=unit, experts=experts)
    stdout.write(f"Consultations: {Consultation.objects.count()}.")
