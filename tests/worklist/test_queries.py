"""The front page's query count does not grow with the register: the same for 10 and for
1,000 families, for every role."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from families.models import Carer, Family, FamilyStatusChange
from placements.models import PlacementRequest, PlacementType
from tests.contracts.factories import ContractFactory, ContractPeriodFactory
from tests.families.factories import ProviderFactory, SupervisionVisitFactory
from tests.placements.factories import ChildFactory, PlacementFactory, PlacementRequestFactory
from tests.training.factories import CourseFactory, EnrolmentFactory
from tests.worklist.conftest import days_ago
from training.models import Enrolment, Inquiry


def _register(n: int) -> None:
    """n families: half active with an unchecked carer each, half approved and idle for a
    year, and every tenth family's inquiry left uncontacted."""
    families = Family.objects.bulk_create(
        Family(
            name=f"Perhe {i}",
            kind=Family.Kind.FOSTER,
            status=Family.Status.ACTIVE if i % 2 else Family.Status.APPROVED,
            places=2,
            pre_service_training_completed_on=days_ago(800),
        )
        for i in range(n)
    )
    Carer.objects.bulk_create(
        Carer(family=family, first_name="Aino", last_name=f"Hoitaja{family.pk}", birth_year=1980)
        for family in families
    )
    changes = FamilyStatusChange.objects.bulk_create(
        FamilyStatusChange(family=family, from_status="assessment", to_status="approved")
        for family in families
    )
    FamilyStatusChange.objects.filter(pk__in=[c.pk for c in changes]).update(
        changed_at=timezone.now() - timedelta(days=365)
    )
    received = timezone.now() - timedelta(days=30)
    Inquiry.objects.bulk_create(
        Inquiry(family=family, language="fi", consent_given_at=received, created_at=received)
        for family in families[::10]
    )


def _placements_and_more(n: int, kemi_org, kemi_worker) -> None:
    """Some of everything else, growing with n too."""
    for i in range(max(2, n // 100)):
        PlacementRequestFactory(
            municipality=kemi_org,
            created_by=kemi_worker,
            status=[PlacementRequest.Status.SUBMITTED, PlacementRequest.Status.PROPOSED][i % 2],
            submitted_at=timezone.now(),
        )
        PlacementFactory(
            child=ChildFactory(municipality=kemi_org),
            placement_type=PlacementType.EMERGENCY,
            started_on=days_ago(20 + i),
        )
        SupervisionVisitFactory(visited_on=days_ago(30), follow_up_due_on=days_ago(1))
        ProviderFactory(licence_valid_until=days_ago(i - 30))  # ending, then ended
        ContractPeriodFactory(  # a producer's contract, no producer's invoice recorded
            contract=ContractFactory(issuer=kemi_org, producer_name=f"Tuottaja {i}"),
            starts_on=days_ago(800).replace(month=1, day=1),
            ends_on=days_ago(-800).replace(month=12, day=31),
        )
        course = CourseFactory(capacity=1)
        EnrolmentFactory(course=course)
        EnrolmentFactory(course=course, status=Enrolment.Status.WAITLISTED)


@pytest.fixture(params=[10, 1000])
def register(request, kemi_org, kemi_worker):
    _register(request.param)
    _placements_and_more(request.param, kemi_org, kemi_worker)
    return request.param


def _front_page(client, expected_queries, django_assert_num_queries):
    # warm guardian's and the access log's content types, the user's permissions and roles
    client.get(reverse("home"))
    with django_assert_num_queries(expected_queries):
        response = client.get(reverse("home"))
    assert response.status_code == 200
    return response


def test_unit_front_page_query_count(register, unit_worker, client_for, django_assert_num_queries):
    # session, user (the permissions and the validity periods of checks are cached);
    # families: carers with their families (health checks, then criminal-record checks:
    #   each the 25 most urgent with a window count of the rest), families (home study),
    #   supervision follow-ups with their providers, active providers whose licence ends
    #   within the checks' window (a licence review is off by default: no query);
    # training: new inquiries with their families, courses with their counts;
    # placements: submitted requests, proposed requests, emergency placements and their
    #   children (by id), placements near aftercare, aftercare plans due for review, idle
    #   families (with_room and their last placement as subqueries);
    # contracts: none (unit workers read invoices but do not invoice)
    response = _front_page(client_for(unit_worker), 16, django_assert_num_queries)
    sections = {view.section.key: view.count for view in response.context["queue"]}
    assert sections["families.checks"] >= register  # every carer's checks are open
    assert sections["placements.idle_families"] == register  # none has had a child


def test_municipal_front_page_query_count(
    register, kemi_worker, client_for, django_assert_num_queries
):
    # session, user (roles and permissions are cached), the organisation (welcome line);
    # placements: the municipality's open requests (the organisation's
    # grants are a subquery), its children's emergency placements and those children
    response = _front_page(client_for(kemi_worker), 6, django_assert_num_queries)
    assert {view.section.key for view in response.context["queue"]} == {
        "placements.own_requests",
        "placements.emergency",
    }


def test_finance_front_page_query_count(
    register, finance_user, client_for, django_assert_num_queries
):
    # session, user (roles and permissions are cached), the organisation (welcome line);
    # contracts: invoices past due, periods of active contracts with
    # their contracts, runs' quarters, invoiced quarters, drafts per quarter, producer's
    # invoices recorded
    response = _front_page(client_for(finance_user), 9, django_assert_num_queries)
    sections = {view.section.key: view.count for view in response.context["queue"]}
    assert sections["contracts.producer_invoices"] >= max(2, register // 100)


def test_administrator_front_page_query_count(
    register, admin_user, client_for, django_assert_num_queries
):
    # session, user (a superuser's permissions need no query); the unit's fourteen (carers
    # twice, families, supervision follow-ups, providers' licences, inquiries, courses,
    # submitted and proposed requests, emergency placements and their children,
    # placements near aftercare, aftercare plans due, idle families) and
    # finance's six (invoices past due, periods of active contracts, runs' quarters,
    # invoiced quarters, drafts, producer's invoices); the validity periods of checks are
    # cached by the first request
    _front_page(client_for(admin_user), 22, django_assert_num_queries)


def test_the_young_people_and_idle_families_sections_can_read_their_indexes(
    unit_worker, client_for
):
    """Nationally the two sections read an index, not the tables: children by date of
    birth, and the status changes into approved or active. Seq scans off, so
    that the plan says whether the index serves the query at all (a small table is read
    whole)."""
    _register(10)
    client = client_for(unit_worker)
    client.get(reverse("home"))
    with CaptureQueriesContext(connection) as captured:
        client.get(reverse("home"))
    sqls = [query["sql"] for query in captured.captured_queries]
    [young] = [sql for sql in sqls if '"placements_child"."date_of_birth" >' in sql]
    [idle] = [sql for sql in sqls if 'AS "idle_since"' in sql]
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        plans = []
        for sql in (young, idle):
            cursor.execute(f"EXPLAIN {sql}")
            plans.append("\n".join(row[0] for row in cursor.fetchall()))
    assert "child_date_of_birth" in plans[0]
    # index-only once vacuumed (a test's fresh rows are not yet all-visible)
    assert "status_change_to_available" in plans[1]
