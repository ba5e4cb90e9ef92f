"""Every figure of the steering group's report for the known data set of conftest.py."""

from datetime import date
from decimal import Decimal

import pytest
from django.utils import translation

from contracts.selectors import allocation_table, placement_care_days
from reports.figures import report_tables
from reports.models import Report


@pytest.fixture
def tables(steering_data):
    report = Report.objects.create(
        kind=Report.Kind.STEERING, contract=steering_data["contract"], year=2026, quarter=1
    )
    with translation.override("en"):
        return {t["key"]: t for t in report_tables(report)}


def row(table, name):
    return next(r for r in table["rows"] if r[0] == name)


def test_families_by_kind_and_status(tables):
    t = tables["families"]
    # columns: inquiry, in training, assessment, approved, active, paused, ended, total
    assert row(t, "Kemi: Foster family")[1:] == [0, 0, 0, 1, 0, 0, 0, 1]
    assert row(t, "Kemi: Reception (emergency) family")[1:] == [0, 0, 0, 0, 1, 0, 0, 1]
    assert row(t, "Kemi: Support family")[1:] == [1, 0, 0, 0, 0, 0, 0, 1]
    assert row(t, "Tornio: Foster family")[1:] == [0, 0, 0, 1, 0, 0, 0, 1]
    assert len(t["rows"]) == 4
    assert t["total"] == ["All members", 1, 0, 0, 2, 1, 0, 0, 4]


def test_recruitment(tables):
    t = tables["recruitment"]
    assert row(t, "Kemi")[1:] == [1, 0, 0]
    assert row(t, "Tornio")[1:] == [0, 1, 1]
    assert row(t, "Simo")[1:] == [0, 0, 0]
    assert t["total"] == ["All members", 1, 1, 1]


def test_placements_started_and_ended_by_type(tables):
    t = tables["placements"]
    # started: family care, professional family home, institution; then ended, the same
    assert row(t, "Kemi")[1:] == [2, 0, 0, 1, 0, 0]
    assert row(t, "Tornio")[1:] == [0, 1, 1, 0, 1, 0]
    assert t["total"] == ["All members", 2, 1, 1, 1, 1, 0]


def test_care_days_per_member_agree_with_the_usage_figures(tables, steering_data):
    t = tables["care_days"]
    assert row(t, "Kemi")[1:] == [155, 0, 0, 155]
    assert row(t, "Tornio")[1:] == [0, 10, 31, 41]
    assert row(t, "Keminmaa")[1:] == [0, 0, 0, 0]
    assert t["total"] == ["All members", 155, 10, 31, 196]
    # the same count as contracts' usage figures from placements (one definition)
    period = steering_data["period"]
    period.starts_on, period.ends_on = date(2026, 1, 1), date(2026, 3, 31)
    members = steering_data["members"]
    days = placement_care_days(period=period)
    assert days[members["240"].pk] == 155 and days[members["851"].pk] == 41


def test_emergency_placements_and_how_long_they_lasted(tables):
    t = tables["emergency"]
    assert row(t, "Kemi")[1:] == [2, "32.5", 45, 1]
    assert row(t, "Tornio")[1:] == [0, "–", "–", 0]
    assert t["total"] == ["All members", 2, "32.5", 45, 1]


def test_time_from_request_to_placement_median_and_longest(tables):
    t = tables["time_to_placement"]
    assert row(t, "Kemi")[1:] == [1, "3.0", 3]
    assert row(t, "Tornio")[1:] == [2, "7.5", 10]
    assert t["total"] == ["All members", 3, "5.0", 10]


def test_occupancy_reads_the_room_of_the_register(tables):
    t = tables["occupancy"]
    # foster: 2 + 2 places, 2 taken (both in one family), room 0 + 2
    assert row(t, "Foster family")[1:] == [4, 2, 2, "50.0"]
    assert row(t, "Reception (emergency) family")[1:] == [1, 0, 1, "0.0"]
    assert row(t, "Child-welfare institution")[1:] == [5, 1, 4, "20.0"]
    assert row(t, "Professional family home")[1:] == [5, 0, 5, "0.0"]


