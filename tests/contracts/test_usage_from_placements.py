"""Usage basis: care days of the members' placements become the period's usage figures."""

from datetime import date

from django.urls import reverse

from contracts.models import ContractPeriod, UsageFigure
from contracts.selectors import placement_care_days
from contracts.services import usage_figures_from_placements
from tests.contracts.factories import seed_contract
from tests.placements.factories import ChildFactory, PlacementFactory


def _period():
    _contract, period, members = seed_contract(basis=ContractPeriod.Basis.USAGE)
    return period, members  # 1.1.2025–31.12.2026


def test_care_days_count_each_day_in_placement_within_the_period(db):
    period, members = _period()
    kemi_child = ChildFactory(municipality=members["240"])
    PlacementFactory(child=kemi_child, started_on=date(2024, 12, 1), ended_on=date(2025, 1, 10))
    PlacementFactory(
        child=ChildFactory(municipality=members["240"]),
        started_on=date(2025, 3, 1),
        ended_on=date(2025, 3, 31),
    )
    PlacementFactory(
        child=ChildFactory(municipality=members["851"]), started_on=date(2026, 12, 1), ended_on=None
    )

    days = placement_care_days(period=period, until=date(2026, 12, 10))

    assert days[members["240"].pk] == 10 + 31  # from the period's first day; March whole
    assert days[members["851"].pk] == 10  # still placed: counted up to "until"
    assert days[members["751"].pk] == 0


def test_usage_figures_are_replaced_by_care_days(db):
    period, members = _period()
    PlacementFactory(
        child=ChildFactory(municipality=members["845"]),
        started_on=date(2025, 2, 1),
        ended_on=date(2025, 2, 28),
    )

    total = usage_figures_from_placements(period=period, by=None)

    figures = dict(
        UsageFigure.objects.filter(period=period).values_list("member__code", "care_days")
    )
    assert figures["845"] == 28
    assert figures["240"] == 0
    assert total == 28


def test_admin_action_sets_usage_from_placements(client_for, admin_user):
    period, members = _period()
    PlacementFactory(
        child=ChildFactory(municipality=members["976"]),
        started_on=date(2025, 1, 1),
        ended_on=date(2025, 1, 1),
    )

    client_for(admin_user).post(
        reverse("admin:contracts_contractperiod_changelist"),
        {"action": "usage_from_placements", "_selected_action": [period.pk]},
    )

    assert UsageFigure.objects.get(period=period, member=members["976"]).care_days == 1
