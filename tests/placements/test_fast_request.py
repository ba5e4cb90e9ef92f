"""A fast request: children added in place, sent at once, the unit filing for a
municipality; the list's titles, names, ages and filters."""

from datetime import date, timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from fostercare.worklist import worklist_for
from placements.models import Child, PlacementRequest, RequestEvent
from placements.worklist import SECTION_WAITING_FOR_PAIR
from tests.placements.factories import ChildFactory, PlacementFactory, PlacementRequestFactory

URL = reverse("placements:request-create")


def _rows(*children):
    data = {"new_child-TOTAL_FORMS": str(len(children)), "new_child-INITIAL_FORMS": "0"}
    for i, (first, last, born) in enumerate(children):
        data |= {
            f"new_child-{i}-first_name": first,
            f"new_child-{i}-last_name": last,
            f"new_child-{i}-date_of_birth": born,
        }
    return data


def _emergency(**fields):
    return {
        "placement_type": "emergency",
        "urgency": "immediate",
        "wished_start_on": date.today().isoformat(),
        "keep_siblings_together": "on",
        **fields,
    }


def test_siblings_added_in_place_are_sent_at_once_and_reach_the_unit(
    kemi_org, kemi_worker, unit_worker, client_for, django_capture_on_commit_callbacks
):
    data = _emergency(send="1") | _rows(
        ("Aino", "Kivi", "2019-03-04"), ("Eino", "Kivi", "2021-05-06")
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(kemi_worker).post(URL, data)
    assert response.status_code == 302
    request = PlacementRequest.objects.get()
    assert request.status == PlacementRequest.Status.SUBMITTED
    aino, eino = sorted(request.children.all(), key=lambda c: c.first_name)
    assert (aino.municipality, eino.municipality) == (kemi_org, kemi_org)
    assert list(aino.siblings.all()) == [eino]
    # the e-mail to the unit, after the commit
    assert [m.to for m in mail.outbox] == [["sijaishuolto@localhost"]]
    # and the unit's work queue at once, among the critical ones
    sections = {view.section.key: view for view in worklist_for(unit_worker)}
    items = sections[SECTION_WAITING_FOR_PAIR].items
    assert [item.key for item in items] == [f"placements.request:{request.pk}"]
    assert items[0].level.name == "CRITICAL"


def test_save_draft_still_saves_a_draft(kemi_worker, client_for):
    data = _emergency() | _rows(("Aino", "Kivi", "2019-03-04"))
    assert client_for(kemi_worker).post(URL, data).status_code == 302
    assert PlacementRequest.objects.get().status == PlacementRequest.Status.DRAFT


def test_add_another_child_gives_one_more_row_without_errors_or_saving(kemi_worker, client_for):
    data = _rows(("Aino", "Kivi", "2019-03-04")) | {"add_child": "1"}
    response = client_for(kemi_worker).post(URL, data)
    assert response.status_code == 200
    assert len(response.context["new_children"].forms) == 2
    html = response.content.decode()
    assert 'value="Aino"' in html and "This field is required" not in html
    assert not Child.objects.exists() and not PlacementRequest.objects.exists()


def test_picker_offers_only_children_without_an_active_placement(kemi_org, kemi_worker, client_for):
    free = ChildFactory(municipality=kemi_org)
    placed = ChildFactory(municipality=kemi_org)
    PlacementFactory(child=placed)
    ended = ChildFactory(municipality=kemi_org)
    PlacementFactory(child=ended, ended_on=date.today(), end_reason="returned_home")
    offered = client_for(kemi_worker).get(URL).context["form"].fields["children"].queryset
    assert set(offered) == {free, ended}


def test_a_placed_child_is_refused_and_no_new_child_is_left_behind(
    kemi_org, kemi_worker, client_for
):
    placed = ChildFactory(municipality=kemi_org)
    PlacementFactory(child=placed)
    from placements import services

    with pytest.raises(Exception, match="already placed"):
        services.placement_request_create(
            by=kemi_worker,
            children=[placed],
            new_children=[Child(first_name="Uusi", last_name="L", date_of_birth=date(2020, 1, 1))],
            placement_type="emergency",
            urgency="immediate",
            wished_start_on=date.today(),
        )
    assert not Child.objects.filter(first_name="Uusi").exists()
    assert not PlacementRequest.objects.exists()


def test_a_request_without_children_is_refused(kemi_worker, client_for):
    response = client_for(kemi_worker).post(URL, _emergency(send="1") | _rows())
    assert response.status_code == 400
    assert "Choose at least one child" in response.content.decode()
    assert not PlacementRequest.objects.exists()


def test_the_unit_files_a_request_phoned_in_by_a_municipality(
    kemi_org, kemi_worker, unit_worker, client_for, django_capture_on_commit_callbacks
):
    data = _emergency(send="1", municipality=kemi_org.pk, phoned_in_by="Sanna Sosiaali")
    data |= _rows(("Aino", "Kivi", "2019-03-04"))
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(unit_worker).post(URL, data)
    assert response.status_code == 302
    request = PlacementRequest.objects.get()
    assert (request.municipality, request.filed_by_unit, request.phoned_in_by) == (
        kemi_org,
        True,
        "Sanna Sosiaali",
    )
    assert request.status == PlacementRequest.Status.SUBMITTED
    assert request.children.get().municipality == kemi_org
    created = RequestEvent.objects.filter(request=request).order_by("pk").first()
    assert "Filed by the foster-care unit for Kemi, asked by Sanna Sosiaali" in created.note
    # the municipality sees it and takes its steps as its own
    page = client_for(kemi_worker).get(reverse("placements:request-detail", args=[request.pk]))
    assert page.status_code == 200
    assert "on the municipality's behalf, asked by Sanna Sosiaali" in page.content.decode()


def test_the_unit_must_name_who_phoned_the_request_in(kemi_org, unit_worker, client_for):
    data = _emergency(municipality=kemi_org.pk) | _rows(("Aino", "Kivi", "2019-03-04"))
    response = client_for(unit_worker).post(URL, data)
    assert response.status_code == 400
    assert not Child.objects.exists() and not PlacementRequest.objects.exists()


def test_a_municipal_worker_cannot_file_for_another_municipality(
    kemi_worker, tornio_org, client_for
):
    data = _emergency(send="1", municipality=tornio_org.pk, phoned_in_by="X")
    data |= _rows(("Aino", "Kivi", "2019-03-04"))
    assert client_for(kemi_worker).post(URL, data).status_code == 302
    assert PlacementRequest.objects.get().municipality != tornio_org  # the field is ignored


def test_request_title_is_readable_and_names_no_identity_code(kemi_org, kemi_worker):
    today = timezone.localdate()
    aino = ChildFactory(
        municipality=kemi_org,
        first_name="Aino",
        last_name="Kivi",
        date_of_birth=today.replace(year=today.year - 7) - timedelta(days=1),
    )
    eino = ChildFactory(
        municipality=kemi_org, first_name="Eino", date_of_birth=today - timedelta(days=800)
    )
    request = PlacementRequestFactory(
        municipality=kemi_org,
        created_by=kemi_worker,
        children=[aino, eino],
        placement_type="emergency",
    )
    assert request.title == "Emergency placement: Aino K. (7 y) and 1 sibling – Kemi"


def test_list_shows_names_age_and_filters_by_municipality_urgency_status_and_pair(
    kemi_org, tornio_org, kemi_worker, unit_worker, client_for
):
    kemi = PlacementRequestFactory(
        municipality=kemi_org,
        created_by=kemi_worker,
        children=[ChildFactory(municipality=kemi_org, first_name="Aino")],
        urgency="immediate",
        placement_type="emergency",
        status="in_search",
        unit_worker=unit_worker,
        submitted_at=timezone.now() - timedelta(days=3),
    )
    tornio = PlacementRequestFactory(
        municipality=tornio_org,
        children=[ChildFactory(municipality=tornio_org, first_name="Topi")],
        status="submitted",
    )
    client = client_for(unit_worker)
    url = reverse("placements:request-list")
    response = client.get(url)
    html = response.content.decode()
    assert "Aino" in html and "Topi" in html and "3 days" in html

    def listed(**query):
        return list(client.get(url, query).context["page"].object_list)

    assert listed(municipality=kemi_org.pk) == [kemi]
    assert listed(urgency="immediate") == [kemi]
    assert listed(status="submitted") == [tornio]
    assert listed(unit_worker=unit_worker.pk) == [kemi]
    # a municipal worker's municipality filter offers only their own
    offered = client_for(kemi_worker).get(url).context["filter"].form.fields["municipality"]
    assert list(offered.queryset) == [kemi_org]
