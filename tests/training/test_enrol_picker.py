"""The course page enrols a family by searching for it, not from a list of every family."""

import pytest
from django.urls import reverse

from families.models import Family
from tests.families.factories import CarerFactory, FamilyFactory
from tests.training.factories import CourseFactory
from training.models import Enrolment


def _family(name, **kwargs):
    family = FamilyFactory(name=name, **kwargs)
    CarerFactory(family=family)
    return family


@pytest.fixture
def course(db):
    return CourseFactory()


def test_the_course_page_has_a_search_field_and_no_list_of_families(
    course, client_for, unit_worker
):
    _family("Virtanen")
    page = client_for(unit_worker).get(reverse("training:course-detail", args=[course.pk]))
    html = page.content.decode()
    search = reverse("training:course-enrol-search", args=[course.pk])
    assert 'role="combobox"' in html and 'aria-expanded="false"' in html
    assert f'hx-get="{search}"' in html
    assert 'role="listbox"' in html and 'role="status"' in html
    assert "Virtanen" not in html


def test_the_search_offers_only_families_that_may_enrol(course, client_for, unit_worker):
    virtanen = _family("Virtanen")
    _family("Virtanen-Ended", status=Family.Status.ENDED)
    FamilyFactory(name="Virtanen without carers")
    url = reverse("training:course-enrol-search", args=[course.pk])
    html = client_for(unit_worker).get(url, {"family_text": "virtanen"}).content.decode()
    assert f'data-value="{virtanen.pk}"' in html
    assert html.count('role="option"') == 1
    assert "1 match." in html


def test_the_search_shows_at_most_twenty_and_says_how_many_match(course, client_for, unit_worker):
    for i in range(25):
        _family(f"Korhonen {i}")
    url = reverse("training:course-enrol-search", args=[course.pk])
    html = client_for(unit_worker).get(url, {"q": "korhonen"}).content.decode()
    assert html.count('role="option"') == 20
    assert "20 of 25 matches shown" in html


def test_without_javascript_the_typed_name_is_resolved(course, client_for, unit_worker):
    virtanen = _family("Virtanen")
    _family("Korhonen A")
    _family("Korhonen B")
    client = client_for(unit_worker)
    url = reverse("training:course-enrol", args=[course.pk])

    response = client.post(url, {"family": "", "family_text": "korhonen"})
    assert response.status_code == 400
    assert "2 match “korhonen”" in response.content.decode()
    response = client.post(url, {"family": "", "family_text": "nobody"})
    assert response.status_code == 400
    assert "Nothing matches “nobody”" in response.content.decode()
    assert not Enrolment.objects.exists()

    response = client.post(url, {"family": "", "family_text": "virtanen"})
    assert response.status_code == 302
    assert Enrolment.objects.get().carer.family == virtanen


def test_a_chosen_family_is_posted_by_its_id(course, client_for, unit_worker):
    family = _family("Virtanen")
    url = reverse("training:course-enrol", args=[course.pk])
    response = client_for(unit_worker).post(url, {"family": family.pk, "family_text": "x"})
    assert response.status_code == 302
    assert Enrolment.objects.get().carer.family == family


@pytest.mark.parametrize("typed", ["Perhe Virtanen", "Familjen virtanen", "Virtanen family"])
def test_the_family_is_found_by_the_name_the_pages_give_it(course, client_for, unit_worker, typed):
    virtanen = _family("Virtanen")
    client = client_for(unit_worker)
    search = reverse("training:course-enrol-search", args=[course.pk])
    html = client.get(search, {"family_text": typed}).content.decode()
    assert f'data-value="{virtanen.pk}"' in html
    assert f"Virtanen family, no. {virtanen.pk}" in html  # the register number tells apart
    response = client.post(
        reverse("training:course-enrol", args=[course.pk]), {"family": "", "family_text": typed}
    )
    assert response.status_code == 302
