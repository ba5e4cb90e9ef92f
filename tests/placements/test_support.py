"""Support-family arrangements: dated stays checked for room one by one, never a
permanent place; care days come from the stays."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from families.models import Family, HouseholdMember
from fostercare.models import AccessLogEntry
from placements import support
from placements.care_days import care_days_by_municipality
from placements.models import (
    Placement,
    PlacementRequest,
    PlacementType,
    SupportArrangement,
    SupportStay,
)
from tests.placements.factories import (
    ChildFactory,
    PlacementRequestFactory,
    ProposalFactory,
    ReadyFamilyFactory,
)

S = PlacementRequest.Status
YEAR = date.today().year + 1
FRIDAY_1 = date(YEAR, 3, 6) if date(YEAR, 3, 6).weekday() == 4 else None


def _friday(month: int, n: int) -> date:
    first = date(YEAR, month, 1)
    return first + timedelta(days=(4 - first.weekday()) % 7 + 7 * (n - 1))


@pytest.fixture
def support_family(kemi_org):
    """A support family with two places but one carer and three counted household members:
    the legal limit (4 persons, Family Care Act 7 §) leaves room for one child at a time."""
    family = ReadyFamilyFactory(
        kind=Family.Kind.SUPPORT, places=2, home_municipality=kemi_org, carers=1
    )
    HouseholdMember.objects.bulk_create(
        HouseholdMember(family=family, description="oma lapsi", birth_year=2022) for _ in range(3)
    )
    return family


def _accepted_support_request(org, worker, family, status=S.DECIDED):
    request = PlacementRequestFactory(
        municipality=org,
        created_by=worker,
        placement_type=PlacementType.SUPPORT_FAMILY,
        status=status,
        children=[ChildFactory(municipality=org)],
    )
    ProposalFactory(request=request, family=family, proposed_by=worker, accepted=True)
    return request


def _arrange(org, worker, family, weekend: int) -> SupportArrangement:
    request = _accepted_support_request(org, worker, family)
    (arrangement,) = support.support_arrangement_create(
        request=request,
        by=worker,
        pattern=SupportArrangement.Pattern.MONTHLY_WEEKEND,
        weekend_of_month=weekend,
        starts_on=date(YEAR, 1, 1),
        ends_on=date(YEAR, 6, 30),
    )
    return arrangement


def test_monthly_weekends_are_the_nth_friday_to_sunday():
    fridays = support.monthly_weekends(date(YEAR, 1, 1), date(YEAR, 3, 31), 2)
    assert fridays == [_friday(1, 2), _friday(2, 2), _friday(3, 2)]
    assert all(day.weekday() == 4 for day in fridays)


def test_a_support_request_is_arranged_not_placed(kemi_org, kemi_worker, support_family):
    request = _accepted_support_request(kemi_org, kemi_worker, support_family)
    with pytest.raises(ValidationError, match="not placed"):
        from placements import services

        services.placement_request_place(request=request, by=kemi_worker, started_on=date.today())
    arrangement = _arrange(kemi_org, kemi_worker, support_family, 1)
    assert not Placement.objects.exists()
    assert arrangement.request.status == S.PLACED
    # no permanent place is taken: the family's room is what it was
    assert Family.objects.with_room().get(pk=support_family.pk).room == 1


def test_two_children_on_different_weekends_pass(kemi_org, kemi_worker, support_family):
    first = _arrange(kemi_org, kemi_worker, support_family, 1)
    second = _arrange(kemi_org, kemi_worker, support_family, 3)
    assert len(support.support_stays_generate(arrangement=first, by=kemi_worker)) == 6
    assert len(support.support_stays_generate(arrangement=second, by=kemi_worker)) == 6
    assert SupportStay.objects.filter(arrangement__family=support_family).count() == 12


def test_two_on_the_same_weekend_over_the_legal_capacity_are_refused(
    kemi_org, kemi_worker, support_family
):
    first = _arrange(kemi_org, kemi_worker, support_family, 2)
    support.support_stays_generate(arrangement=first, by=kemi_worker)
    second = _arrange(kemi_org, kemi_worker, support_family, 2)
    with pytest.raises(ValidationError, match="no room on the weekends"):
        support.support_stays_generate(arrangement=second, by=kemi_worker)
    assert not second.stays.exists()  # all or none
    friday = _friday(4, 2)
    with pytest.raises(ValidationError, match="Family Care Act 7"):
        support.support_stay_add(
            arrangement=second, by=kemi_worker, starts_on=friday, ends_on=friday
        )


def test_the_legal_limit_counts_overlapping_stays_and_an_exception_allows_more(
    kemi_org, kemi_worker, support_family
):
    first = _arrange(kemi_org, kemi_worker, support_family, 2)
    support.support_stays_generate(arrangement=first, by=kemi_worker)
    second = _arrange(kemi_org, kemi_worker, support_family, 2)
    Family.objects.filter(pk=support_family.pk).update(capacity_exception_reason="Sisarukset (9 §)")
    assert len(support.support_stays_generate(arrangement=second, by=kemi_worker)) == 6


def test_cancelling_a_stay_frees_it(kemi_org, kemi_worker, support_family):
    first = _arrange(kemi_org, kemi_worker, support_family, 2)
    support.support_stays_generate(arrangement=first, by=kemi_worker)
    second = _arrange(kemi_org, kemi_worker, support_family, 1)
    friday = _friday(2, 2)
    taken = first.stays.get(starts_on=friday)
    with pytest.raises(ValidationError):
        support.support_stay_add(
            arrangement=second, by=kemi_worker, starts_on=friday, ends_on=friday
        )
    support.support_stay_cancel(stay=taken, by=kemi_worker, reason="Lapsi sairaana")
    stay = support.support_stay_add(
        arrangement=second, by=kemi_worker, starts_on=friday, ends_on=friday + timedelta(days=2)
    )
    assert stay.pk
    # and moving the cancelled one back is refused, moving another is checked the same way
    with pytest.raises(ValidationError, match="cancelled"):
        support.support_stay_move(
            stay=taken, by=kemi_worker, starts_on=friday, ends_on=friday, reason="x"
        )
    other = first.stays.get(starts_on=_friday(3, 2))
    with pytest.raises(ValidationError, match="no room"):
        support.support_stay_move(
            stay=other, by=kemi_worker, starts_on=friday, ends_on=friday, reason="Vaihto"
        )


def test_care_days_equal_the_stays(kemi_org, kemi_worker, support_family):
    arrangement = _arrange(kemi_org, kemi_worker, support_family, 1)
    stays = support.support_stays_generate(arrangement=arrangement, by=kemi_worker)
    days = care_days_by_municipality(
        first_day=date(YEAR, 1, 1), last_day=date(YEAR, 12, 31), municipality_ids=[kemi_org.pk]
    )
    assert days[kemi_org.pk] == 6 * 3 == sum(stay.days for stay in stays)
    support.support_stay_cancel(stay=stays[0], by=kemi_worker, reason="Peruttu")
    days = care_days_by_municipality(
        first_day=date(YEAR, 1, 1), last_day=date(YEAR, 12, 31), municipality_ids=[kemi_org.pk]
    )
    assert days[kemi_org.pk] == 5 * 3
    arrangement = SupportArrangement.objects.prefetch_related("stays").get(pk=arrangement.pk)
    assert arrangement.care_days == 15


def test_every_write_is_in_the_history_and_the_access_log(kemi_org, kemi_worker, support_family):
    arrangement = _arrange(kemi_org, kemi_worker, support_family, 1)
    (stay, *_rest) = support.support_stays_generate(arrangement=arrangement, by=kemi_worker)
    support.support_stay_move(
        stay=stay,
        by=kemi_worker,
        starts_on=stay.starts_on + timedelta(days=7),
        ends_on=stay.ends_on + timedelta(days=7),
        reason="Perheen toive",
    )
    support.support_stay_cancel(stay=stay, by=kemi_worker, reason="Lapsi sairaana")
    notes = list(arrangement.events.values_list("note", flat=True))
    assert len(notes) == 4
    assert "Perheen toive" in notes[2] and "Lapsi sairaana" in notes[3]
    logged = AccessLogEntry.objects.filter(
        user=kemi_worker, object_id=str(arrangement.child_id)
    ).values_list("action", flat=True)
    assert sorted(logged) == ["create", "update", "update", "update"]


def test_another_municipality_cannot_change_the_stays(
    kemi_org, kemi_worker, tornio_worker, support_family
):
    arrangement = _arrange(kemi_org, kemi_worker, support_family, 1)
    with pytest.raises(ValidationError, match="own municipality"):
        support.support_stays_generate(arrangement=arrangement, by=tornio_worker)


def test_the_pages_arrange_generate_move_and_cancel(
    kemi_org, kemi_worker, support_family, client_for
):
    request = _accepted_support_request(kemi_org, kemi_worker, support_family, status=S.ACCEPTED)
    client = client_for(kemi_worker)
    detail = client.get(reverse("placements:request-detail", args=[request.pk])).content.decode()
    assert reverse("placements:arrangement-create", args=[request.pk]) in detail
    response = client.post(
        reverse("placements:arrangement-create", args=[request.pk]),
        {
            "pattern": "monthly_weekend",
            "weekend_of_month": "1",
            "starts_on": f"{YEAR}-01-01",
            "ends_on": f"{YEAR}-03-31",
        },
    )
    arrangement = SupportArrangement.objects.get()
    assert response.url == reverse("placements:arrangement-detail", args=[arrangement.pk])
    assert (
        client.post(reverse("placements:stays-generate", args=[arrangement.pk])).status_code == 302
    )
    stay = arrangement.stays.first()
    bad = client.post(
        reverse("placements:stay-move", args=[arrangement.pk, stay.pk]),
        {"starts_on": f"{YEAR + 5}-01-01", "ends_on": f"{YEAR + 5}-01-02", "reason": "x"},
    )
    assert bad.status_code == 400 and "outside the agreement" in bad.content.decode()
    response = client.post(
        reverse("placements:stay-cancel", args=[arrangement.pk, stay.pk]), {"reason": "Sairas"}
    )
    assert response.status_code == 302
    page = client.get(reverse("placements:arrangement-detail", args=[arrangement.pk]))
    assert 'id="care-days">6<' in page.content.decode()
