"""Municipal access comes from guardian object permissions on the member organisation."""

from django.contrib.auth.models import Group
from django.urls import reverse
from guardian.shortcuts import remove_perm

from placements import access, selectors, services
from placements.models import Child, Placement, PlacementRequest, Proposal, RequestEvent
from tests.fostercare.factories import MemberOrganisationFactory
from tests.placements.factories import (
    ChildFactory,
    PlacementFactory,
    PlacementRequestFactory,
    ProposalFactory,
)


def test_each_organisation_has_a_group_holding_its_permission(kemi_org, kemi_worker):
    group = Group.objects.get(name="organisation:240")
    assert kemi_worker.groups.filter(pk=group.pk).exists()
    assert kemi_worker.has_perm("fostercare.handle_placements", kemi_org)
    assert not kemi_worker.has_perm("fostercare.handle_placements")  # nothing model-wide


def test_moving_to_another_organisation_moves_the_group(kemi_worker, tornio_org):
    kemi_worker.organisation = tornio_org
    kemi_worker.save()
    assert list(
        kemi_worker.groups.filter(name__startswith="organisation:").values_list("name", flat=True)
    ) == ["organisation:851"]


def test_visibility_follows_the_grant_not_the_organisation_field(kemi_org, kemi_worker):
    request = PlacementRequestFactory(municipality=kemi_org, created_by=kemi_worker)
    assert list(PlacementRequest.objects.visible_to(kemi_worker)) == [request]
    remove_perm(
        "fostercare.handle_placements", Group.objects.get(name="organisation:240"), kemi_org
    )
    assert not PlacementRequest.objects.visible_to(kemi_worker).exists()
    assert not Child.objects.visible_to(kemi_worker).exists()


def test_finance_in_an_organisation_sees_no_requests(tornio_org, tornio_worker, finance_user):
    PlacementRequestFactory(municipality=tornio_org, created_by=tornio_worker)
    assert not PlacementRequest.objects.visible_to(finance_user).exists()


def test_a_shared_request_is_visible_to_that_worker_only(
    kemi_org, kemi_worker, tornio_worker, unit_worker, client_for
):
    child = ChildFactory(municipality=kemi_org)
    request = PlacementRequestFactory(
        municipality=kemi_org, created_by=kemi_worker, children=[child]
    )
    url = reverse("placements:request-detail", args=[request.pk])
    assert client_for(tornio_worker).get(url).status_code == 404
    response = client_for(unit_worker).post(
        reverse("placements:request-share", args=[request.pk]), {"user": tornio_worker.pk}
    )
    assert response.status_code == 302
    client = client_for(tornio_worker)
    assert client.get(url).status_code == 200
    assert client.get(reverse("placements:child-detail", args=[child.pk])).status_code == 200
    # ...to read, not to act for Kemi
    assert client.get(reverse("placements:child-update", args=[child.pk])).status_code == 403
    assert client.post(reverse("placements:request-submit", args=[request.pk])).status_code == 400
    other = MemberOrganisationFactory()
    stranger = type(tornio_worker).objects.create(username="other", organisation=other)
    assert not PlacementRequest.objects.visible_to(stranger).exists()
    assert "Shared with" in request.events.last().system_note


def test_sharing_is_for_the_unit_only(kemi_org, kemi_worker, tornio_worker):
    import pytest
    from django.core.exceptions import ValidationError

    request = PlacementRequestFactory(municipality=kemi_org, created_by=kemi_worker)
    with pytest.raises(ValidationError):
        services.placement_request_share(request=request, by=kemi_worker, with_user=tornio_worker)


def test_setting_role_groups_keeps_the_organisation_group(kemi_worker):
    # the demo data and the admin set a user's groups wholesale
    kemi_worker.groups.set([Group.objects.get(name="municipal_worker")])
    assert kemi_worker.groups.filter(name="organisation:240").exists()
    kemi_worker.groups.clear()
    assert kemi_worker.groups.filter(name="organisation:240").exists()


