"""The consultation form searches its placement request, child and municipal worker (the
country has tens of thousands) through the writer's visibility; the form refuses others."""

from django.contrib.auth.models import Permission
from django.urls import reverse

from experts.models import Consultation
from tests.experts.factories import ExpertFactory
from tests.placements.factories import ChildFactory, PlacementRequestFactory

REQUESTS = reverse("experts:consultation-request-search")
CHILDREN = reverse("experts:consultation-child-search")
WORKERS = reverse("experts:consultation-worker-search")
EXPERTS = reverse("experts:consultation-expert-search")
CREATE = reverse("experts:consultation-create")


def _options(client, url, text):
    html = client.get(url, {"q": text}).content.decode()
    return html, html.count('role="option"')


def test_the_form_has_three_pickers_and_lists_no_worker_or_child(
    client_for, unit_worker, kemi_org, kemi_worker
):
    ChildFactory(municipality=kemi_org, first_name="Listaamaton")
    html = client_for(unit_worker).get(CREATE).content.decode()
    assert html.count('role="combobox"') == 4
    for url in (REQUESTS, CHILDREN, WORKERS, EXPERTS):
        assert f'hx-get="{url}"' in html
    assert "Listaamaton" not in html and str(kemi_worker) not in html


def test_the_searches_find_by_name_and_municipality(
    client_for, unit_worker, kemi_org, tornio_org, kemi_worker, tornio_worker
):
    child = ChildFactory(municipality=kemi_org, first_name="Aino", last_name="Haettava")
    request = PlacementRequestFactory(municipality=kemi_org, created_by=kemi_worker)
    request.children.add(child)
    PlacementRequestFactory(municipality=tornio_org, created_by=tornio_worker)
    client = client_for(unit_worker)
    html, count = _options(client, REQUESTS, "haettava")
    assert count == 1 and f'data-value="{request.pk}"' in html and "Kemi" in html
    assert _options(client, REQUESTS, "tornio")[1] == 1
    html, count = _options(client, CHILDREN, "aino haettava")
    assert count == 1 and "Aino Haettava, Kemi" in html
    html, count = _options(client, WORKERS, "kemi")
    assert count == 1 and f'data-value="{kemi_worker.pk}"' in html


def test_a_writer_without_placements_access_finds_no_request_or_child(
    client_for, finance_user, kemi_org, kemi_worker
):
    finance_user.user_permissions.add(Permission.objects.get(codename="add_consultation"))
    child = ChildFactory(municipality=kemi_org, last_name="Salainen")
    request = PlacementRequestFactory(municipality=kemi_org, created_by=kemi_worker)
    request.children.add(child)
    client = client_for(finance_user)
    assert _options(client, CHILDREN, "salainen")[1] == 0
    assert _options(client, REQUESTS, "salainen")[1] == 0
    assert _options(client, REQUESTS, "kemi")[1] == 0


def test_municipal_workers_may_not_search(client_for, kemi_worker):
    client = client_for(kemi_worker)
    for url in (REQUESTS, CHILDREN, WORKERS, EXPERTS):
        assert client.get(url, {"q": "kemi"}).status_code == 403


def test_the_child_search_is_constant_in_queries(
    client_for, unit_worker, kemi_org, django_assert_num_queries
):
    client = client_for(unit_worker)
    client.get(CHILDREN, {"q": "warm"})
    # the session, the user (its permissions cached by the first search), 21 children,
    # their count
    for n in (21, 40):
        ChildFactory.create_batch(n, municipality=kemi_org, last_name="Joukko")
        with django_assert_num_queries(4):
            html, count = _options(client, CHILDREN, "joukko")
    assert count == 20 and "20 of 61 matches shown" in html


def _consultation(**fields):
    return {"kind": "phone_guidance", "held_on": "2026-09-30", "duration_minutes": "15", **fields}


def test_a_worker_chosen_or_typed_is_saved_and_a_non_worker_refused(
    client_for, unit_worker, finance_user, kemi_org, kemi_worker
):
    client = client_for(unit_worker)
    data = _consultation(municipality=kemi_org.pk, municipal_worker=finance_user.pk)
    response = client.post(CREATE, data)
    assert response.status_code == 400
    assert "municipal_worker" in response.context["form"].errors
    assert not Consultation.objects.exists()
    data = _consultation(municipality=kemi_org.pk, municipal_worker_text=kemi_worker.last_name)
    assert client.post(CREATE, data).status_code == 302
    assert Consultation.objects.get().municipal_worker == kemi_worker


def test_the_edit_form_shows_the_chosen_request_by_name(
    client_for, unit_worker, kemi_org, kemi_worker
):
    request = PlacementRequestFactory(municipality=kemi_org, created_by=kemi_worker)
    data = _consultation(municipality=kemi_org.pk, placement_request=request.pk)
    client = client_for(unit_worker)
    assert client.post(CREATE, data).status_code == 302
    consultation = Consultation.objects.get()
    html = client.get(
        reverse("experts:consultation-update", args=[consultation.pk])
    ).content.decode()
    assert f'value="{request.pk}" data-picker-value' in html
    assert f"{request}, Kemi" in html


def test_experts_are_searched_and_one_whose_consent_is_withdrawn_refused(
    client_for, unit_worker, kemi_org
):
    linnea = ExpertFactory(name="Linnea Forsström")
    gone = ExpertFactory(name="Linnea Poissa", consent_withdrawn_on="2026-01-01")
    client = client_for(unit_worker)
    html, count = _options(client, EXPERTS, "linnea")
    assert count == 1 and f'data-value="{linnea.pk}"' in html
    response = client.post(CREATE, _consultation(municipality=kemi_org.pk, experts=[gone.pk]))
    assert response.status_code == 400 and not Consultation.objects.exists()
    response = client.post(CREATE, _consultation(municipality=kemi_org.pk, experts=[linnea.pk]))
    assert response.status_code == 302
    assert list(Consultation.objects.get().experts.all()) == [linnea]


def test_the_expert_form_searches_the_members_served(client_for, unit_worker, kemi_org, tornio_org):
    expert = ExpertFactory(name="Palveleva", serves=[kemi_org])
    client = client_for(unit_worker)
    url = reverse("experts:expert-update", args=[expert.pk])
    html = client.get(url).content.decode()
    search = reverse("experts:expert-serves-search")
    assert f'hx-get="{search}"' in html
    assert f'name="serves" value="{kemi_org.pk}"' in html and "Tornio" not in html
    html, count = _options(client, search, "torne")  # Torneå
    assert count == 1 and f'data-value="{tornio_org.pk}"' in html
    form = client.get(url).context["form"]
    data = {k: v for k, v in form.initial.items() if v not in (None, "")}
    data.update(roles=expert.roles, serves=[kemi_org.pk, 999999])
    assert client.post(url, data).status_code == 400
    data.update(serves=[kemi_org.pk], serves_text="tornio")
    response = client.post(url, data)
    assert response.status_code == 302, response.context["form"].errors
    assert set(expert.serves.all()) == {kemi_org, tornio_org}
