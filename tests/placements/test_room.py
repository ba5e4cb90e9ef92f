"""A family's room is defined once, by ``Family.objects.with_room()``: matching and the
vacancy board show the same figure (the register's own pages are tested in families)."""

from datetime import date, timedelta

from django.urls import reverse

from families.models import Family
from fostercare.selectors import organisation_names
from placements import selectors, services
from placements.matching import match_families
from placements.models import PlacementRequest
from tests.families.factories import HouseholdMemberFactory
from tests.placements.factories import ChildFactory, PlacementFactory, PlacementRequestFactory


def _request(org, worker, children=2, status=PlacementRequest.Status.SUBMITTED):
    return PlacementRequestFactory(
        municipality=org,
        created_by=worker,
        children=ChildFactory.create_batch(children, municipality=org),
        status=status,
    )


def _board_cell(client, municipality: str, kind: str) -> int:
    board = client.get(reverse("placements:vacancy-board")).context["board"]
    column = [value for value, _label in board["kinds"]].index(kind)
    return next(cells[column] for name, cells, _total in board["rows"] if name == municipality)


def test_a_family_with_an_accepted_proposal_shows_the_same_free_places_everywhere(
    kemi_org, kemi_worker, unit_worker, available_family, client_for
):
    family = available_family(places=3)
    accepted = _request(kemi_org, kemi_worker)
    services.placement_request_take(request=accepted, by=unit_worker)
    [proposal] = services.placement_request_propose(
        request=accepted, by=unit_worker, family_ids=[family.pk]
    )
    services.proposal_accept(proposal=proposal, by=kemi_worker)
    room = Family.objects.with_room().get(pk=family.pk)
    assert (room.reserved_count, room.free_places, room.room) == (2, 1, 1)

    other = _request(kemi_org, kemi_worker, children=1, status=PlacementRequest.Status.IN_SEARCH)
    [match] = match_families(other).ranked
    assert (match.family.free_places, match.family.room) == (room.free_places, room.room)
    assert _board_cell(client_for(unit_worker), "Kemi", Family.Kind.FOSTER) == room.room
    # the request that holds the reservation does not count its own children twice
    [own] = match_families(accepted).ranked
    assert own.family.room == Family.objects.with_room(excluding_request=accepted).get().room == 3


def test_the_vacancy_board_shows_the_families_that_family_available_gives(
    kemi_org, unit_worker, available_family, client_for
):
    # Family Care Act 6 §: trained within a year of the placement, with the reason recorded
    available_family(
        places=2,
        pre_service_training_completed_on=None,
        training_exception_reason="Sukulaissijoitus, valmennus alkaa syksyllä.",
        training_due_on=date.today() + timedelta(days=200),
    )
    available_family(places=1, kind=Family.Kind.RECEPTION)
    available_family(places=3, status=Family.Status.PAUSED)  # not available: not counted
    expected = sum(f.room for f in Family.objects.with_room().available())
    assert expected == 3
    client = client_for(unit_worker)
    assert _board_cell(client, "Kemi", Family.Kind.FOSTER) == 2
    assert _board_cell(client, "Kemi", Family.Kind.RECEPTION) == 1
    assert client.get(reverse("placements:vacancy-board")).context["board"]["total"] == expected


def test_the_vacancy_board_is_summed_in_one_aggregate_query(
    unit_worker, available_family, django_assert_num_queries
):
    for _ in range(3):
        available_family()
    unit_worker.has_perm("families.view_family")  # the permissions are cached from here on
    organisation_names()  # and the municipalities' names
    with django_assert_num_queries(1) as captured:
        board = selectors.vacancy_board(unit_worker)
    sql = captured.captured_queries[0]["sql"]
    assert "SUM(" in sql and "GROUP BY" in sql
    assert board["total"] == 3 * 3


def test_the_room_joined_for_many_families_is_each_familys_room(
    kemi_org, kemi_worker, unit_worker, available_family
):
    # one family per case the room depends on, each count joined rather than per family
    cases = [
        available_family(places=3, carers=0),
        available_family(places=4, carers=1),
        available_family(places=5, carers=3),
        available_family(places=2, capacity_exception_reason="Sisarukset pidetään yhdessä."),
    ]
    HouseholdMemberFactory.create_batch(2, family=cases[1], counts_toward_capacity=True)
    HouseholdMemberFactory(family=cases[2], counts_toward_capacity=True)
    HouseholdMemberFactory(family=cases[2], counts_toward_capacity=False)
    HouseholdMemberFactory(family=cases[2], counts_toward_capacity=True, moved_out_on=date.today())
    PlacementFactory(family=cases[2])
    PlacementFactory(family=cases[2], ended_on=date.today())
    PlacementFactory(family=cases[3])
    accepted = _request(kemi_org, kemi_worker)
    services.placement_request_take(request=accepted, by=unit_worker)
    [proposal] = services.placement_request_propose(
        request=accepted, by=unit_worker, family_ids=[cases[2].pk]
    )
    services.proposal_accept(proposal=proposal, by=kemi_worker)
    fields = ["pk", "taken", "resident_carers", "counted_household", "legal_room", "room"]
    fields += ["free_places", "placed_count", "reserved_count"]
    rooms = {}
    for name, context in (("all", {}), ("but its own", {"excluding_request": accepted})):
        each = list(Family.objects.with_room(**context).order_by("pk").values_list(*fields))
        joined = Family.objects.with_room_joined(**context).order_by("pk").values_list(*fields)
        assert list(joined) == each
        # one family's, as its page reads it (its id carried into each count)
        for row in each:
            one = Family.objects.with_room_joined(**context).filter(pk=row[0])
            assert one.values_list(*fields).get() == row
        rooms[name] = [row[5] for row in each]
        # and inside another query, the joins renamed
        with_room = Family.objects.with_room_joined(**context).filter(room__gt=0).values("pk")
        assert Family.objects.filter(pk__in=with_room).count() == 4
    assert rooms == {"all": [3, 2, 2, 1], "but its own": [3, 2, 4, 1]}


def test_the_vacancy_board_writes_a_row_per_municipality_and_one_for_outside(
    kemi_org, unit_worker, available_family, client_for
):
    available_family(places=2)
    available_family(places=1, kind=Family.Kind.RECEPTION, home_municipality=None)
    html = client_for(unit_worker).get(reverse("placements:vacancy-board")).content.decode()
    cells = '<td class="num">{}</td>' * 5
    assert '<tr><th scope="row">Kemi</th>' + cells.format(2, 0, 0, 0, 2) + "</tr>" in html
    outside = '<tr><th scope="row">Outside the member organisations</th>'
    assert outside + cells.format(0, 1, 0, 0, 1) + "</tr>" in html