def test_demo_users_see_their_own_requests(seed_demo):
    from fostercare.models import User

    seed_demo()
    kemi, tornio = User.objects.get(username="kemi"), User.objects.get(username="tornio")
    kemi_requests = PlacementRequest.objects.visible_to(kemi)
    assert kemi_requests.exists()
    assert set(kemi_requests.values_list("municipality__code", flat=True)) == {"240"}
    assert not kemi_requests.filter(pk__in=PlacementRequest.objects.visible_to(tornio)).exists()


def _share(request, unit_worker, worker):
    services.placement_request_share(request=request, by=unit_worker, with_user=worker)
    assert PlacementRequest.objects.visible_to(worker).filter(pk=request.pk).exists()


def test_the_unit_stops_sharing_a_request_from_the_share_page(
    kemi_org, kemi_worker, tornio_worker, unit_worker, client_for
):
    request = PlacementRequestFactory(municipality=kemi_org, created_by=kemi_worker)
    _share(request, unit_worker, tornio_worker)
    unit = client_for(unit_worker)
    share_url = reverse("placements:request-share", args=[request.pk])
    assert [u.pk for u in unit.get(share_url).context["shared_with"]] == [tornio_worker.pk]
    detail = unit.get(reverse("placements:request-detail", args=[request.pk])).content.decode()
    assert share_url in detail
    response = unit.post(
        reverse("placements:request-unshare", args=[request.pk]), {"user": tornio_worker.pk}
    )
    assert response.status_code == 302
    assert not PlacementRequest.objects.visible_to(tornio_worker).exists()
    assert "No longer shared with" in request.events.last().system_note
    # a worker it is not shared with is a clear error that changes nothing
    response = unit.post(
        reverse("placements:request-unshare", args=[request.pk]), {"user": tornio_worker.pk}
    )
    assert response.status_code == 400


def test_only_the_unit_stops_sharing(kemi_org, kemi_worker, tornio_worker, unit_worker):
    import pytest
    from django.core.exceptions import ValidationError

    request = PlacementRequestFactory(municipality=kemi_org, created_by=kemi_worker)
    _share(request, unit_worker, tornio_worker)
    with pytest.raises(ValidationError):
        services.placement_request_unshare(request=request, by=kemi_worker, with_user=tornio_worker)
    assert PlacementRequest.objects.visible_to(tornio_worker).exists()


def test_closing_a_request_ends_its_sharing(kemi_org, kemi_worker, tornio_worker, unit_worker):
    withdrawn = PlacementRequestFactory(
        municipality=kemi_org, created_by=kemi_worker, status=PlacementRequest.Status.SUBMITTED
    )
    no_place = PlacementRequestFactory(
        municipality=kemi_org, created_by=kemi_worker, status=PlacementRequest.Status.SUBMITTED
    )
    still_open = PlacementRequestFactory(
        municipality=kemi_org, created_by=kemi_worker, status=PlacementRequest.Status.SUBMITTED
    )
    for request in (withdrawn, no_place, still_open):
        _share(request, unit_worker, tornio_worker)
    services.placement_request_withdraw(request=withdrawn, by=kemi_worker, reason="Kotiutui")
    services.placement_request_no_place(request=no_place, by=unit_worker, reason="Ei paikkaa")
    assert list(PlacementRequest.objects.visible_to(tornio_worker)) == [still_open]


def test_placing_a_request_ends_its_sharing(
    kemi_request, kemi_worker, tornio_worker, unit_worker, available_family
):
    from datetime import date

    family = available_family()
    _share(kemi_request, unit_worker, tornio_worker)
    services.placement_request_take(request=kemi_request, by=unit_worker)
    [proposal] = services.placement_request_propose(
        request=kemi_request, by=unit_worker, family_ids=[family.pk]
    )
    services.proposal_accept(proposal=proposal, by=kemi_worker)
    services.placement_request_decide(
        request=kemi_request,
        by=kemi_worker,
        decision_on=date.today(),
        decision_maker="L",
        decision_reference="1",
    )
    assert PlacementRequest.objects.visible_to(tornio_worker).exists()
    services.placement_request_place(request=kemi_request, by=unit_worker, started_on=date.today())
    assert not PlacementRequest.objects.visible_to(tornio_worker).exists()


