"""Which providers' units fit a placement request, beside the families.

The same kind of hard rules as for families (licence valid on the start date, room for
the children, their ages, the placement type the provider takes), evaluated in the
database: each rule is an annotation, the exclusions per rule are one aggregate query,
and only the units that pass are read into Python to be scored. A unit's room is
``ProviderUnit.objects.with_room()``'s, the figure the provider page and the vacancy board
show.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import BooleanField, Case, Count, Q, QuerySet, Value, When
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from families.models import Provider, ProviderUnit
from placements import reasons
from placements.matching import DISTANCE_KM_PER_POINT, DISTANCE_POINTS, haversine_km
from placements.models import PlacementRequest, PlacementType, age_on

P = Provider.Kind
T = PlacementType

# Which kinds of provider take which kind of placement: a support family is a family.
TYPES_FOR_PROVIDER_KIND: dict[str, set[str]] = {
    P.PROFESSIONAL_FAMILY_HOME: {T.EMERGENCY, T.OPEN_CARE, T.SUBSTITUTE_CARE, T.SHORT_TERM},
    P.INSTITUTION: {T.EMERGENCY, T.OPEN_CARE, T.SUBSTITUTE_CARE},
}

RULE_ACTIVE = "active"
RULE_TYPE = "type"
RULE_LICENCE = "licence"
RULE_ROOM = "room"
RULE_AGE = "age"
PROVIDER_RULES = {
    RULE_ACTIVE: gettext_lazy("Provider or unit not active"),
    RULE_TYPE: gettext_lazy("Provider does not take this placement type"),
    RULE_LICENCE: gettext_lazy("Licence not valid on the start date"),
    RULE_ROOM: gettext_lazy("No room for the children"),
    RULE_AGE: gettext_lazy("Age range does not cover every child"),
}

# Family care comes first (Child Welfare Act 50 §): a professional family home is a family.
FAMILY_HOME_POINTS = 10
# How many of the excluded units the page lists with their reasons (the counts are all),
# and how many of those that fit it ranks with their reasons (the rest are counted).
EXCLUDED_SHOWN = 20
RANKED_SHOWN = 50


@dataclass
class ProviderMatch:
    unit: ProviderUnit
    excluded_by: list[str] = field(default_factory=list)
    exclusion_reasons: list[str] = field(default_factory=list)
    score: int = 0
    reason_codes: list[dict] = field(default_factory=list)  # placements.reasons
    distance_km: Decimal | None = None

    @property
    def reasons(self) -> list[str]:
        """The reasons for the points, in the active language."""
        return reasons.render_all(self.reason_codes)

    @property
    def fits(self) -> bool:
        return not self.excluded_by


@dataclass
class ProviderMatchResult:
    ranked: list[ProviderMatch]  # the best RANKED_SHOWN, with their reasons
    fitting_count: int
    excluded: list[ProviderMatch]  # the first EXCLUDED_SHOWN, with reasons
    excluded_count: int
    exclusions_per_rule: list[tuple[str, str, int]]  # (rule, label, units excluded)


def _fails(condition: Q) -> Case:
    return Case(
        When(condition, then=Value(True)), default=Value(False), output_field=BooleanField()
    )


def _passes(condition: Q) -> Case:
    # a NULL (no licence recorded) fails too
    return Case(
        When(condition, then=Value(False)), default=Value(True), output_field=BooleanField()
    )


def candidate_units(request: PlacementRequest, *, whole_group: bool = False) -> QuerySet:
    """Every unit with its room and one ``fails_<rule>`` flag per hard rule."""
    start = request.wished_start_on or timezone.localdate()
    ages = [age_on(child.date_of_birth, start) for child in request.children.all()]
    needed = len(ages) if request.keep_siblings_together or whole_group else 1
    kinds = [
        kind for kind, types in TYPES_FOR_PROVIDER_KIND.items() if request.placement_type in types
    ]
    licence_valid = Q(provider__licence_valid_from__lte=start) & (
        Q(provider__licence_valid_until__isnull=True) | Q(provider__licence_valid_until__gte=start)
    )
    ages_covered = Q(age_min__lte=min(ages), age_max__gte=max(ages)) if ages else Q()
    return (
        ProviderUnit.objects.with_room(excluding_request=request)
        .select_related("provider__municipality")
        .annotate(
            fails_active=_fails(Q(active=False) | Q(provider__active=False)),
            fails_type=_passes(Q(provider__kind__in=kinds)),
            fails_licence=_passes(licence_valid),
            fails_room=_fails(Q(room__lt=max(needed, 1))),
            fails_age=_passes(ages_covered) if ages else Value(False),
        )
    )


def _any_fails() -> Q:
    return Q(*[Q(**{f"fails_{rule}": True}) for rule in PROVIDER_RULES], _connector=Q.OR)


def _reasons(match: ProviderMatch, request: PlacementRequest, ages: list[int]) -> None:
    unit, provider = match.unit, match.unit.provider
    start = request.wished_start_on or timezone.localdate()
    texts = {
        RULE_ACTIVE: lambda: _("The provider or the unit is not active."),
        RULE_TYPE: lambda: (
            _("%(kind)s does not take %(type)s.")
            % {"kind": provider.get_kind_display(), "type": request.get_placement_type_display()}
        ),
        RULE_LICENCE: lambda: (
            _("The licence is valid %(from)s–%(until)s, not on %(start)s.")
            % {
                "from": date_format(provider.licence_valid_from, "SHORT_DATE_FORMAT"),
                "until": date_format(provider.licence_valid_until, "SHORT_DATE_FORMAT")
                if provider.licence_valid_until
                else "",
                "start": date_format(start, "SHORT_DATE_FORMAT"),
            }
            if provider.licence_valid_from
            else _("No licence validity recorded.")
        ),
        RULE_ROOM: lambda: _("%(free)s free place(s).") % {"free": unit.room},
        RULE_AGE: lambda: (
            _("Accepts ages %(min)s–%(max)s; the children are %(ages)s.")
            % {"min": unit.age_min, "max": unit.age_max, "ages": ", ".join(str(a) for a in ages)}
        ),
    }
    for rule in PROVIDER_RULES:
        if getattr(unit, f"fails_{rule}"):
            match.excluded_by.append(rule)
            match.exclusion_reasons.append(texts[rule]())


def _score(match: ProviderMatch, request: PlacementRequest) -> None:
    def add(points: int, code: str, **params) -> None:
        match.score += points
        match.reason_codes.append({"code": code, "points": points, **params})

    provider = match.unit.provider
    match.distance_km = haversine_km(request.municipality, provider.municipality)
    if match.distance_km is None:
        add(0, reasons.DISTANCE_UNKNOWN)
    else:
        add(
            _points(match.unit, match.distance_km) - _points(match.unit, None),
            reasons.DISTANCE,
            km=str(match.distance_km),
            place=reasons.names(request.municipality, ("name_fi", "name_sv")),
        )
    if provider.kind == P.PROFESSIONAL_FAMILY_HOME:
        add(FAMILY_HOME_POINTS, reasons.FAMILY_CARE_FIRST)
    add(0, reasons.FREE_PLACES, free=match.unit.room)


def _points(unit: ProviderUnit, distance_km: Decimal | None) -> int:
    """The points of ``_score``, without its reasons."""
    points = 0
    if distance_km is not None:
        points += max(0, DISTANCE_POINTS - int(distance_km // DISTANCE_KM_PER_POINT))
    if unit.provider.kind == P.PROFESSIONAL_FAMILY_HOME:
        points += FAMILY_HOME_POINTS
    return points


def _rank_key(unit: ProviderUnit, request: PlacementRequest) -> tuple:
    distance = haversine_km(request.municipality, unit.provider.municipality)
    return (
        -_points(unit, distance),
        distance if distance is not None else 10**6,
        unit.provider.name,
        unit.name,
    )


def _ages(request: PlacementRequest) -> list[int]:
    start = request.wished_start_on or timezone.localdate()
    return [age_on(child.date_of_birth, start) for child in request.children.all()]


def match_provider_units(request: PlacementRequest) -> ProviderMatchResult:
    """Rank the units that pass every hard rule; count the others per rule in one query."""
    units = candidate_units(request)
    counts = units.aggregate(
        excluded=Count("pk", filter=_any_fails()),
        **{rule: Count("pk", filter=Q(**{f"fails_{rule}": True})) for rule in PROVIDER_RULES},
    )
    ages = _ages(request)
    fitting = list(units.exclude(_any_fails()))
    # rank by points and distance first; only the best get their reasons written out
    fitting.sort(key=lambda unit: _rank_key(unit, request))
    ranked = []
    for unit in fitting[:RANKED_SHOWN]:
        match = ProviderMatch(unit=unit)
        _score(match, request)
        ranked.append(match)
    excluded = []
    for unit in units.filter(_any_fails()).order_by("provider__name", "name")[:EXCLUDED_SHOWN]:
        match = ProviderMatch(unit=unit)
        _reasons(match, request, ages)
        excluded.append(match)
    return ProviderMatchResult(
        ranked=ranked,
        fitting_count=len(fitting),
        excluded=excluded,
        excluded_count=counts["excluded"],
        exclusions_per_rule=[(rule, label, counts[rule]) for rule, label in PROVIDER_RULES.items()],
    )


def provider_unit_fits(
    request: PlacementRequest, unit_pk: int, whole_group: bool = False
) -> ProviderMatch | None:
    """Evaluate one unit again, when it is proposed, accepted or placed in; None if it does
    not exist."""
    unit = candidate_units(request, whole_group=whole_group).filter(pk=unit_pk).first()
    if unit is None:
        return None
    match = ProviderMatch(unit=unit)
    _reasons(match, request, _ages(request))
    if match.fits:
        _score(match, request)
    return match
