"""Hard rules exclude a family with a reason; soft criteria rank the rest."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from families.models import Family
from placements import services
from placements.matching import candidate_families, family_fits, haversine_km, match_families
from placements.models import PlacementRequest, PlacementType
from tests.families.factories import HouseholdMemberFactory
from tests.fostercare.factories import MemberOrganisationFactory
from tests.placements.factories import (
    ChildFactory,
    PlacementFactory,
    PlacementRequestFactory,
    ready_carers,
    years_ago,
)


def _request(org, worker, ages=(7, 4), **fields):
    children = [ChildFactory(municipality=org, date_of_birth=years_ago(age)) for age in ages]
    fields.setdefault("status", PlacementRequest.Status.IN_SEARCH)
    return PlacementRequestFactory(municipality=org, created_by=worker, children=children, **fields)


def _result(request):
    request = PlacementRequest.objects.select_related("municipality").get(pk=request.pk)
    return match_families(request)


def _excluded(result, family):
    return next(m for m in result.excluded if m.family.pk == family.pk)


def _count(result, rule):
    return next(count for r, _label, count in result.exclusions_per_rule if r == rule)


@pytest.mark.parametrize(
    ("fields", "rule", "reason"),
    [
        ({"kind": Family.Kind.SUPPORT}, "kind", "does not take"),
        ({"status": Family.Status.PAUSED}, "status", "Paused"),
        ({"status": Family.Status.ASSESSMENT}, "status", "Assessment"),
        ({"pre_service_training_completed_on": None}, "gates", "not completed"),
        ({"home_study_approved_on": None}, "gates", "home study is not approved"),
        ({"places": 1}, "capacity", "1 free place(s) for 2 child(ren)"),
        ({"siblings_accepted": False}, "capacity", "Does not accept siblings"),
        ({"age_min": 5}, "age", "Accepts ages 5–17"),
        ({"age_max": 6}, "age", "Accepts ages 0–6"),
    ],
)
def test_each_hard_rule_excludes_with_its_reason(
    fields, rule, reason, kemi_org, kemi_worker, available_family
):
    fitting = available_family(name="Sopiva")
    failing = available_family(name="Ei sovi", **fields)
    result = _result(_request(kemi_org, kemi_worker))
    assert [m.family for m in result.ranked] == [fitting]
    match = _excluded(result, failing)
    assert match.excluded_by == [rule]
    assert reason in " ".join(match.exclusion_reasons)
    assert _count(result, rule) == 1
    assert sum(count for _r, _l, count in result.exclusions_per_rule) == 1


def test_active_placements_use_up_free_places(kemi_org, kemi_worker, available_family):
    family = available_family(places=3)
    PlacementFactory(family=family)
    PlacementFactory(family=family, ended_on=years_ago(0), end_reason="returned_home")
    result = _result(_request(kemi_org, kemi_worker))
    # the ended placement frees its place again: 3 offered - 1 active = 2, enough for two
    assert [m.family for m in result.ranked] == [family]
    PlacementFactory(family=family)
    result = _result(_request(kemi_org, kemi_worker))
    assert _excluded(result, family).exclusion_reasons == ["1 free place(s) for 2 child(ren)."]


def test_legal_capacity_counts_household_and_placed_children(
    kemi_org, kemi_worker, available_family, settings
):
    settings.FAMILY_CARE_MAX_PERSONS_TWO_CARERS = 6
    family = available_family(places=4)
    HouseholdMemberFactory.create_batch(3, family=family)  # own small children count
    HouseholdMemberFactory(family=family, counts_toward_capacity=False)
    PlacementFactory(family=family)
    # 6 - 3 counted - 1 placed = 2 under the law; 4 - 1 = 3 free places offered
    assert _result(_request(kemi_org, kemi_worker)).ranked[0].family == family
    result = _result(_request(kemi_org, kemi_worker, ages=(9, 7, 4)))
    assert _excluded(result, family).exclusion_reasons == [
        "The legal limit of persons in care allows 2 more."
    ]


def test_recorded_capacity_exception_lifts_the_legal_limit(kemi_org, kemi_worker, available_family):
    family = available_family(places=3, capacity_exception_reason="Sisarukset (9 §)")
    HouseholdMemberFactory.create_batch(4, family=family)
    result = _result(_request(kemi_org, kemi_worker, ages=(9, 7, 4)))
    assert [m.family for m in result.ranked] == [family]


def test_sibling_group_of_three_is_never_proposed_to_a_family_with_two_free_places(
    kemi_org, kemi_worker, unit_worker, available_family
):
    two_free = available_family(name="Kaksi paikkaa", places=3)
    PlacementFactory(family=two_free)
    three_free = available_family(name="Kolme paikkaa", places=3)
    request = _request(kemi_org, kemi_worker, ages=(9, 7, 4))
    result = _result(request)
    assert [m.family for m in result.ranked] == [three_free]
    assert _excluded(result, two_free).excluded_by == ["capacity"]
    # nor through the proposing service, whatever is posted
    with pytest.raises(ValidationError, match="cannot be proposed"):
        services.placement_request_propose(
            request=request, by=unit_worker, family_ids=[three_free.pk, two_free.pk]
        )
    assert not request.proposals.exists()
    request.refresh_from_db()
    assert request.status == PlacementRequest.Status.IN_SEARCH


def test_emergency_request_takes_reception_and_foster_families_only(
    kemi_org, kemi_worker, available_family
):
    reception = available_family(kind=Family.Kind.RECEPTION)
    kinship = available_family(kind=Family.Kind.KINSHIP)
    request = _request(
        kemi_org, kemi_worker, placement_type=PlacementType.EMERGENCY, urgency="immediate"
    )
    result = _result(request)
    assert [m.family for m in result.ranked] == [reception]
    assert _excluded(result, kinship).excluded_by == ["kind"]


def test_haversine_kemi_to_tornio_is_about_25_km():
    kemi = MemberOrganisationFactory.build(
        latitude=Decimal("65.73640"), longitude=Decimal("24.56370")
    )
    tornio = MemberOrganisationFactory.build(
        latitude=Decimal("65.84810"), longitude=Decimal("24.14660")
    )
    assert Decimal("20") < haversine_km(kemi, tornio) < Decimal("25")
    assert haversine_km(kemi, MemberOrganisationFactory.build()) is None


@pytest.fixture
def places(kemi_org):
    kemi_org.latitude, kemi_org.longitude = Decimal("65.73640"), Decimal("24.56370")
    kemi_org.save()
    far = MemberOrganisationFactory(latitude=Decimal("66.31890"), longitude=Decimal("23.67100"))
    return kemi_org, far


def test_nearer_family_ranks_higher(places, kemi_worker, available_family):
    near_org, far_org = places
    far = available_family(name="A kaukana", home_municipality=far_org)
    near = available_family(name="B lähellä", home_municipality=near_org)
    ranked = _result(_request(near_org, kemi_worker)).ranked
    assert [m.family for m in ranked] == [near, far]
    assert ranked[0].distance_km == 0
    assert any("km from" in reason for reason in ranked[1].reasons)


def test_shared_language_ranks_higher(places, kemi_worker, available_family):
    org, _far = places
    finnish = available_family(name="A suomi", languages=["fi"])
    swedish = available_family(name="B ruotsi", languages=["sv", "fi"])
    request = _request(org, kemi_worker, ages=(7,))
    request.children.update(languages=["sv"])
    ranked = _result(request).ranked
    assert [m.family for m in ranked] == [swedish, finnish]
    assert "speaks the children's language" in " ".join(ranked[0].reasons)


def test_special_skills_matching_needs_rank_higher(places, kemi_worker, available_family):
    from families.models import SpecialSkill

    trauma = SpecialSkill.objects.create(name_fi="Trauma", name_en="Trauma")
    org, _far = places
    plain = available_family(name="A tavallinen")
    skilled = available_family(name="B osaava")
    skilled.special_skills.add(trauma)
    request = _request(org, kemi_worker, ages=(7,))
    request.children.first().needs.add(trauma)
    ranked = _result(request).ranked
    assert [m.family for m in ranked] == [skilled, plain]
    assert "special skills: Trauma" in " ".join(ranked[0].reasons)


def test_experience_ranks_higher(places, kemi_worker, available_family):
    org, _far = places
    new = available_family(name="A uusi", pre_service_training_completed_on=years_ago(0))
    experienced = available_family(name="B kokenut", pre_service_training_completed_on=years_ago(6))
    ranked = _result(_request(org, kemi_worker)).ranked
    assert [m.family for m in ranked] == [experienced, new]
    assert "6 year(s) since training" in " ".join(ranked[0].reasons)


def test_not_splitting_siblings_ranks_higher_when_splitting_is_allowed(
    places, kemi_worker, available_family
):
    org, _far = places
    one_place = available_family(name="A yksi paikka", places=1)
    whole_group = available_family(name="B koko ryhmä", places=2)
    request = _request(org, kemi_worker, keep_siblings_together=False)
    ranked = _result(request).ranked
    assert [m.family for m in ranked] == [whole_group, one_place]
    assert "can take all the siblings together" in " ".join(ranked[0].reasons)
    # the one-place family is ranked, but it says it cannot take both children...
    assert "room for 1 of the 2 children" in " ".join(ranked[1].reasons)
    # ...and re-checked for every child of the request, as accepting and placing do, it fails
    match = family_fits(request, one_place.pk, whole_group=True)
    assert match.excluded_by == ["capacity"]
    assert match.exclusion_reasons == ["1 free place(s) for 2 child(ren)."]


def test_a_future_training_date_does_not_pass_the_training_rule(
    kemi_org, kemi_worker, available_family
):
    trained_later = available_family(pre_service_training_completed_on=date.today() + timedelta(7))
    trained_by_start = available_family(pre_service_training_completed_on=date.today())
    result = _result(_request(kemi_org, kemi_worker, wished_start_on=date.today()))
    assert [m.family for m in result.ranked] == [trained_by_start]
    assert _excluded(result, trained_later).excluded_by == ["training"]
    assert "after the start" in _excluded(result, trained_later).exclusion_reasons[0]
    # a request that starts after the training passes it
    later = _request(kemi_org, kemi_worker, wished_start_on=date.today() + timedelta(8))
    assert {m.family for m in _result(later).ranked} == {trained_later, trained_by_start}


def test_one_resident_carer_allows_four_persons_in_care_and_two_carers_six(
    kemi_org, kemi_worker, available_family, settings
):
    settings.FAMILY_CARE_MAX_PERSONS = 4
    settings.FAMILY_CARE_MAX_PERSONS_TWO_CARERS = 6
    family = available_family(places=3)
    family.carers.update(lives_in_home=False)
    ready_carers(family, 1)  # the only carer living in the home
    HouseholdMemberFactory.create_batch(3, family=family)  # counted toward the limit
    # 4 - 3 counted persons = room for 1: a request of two children is excluded
    result = _result(_request(kemi_org, kemi_worker))
    assert _excluded(result, family).exclusion_reasons == [
        "The legal limit of persons in care allows 1 more."
    ]
    ready_carers(family, 1)  # a second carer moves in: 6 - 3 = 3
    assert [m.family for m in _result(_request(kemi_org, kemi_worker)).ranked] == [family]


def test_candidate_families_is_one_query_plus_skills_and_carers(
    django_assert_num_queries, available_family
):
    for _ in range(5):
        available_family()
    # families with their room, their municipalities, special skills, carers
    with django_assert_num_queries(4):
        families = list(candidate_families())
    assert len(families) == 5


def test_distances_are_read_for_organisation_keys_far_from_one_to_n(db):
    """The per-municipality lookup is an array indexed by key where the keys are about
    1…n, and a JSON object where a database's sequence jumped; either reads each key's
    value and the default for a key without one."""
    from django.db import connection, models

    from placements.matching import _PerMunicipality

    column = '"families_family"."home_municipality_id"'
    compiler = Family.objects.all().query.get_compiler(connection=connection)
    for values in ({1: 30, 3: 12}, {10_000_000: 30, 3: 12}):
        sql, params = _PerMunicipality(values, 0, models.IntegerField()).as_sql(
            compiler, connection
        )
        assert ("jsonb" in sql) == (10_000_000 in values)
        with connection.cursor() as cursor:
            for key, expected in [*values.items(), (2, 0)]:
                cursor.execute(f"SELECT {sql.replace(column, str(key))}", params)
                assert cursor.fetchone()[0] == expected, (values, key)
