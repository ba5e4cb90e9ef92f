"""What the system writes into a request's timeline and a family's history is stored as a code
and shown in the reader's language (fostercare.stored_text); a person's own words stay as
typed, marked with their language."""

import re
from datetime import date

import pytest
from django.urls import reverse
from django.utils import formats, translation

from families.models import Family, FamilyStatusChange
from fostercare import stored_text
from placements import services
from placements.models import RequestEvent
from tests.placements.factories import ChildFactory
from training import services as training_services


def _finnish_system_texts() -> set[str]:
    """The fixed words of every registered system text, in Finnish."""
    parts = set()
    with translation.override("fi"):
        for code in stored_text.known_codes():
            rendered = stored_text._MESSAGES[code].template
            for part in re.split(r"%\([a-z_]+\)s", str(rendered)):
                if len(part.strip(" :,.")) > 3:
                    parts.add(part.strip(" :,."))
    return parts | {"Julkinen yhteydenottolomake"}


@pytest.fixture
def finnish_history(kemi_org, kemi_worker, unit_worker, available_family):
    """A whole placement and a public inquiry, written by people working in Finnish."""
    with translation.override("fi"):
        request = services.placement_request_create(
            by=kemi_worker,
            children=[ChildFactory(municipality=kemi_org)],
            placement_type="emergency",
            urgency="immediate",
            wished_start_on=date.today(),
        )
        family = available_family(kind=Family.Kind.RECEPTION, places=2)
        services.placement_request_submit(request=request, by=kemi_worker)
        services.placement_request_take(request=request, by=unit_worker)
        services.placement_request_share(request=request, by=unit_worker, with_user=unit_worker)
        proposals = services.placement_request_propose(
            request=request, by=unit_worker, family_ids=[family.pk]
        )
        services.proposal_accept(proposal=proposals[0], by=kemi_worker)
        services.placement_request_decide(
            request=request,
            by=kemi_worker,
            decision_on=date.today(),
            decision_maker="Liisa Lappalainen",
            decision_reference="LAPHA/2026/1",
        )
        services.placement_request_place(request=request, by=kemi_worker, started_on=date.today())
        withdrawn = services.placement_request_create(
            by=kemi_worker,
            children=[ChildFactory(municipality=kemi_org)],
            placement_type="emergency",
            urgency="immediate",
            wished_start_on=date.today(),
        )
        services.placement_request_withdraw(
            request=withdrawn, by=kemi_worker, reason="Lapsi jäi kotiin"
        )
        inquiry = training_services.inquiry_create(
            kind="foster",
            first_name="Aino",
            last_name="Aho",
            birth_year=1985,
            email="aino@example.fi",
            phone="040 123 4567",
            language="fi",
            notify=False,
        )
    return request, withdrawn, family, inquiry.family


def test_timeline_and_history_in_swedish_hold_no_finnish_system_text(
    client, unit_worker, finnish_history
):
    request, _withdrawn, family, inquiry_family = finnish_history
    client.force_login(unit_worker)
    client.cookies["django_language"] = "sv"
    pages = [
        client.get(reverse("placements:request-detail", args=[request.pk])).content.decode(),
        client.get(reverse("families:family-detail", args=[family.pk])).content.decode(),
        client.get(reverse("families:family-detail", args=[inquiry_family.pk])).content.decode(),
    ]
    for html in pages:
        found = [text for text in _finnish_system_texts() if text in html]
        assert not found, found
    timeline, history, inquiry_history = pages
    with translation.override("sv"):
        today = formats.date_format(date.today(), "SHORT_DATE_FORMAT")
    assert "Föreslagen: " in timeline or "Föreslagna: " in timeline
    assert f"Beslut {today} av Liisa Lappalainen, LAPHA/2026/1" in timeline
    assert "Tillagd i registret" in inquiry_history
    assert "Offentligt förfrågningsformulär" in inquiry_history
    assert f"Placeringsbegäran {request.pk}" in history


def test_a_persons_own_words_stay_as_typed_and_are_marked_with_their_language(
    client, kemi_worker, finnish_history
):
    _request, withdrawn, _family, _inquiry_family = finnish_history
    client.force_login(kemi_worker)
    client.cookies["django_language"] = "sv"
    html = client.get(reverse("placements:request-detail", args=[withdrawn.pk])).content.decode()
    assert '<span lang="fi">Lapsi jäi kotiin</span>' in html


def test_system_texts_are_stored_as_codes_not_as_words(finnish_history):
    request, *_ = finnish_history
    coded = RequestEvent.objects.filter(request=request).exclude(note_code="")
    assert set(coded.values_list("note_code", flat=True)) == {
        "placements.proposed",
        "placements.shared",
        "placements.decided",
    }
    assert not coded.exclude(note="").exists()
    added = FamilyStatusChange.objects.filter(reason_code="families.added")
    assert added.exists() and not added.exclude(reason="").exists()
