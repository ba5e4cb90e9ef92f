"""Every experts URL for the five demo roles; kemi tries tornio's consultations by id."""

import pytest
from django.urls import reverse

from experts.models import Consultation, ExpertRole
from tests.experts.factories import ConsultationFactory, ExpertFactory
from tests.matrix import ROLES, assert_anonymous_sent_to_login, assert_matrix
from tests.placements.factories import PlacementRequestFactory


def _objects(org, worker, unit_worker):
    request = PlacementRequestFactory(municipality=org, created_by=worker)
    return {
        "expert": ExpertFactory(roles=[ExpertRole.CONVENER], convener_trained_on="2023-01-01"),
        "consultation": ConsultationFactory(
            municipality=org,
            municipal_worker=worker,
            placement_request=request,
            child=request.children.first(),
            recorded_by=unit_worker,
            kind=Consultation.Kind.HOME_VISIT,
        ),
    }


@pytest.fixture
def kemi_objects(kemi_org, kemi_worker, unit_worker):
    return _objects(kemi_org, kemi_worker, unit_worker)


@pytest.fixture
def tornio_objects(tornio_org, tornio_worker, unit_worker):
    return _objects(tornio_org, tornio_worker, unit_worker)


# name, method, which object's id, expected status for unit, kemi, tornio, finance, admin
# when the objects are Kemi's (an expert belongs to no municipality: every member reads it).
MATRIX = [
    ("expert-list", "get", None, (200, 200, 200, 403, 200)),
    ("expert-create", "get", None, (200, 403, 403, 403, 200)),
    ("expert-serves-search", "get", None, (200, 403, 403, 403, 200)),
    ("expert-detail", "get", "expert", (200, 200, 200, 403, 200)),
    ("expert-update", "get", "expert", (200, 403, 403, 403, 200)),
    ("expert-create", "post", None, (400, 403, 403, 403, 400)),
    ("expert-update", "post", "expert", (400, 403, 403, 403, 400)),
    ("consultation-list", "get", None, (200, 200, 200, 403, 200)),
    ("consultation-create", "get", None, (200, 403, 403, 403, 200)),
    ("consultation-create", "post", None, (400, 403, 403, 403, 400)),
    ("consultation-detail", "get", "consultation", (200, 200, 404, 403, 200)),
    ("consultation-update", "get", "consultation", (200, 403, 404, 403, 200)),
    ("consultation-update", "post", "consultation", (400, 403, 404, 403, 400)),
    ("consultation-totals", "get", None, (200, 403, 403, 403, 200)),
    ("consultation-request-search", "get", None, (200, 403, 403, 403, 200)),
    ("consultation-child-search", "get", None, (200, 403, 403, 403, 200)),
    ("consultation-worker-search", "get", None, (200, 403, 403, 403, 200)),
    ("consultation-expert-search", "get", None, (200, 403, 403, 403, 200)),
]


def _url_for(objects):
    def url(row):
        name, _method, key, _expected = row
        args = [objects[key].pk] if key else []
        return reverse(f"experts:{name}", args=args)

    return url


def test_anonymous_is_sent_to_login(client, kemi_objects):
    assert_anonymous_sent_to_login(client, MATRIX, _url_for(kemi_objects))


@pytest.mark.parametrize("role", ROLES)
def test_experts_pages_by_role(role, roles, client_for, kemi_objects):
    assert_matrix(client_for(roles[role]), MATRIX, _url_for(kemi_objects), role)


def test_kemi_gets_404_for_every_consultation_of_tornio(
    roles, client_for, kemi_objects, tornio_objects
):
    client = client_for(roles["kemi"])
    url = _url_for(tornio_objects)
    rows = [row for row in MATRIX if row[2] == "consultation"]
    assert [getattr(client, row[1])(url(row)).status_code for row in rows] == [404] * 3


def test_consultation_list_shows_only_own_municipality(
    roles, client_for, kemi_objects, tornio_objects
):
    response = client_for(roles["kemi"]).get(reverse("experts:consultation-list"))
    page = response.context["page"]
    assert [c.pk for c in page.object_list] == [kemi_objects["consultation"].pk]
    assert "municipality" not in response.context["filter"].form.fields
    page = client_for(roles["unit"]).get(reverse("experts:consultation-list")).context["page"]
    assert len(page.object_list) == 2


def test_municipal_worker_reads_the_registers_but_cannot_edit(roles, client_for, kemi_objects):
    client = client_for(roles["kemi"])
    expert = kemi_objects["expert"]
    response = client.get(reverse("experts:expert-detail", args=[expert.pk]))
    assert response.status_code == 200
    assert reverse("experts:expert-update", args=[expert.pk]) not in response.content.decode()
    response = client.post(reverse("experts:expert-update", args=[expert.pk]), {"name": "Muutettu"})
    assert response.status_code == 403
    expert.refresh_from_db()
    assert expert.name != "Muutettu"
