"""Query counts of the provider and support-family pages do not grow with the data."""

from datetime import date, timedelta

import pytest
from django.urls import reverse

from families.models import Family
from placements.models import PlacementRequest, SupportArrangement, SupportStay
from tests.families.factories import ProviderUnitFactory
from tests.placements.factories import ChildFactory, PlacementRequestFactory, ReadyFamilyFactory


@pytest.mark.parametrize("n", [5, 200])
def test_matching_query_count_is_the_same_for_5_and_200_provider_units(
    n, kemi_request, unit_worker, client_for, django_assert_num_queries
):
    ReadyFamilyFactory.create_batch(3, places=3)
    ProviderUnitFactory.create_batch(n)
    ProviderUnitFactory.create_batch(n, age_min=15)  # excluded by the age rule
    client = client_for(unit_worker)
    url = reverse("placements:request-matching", args=[kemi_request.pk])
    # the families' twelve, then for the providers: the exclusions per rule in one aggregate,
    # the units that pass, and the first excluded ones with their reasons
    with django_assert_num_queries(15):
        response = client.get(url)
    providers = response.context["providers"]
    assert providers.fitting_count == n
    assert len(providers.ranked) == min(n, 50)
    assert providers.excluded_count == n


@pytest.mark.parametrize("n", [3, 30])
def test_vacancy_board_query_count_is_constant(
    n, kemi_org, unit_worker, client_for, django_assert_num_queries
):
    ProviderUnitFactory.create_batch(n, provider__municipality=kemi_org)
    client = client_for(unit_worker)
    # session, user, permissions (2), the organisations' names (cached from here on),
    # the families' sums, the providers' sums
    with django_assert_num_queries(7):
        response = client.get(reverse("placements:vacancy-board"))
    assert response.context["providers"]["total"] == 3 * n


def _arrangements(n, org, worker):
    family = ReadyFamilyFactory(kind=Family.Kind.SUPPORT, places=2)
    start = date.today()
    for _ in range(n):
        arrangement = SupportArrangement.objects.create(
            child=ChildFactory(municipality=org),
            family=family,
            municipality=org,
            pattern=SupportArrangement.Pattern.GIVEN_DAYS,
            starts_on=start,
            ends_on=start + timedelta(days=300),
            created_by=worker,
        )
        SupportStay.objects.bulk_create(
            SupportStay(
                arrangement=arrangement,
                starts_on=start + timedelta(days=7 * i),
                ends_on=start + timedelta(days=7 * i + 1),
            )
            for i in range(n)
        )
    return arrangement


@pytest.mark.parametrize("n", [3, 30])
def test_support_pages_query_counts_are_constant(
    n, kemi_org, kemi_worker, client_for, django_assert_num_queries
):
    last = _arrangements(n, kemi_org, kemi_worker)
    client = client_for(kemi_worker)
    # the record types', the permissions' and the roles' caches warmed
    client.get(reverse("placements:arrangement-list"))
    # session, user, handled organisations (in the visibility subquery), the count, the
    # page of arrangements, their stays, the access log's one insert
    with django_assert_num_queries(6):
        response = client.get(reverse("placements:arrangement-list"))
    assert len(response.context["page"].object_list) == min(n, 25)
    with django_assert_num_queries(6):
        response = client.get(reverse("placements:arrangement-detail", args=[last.pk]))
    assert response.context["arrangement"].care_days == 2 * n


def test_a_support_request_matching_page_counts_the_same_queries(
    kemi_org, kemi_worker, unit_worker, client_for, django_assert_num_queries
):
    request = PlacementRequestFactory(
        municipality=kemi_org,
        created_by=kemi_worker,
        placement_type="support_family",
        status=PlacementRequest.Status.IN_SEARCH,
        children=[ChildFactory(municipality=kemi_org)],
    )
    ReadyFamilyFactory.create_batch(5, kind=Family.Kind.SUPPORT, places=1)
    client = client_for(unit_worker)
    # the families' twelve, and the free weekends: the families' room, their stays
    with django_assert_num_queries(14):
        response = client.get(reverse("placements:request-matching", args=[request.pk]))
    assert len(response.context["support_free_dates"]) == 5
    assert all(len(dates) >= 10 for _family, dates in response.context["support_free_dates"])
