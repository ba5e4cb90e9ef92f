"""Municipal access comes from guardian object permissions on the member organisation."""

from django.contrib.auth.models import Group
from django.urls import reverse
from guardian.shortcuts import remove_perm

from placements import selectors, services
from tests.fostercare.factories import MemberOrganisationFactory
from tests.placements.factories import ChildFactory, PlacementRequestFactory


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
    assert list(selectors.placement_requests_visible_to(kemi_worker)) == [request]
    remove_perm(
        "fostercare.handle_placements", Group.objects.get(name="organisation:240"), kemi_org
    )
    assert not selectors.placement_requests_visible_to(kemi_worker).exists()
    assert not selectors.children_visible_to(kemi_worker).exists()


def test_finance_in_an_organisation_sees_no_requests(tornio_org, tornio_worker, finance_user):
    PlacementRequestFactory(municipality=tornio_org, created_by=tornio_worker)
    assert not selectors.placement_requests_visible_to(finance_user).exists()


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
    assert not selectors.placement_requests_visible_to(stranger).exists()
    assert "Shared with" in request.events.last().note


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
    kemi_requests = selectors.placement_requests_visible_to(kemi)
    assert kemi_requests.exists()
    assert set(kemi_requests.values_list("municipality__code", flat=True)) == {"240"}
    assert not kemi_requests.filter(pk__in=selectors.placement_requests_visible_to(tornio)).exists()
