"""A carer or household member who moves out: an end date, not a delete; the family's
room is counted again through Family.objects.with_room()."""

from datetime import date, timedelta

from django.urls import reverse

from families.models import Family
from fostercare.models import AccessLogEntry
from tests.families.factories import CarerFactory, FamilyFactory, HouseholdMemberFactory


def _room(family) -> int:
    return Family.objects.with_room().get(pk=family.pk).legal_room


def test_a_carer_who_moves_out_stays_on_record_and_the_legal_room_drops(unit_worker, client_for):
    family = FamilyFactory(places=4)
    leaving, _staying = CarerFactory.create_batch(2, family=family, lives_in_home=True)
    assert _room(family) == 6  # two carers at home: 6 persons (Family Care Act 7 §)
    client = client_for(unit_worker)
    response = client.post(
        reverse("families:carer-move-out", args=[family.pk, leaving.pk]),
        {"moved_out_on": date.today().isoformat()},
    )
    assert response.status_code == 302
    leaving.refresh_from_db()
    assert (leaving.lives_in_home, leaving.moved_out_on) == (False, date.today())
    assert family.carers.count() == 2  # not deleted
    assert _room(family) == 4
    assert AccessLogEntry.objects.filter(purpose="carer moved out").exists()
    page = client.get(reverse("families:family-detail", args=[family.pk])).content.decode()
    assert "Moved out" in page


def test_a_household_member_who_moves_out_no_longer_counts(unit_worker, client_for):
    family = FamilyFactory(places=1)
    CarerFactory(family=family, lives_in_home=True)
    member = HouseholdMemberFactory(family=family, counts_toward_capacity=True)
    assert _room(family) == 3
    response = client_for(unit_worker).post(
        reverse("families:household-member-move-out", args=[family.pk, member.pk]),
        {"moved_out_on": date.today().isoformat()},
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.moved_out_on == date.today()
    assert _room(family) == 4
    assert AccessLogEntry.objects.filter(purpose="household member moved out").exists()


def test_a_move_out_in_the_future_is_refused_and_changes_nothing(unit_worker, client_for):
    family = FamilyFactory()
    carer = CarerFactory(family=family, lives_in_home=True)
    response = client_for(unit_worker).post(
        reverse("families:carer-move-out", args=[family.pk, carer.pk]),
        {"moved_out_on": (date.today() + timedelta(days=3)).isoformat()},
    )
    assert response.status_code == 400
    carer.refresh_from_db()
    assert (carer.lives_in_home, carer.moved_out_on) == (True, None)


def test_a_supervision_visit_is_corrected_and_logged(unit_worker, client_for):
    from tests.families.factories import SupervisionVisitFactory

    visit = SupervisionVisitFactory(visited_on=date(2026, 3, 1))
    response = client_for(unit_worker).post(
        reverse("families:supervision-visit-update", args=[visit.provider_id, visit.pk]),
        {"visited_on": "2026-03-02", "visitors": "Liisa", "findings": "Kunnossa"},
    )
    assert response.status_code == 302
    visit.refresh_from_db()
    assert (visit.visited_on, visit.findings) == (date(2026, 3, 2), "Kunnossa")
    assert AccessLogEntry.objects.filter(purpose="supervision visit corrected").exists()
