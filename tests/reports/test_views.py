"""The reports' pages: make a report, watch it, download its tables; set the reference
daily costs; and query counts that do not grow with the number of reports."""

import csv
import io
from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from openpyxl import load_workbook

from reports import rendering
from reports.models import ReferenceDailyCost, Report
from tests.contracts.factories import ContractFactory


def test_finance_makes_the_steering_report_and_watches_it(
    client_for, finance_user, steering_data, django_capture_on_commit_callbacks
):
    client = client_for(finance_user)
    data = {
        "kind": "steering",
        "contract": steering_data["contract"].pk,
        "year": 2026,
        "quarter": 1,
        "language": "sv",
    }
    with django_capture_on_commit_callbacks() as queued:
        response = client.post(reverse("reports:report-list"), data)
    report = Report.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("reports:report-detail", args=[report.pk])
    assert len(queued) == 1  # the task, once the request is committed

    progress = client.get(response.url, headers={"HX-Request": "true"})
    assert b'hx-trigger="every 2s"' in progress.content and b'role="status"' in progress.content

    rendering.report_render(report_id=report.pk)
    page = client.get(response.url)
    assert b"hx-trigger" not in page.content
    assert "Vårddygn per medlemskommun" in page.content.decode()
    assert b"<svg" in page.content

    table = client.get(reverse("reports:report-csv", args=[report.pk, "care_days"]))
    rows = list(csv.reader(io.StringIO(table.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][0] == "Medlem" and ["Kemi", "155", "0", "0", "155"] in rows

    report.refresh_from_db()
    book = load_workbook(
        io.BytesIO(client.get(reverse("reports:report-xlsx", args=[report.pk])).content)
    )
    assert len(book.sheetnames) == len(report.tables)


def test_a_steering_report_without_a_quarter_is_refused_with_the_reason(
    client_for, finance_user, steering_data
):
    response = client_for(finance_user).post(
        reverse("reports:report-list"),
        {
            "kind": "steering",
            "contract": steering_data["contract"].pk,
            "year": 2026,
            "language": "fi",
        },
    )
    assert response.status_code == 400
    assert "report is for a quarter." in response.content.decode()
    assert not Report.objects.exists()


def test_finance_sets_a_reference_daily_cost_and_changes_it(client_for, finance_user):
    client = client_for(finance_user)
    url = reverse("reports:reference-cost-list")
    for cost in ("42.00", "44.50"):
        response = client.post(
            url, {"year": 2026, "care_type": "family_care", "daily_cost": cost, "source": "x"}
        )
        assert response.status_code == 302
    assert ReferenceDailyCost.objects.get().daily_cost == Decimal("44.50")
    refused = client.post(url, {"year": 2026, "care_type": "family_care", "daily_cost": "-1"})
    assert refused.status_code == 400
    assert ReferenceDailyCost.objects.get().daily_cost == Decimal("44.50")


def _reports(n, member):
    contract = ContractFactory(issuer=member, members=[member])
    for year in range(2000, 2000 + n):
        report = Report(
            kind=Report.Kind.MEMBER_ANNUAL,
            contract=contract,
            member=member,
            year=year,
            status=Report.Status.DONE,
        )
        report.pdf.save("r.pdf", ContentFile(b"%PDF-1.4\n"), save=True)


@pytest.mark.parametrize("n", [2, 40])
def test_report_list_query_count_is_constant(
    n, client_for, finance_user, kemi_worker, kemi_org, django_assert_num_queries
):
    _reports(n, kemi_org)
    # session, user, permissions (user, group), the reports with contract, member and
    # requester; the form's contracts and members
    client = client_for(finance_user)
    with django_assert_num_queries(7):
        response = client.get(reverse("reports:report-list"))
    assert len(response.context["reports"]) == n
    # a municipal worker: session, user, the reports (their organisations a subquery);
    # after a first request has cached content types, permissions and roles
    client = client_for(kemi_worker)
    client.get(reverse("reports:report-list"))
    with django_assert_num_queries(3):
        response = client.get(reverse("reports:report-list"))
    assert len(response.context["reports"]) == n


def test_report_detail_query_count(
    client_for, finance_user, steering_data, django_assert_num_queries
):
    report = Report.objects.create(
        kind=Report.Kind.STEERING, contract=steering_data["contract"], year=2026, quarter=1
    )
    report = rendering.report_render(report_id=report.pk)
    # session, user, permissions (user, group), the report with contract, member, requester
    client = client_for(finance_user)
    with django_assert_num_queries(5):
        response = client.get(reverse("reports:report-detail", args=[report.pk]))
    assert response.status_code == 200
