"""The admin is a door like any page: it loads through visible_to, logs who opened a
child's record, writes children through child_save and only reads the request's flow."""

from django.urls import reverse

from fostercare.models import AccessLogEntry
from placements.models import Child, PlacementRequest
from tests.placements.factories import ChildFactory


def _change_data(child, **fields):
    data = {
        "municipality": child.municipality_id,
        "first_name": child.first_name,
        "last_name": child.last_name,
        "date_of_birth": child.date_of_birth.isoformat(),
        "languages": ",".join(child.languages),
        "birth_parent_contact": child.birth_parent_contact,
        "needs": [],
        "siblings": [],
    }
    data.update(fields)
    return data


def test_opening_a_child_in_the_admin_writes_an_access_log_row(admin_user, client_for, kemi_org):
    child = ChildFactory(municipality=kemi_org)
    url = reverse("admin:placements_child_change", args=[child.pk])
    assert client_for(admin_user).get(url).status_code == 200
    entry = AccessLogEntry.objects.get(user=admin_user, object_id=str(child.pk))
    assert (entry.action, entry.purpose, entry.object_repr) == ("view", "admin", str(child))


def test_the_admin_saves_a_child_through_child_save(admin_user, client_for, kemi_org, tornio_org):
    child = ChildFactory(municipality=kemi_org)
    other = ChildFactory(municipality=tornio_org, first_name="Toinen")
    client = client_for(admin_user)
    url = reverse("admin:placements_child_change", args=[child.pk])
    # a sibling of another municipality is refused here as on the child's page
    response = client.post(url, _change_data(child, siblings=[other.pk]))
    assert response.status_code == 200
    assert "Siblings must be children of the same municipality." in response.content.decode()
    assert not child.siblings.exists()
    response = client.post(url, _change_data(child, first_name="Uusi"))
    assert response.status_code == 302
    assert Child.objects.get(pk=child.pk).first_name == "Uusi"
    assert AccessLogEntry.objects.filter(
        user=admin_user, action="update", object_id=str(child.pk)
    ).exists()


def test_the_admin_searches_siblings_instead_of_listing_every_child(
    admin_user, client_for, kemi_org
):
    child = ChildFactory(municipality=kemi_org)
    sister = ChildFactory(municipality=kemi_org, first_name="Sisko")
    ChildFactory(municipality=kemi_org, first_name="Vieras")
    child.siblings.add(sister)
    url = reverse("admin:placements_child_change", args=[child.pk])
    html = client_for(admin_user).get(url).content.decode()
    assert 'data-field-name="siblings"' in html and "admin-autocomplete" in html
    assert "Sisko" in html and "Vieras" not in html  # the chosen one, not every child


def test_the_admin_only_reads_placement_requests(admin_user, client_for, kemi_request):
    client = client_for(admin_user)
    assert client.get(reverse("admin:placements_placementrequest_add")).status_code == 403
    url = reverse("admin:placements_placementrequest_change", args=[kemi_request.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert 'name="placement_type"' not in page.content.decode()
    client.post(url, {"placement_type": "emergency", "urgency": "immediate"})
    kemi_request.refresh_from_db()
    assert kemi_request.placement_type != "emergency"
    assert AccessLogEntry.objects.filter(
        user=admin_user, action="view", purpose="admin", object_id=str(kemi_request.pk)
    ).exists()
    assert PlacementRequest.objects.count() == 1
