"""Every placements URL for the five demo roles; kemi tries every object of tornio by id."""

from datetime import date

import pytest
from django.urls import reverse

from families.models import Family
from placements import services
from placements.models import (
    AftercarePlan,
    PlacementRequest,
    PlacementType,
    SupportArrangement,
    SupportStay,
)
from tests.matrix import (
    ROLES,
    assert_anonymous_sent_to_login,
    assert_matrix,
    assert_other_municipality_gets_404,
)
from tests.placements.factories import (
    ChildFactory,
    PlacementFactory,
    PlacementRequestFactory,
    ProposalFactory,
    ReadyFamilyFactory,
)


def _objects(org, worker):
    child = ChildFactory(municipality=org)
    request = PlacementRequestFactory(
        municipality=org,
        created_by=worker,
        children=[child],
        status=PlacementRequest.Status.PROPOSED,
    )
    # a family that passes every hard rule and gate, so that the requesting municipality
    # may accept it
    family = ReadyFamilyFactory(
        status=Family.Status.APPROVED,
        kind=Family.Kind.FOSTER,
        places=3,
        street_address=f"Salainen tie {org.code}",
    )
    proposal = ProposalFactory(request=request, family=family, proposed_by=worker)
    services.proposed_family_grants_sync(municipality=org)
    placement = PlacementFactory(child=ChildFactory(municipality=org))
    plan = AftercarePlan.objects.create(
        child=placement.child,
        agreed_on=date(2026, 1, 1),
        agreed_with="Sanna",
        review_on=date(2026, 6, 1),
        recorded_by=worker,
    )
    support_family = ReadyFamilyFactory(kind=Family.Kind.SUPPORT, places=2)
    support_request = PlacementRequestFactory(
        municipality=org,
        created_by=worker,
        placement_type=PlacementType.SUPPORT_FAMILY,
        status=PlacementRequest.Status.ACCEPTED,
        children=[ChildFactory(municipality=org)],
    )
    ProposalFactory(
        request=support_request, family=support_family, proposed_by=worker, accepted=True
    )
    year = date.today().year + 1
    arrangement = SupportArrangement.objects.create(
        child=ChildFactory(municipality=org),
        family=support_family,
        municipality=org,
        pattern=SupportArrangement.Pattern.MONTHLY_WEEKEND,
        weekend_of_month=1,
        starts_on=date(year, 1, 1),
        ends_on=date(year, 3, 31),
        created_by=worker,
    )
    stay = SupportStay.objects.create(
        arrangement=arrangement, starts_on=date(year, 1, 20), ends_on=date(year, 1, 21)
    )
    return {
        "aftercare_plan": plan,
        "support_request": support_request,
        "arrangement": arrangement,
        "stay": stay,
        "request": request,
        "child": child,
        "proposal": proposal,
        "placement": placement,
        "family": proposal.family,
    }


@pytest.fixture
def kemi_objects(kemi_org, kemi_worker):
    return _objects(kemi_org, kemi_worker)


@pytest.fixture
def tornio_objects(tornio_org, tornio_worker):
    return _objects(tornio_org, tornio_worker)


