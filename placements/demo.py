"""Demo children and placement requests in several states for Kemi and Tornio. Idempotent:
does nothing once any request exists. Every step goes through the services."""

from datetime import date, timedelta

from django.conf import settings
from django.utils import translation

from families.models import SpecialSkill
from fostercare.models import User
from placements import services, support
from placements.matching import match_families
from placements.models import Child, PlacementRequest, PlacementType, SupportArrangement
from placements.provider_matching import match_provider_units

T = PlacementType
U = PlacementRequest.Urgency

# username, [(first, last, age in days, languages, needs, school)], type, urgency,
# how far along the flow, days ago the placement started (for placed requests)
REQUESTS = [
    (
        "kemi",
        [
            ("Eetu", "Esimerkki", 7 * 365 + 40, ["fi"], [], "Syväkankaan koulu"),
            ("Emma", "Esimerkki", 4 * 365 + 100, ["fi"], [], "Päiväkoti Pikkumetsä"),
        ],
        T.EMERGENCY,
        U.IMMEDIATE,
        "submitted",
        0,
    ),
    (
        "kemi",
        [("Aleksi", "Kallio", 15 * 365 + 20, ["fi"], ["Nuoret"], "Kemin lyseo")],
        T.SUBSTITUTE_CARE,
        U.NORMAL,
        "in_search",
        0,
    ),
    (
        "kemi",
        [("Sara", "Lehto", 10 * 365 + 200, ["fi", "sv"], [], "Karjalahden koulu")],
        T.OPEN_CARE,
        U.URGENT,
        "proposed",
        0,
    ),
    (
        "kemi",
        [("Niko", "Rautio", 17 * 365 + 250, ["fi"], ["Nuoret"], "Lappia")],
        T.SUBSTITUTE_CARE,
        U.NORMAL,
        "placed",
        400,
    ),
    ("kemi", [("Lumi", "Niemi", 2 * 365, ["fi"], [], "")], T.SUPPORT_FAMILY, U.NORMAL, "draft", 0),
    # a support family for one weekend a month: an arrangement of dated stays
    (
        "kemi",
        [("Iida", "Ikola", 8 * 365 + 90, ["fi"], [], "Hepolan koulu")],
        T.SUPPORT_FAMILY,
        U.NORMAL,
        "arranged",
        0,
    ),
    # a young person placed in a professional family home's unit
    (
        "tornio",
        [("Joonas", "Jokela", 14 * 365 + 60, ["fi"], [], "Raumon koulu")],
        T.SUBSTITUTE_CARE,
        U.NORMAL,
        "placed_provider",
        20,
    ),
    (
        "tornio",
        [("Ville", "Väylä", 12 * 365 + 30, ["fi", "sv"], [], "Putaan koulu")],
        T.SHORT_TERM,
        U.NORMAL,
        "submitted",
        0,
    ),
    (
        "tornio",
        [("Aino", "Alatalo", 9 * 365 + 10, ["fi"], ["Traumatisoituneet lapset"], "")],
        T.EMERGENCY,
        U.URGENT,
        "placed",
        10,
    ),
    (
        "tornio",
        [("Oskari", "Ojala", 16 * 365 + 90, ["fi"], ["Vammaisuus"], "Raumon koulu")],
        T.SUBSTITUTE_CARE,
        U.NORMAL,
        "no_place",
        0,
    ),
]
ORDER = ["draft", "submitted", "in_search", "proposed", "placed"]
# stages that go as far as "placed", with a provider's unit or as a support arrangement
PLACED_LIKE = {"placed_provider", "arranged"}


def seed(stdout) -> None:
    # Reasons and timeline notes are stored as written: write them in the default language.
    with translation.override(settings.LANGUAGE_CODE):
        _seed(stdout)


