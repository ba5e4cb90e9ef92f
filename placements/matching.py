"""Which families fit a placement request, and in what order.

Hard rules exclude a family and say why; soft criteria give points with reasons. A
family's room is ``Family.objects.with_room()``'s, the same figure the register and the
vacancy board show.

The register is matched in the database, so the page costs the same whatever its size:

- ``rule_conditions`` states each hard rule as a condition over ``Family`` (the gates are
  ``families.gates.open_gates``, the Python ``family_gaps`` as a filter);
- ``exclusion_counts`` counts, in one aggregate query, the families each rule excludes;
- ``ranked_matches`` scores the fitting families in SQL (the same points as ``_score``),
  sorts them and evaluates only the page asked for in Python, for the reasons;
- ``excluded_matches`` lists the excluded families a page at a time, with their reasons.

These are the public interface: a second source of candidates (e.g. providers) can be
ranked beside families through the same three calls. ``match_families`` evaluates every
family in Python and is kept for the services' single-family checks and for tests that
compare the two. ``evaluate`` is the reference: the SQL score must equal its score.
"""

import json
import math
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db import connection, models
from django.db.models import Prefetch, QuerySet
from django.db.models.functions import Coalesce, Collate, Greatest, Least
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from families.gates import family_gaps, open_gates
from families.models import Carer, Family
from fostercare.models import MemberOrganisation
from placements import reasons
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


# A family without a known distance sorts after every known one.
UNKNOWN_DISTANCE_KM = Decimal(10**6)


@dataclass
class Match:
    family: Family
    excluded_by: list[str] = field(default_factory=list)
    exclusion_reasons: list[str] = field(default_factory=list)
    score: int = 0
    reason_codes: list[dict] = field(default_factory=list)  # placements.reasons
    distance_km: Decimal | None = None

    @property
    def fits(self) -> bool:
        return not self.excluded_by

    @property
    def reasons(self) -> list[str]:
        """The reasons for the points, in the active language."""
        return reasons.render_all(self.reason_codes)


@dataclass
class MatchResult:
    ranked: list[Match]
    excluded: list[Match]
    exclusions_per_rule: list[tuple[str, str, int]]  # (rule, label, families excluded)


@dataclass
class ExclusionCounts:
    """How many of the families considered fit, and how many each hard rule excludes."""

    considered: int
    excluded: int
    per_rule: list[tuple[str, str, int]]  # (rule, label, families excluded), a family may
    # break several rules

    @property
    def fitting(self) -> int:
        return self.considered - self.excluded


@dataclass
class MatchPage:
    """What the matching page shows: the counts, and a page of the fitting families."""

    counts: ExclusionCounts
    ranked: list[Match]
    offset: int = 0

    @property
    def end(self) -> int:
        """How many fitting families are shown once this page is."""
        return self.offset + len(self.ranked)

    @property
    def next_offset(self) -> int | None:
        """Where "show more" goes on from, or None when every fitting family is shown."""
        return self.end if self.ranked and self.end < self.counts.fitting else None


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


