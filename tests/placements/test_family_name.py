"""One naming rule for families: "Perhe Aho" / "Familjen Aho" wherever a family is named."""

import pytest
from django.urls import reverse
from django.utils import translation

from families.models import Family
from families.services import family_create
from tests.placements.factories import ChildFactory, PlacementRequestFactory, years_ago

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("Aho", "Aho"),
        ("Perhe Aho", "Aho"),
        ("perhe  Aho ", "Aho"),
        ("Familjen Aho", "Aho"),
        ("Aho family", "Aho"),
        ("Aho-perhe", "Aho"),
        ("Virtanen–Korhonen", "Virtanen–Korhonen"),
        ("Perheniemi", "Perheniemi"),
    ],
)
def test_the_register_stores_the_surnames_only(typed, stored, unit_worker):
    family = family_create(by=unit_worker, name=typed, kind=Family.Kind.FOSTER)
    assert Family.objects.get(pk=family.pk).name == stored


@pytest.mark.parametrize(("language", "expected"), [("fi", "Perhe Aho"), ("sv", "Familjen Aho")])
def test_list_detail_matching_and_admin_name_the_family_alike(
    language, expected, client_for, unit_worker, admin_user, kemi_org, available_family
):
    family = available_family(name="Aho")
    children = [ChildFactory(municipality=kemi_org, date_of_birth=years_ago(age)) for age in (7, 4)]
    request = PlacementRequestFactory(municipality=kemi_org, children=children, status="in_search")
    client = client_for(unit_worker)
    client.cookies["django_language"] = language
    admin = client_for(admin_user)
    admin.cookies["django_language"] = language
    pages = {
        "list": client.get(reverse("families:family-list")),
        "detail": client.get(reverse("families:family-detail", args=[family.pk])),
        "matching": client.get(reverse("placements:request-matching", args=[request.pk])),
        "admin list": admin.get(reverse("admin:families_family_changelist")),
        "admin change": admin.get(reverse("admin:families_family_change", args=[family.pk])),
    }
    for page, response in pages.items():
        assert response.status_code == 200, page
        assert expected in response.content.decode(), page
    with translation.override("en"):
        assert str(Family.objects.get(pk=family.pk)) == "Aho family"
