"""One way per job: the lists filter through django-filter, and a refused form or step
shows its errors in the form, on the page it was sent from (400), as the register does."""

import re
from datetime import date

from django.urls import reverse

from placements.models import PlacementRequest
from tests.placements.factories import PlacementFactory, PlacementRequestFactory

S = PlacementRequest.Status


def _alert(response) -> str:
    """The text of the page's error summary (templates/includes/error_summary.html)."""
    match = re.search(
        r'<div class="form-errors error-summary"[^>]*>(.*?)</div>', response.content.decode(), re.S
    )
    assert match, "no form errors shown"
    return re.sub(r"<[^>]+>", " ", match.group(1))


def test_request_list_filters_by_status_through_its_filterset(kemi_org, kemi_worker, client_for):
    submitted = PlacementRequestFactory(municipality=kemi_org, status=S.SUBMITTED)
    PlacementRequestFactory(municipality=kemi_org, status=S.DRAFT)
    client = client_for(kemi_worker)
    response = client.get(reverse("placements:request-list"), {"status": "submitted"})
    assert list(response.context["page"].object_list) == [submitted]
    assert response.context["filter"].form["status"].value() == "submitted"
    # a value that is no status is said so, not silently ignored
    response = client.get(reverse("placements:request-list"), {"status": "lost"})
    assert "Select a valid choice" in _alert(response)


def test_placement_list_shows_ended_placements_through_its_filterset(unit_worker, client_for):
    active = PlacementFactory()
    ended = PlacementFactory(ended_on=date.today(), end_reason="returned_home")
    client = client_for(unit_worker)
    page = client.get(reverse("placements:placement-list")).context["page"]
    assert list(page.object_list) == [active]
    response = client.get(reverse("placements:placement-list"), {"ended": "1"})
    assert set(response.context["page"].object_list) == {active, ended}
    assert "ended" in response.context["filter"].form.fields


def test_a_refused_step_shows_its_reason_in_the_form_not_as_a_message(
    kemi_request, kemi_worker, client_for
):
    response = client_for(kemi_worker).post(
        reverse("placements:request-withdraw", args=[kemi_request.pk]), {}
    )
    assert response.status_code == 400
    assert "This field is required." in response.content.decode()
    assert "<details open>" in response.content.decode()  # the withdraw form, opened
    assert not list(response.context["messages"])
    response = client_for(kemi_worker).post(
        reverse("placements:request-take", args=[kemi_request.pk])
    )
    assert "Only the foster-care unit may do this." in _alert(response)
    assert not list(response.context["messages"])


def test_proposing_nothing_shows_the_reason_on_the_matching_page(
    kemi_request, unit_worker, client_for
):
    PlacementRequest.objects.filter(pk=kemi_request.pk).update(status=S.IN_SEARCH)
    response = client_for(unit_worker).post(
        reverse("placements:request-propose", args=[kemi_request.pk]), {}
    )
    assert response.status_code == 400
    assert "Choose at least one family to propose." in _alert(response)
    assert "result" in response.context  # the matching page itself


def test_ending_a_placement_wrongly_shows_the_reason_on_the_list(unit_worker, client_for):
    placement = PlacementFactory()
    response = client_for(unit_worker).post(
        reverse("placements:placement-end", args=[placement.pk]),
        {"ended_on": "2000-01-01", "end_reason": "returned_home"},
    )
    assert response.status_code == 400
    assert "A placement cannot end before it starts." in _alert(response)
    placement.refresh_from_db()
    assert placement.ended_on is None
