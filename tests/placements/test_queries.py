"""Query counts of the placements pages do not grow with the data."""

import pytest
from django.conf import settings
from django.urls import reverse

from families.models import Family
from fostercare.models import AccessLogEntry
from placements import services
from placements.models import PlacementRequest
from tests.placements.factories import (
    ChildFactory,
    PlacementFactory,
    PlacementRequestFactory,
    ProposalFactory,
    ReadyFamilyFactory,
)


def _requests(n, org, worker):
    for _ in range(n):
        PlacementRequestFactory(
            municipality=org,
            created_by=worker,
            children=ChildFactory.create_batch(2, municipality=org),
            status=PlacementRequest.Status.SUBMITTED,
        )


@pytest.mark.parametrize("n", [3, 40])
@pytest.mark.parametrize("role", ["kemi", "unit"])
def test_request_list_query_count_is_constant(
    n, role, roles, kemi_org, kemi_worker, client_for, django_assert_num_queries
):
    _requests(n, kemi_org, kemi_worker)
    client = client_for(roles[role])
    # warm guardian's content types, the permissions and roles, the unit's organisations
    client.get(reverse("placements:request-list"))
    # session, user; the organisations' object permissions are a subquery of: count, page
    # of requests (with municipality and workers), children of the page (their titles and
    # names), the filter's municipalities (a municipality's own; the unit's every one is
    # cached), the filter's unit pairs
    with django_assert_num_queries(6 if role == "unit" else 7):
        response = client.get(reverse("placements:request-list"))
    assert response.status_code == 200
    assert response.context["page"].paginator.count == n


@pytest.mark.parametrize("n", [2, 20])
def test_request_detail_query_count_is_constant_in_proposals_and_events(
    n, kemi_org, kemi_worker, unit_worker, client_for, django_assert_num_queries
):
    request = PlacementRequestFactory(
        municipality=kemi_org,
        created_by=kemi_worker,
        children=ChildFactory.create_batch(3, municipality=kemi_org),
        status=PlacementRequest.Status.PROPOSED,
    )
    for _ in range(n):
        ProposalFactory(request=request, proposed_by=unit_worker)
        PlacementFactory(request=request, child=ChildFactory(municipality=kemi_org))
    services.proposed_family_grants_sync(municipality=kemi_org)
    client = client_for(unit_worker)
    url = reverse("placements:request-detail", args=[request.pk])
    client.get(url)  # warm content types, permissions and roles
    # session, user, request, children, their needs, events (+by), proposals (+family,
    # municipality), placements (+child, family, provider), one access-log insert for all
    # three children
    with django_assert_num_queries(9):
        response = client.get(url)
    assert response.status_code == 200
    assert AccessLogEntry.objects.filter(user=unit_worker).count() == 2 * 3
    kemi = client_for(kemi_worker)
    kemi.get(url)  # warm guardian's content types
    # the same nine (session, user, request, children, needs, events, proposals,
    # placements, access-log insert): the proposals are only those whose family is
    # granted to Kemi's group, in the same query
    with django_assert_num_queries(9):
        response = kemi.get(url)
    assert len(response.context["proposals"]) == n


@pytest.mark.parametrize("n", [1, 5])
def test_an_open_request_reads_no_proposals_or_placements(
    n, kemi_org, kemi_worker, unit_worker, client_for, django_assert_num_queries
):
    """A request not yet proposed on (the page read most) has neither: its page does
    not ask for them."""
    request = PlacementRequestFactory(
        municipality=kemi_org,
        created_by=kemi_worker,
        children=ChildFactory.create_batch(n, municipality=kemi_org),
        status=PlacementRequest.Status.SUBMITTED,
    )
    client = client_for(unit_worker)
    url = reverse("placements:request-detail", args=[request.pk])
    client.get(url)  # warm content types, permissions and roles
    # session, user, request (with its counts of proposals and placements), children,
    # their needs, events, one access-log insert
    with django_assert_num_queries(7):
        response = client.get(url)
    assert response.status_code == 200
    assert list(response.context["proposals"]) == [] and response.context["hidden_proposals"] == 0
    assert "proposals-heading" not in response.content.decode()


@pytest.mark.parametrize("n", [10, 500])
def test_matching_query_count_is_the_same_for_10_and_500_families(
    n, kemi_request, unit_worker, client_for, django_assert_num_queries
):
    ReadyFamilyFactory.create_batch(n, places=3)
    client = client_for(unit_worker)
    url = reverse("placements:request-matching", args=[kemi_request.pk])
    # session, user, user permissions, group permissions, request, children, their needs,
    # the counts per rule (one aggregate), the organisations' coordinates (distances), the
    # best families with their room, their special skills, their carers (for the gates); the
    # providers' units: exclusions per rule, those that pass, the first excluded
    with django_assert_num_queries(15):
        response = client.get(url)
    assert response.status_code == 200
    # every family fits; the page shows the best of them and counts the rest
    assert response.context["result"].counts.fitting == n
    assert len(response.context["result"].ranked) == min(n, settings.MATCHING_SHOWN)


@pytest.mark.parametrize("n", [3, 30])
def test_child_and_placement_pages_query_counts_are_constant(
    n, kemi_org, kemi_worker, unit_worker, client_for, django_assert_num_queries
):
    children = ChildFactory.create_batch(n, municipality=kemi_org)
    for child in children:
        PlacementFactory(child=child, placement_type="emergency")
    children[0].siblings.set(children[1:])
    client = client_for(kemi_worker)
    # warm guardian's content types, the permissions and roles
    client.get(reverse("placements:child-list"))
    # session, user, count, page
    with django_assert_num_queries(4):
        assert client.get(reverse("placements:child-list")).status_code == 200
    # session, user, count, page (with child, municipality, family, provider, request)
    with django_assert_num_queries(4):
        assert client.get(reverse("placements:placement-list")).status_code == 200
    # session, user, child, needs, aftercare plans, identity-code changes, siblings,
    # placements, requests, access-log insert
    url = reverse("placements:child-detail", args=[children[0].pk])
    client.get(url)  # warm the access log's content type
    with django_assert_num_queries(10):
        assert client.get(url).status_code == 200
    Family.objects.update(pre_service_training_completed_on="2020-01-01")  # on the board
    unit = client_for(unit_worker)
    # session, user, user permissions, group permissions, the available families' room
    # summed by municipality and kind, the municipalities' names (cached from here on),
    # the providers' units' room summed likewise
    with django_assert_num_queries(7):
        response = unit.get(reverse("placements:vacancy-board"))
    assert response.context["board"]["rows"]  # the families are on it


@pytest.mark.parametrize("n", [2, 20])
def test_placement_correction_page_query_count_is_constant_in_its_history(
    n, unit_worker, client_for, django_assert_num_queries
):
    from datetime import date, timedelta

    from placements.models import PlacementChange

    placement = PlacementFactory(placement_type="emergency", started_on=date.today())
    for i in range(n):
        PlacementChange.objects.create(
            placement=placement,
            kind="dates",
            by=unit_worker,
            before={"started_on": (date.today() - timedelta(days=i + 1)).isoformat()},
            after={"started_on": date.today().isoformat()},
            reason=f"korjaus {i}",
        )
    client = client_for(unit_worker)
    url = reverse("placements:placement-correct", args=[placement.pk])
    client.get(url)  # warm content types and permissions
    # session, user, placement (with child, municipality, family, provider, request), its
    # changes (with by), access-log insert
    with django_assert_num_queries(5):
        assert client.get(url).status_code == 200
