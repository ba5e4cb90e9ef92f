"""Children: the identity code is optional, validated, masked, and each reveal is logged."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from fostercare.models import AccessLogEntry
from placements import services
from placements.models import Child
from tests.placements.factories import ChildFactory

HETU = "131052-308T"  # the checksum example of the Finnish Digital Agency


@pytest.fixture
def child(kemi_org):
    return ChildFactory(
        municipality=kemi_org, date_of_birth=date(1952, 10, 13), personal_identity_code=HETU
    )


def test_identity_code_is_optional(kemi_org, kemi_worker):
    child = Child(first_name="Eetu", last_name="E", date_of_birth=date(2019, 5, 1))
    services.child_save(child=child, by=kemi_worker)
    assert child.municipality == kemi_org
    assert child.personal_identity_code == ""


@pytest.mark.parametrize("code", ["131052-308U", "131052308T", "321352-308T", "abc"])
def test_invalid_identity_code_is_rejected(code, kemi_worker):
    child = Child(first_name="E", last_name="E", date_of_birth=date(1952, 10, 13))
    child.personal_identity_code = code
    with pytest.raises(ValidationError) as error:
        services.child_save(child=child, by=kemi_worker)
    assert "personal_identity_code" in error.value.message_dict
    assert not Child.objects.exists()


def test_identity_code_must_match_the_date_of_birth(kemi_worker):
    child = Child(first_name="E", last_name="E", date_of_birth=date(2010, 1, 1))
    child.personal_identity_code = HETU
    with pytest.raises(ValidationError, match="does not match the date of birth"):
        services.child_save(child=child, by=kemi_worker)


def test_identity_code_is_masked_until_asked(child, kemi_worker, client_for):
    client = client_for(kemi_worker)
    url = reverse("placements:child-detail", args=[child.pk])
    page = client.get(url).content.decode()
    assert HETU not in page
    assert "131052-****" in page
    assert not AccessLogEntry.objects.filter(purpose="personal identity code shown").exists()

    page = client.get(url, {"show": "identity-code"}).content.decode()
    assert HETU in page
    reveal = AccessLogEntry.objects.get(purpose="personal identity code shown")
    assert (reveal.user, reveal.object_id) == (kemi_worker, str(child.pk))


def test_every_view_of_a_child_is_logged(child, kemi_worker, client_for):
    client_for(kemi_worker).get(reverse("placements:child-detail", args=[child.pk]))
    entry = AccessLogEntry.objects.get(action="view")
    assert (entry.user, entry.object_repr, entry.organisation) == (
        kemi_worker,
        str(child),
        kemi_worker.organisation,
    )


def test_municipal_worker_adds_a_child_of_their_own_municipality(kemi_worker, client_for):
    response = client_for(kemi_worker).post(
        reverse("placements:child-create"),
        {
            "first_name": "Emma",
            "last_name": "Esimerkki",
            "date_of_birth": "2021-04-02",
            "birth_parent_contact": "regular",
            "languages": ["fi"],
        },
    )
    child = Child.objects.get()
    assert response.status_code == 302
    assert child.municipality == kemi_worker.organisation
    assert AccessLogEntry.objects.filter(action="create", object_id=str(child.pk)).exists()


def test_bad_child_form_changes_nothing(kemi_worker, client_for):
    response = client_for(kemi_worker).post(
        reverse("placements:child-create"),
        {"first_name": "Emma", "date_of_birth": "2999-01-01", "personal_identity_code": "x"},
    )
    assert response.status_code == 400
    assert not Child.objects.exists()
    assert "not a valid Finnish personal identity code" in response.content.decode()


def _edit_data(child, **fields):
    data = {
        "first_name": child.first_name,
        "last_name": child.last_name,
        "date_of_birth": child.date_of_birth.isoformat(),
        "birth_parent_contact": child.birth_parent_contact,
        "languages": child.languages,
    }
    data.update(fields)
    return data


def test_edit_form_shows_only_the_masked_identity_code(child, kemi_worker, client_for):
    page = client_for(kemi_worker).get(reverse("placements:child-update", args=[child.pk]))
    html = page.content.decode()
    assert HETU not in html
    assert "131052-****" in html
    assert "Replace the identity code" in html


def test_an_empty_replacement_keeps_the_stored_identity_code(child, kemi_worker, client_for):
    url = reverse("placements:child-update", args=[child.pk])
    response = client_for(kemi_worker).post(
        url, _edit_data(child, first_name="Uusi", personal_identity_code="")
    )
    assert response.status_code == 302
    child.refresh_from_db()
    assert (child.first_name, child.personal_identity_code) == ("Uusi", HETU)


def test_a_typed_identity_code_replaces_the_stored_one(child, kemi_worker, client_for):
    url = reverse("placements:child-update", args=[child.pk])
    client = client_for(kemi_worker)
    response = client.post(url, _edit_data(child, personal_identity_code="131052-308U"))
    assert response.status_code == 400  # an invalid replacement changes nothing
    assert HETU not in response.content.decode()
    child.refresh_from_db()
    assert child.personal_identity_code == HETU
    other = "131052-310V"  # the same date of birth, another individual number
    response = client.post(url, _edit_data(child, personal_identity_code=other))
    assert response.status_code == 302
    child.refresh_from_db()
    assert child.personal_identity_code == other


def test_siblings_must_be_of_the_same_municipality(
    child, kemi_org, tornio_org, unit_worker, kemi_worker, client_for
):
    tornio_child = ChildFactory(municipality=tornio_org, first_name="Toinen")
    kemi_sibling = ChildFactory(municipality=kemi_org, first_name="Sisko")
    unit = client_for(unit_worker)
    url = reverse("placements:child-update", args=[child.pk])
    offered = unit.get(url).context["form"].fields["siblings"].queryset
    assert list(offered) == [kemi_sibling]
    response = unit.post(
        url,
        _edit_data(child, municipality=kemi_org.pk, siblings=[tornio_child.pk, kemi_sibling.pk]),
    )
    assert response.status_code == 400
    assert not child.siblings.exists()
    # the service refuses too, whatever the caller
    with pytest.raises(ValidationError, match="same municipality"):
        services.child_save(child=child, by=unit_worker, siblings=[tornio_child])
    assert not child.siblings.exists()


def test_child_page_lists_only_siblings_the_user_may_see(
    child, tornio_org, kemi_worker, client_for
):
    # a link made before the rule (e.g. imported) must still not show another municipality
    tornio_child = ChildFactory(municipality=tornio_org, first_name="Salainen")
    child.siblings.add(tornio_child)
    page = client_for(kemi_worker).get(reverse("placements:child-detail", args=[child.pk]))
    assert "Salainen" not in page.content.decode()


TEMPORARY = "131052-900W"  # individual number 900–999: a temporary identity code


def test_a_temporary_identity_code_is_accepted_and_marked(kemi_worker, client_for):
    child = Child(first_name="Amir", last_name="A", date_of_birth=date(1952, 10, 13))
    child.personal_identity_code = TEMPORARY
    services.child_save(child=child, by=kemi_worker)
    assert child.identity_code_is_temporary
    page = client_for(kemi_worker).get(reverse("placements:child-detail", args=[child.pk]))
    assert "temporary code" in page.content.decode()


def test_the_permanent_code_replaces_a_temporary_one_with_history(
    kemi_org, kemi_worker, client_for
):
    child = ChildFactory(
        municipality=kemi_org, date_of_birth=date(1952, 10, 13), personal_identity_code=TEMPORARY
    )
    client = client_for(kemi_worker)
    url = reverse("placements:child-update", args=[child.pk])
    response = client.post(url, _edit_data(child, personal_identity_code=HETU))
    assert response.status_code == 302
    child.refresh_from_db()
    assert (child.personal_identity_code, child.identity_code_is_temporary) == (HETU, False)
    change = child.identity_code_changes.get()
    assert (change.previous_code, change.previous_was_temporary) == (TEMPORARY, True)
    assert change.changed_by == kemi_worker
    assert AccessLogEntry.objects.filter(
        object_id=str(child.pk), purpose="personal identity code replaced"
    ).exists()
    page = client.get(reverse("placements:child-detail", args=[child.pk])).content.decode()
    assert "Earlier identity codes" in page and "131052-****" in page
    assert TEMPORARY not in page


def test_a_permanent_code_is_not_replaced_by_a_temporary_one(child, kemi_worker, client_for):
    url = reverse("placements:child-update", args=[child.pk])
    response = client_for(kemi_worker).post(
        url, _edit_data(child, personal_identity_code=TEMPORARY)
    )
    assert response.status_code == 400
    assert "cannot be replaced by a temporary one" in response.content.decode()
    child.refresh_from_db()
    assert child.personal_identity_code == HETU
    assert not child.identity_code_changes.exists()
