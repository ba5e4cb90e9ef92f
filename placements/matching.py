"""Which families fit a placement request, and in what order.

Hard rules exclude a family and say why; soft criteria give points with reasons. A
family's room is ``Family.objects.with_room()``'s, the same figure the register and the
vacancy board show. The computation runs in Python over one query (plus its prefetches),
so the matching page costs the same number of queries for ten families as for five hundred.
"""

import math
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from families.gates import family_gaps
from families.models import Carer, Family
from fostercare.models import MemberOrganisation
from placements.models import Child, PlacementRequest, PlacementType, age_on

F = Family.Kind

# Which kinds of family may take which kind of placement.
KINDS_FOR_TYPE: dict[str, set[str]] = {
    PlacementType.EMERGENCY: {F.RECEPTION, F.FOSTER},
    PlacementType.OPEN_CARE: {F.FOSTER, F.RECEPTION, F.KINSHIP},
    PlacementType.SUBSTITUTE_CARE: {F.FOSTER, F.KINSHIP},
    PlacementType.SHORT_TERM: {F.RECEPTION, F.SUPPORT, F.FOSTER},
    PlacementType.SUPPORT_FAMILY: {F.SUPPORT},
}

# The hard rules, in the order the page lists them.
RULE_KIND = "kind"
RULE_STATUS = "status"
RULE_GATES = "gates"
RULE_TRAINING = "training"
RULE_CAPACITY = "capacity"
RULE_AGE = "age"
HARD_RULES = {
    RULE_KIND: gettext_lazy("Family kind does not fit the placement type"),
    RULE_STATUS: gettext_lazy("Not approved and in reserve or active"),
    RULE_GATES: gettext_lazy("Not ready: training, home study or criminal-record extract"),
    RULE_TRAINING: gettext_lazy("Pre-service training completed only after the start"),
    RULE_CAPACITY: gettext_lazy("No room for the whole sibling group"),
    RULE_AGE: gettext_lazy("Age range does not cover every child"),
}

# Soft criteria: points for each.
DISTANCE_POINTS = 30  # at 0 km; one point less for every DISTANCE_KM_PER_POINT km
DISTANCE_KM_PER_POINT = 5
LANGUAGE_POINTS = 20
SKILL_POINTS = 10  # per need matched
EXPERIENCE_POINTS_PER_YEAR = 1
EXPERIENCE_MAX_POINTS = 10
WHOLE_GROUP_POINTS = 15  # when the request allows splitting, keeping siblings together still wins


@dataclass
class Match:
    family: Family
    excluded_by: list[str] = field(default_factory=list)
    exclusion_reasons: list[str] = field(default_factory=list)
    score: int = 0
    reasons: list[str] = field(default_factory=list)
    distance_km: Decimal | None = None

    @property
    def fits(self) -> bool:
        return not self.excluded_by


@dataclass
class MatchResult:
    ranked: list[Match]
    excluded: list[Match]
    exclusions_per_rule: list[tuple[str, str, int]]  # (rule, label, families excluded)


def haversine_km(a: MemberOrganisation | None, b: MemberOrganisation | None) -> Decimal | None:
    """Great-circle distance between two organisations' coordinates, to 0.1 km."""
    if not a or not b or None in (a.latitude, a.longitude, b.latitude, b.longitude):
        return None
    lat1, lon1, lat2, lon2 = map(
        math.radians, (float(a.latitude), float(a.longitude), float(b.latitude), float(b.longitude))
    )
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return Decimal(2 * 6371.0088 * math.asin(math.sqrt(h))).quantize(Decimal("0.1"))


def candidate_families(
    for_request: PlacementRequest | None = None, among: QuerySet[Family] | None = None
) -> QuerySet[Family]:
    """``among`` (default every family) with what the rules need: their room, in one query
    plus the prefetches of skills and carers.

    Places reserved by other requests' accepted proposals count as taken; the places of
    ``for_request`` itself do not.
    """
    families = Family.objects.all() if among is None else among
    return (
        families.with_room(excluding_request=for_request)
        .select_related("home_municipality")
        # family_gaps() reads the carers living in the home, and only these fields
        .prefetch_related(
            "special_skills",
            Prefetch(
                "carers",
                queryset=Carer.objects.filter(lives_in_home=True).only(
                    "family_id",
                    "first_name",
                    "last_name",
                    "lives_in_home",
                    "criminal_record_seen_on",
                ),
            ),
        )
    )


