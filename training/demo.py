"""Demo courses, enrolments, attendance and inquiries. Idempotent: runs once per title."""

from datetime import time, timedelta

from django.utils import timezone

from families.models import Family
from fostercare.models import MemberOrganisation, User
from training import services
from training.course_types import load as load_course_types
from training.models import (
    Course,
    CourseType,
    Enrolment,
    GroupParticipant,
    Inquiry,
    InquiryStageChange,
    Session,
)

PRIDE_TOPICS = [
    "Perhehoito ja lastensuojelu",
    "Lapsen kehitys ja kiintymyssuhteet",
    "Lapsen menetykset ja suru",
    "Lapsen suojelu ja turvallisuus",
    "Lapsen tarpeisiin vastaaminen",
    "Yhteistyö lapsen vanhempien kanssa",
    "Lapsen identiteetti ja sukulaissuhteet",
    "Perhehoidon vaikutukset omaan perheeseen",
    "Päätöksenteko: sopiiko perhehoito meille?",
]

INQUIRIES = [
    # last name, first name, kind, stages after new, days ago received
    ("Ylikangas", "Sanna", Family.Kind.FOSTER, [], 3),
    ("Rovanperä", "Jukka", Family.Kind.SUPPORT, [Inquiry.Stage.CONTACTED], 12),
    (
        "Kaukonen",
        "Tiina",
        Family.Kind.FOSTER,
        [Inquiry.Stage.CONTACTED, Inquiry.Stage.INFO_EVENING],
        30,
    ),
    ("Hannula", "Petri", Family.Kind.RECEPTION, [Inquiry.Stage.WITHDRAWN], 45),
    (
        "Tapio",
        "Riikka",
        Family.Kind.SUPPORT,
        [Inquiry.Stage.CONTACTED, Inquiry.Stage.INFO_EVENING, Inquiry.Stage.IN_TRAINING],
        80,
    ),
]


def _course(*, code, title, capacity, audience, organiser, sessions, unit, kind=Session.Kind.GROUP):
    today = timezone.localdate()
    course = services.course_save(
        course=Course(
            course_type=CourseType.objects.get(code=code),
            title=title,
            capacity=capacity,
            audience=audience,
            organiser=organiser,
            enrolment_opens_on=today - timedelta(days=90),
            enrolment_closes_on=today + timedelta(days=60),
        ),
        by=unit,
    )
    for day, topic, start, end in sessions:
        services.session_save(
            session=Session(
                course=course,
                kind=kind,
                date=day,
                start_time=start,
                end_time=end,
                topic=topic,
                place="Sijaishuoltoyksikkö, Valtakatu 1, Kemi",
                trainers="Ulla Unitinen, Pertti Perhehoitaja (kokemuskouluttaja)",
            ),
            by=unit,
        )
    return course


def _attend_past_sessions(course, unit, *, skip_every=0):
    today = timezone.localdate()
    enrolments = list(course.enrolments.filter(status=Enrolment.Status.ENROLLED))
    for index, session in enumerate(course.sessions.filter(date__lt=today)):
        for number, enrolment in enumerate(enrolments):
            if skip_every and (index + number) % skip_every == 0:
                continue  # somebody is always away
            services.attendance_set(session=session, enrolment=enrolment, present=True, by=unit)