def test_moving_to_another_organisation_ends_the_requests_shared_with_the_worker(
    kemi_org, kemi_worker, tornio_worker, unit_worker
):
    other = MemberOrganisationFactory()
    request = PlacementRequestFactory(municipality=kemi_org, created_by=kemi_worker)
    _share(request, unit_worker, tornio_worker)
    tornio_worker.organisation = other
    tornio_worker.save()
    assert not PlacementRequest.objects.visible_to(tornio_worker).exists()
    # setting role groups (admin, demo) is not a move and keeps the share
    request2 = PlacementRequestFactory(municipality=kemi_org, created_by=kemi_worker)
    _share(request2, unit_worker, tornio_worker)
    tornio_worker.groups.set([Group.objects.get(name="municipal_worker")])
    assert PlacementRequest.objects.visible_to(tornio_worker).filter(pk=request2.pk).exists()


def _one_of_each(org, worker, unit_worker):
    child = ChildFactory(municipality=org)
    request = PlacementRequestFactory(
        municipality=org,
        created_by=worker,
        children=[child],
        status=PlacementRequest.Status.PROPOSED,
    )
    ProposalFactory(request=request, proposed_by=unit_worker)
    services.proposed_family_grants_sync(municipality=org)
    PlacementFactory(child=child, request=request)
    RequestEvent.objects.create(request=request, by=worker, to_status=request.status)
    return request


PERSONAL_DATA_MODELS = [PlacementRequest, Child, Placement, Proposal, RequestEvent]


def _municipalities(model, user) -> set[str]:
    path = {
        PlacementRequest: "municipality__code",
        Child: "municipality__code",
        Placement: "child__municipality__code",
        Proposal: "request__municipality__code",
        RequestEvent: "request__municipality__code",
    }[model]
    return set(model.objects.visible_to(user).values_list(path, flat=True))


def test_every_placements_model_with_personal_data_loads_through_visible_to(
    kemi_org, tornio_org, kemi_worker, tornio_worker, unit_worker, finance_user, admin_user
):
    _one_of_each(kemi_org, kemi_worker, unit_worker)
    _one_of_each(tornio_org, tornio_worker, unit_worker)
    for model in PERSONAL_DATA_MODELS:
        assert _municipalities(model, kemi_worker) == {"240"}, model
        assert _municipalities(model, tornio_worker) == {"851"}, model
        assert _municipalities(model, unit_worker) == {"240", "851"}, model
        assert _municipalities(model, admin_user) == {"240", "851"}, model
        assert _municipalities(model, finance_user) == set(), model


def test_a_municipal_worker_changes_only_their_own_municipality_rows(
    kemi_org, kemi_worker, tornio_worker, unit_worker
):
    request = _one_of_each(kemi_org, kemi_worker, unit_worker)
    services.placement_request_share(request=request, by=unit_worker, with_user=tornio_worker)
    assert Child.objects.visible_to(tornio_worker).exists()  # shared: read...
    assert not Child.objects.visible_to(tornio_worker, "change").exists()  # ...not changed
    assert not PlacementRequest.objects.visible_to(tornio_worker, "change").exists()
    assert PlacementRequest.objects.visible_to(kemi_worker, "change").get() == request
    # and the shared worker sees none of the proposed families
    assert not Proposal.objects.visible_to(tornio_worker).exists()


def test_placements_access_is_decided_in_one_module():
    for name in (
        "placement_requests_visible_to",
        "children_visible_to",
        "placements_visible_to",
        "proposed_families_visible_to",
        "proposals_visible_to",
        "is_unit_side",
        "may_use_placements",
        "may_edit_child",
    ):
        assert not hasattr(selectors, name), name
    assert not hasattr(services, "is_requesting_municipality")
    for name in ("may_take", "may_edit"):  # the services use access's, not a copy
        assert getattr(services, name, None) in (None, getattr(access, name)), name
    for name in ("is_unit_side", "may_use_placements", "may_edit_child", "may_take", "may_edit"):
        assert callable(getattr(access, name)), name