def distance_points(km: Decimal | None) -> int:
    if km is None:
        return 0
    return max(0, DISTANCE_POINTS - int(km // DISTANCE_KM_PER_POINT))


def candidate_families(
    for_request: PlacementRequest | None = None, among: QuerySet[Family] | None = None
) -> QuerySet[Family]:
    """``among`` (default every family) with what the rules need: their room, in one query
    plus the prefetches of skills and carers.

    Places reserved by other requests' accepted proposals count as taken; the places of
    ``for_request`` itself do not.
    """
    families = Family.objects.all() if among is None else among
    return _with_what_evaluate_reads(families.with_room(excluding_request=for_request))


def _with_what_evaluate_reads(families: QuerySet[Family]) -> QuerySet[Family]:
    # the municipality in a query of its own: joined, the planner (which cannot estimate
    # how many families pass the rules) looped over every organisation per family
    return families.prefetch_related(
        "home_municipality",
        "special_skills",
        # family_gaps() reads the carers living in the home, and only these fields
        Prefetch(
            "carers",
            queryset=Carer.objects.filter(lives_in_home=True).only(
                "family_id", "first_name", "last_name", "lives_in_home", "criminal_record_seen_on"
            ),
        ),
    )


def _start(request: PlacementRequest) -> date:
    return request.wished_start_on or timezone.localdate()


def _needed(request: PlacementRequest, children: list[Child], whole_group: bool = False) -> int:
    return len(children) if request.keep_siblings_together or whole_group else 1


def evaluate(
    request: PlacementRequest, children: list[Child], family: Family, whole_group: bool = False
) -> Match:
    """Apply the hard rules, then score. ``whole_group``: every child goes to this family
    (accepting and placing), whether or not the request allows splitting the siblings."""
    match = Match(family=family)
    start = _start(request)
    group = len(children)
    needed = _needed(request, children, whole_group)

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
    def add(points: int, code: str, **params) -> None:
        match.score += points
        match.reason_codes.append({"code": code, "points": points, **params})

    match.distance_km = haversine_km(request.municipality, family.home_municipality)
    if match.distance_km is None:
        add(0, reasons.DISTANCE_UNKNOWN)
    else:
        add(
            distance_points(match.distance_km),
            reasons.DISTANCE,
            km=str(match.distance_km),
            place=reasons.names(request.municipality, ("name_fi", "name_sv")),
        )

    family_languages = set(family.languages)
    child_languages = [set(child.languages) for child in children if child.languages]
    if child_languages and all(langs & family_languages for langs in child_languages):
        add(LANGUAGE_POINTS, reasons.LANGUAGE)

    skills = {skill.pk: skill for skill in family.special_skills.all()}
    needs = {need.pk for child in children for need in child.needs.all()}
    matched = sorted((skills[pk] for pk in needs & skills.keys()), key=str)
    if matched:
        add(
            SKILL_POINTS * len(matched),
            reasons.SKILLS,
            skills=[reasons.names(skill) for skill in matched],
        )

    trained_on = family.pre_service_training_completed_on
    years = (start - trained_on).days // 365 if trained_on else 0
    if years > 0:
        add(
            min(EXPERIENCE_MAX_POINTS, years * EXPERIENCE_POINTS_PER_YEAR),
            reasons.EXPERIENCE,
            years=years,
        )

    room = family.room
    if group > 1 and not request.keep_siblings_together:
        if room >= group:
            add(WHOLE_GROUP_POINTS, reasons.WHOLE_GROUP)
        else:
            # accepting and placing put every child of the request with one family
            add(0, reasons.PART_OF_GROUP, room=room, group=group)


# The rules and the score in the database ----------------------------------------------


class _DaysSince(models.Func):
    """Whole days from the date column to ``day`` (PostgreSQL: date - date is integer)."""

    template = "(%(expressions)s)"
    arg_joiner = " - "
    output_field = models.IntegerField()


def rule_conditions(request: PlacementRequest, children: list[Child]) -> dict[str, models.Q]:
    """Each hard rule that applies to ``request`` as the condition under which it excludes
    a family, over ``with_room()``'s annotations. The same rules as ``evaluate``."""
    start = _start(request)
    needed = _needed(request, children)
    ages = [age_on(child.date_of_birth, start) for child in children]
    # the offered places first: below ``needed``, the room need not be counted
    capacity = models.Q(places__lt=needed)
    if needed > 1:
        capacity |= models.Q(siblings_accepted=False)
    # no room for ``needed``: fewer free places or less legal room (``room`` is the smaller
    # of the two, and names the room's subqueries once)
    capacity |= (
        models.Q(room__lt=needed)
        if needed >= 1  # room is never below 0: for no children, the two differences
        else models.Q(free_places__lt=needed) | models.Q(legal_room__lt=needed)
    )
    conditions = {
        RULE_KIND: ~models.Q(kind__in=KINDS_FOR_TYPE[request.placement_type]),
        RULE_STATUS: ~models.Q(status__in=Family.AVAILABLE_STATUSES),
        RULE_GATES: open_gates(),
        RULE_TRAINING: models.Q(pre_service_training_completed_on__gt=start),
        RULE_CAPACITY: capacity,
    }
    if ages:
        conditions[RULE_AGE] = models.Q(age_min__gt=min(ages)) | models.Q(age_max__lt=max(ages))
    return conditions


def _any(conditions) -> models.Q:
    first, *others = conditions
    for condition in others:
        first |= condition
    return first


def exclusion_counts(
    request: PlacementRequest, children: list[Child], among: QuerySet[Family] | None = None
) -> ExclusionCounts:
    """One aggregate query: the families considered, those excluded, and per rule how many
    it excludes (``COUNT(*) FILTER (WHERE …)``); the room rule (capacity) among those
    that pass every other rule."""
    conditions = rule_conditions(request, children)
    families = (Family.objects.all() if among is None else among).with_room(
        excluding_request=request
    )
    # Each rule a boolean column of an inner query, computed once a row, counted by the
    # outer one (an aggregate over the annotations would repeat the room's subqueries).
    breaks = {
        f"breaks_{rule}": models.ExpressionWrapper(c, output_field=models.BooleanField())
        for rule, c in conditions.items()
    }
    # The room is counted only for the families the other rules leave: its subqueries
    # are not run for the thousands that the kind, status or gates already exclude.
    cheap = [c for rule, c in conditions.items() if rule != RULE_CAPACITY]
    breaks[f"breaks_{RULE_CAPACITY}"] = models.Case(
        models.When(_any(cheap), then=models.Value(False)),
        default=breaks[f"breaks_{RULE_CAPACITY}"],
        output_field=models.BooleanField(),
    )
    inner, params = families.order_by().annotate(**breaks).values(*breaks).query.sql_with_params()
    counts = ", ".join(f"count(*) FILTER (WHERE {b})" for b in breaks)
    with connection.cursor() as cursor:
        cursor.execute(
            # OFFSET 0 keeps the inner query whole: pulled up into this one, each rule's
            # column would be computed again where it is named (twice, with its subqueries)
            f"SELECT count(*), count(*) FILTER (WHERE {' OR '.join(breaks)}), {counts} "
            f"FROM ({inner} OFFSET 0) AS families",
            params,
        )
        considered, excluded, *per_rule = cursor.fetchone()
    totals = dict(zip(conditions, per_rule, strict=True))
    return ExclusionCounts(
        considered=considered,
        excluded=excluded,
        per_rule=[(rule, label, totals.get(rule, 0)) for rule, label in HARD_RULES.items()],
    )


def _fitting(request, children, among) -> QuerySet[Family]:
    """The families that pass every hard rule: the cheap rules first, so that the room
    (four subqueries a family) is computed only for those that pass them."""
    conditions = rule_conditions(request, children)
    cheap = [c for rule, c in conditions.items() if rule != RULE_CAPACITY]
    families = Family.objects.all() if among is None else among
    return (
        families.exclude(_any(cheap))
        .with_room(excluding_request=request)
        .exclude(conditions[RULE_CAPACITY])
    )


class _PerMunicipality(models.Expression):
    """The value of a ``{organisation pk: value}`` mapping for the family's home
    municipality (``default`` when it has none), read from one array parameter indexed
    by the organisation's key: a CASE of one branch per organisation took Django longer
    to compile than PostgreSQL to run at 300 organisations, and a lookup by ``unnest``
    cost a scan of the array per family."""

    def __init__(self, values: dict, default, output_field):
        super().__init__(output_field=output_field)
        self.values, self.default = values, default

    def as_sql(self, compiler, connection):
        column, params = compiler.compile(
            models.F("home_municipality_id").resolve_expression(compiler.query)
        )
        kind = "integer" if isinstance(self.output_field, models.IntegerField) else "numeric"
        keys = list(self.values)
        if keys and (min(keys) < 1 or max(keys) > 4 * len(keys) + 1000):
            # keys far from 1…n (a database whose sequences jumped): a JSON object instead
            mapping = json.dumps({str(pk): str(value) for pk, value in self.values.items()})
            sql = f"COALESCE(((%s::jsonb) ->> ({column})::text)::{kind}, %s)"
            return sql, [mapping, *params, self.default]
        # PostgreSQL arrays count from 1, as the keys do; a missing key reads NULL
        array = [self.values.get(pk) for pk in range(1, max(keys, default=0) + 1)]
        return f"COALESCE((%s::{kind}[])[{column}], %s)", [array, *params, self.default]


def scored_families(
    request: PlacementRequest, children: list[Child], among: QuerySet[Family] | None = None
) -> QuerySet[Family]:
    """The fitting families with ``score`` and ``distance_km`` annotated, best first: the
    points of ``_score`` in SQL. Distances come from ``haversine_km`` per municipality."""
    start = _start(request)
    group = len(children)
    distances = {
        org.pk: haversine_km(request.municipality, org)
        for org in MemberOrganisation.objects.only("pk", "latitude", "longitude")
    }
    known = {pk: km for pk, km in distances.items() if km is not None}
    score = _PerMunicipality(
        {pk: distance_points(km) for pk, km in known.items()}, 0, models.IntegerField()
    )

    child_languages = [child.languages for child in children if child.languages]
    if child_languages:
        speaks = models.Q(*(models.Q(languages__overlap=langs) for langs in child_languages))
        score += models.Case(
            models.When(speaks, then=models.Value(LANGUAGE_POINTS)), default=models.Value(0)
        )

    needs = {need.pk for child in children for need in child.needs.all()}
    if needs:
        matched = (
            Family.special_skills.through.objects.filter(
                family=models.OuterRef("pk"), specialskill__in=needs
            )
            .order_by()
            .values("family")
            .annotate(n=models.Count("pk"))
            .values("n")
        )
        score += SKILL_POINTS * Coalesce(
            models.Subquery(matched, output_field=models.IntegerField()), models.Value(0)
        )

    years = _DaysSince(models.Value(start), "pre_service_training_completed_on") / 365
    score += Coalesce(
        Least(
            models.Value(EXPERIENCE_MAX_POINTS),
            Greatest(models.Value(0), years * EXPERIENCE_POINTS_PER_YEAR),
        ),
        models.Value(0),
    )

    if group > 1 and not request.keep_siblings_together:
        score += models.Case(
            models.When(room__gte=group, then=models.Value(WHOLE_GROUP_POINTS)),
            default=models.Value(0),
        )

    distance = _PerMunicipality(
        known, UNKNOWN_DISTANCE_KM, models.DecimalField(max_digits=12, decimal_places=1)
    )
    return (
        _fitting(request, children, among)
        .annotate(
            score=models.ExpressionWrapper(score, output_field=models.IntegerField()),
            distance_km=models.ExpressionWrapper(
                distance, output_field=models.DecimalField(max_digits=12, decimal_places=1)
            ),
        )
        # Python's order of names (code points), as the ranking always had
        .order_by("-score", "distance_km", Collate("name", "C"), "pk")
    )


def ranked_matches(
    request: PlacementRequest,
    children: list[Child],
    among: QuerySet[Family] | None = None,
    *,
    offset: int = 0,
    limit: int | None = None,
) -> list[Match]:
    """The fitting families from ``offset``, at most ``limit``, best first, each evaluated
    with its reasons. Queries: the organisations' coordinates, the page of families (with
    their room and municipality), their special skills, their carers."""
    families = _with_what_evaluate_reads(scored_families(request, children, among))
    page = families[offset : offset + limit] if limit is not None else families[offset:]
    return [evaluate(request, children, family) for family in page]


def match_page(
    request: PlacementRequest,
    among: QuerySet[Family] | None = None,
    *,
    offset: int = 0,
    limit: int,
) -> MatchPage:
    """The counts per rule and the fitting families ``offset``…``offset + limit``, best
    first: the matching page's figures whatever the size of the register. Children must
    be prefetched with their needs."""
    children = list(request.children.all())
    return MatchPage(
        counts=exclusion_counts(request, children, among),
        ranked=ranked_matches(request, children, among, offset=offset, limit=limit),
        offset=offset,
    )


def excluded_families(
    request: PlacementRequest, children: list[Child], among: QuerySet[Family] | None = None
) -> QuerySet[Family]:
    """The families some hard rule excludes, by name; evaluate a page of them with
    ``evaluate`` for their reasons (``excluded_matches``)."""
    conditions = rule_conditions(request, children)
    return (
        candidate_families(request, among).filter(_any(conditions.values())).order_by("name", "pk")
    )


def excluded_matches(request, children, families) -> list[Match]:
    """``families`` (a page of ``excluded_families``) with the rules each breaks and why."""
    return [evaluate(request, children, family) for family in families]


def _counted_for(rule: str, excluded_by: list[str]) -> bool:
    """Whether a family excluded by ``excluded_by`` counts for ``rule`` in the counts per
    rule: the room only where no other rule excludes the family (``exclusion_counts``)."""
    if rule == RULE_CAPACITY:
        return excluded_by == [RULE_CAPACITY]
    return rule in excluded_by


def match_families(request: PlacementRequest, among: QuerySet[Family] | None = None) -> MatchResult:
    """Rank the families ``among`` (default: every family) for ``request``, evaluating
    every one in Python; children must be prefetched with their needs. For checks and
    tests: the pages use ``exclusion_counts``, ``ranked_matches`` and ``excluded_matches``."""
    children = list(request.children.all())
    families = candidate_families(request, among)
    matches = [evaluate(request, children, family) for family in families]
    ranked = sorted(
        (m for m in matches if m.fits),
        key=lambda m: (
            -m.score,
            m.distance_km if m.distance_km is not None else UNKNOWN_DISTANCE_KM,
            m.family.name,
        ),
    )
    excluded = [m for m in matches if not m.fits]
    per_rule = [
        (rule, label, sum(1 for m in excluded if _counted_for(rule, m.excluded_by)))
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
