"""Occupancy over time in the steering group's report: by month, over the report's quarter
and the year before it, from the register's occupancy history; drawn as a line chart with
its table."""

import io
from datetime import date

import pytest
from django.core.management import call_command
from django.utils import timezone, translation
from lxml import etree

from contracts.models import Contract
from families import services
from families.models import Family, Provider
from placements.models import Placement
from reports.charts import line_chart
from reports.figures import Period, occupancy_over_time
from reports.rendering import with_charts
from tests.contracts.factories import seed_contract
from tests.families.factories import FamilyFactory, ProviderFactory, ProviderUnitFactory
from tests.placements.factories import (
    ChildFactory,
    PlacementFactory,
    PlacementRequestFactory,
    ProposalFactory,
)

pytestmark = pytest.mark.django_db

MONTHS = [f"{m}/2025" for m in range(1, 13)] + ["1/2026", "2/2026", "3/2026"]


@pytest.fixture
def history():
    """Two families with 3 places and a unit of 2 places; placements with dates; the
    history derived up to 19 March 2026 and recorded on 20 March (with a reservation)."""
    two = FamilyFactory(kind=Family.Kind.FOSTER, places=2)
    one = FamilyFactory(kind=Family.Kind.RECEPTION, places=1, status=Family.Status.ACTIVE)
    unit = ProviderUnitFactory(
        provider=ProviderFactory(kind=Provider.Kind.INSTITUTION, places=5), places=2
    )
    PlacementFactory(  # the family of two places: October 2025 to 10 January 2026
        family=two,
        started_on=date(2025, 10, 1),
        ended_on=date(2026, 1, 10),
        end_reason=Placement.EndReason.RETURNED_HOME,
    )
    PlacementFactory(family=two, started_on=date(2026, 2, 1))  # still placed
    PlacementFactory(family=one, started_on=date(2025, 12, 31))  # still placed
    PlacementFactory(  # the unit: from June 2025
        family=None, provider=unit.provider, provider_unit=unit, started_on=date(2025, 6, 1)
    )
    services.occupancy_backfill(first_day=date(2024, 12, 1), last_day=date(2026, 3, 19))
    request = PlacementRequestFactory(status="accepted", children=[ChildFactory()])
    ProposalFactory(request=request, family=two, accepted=True)
    services.occupancy_record(day=date(2026, 3, 20))
    contract, _period, _members = seed_contract()
    return Period(contract, date(2026, 1, 1), date(2026, 3, 31))


@pytest.fixture
def table(history):
    with translation.override("en"):
        return occupancy_over_time(history).as_dict()


def test_occupancy_by_month_over_the_quarter_and_the_year_before(table):
    assert [r[0] for r in table["rows"]] == MONTHS
    by_month = {r[0]: r[1:] for r in table["rows"]}
    # families: places, taken, %; providers' units: places, taken, %
    assert by_month["1/2025"] == [3, 0, "0.0", 2, 0, "0.0"]
    assert by_month["6/2025"] == [3, 0, "0.0", 2, 1, "50.0"]
    assert by_month["10/2025"] == [3, 1, "33.3", 2, 1, "50.0"]
    assert by_month["12/2025"] == [3, 2, "66.7", 2, 1, "50.0"]  # 31 December counts
    assert by_month["1/2026"] == [3, 1, "33.3", 2, 1, "50.0"]  # ended 10 January
    assert by_month["2/2026"] == [3, 2, "66.7", 2, 1, "50.0"]
    # March is read on the day recorded: the reservation takes the third place
    assert by_month["3/2026"] == [3, 3, "100.0", 2, 1, "50.0"]
    assert table["chart_columns"] == [3, 6]
    assert table["chart_kind"] == "line"


def test_the_caption_says_which_days_are_derived(table):
    assert "20.3.2026" in table["note"]
    assert "derived from placements' dates" in table["note"]


def test_a_month_not_recorded_shows_a_dash(history):
    earlier = Period(history.contract, date(2025, 1, 1), date(2025, 3, 31))
    with translation.override("en"):
        rows = occupancy_over_time(earlier).as_dict()["rows"]
    assert rows[0] == ["1/2024", "–", "–", "–", "–", "–", "–"]
    assert rows[-1][1:] == [3, 0, "0.0", 2, 0, "0.0"]


def test_the_line_chart_draws_each_series_with_its_title(table):
    svg = line_chart(table, "chart-occupancy_history")
    root = etree.fromstring(str(svg).encode())
    ns = {"s": "http://www.w3.org/2000/svg"}
    assert root.find("s:title", ns).text == table["title"]
    lines = root.findall(".//s:polyline", ns)
    assert len(lines) == 2
    assert len(lines[0].get("points").split()) == len(MONTHS)
    assert "style" not in str(svg)
    assert ">100<" in str(svg)  # the axis of percentages reaches 100
    assert with_charts([table])[0]["chart"] == svg


def test_the_demo_has_a_line_over_the_past_year():
    call_command("seed_demo", "--force", stdout=io.StringIO())
    today = timezone.localdate()
    contract = Contract.objects.first()
    with translation.override("en"):
        rows = occupancy_over_time(Period(contract, today, today)).as_dict()["rows"]
    assert len(rows) == 13  # this month and the twelve before it
    assert all(isinstance(row[1], int) and row[1] > 0 for row in rows)
    assert rows[0][2] >= 1  # placed over a year ago, still placed
    assert len({row[2] for row in rows}) > 1  # the line moves