def evaluate(
    request: PlacementRequest, children: list[Child], family: Family, whole_group: bool = False
) -> Match:
    """Apply the hard rules, then score. ``whole_group``: every child goes to this family
    (accepting and placing), whether or not the request allows splitting the siblings."""
    match = Match(family=family)
    start = request.wished_start_on or timezone.localdate()
    group = len(children)
    needed = group if request.keep_siblings_together or whole_group else 1

    def exclude(rule: str, reason: str) -> None:
        match.excluded_by.append(rule)
        match.exclusion_reasons.append(reason)

    if family.kind not in KINDS_FOR_TYPE[request.placement_type]:
        exclude(
            RULE_KIND,
            _("%(kind)s does not take %(type)s.")
            % {"kind": family.get_kind_display(), "type": request.get_placement_type_display()},
        )
    if family.status not in Family.AVAILABLE_STATUSES:
        exclude(RULE_STATUS, _("Status is “%(status)s”.") % {"status": family.get_status_display()})
    # The register's gates, in its own words (a recorded Family Care Act 6 § exception
    # whose deadline has not passed counts as trained, as in Family.objects.available()).
    for gap in family_gaps(family):
        exclude(RULE_GATES, gap)
    trained_on = family.pre_service_training_completed_on
    if trained_on and trained_on > start:
        exclude(
            RULE_TRAINING,
            _("Pre-service training is completed only on %(date)s, after the start.")
            % {"date": date_format(trained_on, "SHORT_DATE_FORMAT")},
        )
    free, legal_room = family.free_places, family.legal_room
    if needed > 1 and not family.siblings_accepted:
        exclude(RULE_CAPACITY, _("Does not accept siblings."))
    elif free < needed:
        exclude(
            RULE_CAPACITY,
            _("%(free)s free place(s) for %(needed)s child(ren).")
            % {"free": max(free, 0), "needed": needed},
        )
    elif legal_room < needed:
        exclude(
            RULE_CAPACITY,
            _("The legal limit of persons in care allows %(room)s more.") % {"room": legal_room},
        )
    ages = [age_on(child.date_of_birth, start) for child in children]
    if ages and not all(family.age_min <= age <= family.age_max for age in ages):
        exclude(
            RULE_AGE,
            _("Accepts ages %(min)s–%(max)s; the children are %(ages)s.")
            % {
                "min": family.age_min,
                "max": family.age_max,
                "ages": ", ".join(str(a) for a in ages),
            },
        )
    if match.excluded_by:
        return match

    _score(match, request, children, family, start, group)
    return match


def _score(match, request, children, family, start: date, group) -> None:
    def add(points: int, reason: str) -> None:
        match.score += points
        match.reasons.append(f"{reason} (+{points})" if points else reason)

    match.distance_km = haversine_km(request.municipality, family.home_municipality)
    if match.distance_km is None:
        add(0, _("distance unknown"))
    else:
        points = max(0, DISTANCE_POINTS - int(match.distance_km // DISTANCE_KM_PER_POINT))
        add(
            points,
            _("%(km)s km from %(place)s")
            % {"km": number_format(match.distance_km, 1), "place": request.municipality},
        )

    family_languages = set(family.languages)
    child_languages = [set(child.languages) for child in children if child.languages]
    if child_languages and all(langs & family_languages for langs in child_languages):
        add(LANGUAGE_POINTS, _("speaks the children's language"))

    skills = {skill.pk: skill for skill in family.special_skills.all()}
    needs = {need.pk for child in children for need in child.needs.all()}
    matched = sorted(str(skills[pk]) for pk in needs & skills.keys())
    if matched:
        add(
            SKILL_POINTS * len(matched),
            _("special skills: %(skills)s") % {"skills": ", ".join(matched)},
        )

    trained_on = family.pre_service_training_completed_on
    years = (start - trained_on).days // 365 if trained_on else 0
    if years > 0:
        add(
            min(EXPERIENCE_MAX_POINTS, years * EXPERIENCE_POINTS_PER_YEAR),
            _("%(years)s year(s) since training") % {"years": years},
        )

    room = family.room
    if group > 1 and not request.keep_siblings_together:
        if room >= group:
            add(WHOLE_GROUP_POINTS, _("can take all the siblings together"))
        else:
            # accepting and placing put every child of the request with one family
            add(
                0,
                _(
                    "room for %(room)s of the %(group)s children: the others need a "
                    "request of their own"
                )
                % {"room": room, "group": group},
            )


def match_families(request: PlacementRequest, among: QuerySet[Family] | None = None) -> MatchResult:
    """Rank the families ``among`` (default: every family) for ``request``; children must
    be prefetched with their needs."""
    children = list(request.children.all())
    families = candidate_families(request, among)
    matches = [evaluate(request, children, family) for family in families]
    ranked = sorted(
        (m for m in matches if m.fits),
        key=lambda m: (
            -m.score,
            m.distance_km if m.distance_km is not None else 10**6,
            m.family.name,
        ),
    )
    excluded = [m for m in matches if not m.fits]
    per_rule = [
        (rule, label, sum(1 for m in excluded if rule in m.excluded_by))
        for rule, label in HARD_RULES.items()
    ]
    return MatchResult(ranked=ranked, excluded=excluded, exclusions_per_rule=per_rule)


def family_fits(
    request: PlacementRequest, family_pk: int, whole_group: bool = False
) -> Match | None:
    """Evaluate one family again, e.g. when it is proposed, accepted or placed with; None
    if it does not exist."""
    family = candidate_families(request).filter(pk=family_pk).first()
    if family is None:
        return None
    children = list(request.children.prefetch_related("needs"))
    return evaluate(request, children, family, whole_group=whole_group)
