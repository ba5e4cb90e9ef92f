"""The request's children, a child's siblings and the worker a request is shared with are
searched for, not chosen from a list of the whole register: the search offers only what the
form accepts, and the form still refuses any other id."""

import pytest
from django.urls import reverse

from fostercare.roles import Role
from placements import selectors
from placements.models import PlacementRequest
from tests.fostercare.factories import MemberOrganisationFactory, user_with_role
from tests.placements.factories import ChildFactory, PlacementFactory, PlacementRequestFactory
from tests.placements.test_fast_request import _emergency

CREATE = reverse("placements:request-create")
CHILDREN = reverse("placements:request-children-search")


def _options(client, url, text):
    html = client.get(url, {"q": text}).content.decode()
    return html, html.count('role="option"')


def test_the_request_form_has_a_children_picker_and_no_list_of_children(
    kemi_org, kemi_worker, client_for
):
    ChildFactory(municipality=kemi_org, first_name="Eetu")
    html = client_for(kemi_worker).get(CREATE).content.decode()
    assert 'role="combobox"' in html and f'hx-get="{CHILDREN}"' in html
    assert 'role="listbox"' in html and 'role="status"' in html
    assert "Eetu" not in html


def test_the_children_search_finds_only_own_unplaced_children(
    kemi_org, tornio_org, kemi_worker, unit_worker, client_for
):
    eetu = ChildFactory(municipality=kemi_org, first_name="Eetu", last_name="Haku")
    placed = ChildFactory(municipality=kemi_org, first_name="Eemil", last_name="Haku")
    PlacementFactory(child=placed)
    tornio = ChildFactory(municipality=tornio_org, first_name="Eeva", last_name="Haku")
    html, count = _options(client_for(kemi_worker), CHILDREN, "haku")
    assert count == 1 and f'data-value="{eetu.pk}"' in html
    assert "Eeva" not in html and "Eemil" not in html  # Tornio's, and a placed one
    html, count = _options(client_for(unit_worker), CHILDREN, "haku")
    assert count == 2 and f'data-value="{tornio.pk}"' in html and "Tornio" in html
    # one character searches nothing: say how many to type
    html, count = _options(client_for(kemi_worker), CHILDREN, "h")
    assert count == 0 and "Type at least 2 characters." in html


def test_the_children_search_shows_twenty_in_constant_queries(
    kemi_org, kemi_worker, client_for, django_assert_num_queries
):
    client = client_for(kemi_worker)
    client.get(CHILDREN, {"q": "warm"})  # the session, the permissions and roles, once
    # the session, the user, 21 matches, their count
    for n in (21, 40):
        ChildFactory.create_batch(n, municipality=kemi_org, last_name="Monikko")
        with django_assert_num_queries(4):
            html, count = _options(client, CHILDREN, "monikko")
    assert count == 20 and "20 of 61 matches shown" in html


def test_children_chosen_by_the_picker_are_posted_by_id(kemi_org, kemi_worker, client_for):
    eetu = ChildFactory(municipality=kemi_org, first_name="Eetu")
    emma = ChildFactory(municipality=kemi_org, first_name="Emma")
    response = client_for(kemi_worker).post(
        CREATE, _emergency(children=[eetu.pk, emma.pk], children_text="")
    )
    assert response.status_code == 302
    assert set(PlacementRequest.objects.get().children.all()) == {eetu, emma}


def test_without_javascript_the_typed_child_is_added(kemi_org, kemi_worker, client_for):
    eetu = ChildFactory(municipality=kemi_org, first_name="Eetu", last_name="Ainoa")
    ChildFactory(municipality=kemi_org, first_name="Eino", last_name="Kaksi")
    ChildFactory(municipality=kemi_org, first_name="Emma", last_name="Kaksi")
    client = client_for(kemi_worker)
    response = client.post(CREATE, _emergency(children_text="kaksi"))
    assert response.status_code == 400
    assert "2 match “kaksi”" in response.content.decode()
    response = client.post(CREATE, _emergency(children_text="ainoa"))
    assert response.status_code == 302
    assert list(PlacementRequest.objects.get().children.all()) == [eetu]


def test_another_municipalitys_child_posted_by_id_is_refused(kemi_worker, tornio_org, client_for):
    tornio_child = ChildFactory(municipality=tornio_org)
    response = client_for(kemi_worker).post(CREATE, _emergency(children=[tornio_child.pk]))
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    assert not PlacementRequest.objects.exists()


