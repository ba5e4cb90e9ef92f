"""Query counts of the experts pages do not grow with the number of rows."""

import pytest
from django.urls import reverse

from experts.models import ExpertRole
from tests.experts.factories import ConsultationFactory, ExpertFactory, ExpertiseAreaFactory
from tests.fostercare.factories import MemberOrganisationFactory
from tests.placements.factories import PlacementRequestFactory


def _experts(n):
    orgs = MemberOrganisationFactory.create_batch(2)
    areas = ExpertiseAreaFactory.create_batch(2)
    return ExpertFactory.create_batch(
        n, roles=[ExpertRole.MENTOR, ExpertRole.TRAINER], serves=orgs, expertise=areas
    )


@pytest.mark.parametrize("n", [5, 200])
def test_expert_list_query_count_is_constant(n, client_for, unit_worker, django_assert_num_queries):
    _experts(n)
    client = client_for(unit_worker)
    # session, user, user permissions, group permissions, count, page of experts,
    # their areas of expertise, the organisations they serve, the filter's options
    # (areas, organisations)
    with django_assert_num_queries(10):
        response = client.get(reverse("experts:expert-list"), {"role": "mentor", "language": "fi"})
    assert response.status_code == 200
    assert response.context["page"].paginator.count == n


@pytest.mark.parametrize("n", [5, 200])
def test_expert_list_for_a_municipal_worker_query_count_is_constant(
    n, client_for, kemi_worker, django_assert_num_queries
):
    _experts(n)
    client = client_for(kemi_worker)
    # session, user, user permissions, group permissions, the user's role groups, count,
    # page of experts, areas, organisations served, the filter's options (areas,
    # organisations)
    with django_assert_num_queries(11):
        response = client.get(reverse("experts:expert-list"))
    assert response.context["page"].paginator.count == n


@pytest.mark.parametrize("n", [5, 50])
def test_expert_detail_query_count_is_constant(
    n, client_for, unit_worker, django_assert_num_queries
):
    orgs = MemberOrganisationFactory.create_batch(n)
    areas = ExpertiseAreaFactory.create_batch(n)
    expert = ExpertFactory(serves=orgs, expertise=areas)
    client = client_for(unit_worker)
    # session, user, expert, areas, organisations served, permissions (user, group)
    with django_assert_num_queries(7):
        response = client.get(reverse("experts:expert-detail", args=[expert.pk]))
    assert response.status_code == 200


@pytest.mark.parametrize("n", [5, 200])
def test_consultation_list_query_count_is_constant(
    n, client_for, unit_worker, kemi_org, kemi_worker, django_assert_num_queries
):
    request = PlacementRequestFactory(municipality=kemi_org, created_by=kemi_worker)
    ConsultationFactory.create_batch(
        n, municipality=kemi_org, municipal_worker=kemi_worker, placement_request=request
    )
    client = client_for(unit_worker)
    # session, user, permissions (user, group), count, page of consultations with their
    # organisation, worker, request and child, the filter's organisation options
    with django_assert_num_queries(7):
        response = client.get(reverse("experts:consultation-list"))
    assert response.context["page"].paginator.count == n


@pytest.mark.parametrize("n", [5, 50])
def test_consultation_detail_query_count_is_constant(
    n, client_for, unit_worker, kemi_org, kemi_worker, django_assert_num_queries
):
    request = PlacementRequestFactory(municipality=kemi_org, created_by=kemi_worker)
    consultation = ConsultationFactory(
        municipality=kemi_org, placement_request=request, child=request.children.first()
    )
    consultation.experts.set(ExpertFactory.create_batch(n))
    client = client_for(unit_worker)
    client.get(reverse("experts:consultation-detail", args=[consultation.pk]))  # content types
    # session, user (permissions cached by the first request), the consultation with its
    # relations, experts involved, the request's children, access-log insert
    with django_assert_num_queries(6):
        response = client.get(reverse("experts:consultation-detail", args=[consultation.pk]))
    assert response.status_code == 200


@pytest.mark.parametrize("n", [5, 200])
def test_quarterly_totals_query_count_is_constant(
    n, client_for, unit_worker, kemi_org, tornio_org, django_assert_num_queries
):
    for i in range(n):
        ConsultationFactory(municipality=(kemi_org, tornio_org)[i % 2], duration_minutes=10 + i)
    client = client_for(unit_worker)
    # session, user, permissions (user, group), the years with consultations, the
    # counts and minutes grouped by organisation, quarter and kind, the organisations
    with django_assert_num_queries(7):
        response = client.get(reverse("experts:consultation-totals"))
    assert sum(r.total.count for r in response.context["rows"] if r.organisation is None) == 2 * n
