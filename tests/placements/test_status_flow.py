"""Each step of a request is a service that checks who may take it and writes the timeline."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError

from families.models import Family
from placements import services
from placements.models import Placement, PlacementRequest, RequestEvent
from tests.placements.factories import ChildFactory

S = PlacementRequest.Status


@pytest.fixture
def draft(kemi_org, kemi_worker):
    children = [ChildFactory(municipality=kemi_org), ChildFactory(municipality=kemi_org)]
    return services.placement_request_create(
        by=kemi_worker,
        children=children,
        placement_type="emergency",
        urgency="immediate",
        wished_start_on=date.today(),
    )


def _decide(request, by):
    return services.placement_request_decide(
        request=request,
        by=by,
        decision_on=date.today(),
        decision_maker="Liisa Lappalainen",
        decision_reference="LAPHA/2026/1",
    )


def test_whole_flow_writes_the_timeline_and_places_the_children(
    draft,
    kemi_worker,
    unit_worker,
    available_family,
    settings,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    settings.UNIT_EMAIL = "unit@example.fi"
    kemi_worker.email = "kemi@example.fi"
    kemi_worker.save()
    unit_worker.email = "ulla@example.fi"
    unit_worker.save()
    family = available_family(kind=Family.Kind.RECEPTION, places=2)
    other = available_family(kind=Family.Kind.RECEPTION, places=2)

    with django_capture_on_commit_callbacks(execute=True):
        services.placement_request_submit(request=draft, by=kemi_worker)
    assert [m.to for m in mailoutbox] == [["unit@example.fi"]]

    services.placement_request_take(request=draft, by=unit_worker)
    with django_capture_on_commit_callbacks(execute=True):
        proposals = services.placement_request_propose(
            request=draft, by=unit_worker, family_ids=[family.pk, other.pk]
        )
    assert mailoutbox[-1].to == ["kemi@example.fi"]
    with django_capture_on_commit_callbacks(execute=True):
        services.proposal_accept(proposal=proposals[0], by=kemi_worker)
    assert mailoutbox[-1].to == ["ulla@example.fi", "unit@example.fi"]
    assert len(mailoutbox) == 3

    _decide(draft, kemi_worker)
    placements = services.placement_request_place(
        request=draft, by=kemi_worker, started_on=date.today()
    )

    draft.refresh_from_db()
    assert draft.status == S.PLACED
    assert draft.unit_worker == unit_worker
    assert [e.to_status for e in draft.events.all()] == [
        S.DRAFT,
        S.SUBMITTED,
        S.IN_SEARCH,
        S.PROPOSED,
        S.ACCEPTED,
        S.DECIDED,
        S.PLACED,
    ]
    assert {p.child for p in placements} == set(draft.children.all())
    assert all(p.family == family and p.decision_reference == "LAPHA/2026/1" for p in placements)
    family.refresh_from_db()
    assert family.status == Family.Status.ACTIVE


def test_mail_is_sent_only_after_commit(
    draft, kemi_worker, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.placement_request_submit(request=draft, by=kemi_worker)
    assert mailoutbox == []
    assert len(callbacks) == 1


@pytest.mark.parametrize(
    ("status", "step"),
    [
        (S.DRAFT, "take"),
        (S.SUBMITTED, "submit"),
        (S.SUBMITTED, "decide"),
        (S.IN_SEARCH, "accept"),
        (S.PROPOSED, "place"),
        (S.PLACED, "withdraw"),
        (S.WITHDRAWN, "submit"),
        (S.NO_PLACE, "take"),
    ],
)
def test_illegal_steps_are_rejected_and_change_nothing(
    status, step, draft, kemi_worker, unit_worker
):
    PlacementRequest.objects.filter(pk=draft.pk).update(status=status)
    draft.refresh_from_db()
    events = RequestEvent.objects.count()
    calls = {
        "take": lambda: services.placement_request_take(request=draft, by=unit_worker),
        "submit": lambda: services.placement_request_submit(request=draft, by=kemi_worker),
        "decide": lambda: _decide(draft, kemi_worker),
        "accept": lambda: services.proposal_accept(
            proposal=draft.proposals.model(request=draft, family=Family()), by=kemi_worker
        ),
        "place": lambda: services.placement_request_place(
            request=draft, by=unit_worker, started_on=date.today()
        ),
        "withdraw": lambda: services.placement_request_withdraw(
            request=draft, by=kemi_worker, reason="x"
        ),
    }
    with pytest.raises(ValidationError, match="cannot be moved to"):
        calls[step]()
    draft.refresh_from_db()
    assert draft.status == status
    assert RequestEvent.objects.count() == events


def test_unit_cannot_take_municipal_steps(draft, unit_worker):
    with pytest.raises(ValidationError, match="requesting municipality"):
        services.placement_request_submit(request=draft, by=unit_worker)
    draft.refresh_from_db()
    assert draft.status == S.DRAFT


def test_other_municipality_cannot_submit_or_withdraw(draft, tornio_worker):
    for call in (
        lambda: services.placement_request_submit(request=draft, by=tornio_worker),
        lambda: services.placement_request_withdraw(request=draft, by=tornio_worker, reason="x"),
    ):
        with pytest.raises(ValidationError, match="requesting municipality"):
            call()
    draft.refresh_from_db()
    assert draft.status == S.DRAFT


def test_municipal_worker_cannot_take_unit_steps(draft, kemi_worker, available_family):
    services.placement_request_submit(request=draft, by=kemi_worker)
    with pytest.raises(ValidationError, match="foster-care unit"):
        services.placement_request_take(request=draft, by=kemi_worker)
    PlacementRequest.objects.filter(pk=draft.pk).update(status=S.IN_SEARCH)
    draft.refresh_from_db()
    with pytest.raises(ValidationError, match="foster-care unit"):
        services.placement_request_propose(
            request=draft, by=kemi_worker, family_ids=[available_family().pk]
        )
    with pytest.raises(ValidationError, match="foster-care unit"):
        services.placement_request_no_place(request=draft, by=kemi_worker, reason="x")
    draft.refresh_from_db()
    assert draft.status == S.IN_SEARCH
    assert not draft.proposals.exists()


def test_finance_can_take_no_step(draft, finance_user):
    with pytest.raises(ValidationError):
        services.placement_request_submit(request=draft, by=finance_user)


def test_no_suitable_place_needs_a_reason(draft, kemi_worker, unit_worker):
    services.placement_request_submit(request=draft, by=kemi_worker)
    with pytest.raises(ValidationError):
        services.placement_request_no_place(request=draft, by=unit_worker, reason=" ")
    services.placement_request_no_place(request=draft, by=unit_worker, reason="Ei vapaita perheitä")
    draft.refresh_from_db()
    assert (draft.status, draft.closing_reason) == (S.NO_PLACE, "Ei vapaita perheitä")
    assert draft.events.last().note == "Ei vapaita perheitä"


def test_decision_date_cannot_be_in_the_future(draft, kemi_worker):
    PlacementRequest.objects.filter(pk=draft.pk).update(status=S.ACCEPTED)
    draft.refresh_from_db()
    with pytest.raises(ValidationError):
        services.placement_request_decide(
            request=draft,
            by=kemi_worker,
            decision_on=date.today() + timedelta(days=1),
            decision_maker="X",
            decision_reference="1",
        )
    draft.refresh_from_db()
    assert draft.status == S.ACCEPTED and draft.decision_on is None


def test_request_only_for_own_municipality_children(kemi_worker, tornio_org):
    with pytest.raises(ValidationError):
        services.placement_request_create(
            by=kemi_worker,
            children=[ChildFactory(municipality=tornio_org)],
            placement_type="open_care",
            wished_start_on=date.today(),
        )
    assert not PlacementRequest.objects.exists()


def test_emergency_request_must_be_urgent(kemi_worker, kemi_org):
    with pytest.raises(ValidationError, match="immediate or urgent"):
        services.placement_request_create(
            by=kemi_worker,
            children=[ChildFactory(municipality=kemi_org)],
            placement_type="emergency",
            urgency="normal",
            wished_start_on=date.today(),
        )


def test_a_child_with_an_active_placement_is_not_placed_twice(
    draft, kemi_worker, unit_worker, available_family
):
    from tests.placements.factories import PlacementFactory

    family = available_family(kind=Family.Kind.RECEPTION)
    services.placement_request_submit(request=draft, by=kemi_worker)
    services.placement_request_take(request=draft, by=unit_worker)
    [proposal] = services.placement_request_propose(
        request=draft, by=unit_worker, family_ids=[family.pk]
    )
    services.proposal_accept(proposal=proposal, by=kemi_worker)
    _decide(draft, kemi_worker)
    PlacementFactory(child=draft.children.first())
    with pytest.raises(ValidationError, match="already has an active placement"):
        services.placement_request_place(request=draft, by=unit_worker, started_on=date.today())
    draft.refresh_from_db()
    assert draft.status == S.DECIDED
    assert Placement.objects.count() == 1


def test_proposing_nonsense_ids_is_a_clear_error(kemi_request, unit_worker):
    PlacementRequest.objects.filter(pk=kemi_request.pk).update(status=S.IN_SEARCH)
    kemi_request.refresh_from_db()
    with pytest.raises(ValidationError, match="Choose the families from the list"):
        services.placement_request_propose(
            request=kemi_request, by=unit_worker, family_ids=["1 437"]
        )
    with pytest.raises(ValidationError, match="does not exist"):
        services.placement_request_propose(request=kemi_request, by=unit_worker, family_ids=[0])
