"""Query counts of the register pages do not grow with the number of families."""

import pytest
from django.urls import reverse

from families.models import SpecialSkill
from tests.families.factories import (
    CarerFactory,
    FamilyFactory,
    HouseholdMemberFactory,
    ProviderFactory,
    ProviderUnitFactory,
    SupervisionVisitFactory,
)
from tests.fostercare.factories import MemberOrganisationFactory


def _families(n):
    org = MemberOrganisationFactory()
    for family in FamilyFactory.create_batch(n, home_municipality=org):
        CarerFactory.create_batch(2, family=family)


@pytest.mark.parametrize("n", [5, 200])
def test_family_list_query_count_is_constant(n, client_for, unit_worker, django_assert_num_queries):
    _families(n)
    client = client_for(unit_worker)
    # session, user, user permissions, group permissions, count, page of families,
    # municipality options of the filter form
    with django_assert_num_queries(7):
        response = client.get(reverse("families:family-list"), {"kind": "foster", "q": "Perhe"})
    assert response.status_code == 200
    assert response.context["page"].paginator.count == n


@pytest.mark.parametrize("n", [5, 50])
def test_family_detail_query_count_is_constant(
    n, client_for, unit_worker, django_assert_num_queries
):
    family = FamilyFactory()
    CarerFactory.create_batch(
        n, family=family, criminal_record_seen_on="2025-01-01", criminal_record_seen_by=unit_worker
    )
    HouseholdMemberFactory.create_batch(n, family=family)
    family.special_skills.set(
        [SpecialSkill.objects.create(name_fi=name) for name in ("Nuoret", "Vammaisuus")]
    )
    client = client_for(unit_worker)
    # warm the content types, the permissions and the validity periods of checks
    client.get(reverse("families:family-detail", args=[family.pk]))
    # session, user, family, skills, household, carers (+seen by), status history (+by),
    # one access-log insert for the family, its carers and household members,
    # continuing-education hours per carer per year (training/_family_training.html),
    # the family's placements (placements/_family_placements.html)
    with django_assert_num_queries(10) as captured:
        response = client.get(reverse("families:family-detail", args=[family.pk]))
    assert response.status_code == 200
    assert len(response.context["family"].special_skills.all()) == 2
    # the family's room: each count written once and joined, not once in every figure
    # that names it (taken, free places, legal room, room); the persons the legal limit
    # counts read from the family's row, not counted from the carers and household
    [row] = [q["sql"] for q in captured.captured_queries if 'AS "room"' in q["sql"]]
    assert row.count('FROM "placements_placement"') == 1
    assert '"families_householdmember"."counts_toward_capacity"' not in row
    assert '"families_carer"."lives_in_home"' not in row
    assert row.count('"families_family"."counted_household_count"') >= 1


@pytest.mark.parametrize("n", [5, 60])
def test_provider_pages_query_count_is_constant(
    n, client_for, unit_worker, django_assert_num_queries
):
    providers = ProviderFactory.create_batch(n)
    SupervisionVisitFactory.create_batch(n, provider=providers[0])
    for provider in providers:
        ProviderUnitFactory.create_batch(2, provider=provider)
    client = client_for(unit_worker)
    # the free places are a subquery of the providers' query (Provider.with_room())
    with django_assert_num_queries(7):
        assert client.get(reverse("families:provider-list")).status_code == 200
    # session, user (its permissions cached by the list), the provider, its units with
    # their room, visits, the validity periods of checks for the licence's next review
    with django_assert_num_queries(6):
        response = client.get(reverse("families:provider-detail", args=[providers[0].pk]))
    assert response.status_code == 200


def test_the_room_filter_leaves_out_by_the_places_column_first(db):
    """A family offering fewer places than the children has no room for them: the
    column, which costs nothing, is in the filter beside the room's subqueries."""
    from families.models import Family

    sql = str(Family.objects.with_room().with_room_for(2).query)

    assert '"families_family"."places" >= 2' in sql


def test_a_family_without_skills_or_household_reads_neither(
    client_for, unit_worker, django_assert_num_queries
):
    """Most families have neither: the page does not ask for them."""
    family = FamilyFactory()
    family.special_skills.clear()
    CarerFactory(family=family)
    client = client_for(unit_worker)
    url = reverse("families:family-detail", args=[family.pk])
    client.get(url)  # warm the content types, the permissions and the validity periods
    # session, user, family (with whether it has skills and household), carers, status
    # history, the access-log insert, continuing-education hours, placements
    with django_assert_num_queries(8):
        response = client.get(url)
    assert response.status_code == 200
    family = response.context["family"]
    assert list(family.household_members.all()) == list(family.special_skills.all()) == []
    assert "<dt>Special skills</dt><dd>–</dd>" in response.content.decode()
