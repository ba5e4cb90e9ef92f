"""A proposed family is an exception granted per object: the requesting municipality
reads a few of its fields while it chooses, and loses them when it no longer needs them."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from families.models import Family
from fostercare.models import AccessLogEntry
from placements import services
from placements.models import PlacementRequest

S = PlacementRequest.Status


@pytest.fixture
def proposed(kemi_request, unit_worker, available_family):
    first = available_family(name="Perhe Eka", kind=Family.Kind.FOSTER)
    second = available_family(name="Perhe Toka", kind=Family.Kind.FOSTER)
    services.placement_request_take(request=kemi_request, by=unit_worker)
    proposals = services.placement_request_propose(
        request=kemi_request, by=unit_worker, family_ids=[first.pk, second.pk]
    )
    return kemi_request, proposals


def _status(client, family):
    return client.get(reverse("placements:proposed-family", args=[family.pk])).status_code


def test_requesting_municipality_sees_the_proposed_families_only(
    proposed, kemi_worker, tornio_worker, client_for, available_family
):
    _request, proposals = proposed
    not_proposed = available_family(name="Perhe Muu")
    kemi = client_for(kemi_worker)
    assert [_status(kemi, p.family) for p in proposals] == [200, 200]
    assert _status(kemi, not_proposed) == 404
    assert _status(client_for(tornio_worker), proposals[0].family) == 404
    # the register itself stays closed
    url = reverse("families:family-detail", args=[proposals[0].family.pk])
    assert client_for(kemi_worker).get(url).status_code == 403


def test_only_the_needed_fields_are_shown_and_the_view_is_logged(proposed, kemi_worker, client_for):
    _request, proposals = proposed
    family = proposals[0].family
    family.street_address = "Salainen tie 5"
    family.save()
    page = client_for(kemi_worker).get(reverse("placements:proposed-family", args=[family.pk]))
    assert "Perhe Eka" in page.content.decode()
    assert "Salainen tie 5" not in page.content.decode()
    assert family.carers.first().last_name not in page.content.decode()
    assert AccessLogEntry.objects.filter(object_repr=str(family), user=kemi_worker).exists()


def test_acceptance_keeps_the_chosen_family_and_revokes_the_other(
    proposed, kemi_worker, client_for
):
    request, (chosen, other) = proposed
    services.proposal_accept(proposal=chosen, by=kemi_worker)
    kemi = client_for(kemi_worker)
    assert (_status(kemi, chosen.family), _status(kemi, other.family)) == (200, 404)
    services.placement_request_decide(
        request=request,
        by=kemi_worker,
        decision_on=date.today(),
        decision_maker="L. Lappalainen",
        decision_reference="1",
    )
    services.placement_request_place(request=request, by=kemi_worker, started_on=date.today())
    assert _status(kemi, chosen.family) == 200


def test_withdrawal_revokes_every_grant(proposed, kemi_worker, client_for):
    request, proposals = proposed
    services.placement_request_withdraw(request=request, by=kemi_worker, reason="Kotiutui")
    kemi = client_for(kemi_worker)
    assert [_status(kemi, p.family) for p in proposals] == [404, 404]


def test_declining_all_sends_the_request_back_to_search(
    proposed,
    kemi_worker,
    unit_worker,
    client_for,
    available_family,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    request, (first, second) = proposed
    with django_capture_on_commit_callbacks(execute=True):
        services.placement_request_decline(request=request, by=kemi_worker, reason="Liian kaukana")
    request.refresh_from_db()
    assert request.status == S.IN_SEARCH
    assert request.events.last().note == "Liian kaukana"
    assert "Liian kaukana" in mailoutbox[-1].body
    kemi = client_for(kemi_worker)
    assert [_status(kemi, first.family), _status(kemi, second.family)] == [404, 404]
    # the unit proposes a new family and one of the declined ones again
    third = available_family(name="Perhe Kolmas", kind=Family.Kind.FOSTER)
    services.placement_request_propose(
        request=request, by=unit_worker, family_ids=[third.pk, first.family.pk]
    )
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.declined, second.declined) == (False, True)
    assert [_status(kemi, f) for f in (third, first.family, second.family)] == [200, 200, 404]
    with pytest.raises(ValidationError, match="was declined"):
        services.proposal_accept(proposal=second, by=kemi_worker)


def test_only_the_requesting_municipality_declines(proposed, unit_worker, tornio_worker):
    request, _proposals = proposed
    for user in (unit_worker, tornio_worker):
        with pytest.raises(ValidationError, match="requesting municipality"):
            services.placement_request_decline(request=request, by=user, reason="x")
    request.refresh_from_db()
    assert request.status == S.PROPOSED


def test_family_grants_land_in_the_direct_foreign_key_table(proposed, kemi_org):
    from guardian.models import GroupObjectPermission

    from families.models import FamilyGroupObjectPermission

    _request, proposals = proposed
    direct = FamilyGroupObjectPermission.objects.filter(group__name=f"organisation:{kemi_org.code}")
    assert {row.content_object_id for row in direct} == {p.family_id for p in proposals}
    assert not GroupObjectPermission.objects.filter(content_type__model="family").exists()


def _detail(client, request):
    return client.get(reverse("placements:request-detail", args=[request.pk]))


def test_request_page_hides_the_families_no_longer_granted_to_the_municipality(
    proposed, kemi_worker, unit_worker, client_for
):
    request, (chosen, _other) = proposed
    kemi = client_for(kemi_worker)
    page = _detail(kemi, request).content.decode()
    assert "Perhe Eka" in page and "Perhe Toka" in page
    services.proposal_accept(proposal=chosen, by=kemi_worker)
    response = _detail(kemi, request)
    page = response.content.decode()
    assert "Perhe Eka" in page
    assert "Perhe Toka" not in page  # not chosen: its grant was revoked
    assert [p.family for p in response.context["proposals"]] == [chosen.family]
    assert "1 proposed family is not shown to you." in page
    # the unit still sees both
    page = _detail(client_for(unit_worker), request).content.decode()
    assert "Perhe Eka" in page and "Perhe Toka" in page


def test_request_page_hides_declined_families(proposed, kemi_worker, client_for):
    request, _proposals = proposed
    services.placement_request_decline(request=request, by=kemi_worker, reason="Liian kaukana")
    page = _detail(client_for(kemi_worker), request).content.decode()
    assert "Perhe Eka" not in page and "Perhe Toka" not in page
    assert "2 proposed families are not shown to you." in page


def test_a_worker_the_request_is_shared_with_sees_no_proposed_family(
    proposed, tornio_worker, unit_worker, client_for
):
    request, _proposals = proposed
    services.placement_request_share(request=request, by=unit_worker, with_user=tornio_worker)
    response = _detail(client_for(tornio_worker), request)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Perhe Eka" not in page and "Perhe Toka" not in page
    assert "2 proposed families are not shown to you." in page