def test_the_edit_form_shows_the_chosen_children_checked(kemi_org, kemi_worker, client_for):
    child = ChildFactory(municipality=kemi_org, first_name="Valittu")
    request = PlacementRequestFactory(municipality=kemi_org, created_by=kemi_worker)
    request.children.add(child)
    html = (
        client_for(kemi_worker)
        .get(reverse("placements:request-update", args=[request.pk]))
        .content.decode()
    )
    assert f'name="children" value="{child.pk}"' in html and "checked" in html
    assert "Valittu" in html


# Siblings ----------------------------------------------------------------------------


def test_the_sibling_search_offers_the_childs_own_municipality_only(
    kemi_org, tornio_org, unit_worker, kemi_worker, client_for
):
    child = ChildFactory(municipality=kemi_org, last_name="Sisar")
    kemi_sibling = ChildFactory(municipality=kemi_org, last_name="Sisar")
    ChildFactory(municipality=tornio_org, last_name="Sisar")
    url = reverse("placements:child-sibling-search", args=[child.pk])
    html, count = _options(client_for(unit_worker), url, "sisar")
    assert count == 1 and f'data-value="{kemi_sibling.pk}"' in html  # never itself
    new = reverse("placements:child-sibling-search-new")
    html, count = _options(client_for(kemi_worker), new, "sisar")
    assert count == 2 and "Tornio" not in html
    html, count = _options(client_for(unit_worker), new, "sisar")
    assert count == 3


def test_a_sibling_is_saved_from_the_picker_and_a_foreign_id_refused(
    kemi_org, tornio_org, kemi_worker, client_for
):
    from tests.placements.test_children import _edit_data

    child = ChildFactory(municipality=kemi_org)
    sister = ChildFactory(municipality=kemi_org)
    foreign = ChildFactory(municipality=tornio_org)
    url = reverse("placements:child-update", args=[child.pk])
    client = client_for(kemi_worker)
    response = client.post(url, _edit_data(child, siblings=[foreign.pk]))
    assert response.status_code == 400 and not child.siblings.exists()
    response = client.post(url, _edit_data(child, siblings=[sister.pk]))
    assert response.status_code == 302
    assert list(child.siblings.all()) == [sister]


# Sharing -----------------------------------------------------------------------------


@pytest.fixture
def kemi_request(kemi_org, kemi_worker):
    return PlacementRequestFactory(municipality=kemi_org, created_by=kemi_worker)


def test_the_share_search_finds_other_municipalities_workers_by_name_or_municipality(
    kemi_request, kemi_worker, tornio_worker, unit_worker, client_for
):
    url = reverse("placements:request-share-search", args=[kemi_request.pk])
    client = client_for(unit_worker)
    html, count = _options(client, url, "tornio")
    assert count == 1 and f'data-value="{tornio_worker.pk}"' in html
    html, count = _options(client, url, "kemi")
    assert count == 0  # the request's own municipality needs no sharing
    page = client.get(reverse("placements:request-share", args=[kemi_request.pk]))
    assert 'role="combobox"' in page.content.decode()
    assert str(tornio_worker) not in page.content.decode()


def test_the_share_search_is_constant_in_queries(
    kemi_request, unit_worker, client_for, django_assert_num_queries
):
    url = reverse("placements:request-share-search", args=[kemi_request.pk])
    client = client_for(unit_worker)
    client.get(url, {"q": "warm"})
    # the session, the user and their permissions (4), the request, 21 workers, their count
    for n in (21, 30):
        org = MemberOrganisationFactory(name_fi=f"Kunta{n}")
        for i in range(n):
            user_with_role(Role.MUNICIPAL_WORKER, f"w{n}-{i}", organisation=org)
        with django_assert_num_queries(7):
            html, count = _options(client, url, "kunta")
    assert count == 20 and "20 of 51 matches shown" in html


def test_sharing_with_a_worker_of_the_requests_own_municipality_is_refused(
    kemi_request, kemi_worker, unit_worker, client_for
):
    url = reverse("placements:request-share", args=[kemi_request.pk])
    response = client_for(unit_worker).post(url, {"user": kemi_worker.pk, "user_text": ""})
    assert response.status_code == 400
    assert not selectors.request_shared_with(kemi_request).exists()
