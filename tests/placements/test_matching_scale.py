"""The matching page matches in the database: the same families, order and counts as
evaluating each family in Python, with only a page of them on the page."""

import random
import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils.translation import override

from families.models import Family, SpecialSkill
from placements import matching, services
from placements.models import PlacementRequest, PlacementType
from placements.selectors import placement_request_for_matching
from tests.families.factories import HouseholdMemberFactory
from tests.fostercare.factories import MemberOrganisationFactory
from tests.placements.factories import (
    ChildFactory,
    PlacementFactory,
    PlacementRequestFactory,
    years_ago,
)


@pytest.fixture
def mixed_register(kemi_org, available_family):
    """Families that break every rule in turn, and some that fit, near and far."""
    kemi_org.latitude, kemi_org.longitude = Decimal("65.73640"), Decimal("24.56370")
    kemi_org.save()
    far = MemberOrganisationFactory(latitude=Decimal("66.31890"), longitude=Decimal("23.67100"))
    trauma = SpecialSkill.objects.create(name_fi="Trauma", name_sv="Trauma sv", name_en="Trauma")
    rng = random.Random(11)
    for i in range(60):
        family = available_family(
            name=f"Perhe {i:02d}",
            kind=rng.choice(Family.Kind.values),
            status=rng.choice([Family.Status.APPROVED, Family.Status.ACTIVE, Family.Status.PAUSED]),
            home_municipality=rng.choice([kemi_org, far, None]),
            places=rng.randint(1, 3),
            age_min=rng.randint(0, 6),
            age_max=rng.randint(8, 17),
            siblings_accepted=rng.random() < 0.8,
            languages=rng.choice([["fi"], ["sv"], ["fi", "sv"]]),
            pre_service_training_completed_on=rng.choice(
                [years_ago(rng.randint(0, 9)), None, date.today() + timedelta(30)]
            ),
            home_study_approved_on=rng.choice([years_ago(1), years_ago(2), None]),
        )
        if rng.random() < 0.3:
            family.special_skills.add(trauma)
        if rng.random() < 0.2:
            family.carers.update(criminal_record_seen_on=None)
        if rng.random() < 0.3:
            HouseholdMemberFactory.create_batch(rng.randint(1, 4), family=family)
        if rng.random() < 0.2:
            PlacementFactory(family=family)
    return trauma


def _request(org, worker, ages, trauma, **fields):
    children = [
        ChildFactory(municipality=org, date_of_birth=years_ago(age), languages=["sv"])
        for age in ages
    ]
    children[0].needs.add(trauma)
    fields.setdefault("status", PlacementRequest.Status.IN_SEARCH)
    request = PlacementRequestFactory(
        municipality=org, created_by=worker, children=children, **fields
    )
    return placement_request_for_matching(worker).get(pk=request.pk)


@pytest.mark.parametrize(
    "fields",
    [
        {"ages": (7,)},
        {"ages": (9, 7, 4)},
        {"ages": (9, 4), "keep_siblings_together": False},
        {"ages": (3, 2), "placement_type": PlacementType.EMERGENCY, "urgency": "immediate"},
        {"ages": (12,), "placement_type": PlacementType.SUPPORT_FAMILY},
    ],
)
def test_the_database_matches_as_the_python_rules_do(fields, mixed_register, kemi_org, kemi_worker):
    request = _request(kemi_org, kemi_worker, trauma=mixed_register, **fields)
    children = list(request.children.all())
    expected = matching.match_families(request)

    counts = matching.exclusion_counts(request, children)
    assert counts.per_rule == expected.exclusions_per_rule
    assert counts.excluded == len(expected.excluded)
    assert counts.fitting == len(expected.ranked)

    ranked = matching.ranked_matches(request, children)
    assert [(m.family.pk, m.score) for m in ranked] == [
        (m.family.pk, m.score) for m in expected.ranked
    ]
    # the SQL score is the Python score
    scored = matching.scored_families(request, children)
    assert [f.score for f in scored] == [m.score for m in expected.ranked]
    page = matching.ranked_matches(request, children, offset=2, limit=3)
    assert [m.family for m in page] == [m.family for m in expected.ranked[2:5]]

    excluded = matching.excluded_matches(
        request, children, matching.excluded_families(request, children)
    )
    assert {m.family.pk: m.exclusion_reasons for m in excluded} == {
        m.family.pk: m.exclusion_reasons for m in expected.excluded
    }