def seed(stdout) -> None:
    load_course_types(CourseType)
    unit = User.objects.get(username="unit")
    kemi = MemberOrganisation.objects.get(code="240")
    today = timezone.localdate()
    created = []

    title = "PRIDE-valmennus, Kemi"
    if not Course.objects.filter(title=title).exists():
        start = today - timedelta(weeks=5)
        course = _course(
            code="pride",
            title=title,
            capacity=12,
            audience=["foster_parents", "support_families"],
            organiser=kemi,
            unit=unit,
            sessions=[
                (start + timedelta(weeks=n), topic, time(17, 30), time(20, 30))
                for n, topic in enumerate(PRIDE_TOPICS)
            ],
        )
        services.session_save(
            session=Session(
                course=course,
                kind=Session.Kind.MAKE_UP,
                date=start + timedelta(weeks=9, days=2),
                start_time=time(17, 30),
                end_time=time(20, 30),
                topic="Korvaava tapaaminen",
                online_link="https://meet.example.fi/pride-korvaava",
                trainers="Ulla Unitinen",
            ),
            by=unit,
        )
        families = Family.objects.filter(status=Family.Status.IN_TRAINING).order_by("pk")[:5]
        for family in families:
            services.family_enrol(course=course, family=family, by=unit)
            for weeks_ago in (4, 2):
                services.individual_meeting_add(
                    course=course,
                    family=family,
                    by=unit,
                    held_on=today - timedelta(weeks=weeks_ago),
                    workers="Ulla Unitinen",
                    notes="Kotikäynti",
                )
        _attend_past_sessions(course, unit, skip_every=7)
        created.append(title)

    title = "Infoilta: perhehoitajaksi?"
    if not Course.objects.filter(title=title).exists():
        _course(
            code="info-evening",
            title=title,
            capacity=40,
            audience=["foster_parents", "support_families", "kinship_carers"],
            organiser=kemi,
            unit=unit,
            sessions=[(today + timedelta(days=9), "Mitä perhehoito on?", time(18), time(19, 30))],
        )
        created.append(title)

    title = "Sijaisvanhempien vertaisryhmä"
    if not Course.objects.filter(title=title).exists():
        course = _course(
            code="peer-group",
            title=title,
            capacity=16,
            audience=["foster_parents"],
            organiser=MemberOrganisation.objects.get(code="851"),
            unit=unit,
            sessions=[
                (today + timedelta(weeks=n * 2 - 4), "Vertaistapaaminen", time(18), time(20))
                for n in range(6)
            ],
        )
        for family in Family.objects.filter(status=Family.Status.ACTIVE).order_by("pk")[:4]:
            services.family_enrol(course=course, family=family, by=unit)
        _attend_past_sessions(course, unit)
        created.append(title)

    # A peer group for those who are not carers on the register: first names or
    # pseudonyms only.
    title = "Lasten ja syntymävanhempien vertaisryhmä"
    if not Course.objects.filter(title=title).exists():
        course = _course(
            code="peer-group",
            title=title,
            capacity=12,
            audience=["foster_parents"],
            organiser=MemberOrganisation.objects.get(code="240"),
            unit=unit,
            sessions=[
                (today + timedelta(weeks=n * 3 - 6), "Vertaistapaaminen", time(17), time(18, 30))
                for n in range(4)
            ],
        )
        R = GroupParticipant.Role
        participants = [
            services.group_participant_save(
                participant=GroupParticipant(course=course, role=role, display_name=name), by=unit
            )
            for role, name in [(R.CHILD, "Eemil"), (R.CHILD, "Venla"), (R.BIRTH_PARENT, "Sanna")]
        ]
        for session in course.sessions.filter(date__lt=today):
            for participant in participants:
                services.attendance_set(
                    session=session, participant=participant, present=True, by=unit
                )
        created.append(title)

    title = "Sijaisperheiden ryhmätyönohjaus"
    if not Course.objects.filter(title=title).exists():
        course = _course(
            code="group-supervision",
            title=title,
            capacity=8,
            audience=["foster_parents", "support_families"],
            organiser=MemberOrganisation.objects.get(code="851"),
            unit=unit,
            sessions=[
                (today + timedelta(weeks=n * 4 - 8), "Ryhmätyönohjaus", time(17), time(19))
                for n in range(4)
            ],
        )
        for family in Family.objects.filter(status=Family.Status.ACTIVE).order_by("-pk")[:3]:
            services.family_enrol(course=course, family=family, by=unit)
        _attend_past_sessions(course, unit)
        created.append(title)

    title = "Jatkokoulutus: traumatietoinen perhehoito"
    if not Course.objects.filter(title=title).exists():
        course = _course(
            code="continuing-education",
            title=title,
            capacity=24,
            audience=["foster_parents", "kinship_carers"],
            organiser=kemi,
            unit=unit,
            sessions=[
                (today - timedelta(days=40), "Trauma ja lapsen käytös", time(9), time(15)),
                (today - timedelta(days=33), "Säätelyn tukeminen arjessa", time(9), time(12)),
                (today + timedelta(days=20), "Oma jaksaminen", time(9), time(12)),
            ],
        )
        for family in Family.objects.filter(status=Family.Status.APPROVED).order_by("pk")[:6]:
            services.family_enrol(course=course, family=family, by=unit)
        _attend_past_sessions(course, unit, skip_every=5)
        created.append(title)

    for last_name, first_name, kind, stages, days_ago in INQUIRIES:
        if Family.objects.filter(name=last_name, inquiry__isnull=False).exists():
            continue
        inquiry = services.inquiry_create(
            kind=kind,
            first_name=first_name,
            last_name=last_name,
            birth_year=1985,
            email=f"{last_name.lower().replace('ä', 'a').replace('ö', 'o')}@example.fi",
            phone="040 123 4567",
            home_municipality=kemi,
            message="Haluaisimme kuulla lisää perhehoidosta.",
            language="fi",
            notify=False,
        )
        for stage in stages:
            services.inquiry_change_stage(inquiry=inquiry, stage=stage, by=unit)
        # spread the history over the weeks since the inquiry came, so times in stage vary
        changes = list(inquiry.stage_changes.order_by("entered_at", "pk"))
        received = timezone.now() - timedelta(days=days_ago)
        step = timedelta(days=days_ago / (len(changes) + 1))
        Inquiry.objects.filter(pk=inquiry.pk).update(created_at=received)
        for index, change in enumerate(changes):
            InquiryStageChange.objects.filter(pk=change.pk).update(
                entered_at=received + step * index
            )
        created.append(last_name)

    stdout.write(f"Training demo data created: {', '.join(created) or 'nothing new'}.")
