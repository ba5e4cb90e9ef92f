from datetime import date
from io import StringIO

import pgtrigger
import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection
from django.test import override_settings
from django.urls import reverse

from families import services as families_services
from families.models import Carer, Family, HouseholdMember
from families.services import household_member_add
from tests.families.factories import CarerFactory, FamilyFactory, HouseholdMemberFactory


def _family_with_four_persons(resident_carers: int):
    # two places offered + two of the carers' own children under school age = 4 persons
    family = FamilyFactory(places=2)
    CarerFactory.create_batch(resident_carers, family=family, lives_in_home=True)
    HouseholdMemberFactory.create_batch(2, family=family)
    return family


def test_fifth_person_is_rejected_with_one_resident_carer(unit_worker):
    family = _family_with_four_persons(resident_carers=1)

    with pytest.raises(ValidationError, match="allows 4"):
        household_member_add(family=family, by=unit_worker, description="Vauva", birth_year=2026)

    assert family.household_members.count() == 2


def test_fifth_person_is_accepted_with_two_resident_carers(unit_worker):
    family = _family_with_four_persons(resident_carers=2)

    household_member_add(family=family, by=unit_worker, description="Vauva", birth_year=2026)

    assert family.household_members.count() == 3


def test_carer_living_elsewhere_does_not_raise_the_limit(unit_worker):
    family = _family_with_four_persons(resident_carers=1)
    CarerFactory(family=family, lives_in_home=False)

    with pytest.raises(ValidationError):
        household_member_add(family=family, by=unit_worker, description="Vauva", birth_year=2026)


def test_recorded_exception_reason_allows_more(unit_worker):
    family = _family_with_four_persons(resident_carers=1)
    family.capacity_exception_reason = "Sisarukset (9 §)"
    family.save()

    household_member_add(family=family, by=unit_worker, description="Vauva", birth_year=2026)

    assert family.household_members.count() == 3


@override_settings(FAMILY_CARE_MAX_PERSONS=5)
def test_limit_is_a_setting(unit_worker):
    family = _family_with_four_persons(resident_carers=1)

    household_member_add(family=family, by=unit_worker, description="Vauva", birth_year=2026)

    assert family.household_members.count() == 3


def test_household_form_shows_capacity_error_and_adds_nothing(client_for, unit_worker):
    family = _family_with_four_persons(resident_carers=1)

    response = client_for(unit_worker).post(
        reverse("families:household-member-add", args=[family.pk]),
        {"description": "Vauva", "birth_year": 2026, "counts_toward_capacity": "on"},
        HTTP_HX_REQUEST="true",
    )

    assert response.status_code == 400
    assert "Family Care Act allows 4" in response.content.decode()
    assert HouseholdMember.objects.filter(family=family).count() == 2


def test_raising_places_past_the_limit_is_rejected_in_the_form(client_for, unit_worker):
    family = _family_with_four_persons(resident_carers=1)
    data = {
        "name": family.name,
        "kind": family.kind,
        "places": 3,
        "age_min": 0,
        "age_max": 17,
        "siblings_accepted": "on",
    }

    response = client_for(unit_worker).post(
        reverse("families:family-update", args=[family.pk]), data
    )

    assert response.status_code == 200
    assert "allows 4" in response.content.decode()
    family.refresh_from_db()
    assert family.places == 2


def test_admin_cannot_raise_places_past_the_limit(client_for, admin_user):
    family = _family_with_four_persons(resident_carers=1)
    data = {
        "name": family.name,
        "kind": family.kind,
        "places": 3,
        "age_min": 0,
        "age_max": 17,
        "siblings_accepted": "on",
        "languages": "fi",
        "status_changes-TOTAL_FORMS": 0,
        "status_changes-INITIAL_FORMS": 0,
    }

    response = client_for(admin_user).post(
        reverse("admin:families_family_change", args=[family.pk]), data
    )

    assert response.status_code == 200
    assert "allows 4" in response.content.decode()
    family.refresh_from_db()
    assert family.places == 2


