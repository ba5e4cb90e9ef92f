"""A user's permissions and roles are cached between requests (fostercare.backends), and
a change of who holds what is seen by the next request."""

from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from fostercare.backends import cached_for_user
from fostercare.models import User
from fostercare.roles import Role


def _fresh(user):
    return User.objects.get(pk=user.pk)  # a new request's user: no per-instance caches


def test_a_second_request_reads_permissions_and_roles_without_a_query(
    unit_worker, django_assert_num_queries
):
    first = _fresh(unit_worker)
    assert first.has_perm("families.view_family") and first.is_unit_worker

    second = _fresh(unit_worker)
    with django_assert_num_queries(0):
        assert second.has_perm("families.view_family")
        assert second.is_unit_worker
        assert not second.is_municipal_worker


def test_leaving_a_role_takes_the_pages_away_at_once(unit_worker, client_for):
    client = client_for(unit_worker)
    assert client.get(reverse("families:family-list")).status_code == 200

    unit_worker.groups.remove(Group.objects.get(name=Role.UNIT_WORKER))

    assert client.get(reverse("families:family-list")).status_code == 403
    assert not _fresh(unit_worker).is_unit_worker


def test_a_permission_taken_from_the_role_is_gone_at_once(unit_worker):
    assert _fresh(unit_worker).has_perm("families.view_family")

    group = Group.objects.get(name=Role.UNIT_WORKER)
    group.permissions.remove(Permission.objects.get(codename="view_family"))

    assert not _fresh(unit_worker).has_perm("families.view_family")


def test_a_permission_given_to_the_user_is_there_at_once(kemi_worker):
    assert not _fresh(kemi_worker).has_perm("contracts.view_invoice")

    kemi_worker.user_permissions.add(Permission.objects.get(codename="view_invoice"))

    assert _fresh(kemi_worker).has_perm("contracts.view_invoice")


def test_a_commit_starts_a_version_again(unit_worker, django_capture_on_commit_callbacks):
    """A request that read the grants before the change committed cached the old ones
    under the version the change started; the commit starts another."""
    group = Group.objects.get(name=Role.UNIT_WORKER)
    with django_capture_on_commit_callbacks() as callbacks:
        group.permissions.remove(Permission.objects.get(codename="view_family"))
        # the other request, still seeing the permission
        cached_for_user(unit_worker, "perms", lambda: {"families.view_family"})
    assert _fresh(unit_worker).has_perm("families.view_family")  # stale until the commit

    for callback in callbacks:
        callback()

    assert not _fresh(unit_worker).has_perm("families.view_family")