def _seed(stdout) -> None:
    if PlacementRequest.objects.exists():
        stdout.write("Placement requests exist already; demo placements left as they are.")
        return
    unit = User.objects.get(username="unit")
    today = date.today()
    placed = 0
    for username, children_data, placement_type, urgency, stage, started_days_ago in REQUESTS:
        worker = User.objects.get(username=username)
        children = []
        for first, last, age_days, languages, needs, school in children_data:
            child = Child(
                first_name=first,
                last_name=last,
                date_of_birth=today - timedelta(days=age_days),
                languages=languages,
                school_or_daycare=school,
            )
            services.child_save(
                child=child, by=worker, needs=SpecialSkill.objects.filter(name_fi__in=needs)
            )
            children.append(child)
        for child in children:
            child.siblings.set([c for c in children if c != child])
        request = services.placement_request_create(
            by=worker,
            children=children,
            placement_type=placement_type,
            urgency=urgency,
            wished_start_on=today - timedelta(days=started_days_ago),
            expected_duration="30 vrk" if placement_type == T.EMERGENCY else "",
            wishes="Lähellä nykyistä koulua." if children_data[0][5] else "",
        )
        reached = 4 if stage in PLACED_LIKE else ORDER.index(stage) if stage in ORDER else 1
        if reached >= 1:
            services.placement_request_submit(request=request, by=worker)
        if stage == "no_place":
            services.placement_request_take(request=request, by=unit)
            services.placement_request_no_place(
                request=request,
                by=unit,
                reason="Rekisterissä ei ole vapaata perhettä, jolla on tarvittava osaaminen.",
            )
            continue
        if reached >= 2:
            services.placement_request_take(request=request, by=unit)
        if stage == "placed_provider":
            _place_with_provider(request, worker, unit, today - timedelta(days=started_days_ago))
            placed += 1
            continue
        if reached >= 3:
            ranked = match_families(_fresh(request)).ranked
            if not ranked:
                stdout.write(f"No family fits {request}; it stays in search.")
                continue
            services.placement_request_propose(
                request=request, by=unit, family_ids=[m.family.pk for m in ranked[:2]]
            )
        if reached >= 4:
            request.refresh_from_db()
            proposal = request.proposals.order_by("rank").first()
            services.proposal_accept(proposal=proposal, by=worker)
            _decide(request, worker, today - timedelta(days=started_days_ago + 1))
            if stage == "arranged":
                _arrange_weekends(request, unit, today)
                continue
            services.placement_request_place(
                request=request, by=unit, started_on=today - timedelta(days=started_days_ago)
            )
            placed += 1
    stdout.write(
        f"Placement requests: {PlacementRequest.objects.count()}; children placed by requests: "
        f"{placed}."
    )


def _decide(request: PlacementRequest, worker: User, on: date) -> None:
    services.placement_request_decide(
        request=request,
        by=worker,
        decision_on=on,
        decision_maker="Johtava sosiaalityöntekijä Liisa Lappalainen",
        decision_reference=f"LAPHA/{on.year}/{100 + request.pk}",
    )


def _place_with_provider(request, worker: User, unit: User, started_on: date) -> None:
    """Matched to a professional family home's unit, proposed, accepted, decided, placed."""
    ranked = match_provider_units(_fresh(request)).ranked
    if not ranked:
        return
    services.placement_request_propose_providers(
        request=request, by=unit, unit_ids=[ranked[0].unit.pk]
    )
    services.proposal_accept(proposal=request.proposals.get(), by=worker)
    _decide(request, worker, started_on - timedelta(days=1))
    services.placement_request_place(request=request, by=unit, started_on=started_on)


def _arrange_weekends(request, unit: User, today: date) -> None:
    """The support family's first weekend of each month for half a year."""
    (arrangement,) = support.support_arrangement_create(
        request=request,
        by=unit,
        pattern=SupportArrangement.Pattern.MONTHLY_WEEKEND,
        weekend_of_month=1,
        starts_on=today,
        ends_on=today + timedelta(days=183),
    )
    support.support_stays_generate(arrangement=arrangement, by=unit)


def _fresh(request: PlacementRequest) -> PlacementRequest:
    return PlacementRequest.objects.select_related("municipality").get(pk=request.pk)