def _persons_counted(*families):
    """Each family's counts as stored on its row, and as counted from the rows now."""
    stored = {
        row[0]: row[1:]
        for row in Family.objects.filter(pk__in=[f.pk for f in families]).values_list(
            "pk", "resident_carer_count", "counted_household_count"
        )
    }
    counted = {
        f.pk: (
            Carer.objects.filter(family=f, lives_in_home=True).count(),
            HouseholdMember.objects.filter(
                family=f, counts_toward_capacity=True, moved_out_on=None
            ).count(),
        )
        for f in families
    }
    return stored, counted


def _sql(statement):
    with connection.cursor() as cursor:
        cursor.execute(statement)


def _persons_before_their_family():
    pk = Family.objects.order_by("-pk").values_list("pk", flat=True).first() + 100
    CarerFactory.create_batch(2, family_id=pk)
    HouseholdMemberFactory(family_id=pk)
    FamilyFactory(pk=pk)


def test_the_persons_the_limit_counts_are_kept_on_the_family_whatever_writes_the_rows(db):
    first, second = FamilyFactory(), FamilyFactory()
    steps = [
        lambda: CarerFactory.create_batch(2, family=first),
        lambda: CarerFactory(family=first, lives_in_home=False),
        lambda: Carer.objects.bulk_create(
            [Carer(family=second, first_name="Eino", last_name="Aho", birth_year=1970)]
        ),
        lambda: HouseholdMemberFactory.create_batch(2, family=first),
        lambda: HouseholdMemberFactory(family=second, counts_toward_capacity=False),
        # a move-out, a carer moving out of the home, a carer moved to the other family
        lambda: HouseholdMember.objects.filter(family=first).update(moved_out_on=date.today()),
        lambda: Carer.objects.filter(
            pk=Carer.objects.filter(family=first, lives_in_home=True).first().pk
        ).update(lives_in_home=False),
        lambda: Carer.objects.filter(family=first, lives_in_home=False).update(
            family=second, lives_in_home=True
        ),
        lambda: HouseholdMember.objects.filter(family=second).update(counts_toward_capacity=True),
        # an update that changes nothing counted, and deletes
        lambda: Carer.objects.filter(family=second).update(first_name="Eira"),
        lambda: Carer.objects.filter(family=second).first().delete(),
        lambda: HouseholdMember.objects.filter(family=first).delete(),
        # the family written from a copy read before, or with counts of its own
        lambda: Family.objects.filter(pk=first.pk).update(resident_carer_count=7),
        lambda: second.save(),
        lambda: FamilyFactory(resident_carer_count=3, counted_household_count=2),
        # a fixture that loads a family's carers and household before the family (the
        # foreign keys are checked at commit)
        _persons_before_their_family,
        # a table emptied at once fires no row triggers (the foreign keys checked first)
        lambda: _sql("SET CONSTRAINTS ALL IMMEDIATE; TRUNCATE families_householdmember"),
        lambda: _sql("TRUNCATE families_carer CASCADE"),
    ]
    seen = []
    for step in steps:
        step()
        stored, counted = _persons_counted(
            first, second, *Family.objects.exclude(pk__in=[first.pk, second.pk])
        )
        assert stored == counted
        seen.append(stored[first.pk] + stored[second.pk])
    # the steps reach counts other than 0 and 1 in both columns
    assert {2, 3} <= {count for counts in seen for count in counts}


def test_counts_written_with_the_triggers_bypassed_are_counted_again(db):
    family, other = FamilyFactory(), FamilyFactory()
    CarerFactory(family=other)
    bypassed = (
        "families.Carer:count_resident_carer_count",
        "families.HouseholdMember:count_counted_household_count",
    )
    with pgtrigger.ignore(*bypassed):
        CarerFactory.create_batch(2, family=family)
        HouseholdMemberFactory(family=family)
    stored, counted = _persons_counted(family, other)
    assert stored == {family.pk: (0, 0), other.pk: (1, 0)}
    assert counted == {family.pk: (2, 1), other.pk: (1, 0)}
    out = StringIO()
    call_command("recount_family_persons", stdout=out)
    assert "1 families corrected" in out.getvalue()
    stored, counted = _persons_counted(family, other)
    assert stored == counted
    # and the triggers go on from the corrected counts
    Carer.objects.filter(family=family).first().delete()
    assert _persons_counted(family)[0] == {family.pk: (1, 1)}
    assert families_services.family_persons_recount() == 0