def test_consultations_per_member(tables):
    t = tables["consultations"]
    assert row(t, "Kemi")[1:] == [2, "1.25"]
    assert row(t, "Tornio")[1:] == [1, "1.00"]
    assert t["total"] == ["All members", 3, "2.25"]


def test_cost_allocation_is_the_contract_pages_quarter(tables, steering_data):
    t = tables["allocation"]
    page = allocation_table(steering_data["period"])
    for page_row in page.rows:
        assert row(t, page_row.member.name)[1:] == [
            str(page_row.share_percent),
            str(page_row.quarters[0]),
        ]
    assert row(t, "Kemi")[1:] == ["34.6346", "4156.16"]
    assert t["total"][2] == "12000.00"  # (64,000 − 16,000) / 4


def test_invoices_and_payments_per_member(tables, steering_data):
    t = tables["invoices"]
    kemi_total = str(steering_data["kemi_invoice"].total)
    assert row(t, "Kemi")[1:] == [kemi_total, kemi_total, "0.00"]
    assert row(t, "Tornio")[1:] == ["0.00", "0.00", "0.00"]  # the issuer bears its own
    keminmaa = row(t, "Keminmaa")
    assert keminmaa[1:3] == ["0.00", "0.00"] and Decimal(keminmaa[3]) > 0


def test_actual_cost_against_the_budget(tables):
    assert tables["budget"]["rows"] == [["Q1/2026", "16000.00", "15000.00", "-1000.00"]]


def test_family_care_against_institutional_care(tables):
    t = tables["savings"]
    assert t["rows"] == [
        ["Family care", 155, "42.00", "6510.00"],
        ["Professional family home", 10, "150.00", "1500.00"],
        ["Child-welfare institution", 31, "300.00", "9300.00"],
    ]
    assert t["total"] == ["Total", 196, "", "17310.00"]
    # 155 days × (300 − 42) €
    assert "46500.00" in t["note"] and "39990.00" in t["note"]


def test_the_member_annual_report_compares_the_member_with_the_others(steering_data):
    report = Report.objects.create(
        kind=Report.Kind.MEMBER_ANNUAL,
        contract=steering_data["contract"],
        member=steering_data["members"]["240"],
        year=2026,
    )
    with translation.override("en"):
        tables = {t["key"]: t for t in report_tables(report)}
    own = tables["member_quarters"]
    # placements started; care days in family care, professional family home, institution
    assert own["rows"][0] == ["Q1/2026", 2, 155, 0, 0, 155]
    assert own["title"] == "Kemi: placements and care days by quarter"
    compared = tables["members_compared"]
    kemi_total = str(steering_data["kemi_invoice"].total)
    # the year's care days are counted up to today (1 December 2026 or later in these
    # tests): two placements still going, so only the quarter of Q1 is pinned
    kemi = row(compared, "Kemi")
    assert kemi[2:] == ["34.6346", "16624.62", kemi_total]
    assert row(compared, "Tornio")[4] == "0.00"
    assert compared["total"][3] == "48000.00"


def test_time_to_placement_counts_days_in_finnish_time(steering_data):
    """A request submitted at 0.30 in Finland (the day before in UTC) waited from that
    Finnish day, as every date on the pages is."""
    from datetime import datetime

    from django.utils import timezone

    from placements.models import Placement

    placement = Placement.objects.get(
        request__isnull=False, child__municipality=steering_data["members"]["240"]
    )
    request = placement.request
    day = timezone.localdate(request.submitted_at)
    request.submitted_at = timezone.make_aware(datetime(day.year, day.month, day.day, 0, 30))
    request.save(update_fields=["submitted_at"])
    report = Report.objects.create(
        kind=Report.Kind.STEERING, contract=steering_data["contract"], year=2026, quarter=1
    )
    with translation.override("en"):
        t = {t["key"]: t for t in report_tables(report)}["time_to_placement"]
    assert row(t, "Kemi")[1:] == [1, "3.0", 3]
