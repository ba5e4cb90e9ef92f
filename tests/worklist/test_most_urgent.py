"""The front page builds each section's 25 most urgent items and counts the rest in SQL:
the items it shows and the counts it gives are those of the whole queue (the digest's)."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from families.models import Carer, Family
from families.worklist import add_months, check_due_on, last_done_on_due
from fostercare.worklist import ITEMS_SHOWN_PER_SECTION, worklist_for
from placements.models import birthday, born_by
from tests.placements.factories import ChildFactory, PlacementFactory
from tests.worklist.conftest import days_ago


@pytest.mark.parametrize("months", [1, 6, 12, 24, 60])
def test_the_sql_cut_off_of_a_check_is_the_python_due_date_rule(months):
    """done_on <= last_done_on_due(until) exactly when check_due_on(done_on) <= until,
    month ends included."""
    validity = {"health_check": months}
    for until in (date(2027, 1, 1) + timedelta(days=n) for n in range(0, 731, 3)):
        cutoff = last_done_on_due(until, months)
        for done_on in (cutoff + timedelta(days=d) for d in range(-3, 4)):
            due = check_due_on("health_check", done_on, validity)
            assert (due <= until) == (done_on <= cutoff), (until, done_on, due)
    # the clipping case: 31 January + 1 month is 28 February
    assert add_months(date(2027, 1, 31), 1) == date(2027, 2, 28)
    assert last_done_on_due(date(2027, 2, 28), 1) == date(2027, 1, 31)


def _families_with_unchecked_carers(n: int) -> None:
    families = Family.objects.bulk_create(
        Family(
            name=f"Perhe {i}",
            kind=Family.Kind.FOSTER,
            status=Family.Status.ACTIVE,
            places=2,
            pre_service_training_completed_on=days_ago(800),
        )
        for i in range(n)
    )
    Carer.objects.bulk_create(
        Carer(
            family=family,
            first_name="Aino",
            last_name=f"Hoitaja{family.pk}",
            birth_year=1980,
            # every carer's health check overdue by a different number of days
            health_checked_on=days_ago(800 + i),
            criminal_record_seen_on=days_ago(10),
        )
        for i, family in enumerate(families)
    )


def test_the_page_shows_the_most_urgent_25_and_counts_every_item(unit_worker, client_for):
    _families_with_unchecked_carers(40)
    response = client_for(unit_worker).get(reverse("home"))
    shown = {view.section.key: view for view in response.context["queue"]}["families.checks"]
    whole = {view.section.key: view for view in worklist_for(unit_worker)}["families.checks"]

    assert whole.count == len(whole.items) > ITEMS_SHOWN_PER_SECTION
    assert shown.count == whole.count  # counted in SQL, not built
    assert len(shown.items) < whole.count
    assert [item.key for item in shown.shown] == [item.key for item in whole.shown]
    assert shown.not_shown == whole.count - ITEMS_SHOWN_PER_SECTION
    assert f"And {shown.not_shown} more" in response.content.decode()


@pytest.mark.parametrize("age", [18, 21, 23])
def test_the_sql_bounds_of_the_aftercare_flag_are_the_birthday_rule(age):
    """dob <= born_by(day, age) exactly when the ``age`` birthday is on or before day,
    29 February births and days included."""
    for day in (date(2027, 1, 1) + timedelta(days=n) for n in range(0, 1500, 7)):
        for extra in (date(2028, 2, 27), date(2028, 2, 28), date(2028, 2, 29), date(2029, 3, 1)):
            for today in (day, extra):
                bound = born_by(today, age)
                for born in (bound + timedelta(days=d) for d in range(-2, 3)):
                    assert (birthday(born, age) <= today) == (born <= bound), (today, born)
    assert born_by(date(2027, 2, 28), 18) == date(2009, 3, 1) - timedelta(days=1)
    assert born_by(date(2026, 2, 28), 18) == date(2008, 2, 29)  # 18 on 28 February


def test_young_people_near_18_are_built_25_at_a_time_and_counted(unit_worker, client_for):
    born = timezone.localdate() - timedelta(days=17 * 365 + 200)
    placements = [
        PlacementFactory(child=ChildFactory(date_of_birth=born - timedelta(days=i)))
        for i in range(30)
    ]
    assert all(placement.needs_aftercare_planning for placement in placements)
    response = client_for(unit_worker).get(reverse("home"))
    shown = {view.section.key: view for view in response.context["queue"]}
    whole = {view.section.key: view for view in worklist_for(unit_worker)}
    assert whole["placements.aftercare"].count == len(whole["placements.aftercare"].items) == 30
    assert shown["placements.aftercare"].count == 30
    assert len(shown["placements.aftercare"].items) == ITEMS_SHOWN_PER_SECTION
    # the oldest first, as the whole queue orders them
    assert [i.key for i in shown["placements.aftercare"].shown] == [
        i.key for i in whole["placements.aftercare"].shown
    ]
