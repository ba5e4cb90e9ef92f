from django.urls import reverse

from families.models import Carer, Family, FamilyStatusChange
from tests.families.factories import FamilyFactory


def test_create_family_with_bad_input_shows_field_errors_and_writes_nothing(
    client_for, unit_worker
):
    response = client_for(unit_worker).post(
        reverse("families:family-create"),
        {"name": "", "kind": "foster", "places": 1, "age_min": 12, "age_max": 3},
    )

    assert response.status_code == 200
    form = response.context["form"]
    assert "name" in form.errors
    assert "age_max" in form.errors
    assert not Family.objects.exists()
    assert not FamilyStatusChange.objects.exists()


def test_create_family_redirects_to_its_page(client_for, unit_worker, kemi_org):
    response = client_for(unit_worker).post(
        reverse("families:family-create"),
        {
            "name": "Perhe Uusi",
            "kind": "foster",
            "home_municipality": kemi_org.pk,
            "places": 2,
            "age_min": 0,
            "age_max": 12,
            "languages": ["fi", "sv"],
        },
    )

    family = Family.objects.get()
    assert response.url == reverse("families:family-detail", args=[family.pk])
    assert family.languages == ["fi", "sv"]
    assert family.status == Family.Status.INQUIRY


def test_carer_criminal_record_check_records_who_saw_it(client_for, unit_worker):
    family = FamilyFactory()

    client_for(unit_worker).post(
        reverse("families:carer-create", args=[family.pk]),
        {
            "first_name": "Aino",
            "last_name": "Aho",
            "birth_year": 1980,
            "lives_in_home": "on",
            "criminal_record_seen_on": "2026-11-01",
        },
    )

    carer = Carer.objects.get()
    assert carer.criminal_record_seen_by == unit_worker


def test_child_cannot_be_a_carer(client_for, unit_worker):
    family = FamilyFactory()

    response = client_for(unit_worker).post(
        reverse("families:carer-create", args=[family.pk]),
        {"first_name": "Lapsi", "last_name": "Aho", "birth_year": 2015},
    )

    assert "must be an adult" in response.content.decode()
    assert not Carer.objects.exists()


def test_professional_family_home_is_limited_to_seven(client_for, unit_worker):
    response = client_for(unit_worker).post(
        reverse("families:provider-create"),
        {"name": "Perhekoti", "kind": "professional_family_home", "places": 8, "active": "on"},
    )

    assert "at most 7 persons" in response.content.decode()


def test_bad_business_id_is_rejected(client_for, unit_worker):
    response = client_for(unit_worker).post(
        reverse("families:provider-create"),
        {"name": "Laitos", "kind": "institution", "places": 8, "business_id": "1234567-8"},
    )

    assert "valid business ID" in response.content.decode()


def test_supervision_follow_up_is_marked_done(client_for, unit_worker):
    from tests.families.factories import SupervisionVisitFactory

    visit = SupervisionVisitFactory(follow_up_due_on="2099-01-01")
    client_for(unit_worker).post(
        reverse("families:supervision-follow-up-done", args=[visit.provider.pk, visit.pk]),
        HTTP_HX_REQUEST="true",
    )

    visit.refresh_from_db()
    assert visit.follow_up_done_on is not None