# name, method, which object's id, expected status for unit, kemi, tornio, finance, admin
# when the objects are Kemi's. POSTs carry no data: a step that the role may not take, or
# a form left empty, answers 400 with the reason and changes nothing.
MATRIX = [
    ("request-list", "get", None, (200, 200, 200, 403, 200)),
    ("request-create", "get", None, (200, 200, 200, 403, 200)),
    ("request-detail", "get", "request", (200, 200, 404, 403, 200)),
    ("request-update", "get", "request", (403, 403, 404, 403, 403)),
    ("request-submit", "post", "request", (400, 400, 404, 403, 400)),
    ("request-take", "post", "request", (400, 400, 404, 403, 400)),
    ("request-withdraw", "post", "request", (400, 400, 404, 403, 400)),
    ("request-no-place", "post", "request", (400, 400, 404, 403, 400)),
    ("request-decline", "post", "request", (400, 400, 404, 403, 400)),
    ("request-decide", "post", "request", (400, 400, 404, 403, 400)),
    ("request-place", "post", "request", (400, 400, 404, 403, 400)),
    ("request-matching", "get", "request", (200, 403, 404, 403, 200)),
    # without htmx "show more" goes back to the page with more rows shown
    ("request-matching-more", "get", "request", (302, 403, 404, 403, 302)),
    ("request-matching-excluded", "get", "request", (200, 403, 404, 403, 200)),
    ("request-propose", "post", "request", (400, 403, 404, 403, 400)),
    ("request-share", "get", "request", (200, 403, 404, 403, 200)),
    # the pickers' searches answer as their forms' pages do
    ("request-share-search", "get", "request", (200, 403, 404, 403, 200)),
    ("request-children-search", "get", None, (200, 200, 200, 403, 200)),
    ("child-sibling-search-new", "get", None, (200, 200, 200, 403, 200)),
    ("child-sibling-search", "get", "child", (200, 200, 404, 403, 200)),
    ("request-unshare", "post", "request", (400, 403, 404, 403, 400)),
    ("child-list", "get", None, (200, 200, 200, 403, 200)),
    ("child-create", "get", None, (200, 200, 200, 403, 200)),
    ("child-detail", "get", "child", (200, 200, 404, 403, 200)),
    ("child-update", "get", "child", (200, 200, 404, 403, 200)),
    ("proposed-family", "get", "family", (200, 200, 404, 403, 200)),
    ("placement-list", "get", None, (200, 200, 200, 403, 200)),
    ("placement-end", "post", "placement", (400, 403, 404, 403, 400)),
    ("placement-correct", "get", "placement", (200, 403, 404, 403, 200)),
    ("placement-correct", "post", "placement", (400, 403, 404, 403, 400)),
    ("placement-extend", "post", "placement", (400, 403, 404, 403, 400)),
    ("aftercare-plan-create", "get", "child", (200, 403, 404, 403, 200)),
    ("aftercare-plan-create", "post", "child", (400, 403, 404, 403, 400)),
    ("aftercare-plan-update", "get", "aftercare_plan", (200, 403, 404, 403, 200)),
    ("vacancy-board", "get", None, (200, 403, 403, 403, 200)),
    ("request-propose-providers", "post", "request", (400, 403, 404, 403, 400)),
    ("arrangement-create", "get", "support_request", (200, 200, 404, 403, 200)),
    ("arrangement-list", "get", None, (200, 200, 200, 403, 200)),
    ("arrangement-detail", "get", "arrangement", (200, 200, 404, 403, 200)),
    # the pattern's weekends are added: a one-click action
    ("stays-generate", "post", "arrangement", (302, 302, 404, 403, 302)),
    ("stay-add", "post", "arrangement", (400, 400, 404, 403, 400)),
    ("stay-move", "post", "stay", (400, 400, 404, 403, 400)),
    ("stay-cancel", "post", "stay", (400, 400, 404, 403, 400)),
    # kemi may accept: an acceptance without "confirmed" answers with the confirmation
    # page (200) and changes nothing
    ("proposal-accept", "post", "proposal", (400, 200, 404, 403, 400)),
]


def _url_for(objects):
    def url(row):
        name, _method, key, _expected = row
        if key is None:
            return reverse(f"placements:{name}")
        if key == "proposal":
            proposal = objects["proposal"]
            return reverse(f"placements:{name}", args=[proposal.request_id, proposal.pk])
        if key == "aftercare_plan":
            plan = objects["aftercare_plan"]
            return reverse(f"placements:{name}", args=[plan.child_id, plan.pk])
        if key == "stay":
            stay = objects["stay"]
            return reverse(f"placements:{name}", args=[stay.arrangement_id, stay.pk])
        return reverse(f"placements:{name}", args=[objects[key].pk])

    return url


def test_anonymous_is_sent_to_login(client, kemi_objects):
    assert_anonymous_sent_to_login(client, MATRIX, _url_for(kemi_objects))


@pytest.mark.parametrize("role", ROLES)
def test_placements_pages_by_role(role, roles, client_for, kemi_objects):
    assert_matrix(client_for(roles[role]), MATRIX, _url_for(kemi_objects), role)


def test_kemi_gets_404_for_every_object_of_tornio(roles, client_for, tornio_objects, kemi_objects):
    client = client_for(roles["kemi"])
    tried = assert_other_municipality_gets_404(client, MATRIX, _url_for(tornio_objects))
    assert tried == 35
    tornio_request = tornio_objects["request"]
    tornio_request.refresh_from_db()
    assert tornio_request.status == PlacementRequest.Status.PROPOSED


def test_lists_show_only_own_municipality(roles, client_for, kemi_objects, tornio_objects):
    client = client_for(roles["kemi"])
    requests = client.get(reverse("placements:request-list")).context["page"].object_list
    assert {r.pk for r in requests} == {
        kemi_objects["request"].pk,
        kemi_objects["support_request"].pk,
    }
    children = client.get(reverse("placements:child-list")).context["page"].object_list
    assert {c.municipality_id for c in children} == {kemi_objects["child"].municipality_id}
    placements = client.get(reverse("placements:placement-list")).context["page"].object_list
    assert [p.pk for p in placements] == [kemi_objects["placement"].pk]


def test_unit_sees_every_municipality(roles, client_for, kemi_objects, tornio_objects):
    requests = client_for(roles["unit"]).get(reverse("placements:request-list")).context["page"]
    assert len(requests.object_list) == 4  # each municipality's request and support request


def test_register_stays_closed_to_municipal_workers(roles, client_for, kemi_objects):
    family = kemi_objects["proposal"].family
    client = client_for(roles["kemi"])
    assert client.get(reverse("families:family-detail", args=[family.pk])).status_code == 403
    # ...but the proposed family's needed fields are on the request
    response = client.get(reverse("placements:request-detail", args=[kemi_objects["request"].pk]))
    assert family.name in response.content.decode()
    assert family.street_address not in response.content.decode()