def test_the_page_shows_the_best_families_and_show_more_adds_the_next(
    mixed_register, kemi_org, kemi_worker, unit_worker, client_for, settings, available_family
):
    settings.MATCHING_SHOWN = 2
    for i in range(5):
        available_family(name=f"Sopiva {i}")
    request = _request(kemi_org, kemi_worker, (7,), mixed_register)
    fitting = matching.exclusion_counts(request, list(request.children.all())).fitting
    client = client_for(unit_worker)
    url = reverse("placements:request-matching", args=[request.pk])
    page = client.get(url).content.decode()
    assert page.count('name="family"') == 2
    assert f"Showing 2 of {fitting} families that fit." in page
    more = reverse("placements:request-matching-more", args=[request.pk])
    assert f'hx-get="{more}?offset=2"' in page

    rows = client.get(more, {"offset": 2}, headers={"HX-Request": "true"}).content.decode()
    assert rows.count('name="family"') == 2
    assert '<td class="num">3</td>' in rows  # ranks go on from the page
    assert "autofocus" in rows  # focus moves to the first family shown
    assert f"Showing 4 of {fitting} families that fit." in rows
    assert f'hx-get="{more}?offset=4"' in rows

    # without JavaScript the link shows the page with more rows
    response = client.get(more, {"offset": 2})
    assert response.status_code == 302
    assert client.get(response.url).content.decode().count('name="family"') == 4


def test_the_excluded_families_come_a_page_at_a_time_with_their_reasons(
    mixed_register, kemi_org, kemi_worker, unit_worker, client_for
):
    request = _request(kemi_org, kemi_worker, (7,), mixed_register)
    expected = matching.match_families(request).excluded
    client = client_for(unit_worker)
    url = reverse("placements:request-matching-excluded", args=[request.pk])
    page = client.get(url).content.decode()
    names = re.findall(r"<li><strong>([^<]+)</strong>", page)
    assert (
        names == [m.family.display_name for m in sorted(expected, key=lambda m: m.family.name)][:25]
    )
    assert "Page 1 of" in page or len(expected) <= 25
    fragment = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert "<html" not in fragment and names[0] in fragment


def test_proposal_reasons_are_shown_in_the_readers_language(
    mixed_register, kemi_org, kemi_worker, unit_worker, client_for, available_family
):
    kemi_org.name_sv = "Kemi sv"
    kemi_org.save()
    family = available_family(
        name="Sopiva",
        languages=["sv"],
        home_municipality=kemi_org,
        pre_service_training_completed_on=years_ago(3),
    )
    family.special_skills.add(mixed_register)
    request = _request(kemi_org, kemi_worker, (9, 7), mixed_register, keep_siblings_together=False)
    with override("fi"):
        services.placement_request_propose(request=request, by=unit_worker, family_ids=[family.pk])
    proposal = request.proposals.get()
    assert {reason["code"] for reason in proposal.reason_codes} >= {"distance", "skills"}

    client = client_for(kemi_worker)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "sv"
    page = client.get(reverse("placements:request-detail", args=[request.pk])).content.decode()
    cell = re.search(r'id="proposals".*?</table>', page, re.S).group(0)
    with override("fi"):
        finnish = proposal.reasons
    with override("sv"):
        swedish = proposal.reasons
    assert swedish in cell
    assert "Kemi sv" in swedish and "Trauma sv" in swedish
    for finnish_part in finnish.split("; "):
        assert finnish_part not in cell
    for word in ("kunnasta", "puhuu", "erityisosaaminen", "valmennuksesta", "sisarukset"):
        assert word not in cell


def test_reasons_written_as_text_are_read_as_codes():
    from placements.reasons import parse, render_all

    codes = parse(
        "7,3 km kunnasta Kemi (+29); puhuu lasten kieltä (+20); "
        "erityisosaaminen: Nuoret (+10); 4 vuotta valmennuksesta (+4); käsin kirjoitettu"
    )
    assert [c["code"] for c in codes] == ["distance", "language", "skills", "experience", "text"]
    assert codes[0] == {"code": "distance", "points": 29, "km": "7.3", "place": {"fi": "Kemi"}}
    with override("en"):
        assert render_all(codes)[:2] == [
            "7.3 km from Kemi (+29)",
            "speaks the children's language (+20)",
        ]
    assert render_all(codes)[-1] == "käsin kirjoitettu"
