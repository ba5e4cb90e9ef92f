from datetime import date

import pytest
from django.urls import reverse

from tests.families.factories import CarerFactory, FamilyFactory


def _available(**fields):
    """An approved, trained family: one the room and ages filters may show."""
    return FamilyFactory(pre_service_training_completed_on=date(2025, 1, 1), **fields)


def _names(client, **params):
    response = client.get(reverse("families:family-list"), params)
    assert response.status_code == 200
    return {family.name for family in response.context["page"].object_list}


@pytest.fixture
def client(client_for, unit_worker):
    return client_for(unit_worker)


def test_ages_find_families_that_can_take_the_siblings_together(client):
    _available(name="Fits", age_min=3, age_max=10, places=2, siblings_accepted=True)
    _available(name="One place", age_min=3, age_max=10, places=1)
    _available(name="No siblings", age_min=3, age_max=10, places=2, siblings_accepted=False)
    _available(name="Too young only", age_min=0, age_max=5, places=2)

    assert _names(client, ages="7, 4") == {"Fits"}


def test_single_age_needs_only_the_age_range(client):
    _available(name="Teen", age_min=12, age_max=17, places=1, siblings_accepted=False)
    _available(name="Small", age_min=0, age_max=6)

    assert _names(client, ages="13") == {"Teen"}


def test_bad_ages_show_a_message_and_list_no_family_as_if_it_matched(client):
    FamilyFactory(name="Foster", kind="foster")
    FamilyFactory(name="Support", kind="support")

    response = client.get(reverse("families:family-list"), {"ages": "seven", "kind": "support"})

    assert response.status_code == 400
    assert "whole numbers separated by commas" in response.content.decode()
    assert list(response.context["page"].object_list) == []


def test_trained_filter(client):
    FamilyFactory(name="Trained", pre_service_training_completed_on=date(2025, 5, 1))
    FamilyFactory(name="Untrained", pre_service_training_completed_on=None)

    assert _names(client, trained="yes") == {"Trained"}
    assert _names(client, trained="no") == {"Untrained"}


def test_language_municipality_kind_status_and_free_places(client, kemi_org, tornio_org):
    _available(name="Kemi sv", home_municipality=kemi_org, languages=["fi", "sv"], places=3)
    FamilyFactory(name="Tornio fi", home_municipality=tornio_org, kind="support", status="active")

    assert _names(client, language="sv") == {"Kemi sv"}
    assert _names(client, home_municipality=tornio_org.pk) == {"Tornio fi"}
    assert _names(client, kind="support") == {"Tornio fi"}
    assert _names(client, status="active") == {"Tornio fi"}
    assert _names(client, free_places=3) == {"Kemi sv"}


def test_search_by_family_or_carer_name_lists_each_family_once(client):
    family = FamilyFactory(name="Perhe Rautio")
    CarerFactory(family=family, first_name="Rauno", last_name="Rautio")
    CarerFactory(family=family, first_name="Riitta", last_name="Rautio")
    FamilyFactory(name="Perhe Muu")

    response = client.get(reverse("families:family-list"), {"q": "raut"})

    assert [f.name for f in response.context["page"].object_list] == ["Perhe Rautio"]


def test_htmx_filter_request_returns_only_the_results(client):
    FamilyFactory(name="Perhe Aho")

    response = client.get(reverse("families:family-list"), {"q": "Aho"}, HTTP_HX_REQUEST="true")

    assert "<html" not in response.content.decode()
    assert "Perhe Aho" in response.content.decode()


def test_page_links_keep_the_filters(client):
    FamilyFactory.create_batch(30, kind="support")

    response = client.get(reverse("families:family-list"), {"kind": "support", "page": "1"})

    assert 'href="?kind=support&amp;page=2"' in response.content.decode()


def test_a_bad_filter_value_is_marked_at_its_field_in_an_htmx_search_too(client):
    response = client.get(
        reverse("families:family-list"), {"ages": "seven"}, HTTP_HX_REQUEST="true"
    )
    body = response.content.decode()
    assert 'id="filter-fields"' in body and 'hx-swap-oob="true"' in body
    assert "whole numbers separated by commas" in body


def test_a_room_filter_counts_with_its_page_in_one_query(
    client, django_assert_num_queries, unit_worker
):
    """Filtered by room, the page's own query counts the list (a window count): the room
    of each matching family is read once, not by a count and again by the page."""
    for i in range(30):
        _available(name=f"Perhe {i:02}", age_min=3, age_max=10, places=2, siblings_accepted=True)
    _available(name="Full", age_min=3, age_max=10, places=0)
    url = reverse("families:family-list")
    client.get(url, {"ages": "7, 4"})  # warm the permissions and the municipalities
    # session, user, the page with its count
    with django_assert_num_queries(3) as captured:
        first = client.get(url, {"ages": "7, 4"})
    assert "OVER ()" in captured.captured_queries[-1]["sql"]
    page = first.context["page"]
    assert (page.paginator.count, page.paginator.num_pages, len(page.object_list)) == (30, 2, 25)
    assert "30 families" in first.content.decode()
    second = client.get(url, {"ages": "7, 4", "page": "2"}).context["page"]
    assert [f.name for f in second.object_list] == [f"Perhe {i:02}" for i in range(25, 30)]
    assert second.paginator.count == 30 and second.has_previous() and not second.has_next()
    # past the end, or not a number: Django's (the last page, the first)
    assert client.get(url, {"ages": "7, 4", "page": "9"}).context["page"].number == 2
    assert client.get(url, {"ages": "7, 4", "page": "4" + "0" * 17}).context["page"].number == 2
    assert client.get(url, {"ages": "7, 4", "page": "x"}).context["page"].number == 1
    nothing = client.get(url, {"ages": "17, 16"}).context["page"]
    assert nothing.paginator.count == 0 and list(nothing.object_list) == []
    # without a room filter, the list is counted apart (read in name order up to the page)
    with django_assert_num_queries(4):
        client.get(url, {"kind": "foster"})
