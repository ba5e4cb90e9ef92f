"""Searching the registers, and the consent rule: a withdrawn expert is in no search,
list, choice or export, and only the admin shows them, marked withdrawn."""

from datetime import date

import pytest
from django.urls import reverse
from django.utils import translation

from experts.admin import ExpertResource
from experts.models import Expert, ExpertRole
from tests.experts.factories import ExpertFactory, ExpertiseAreaFactory


@pytest.fixture
def conveners(kemi_org, tornio_org):
    area = ExpertiseAreaFactory(name_fi="Läheisneuvonpito", name_sv="Släktrådslag")
    swedish = ExpertFactory(
        name="Linnea Forsström",
        roles=[ExpertRole.CONVENER],
        convener_trained_on=date(2023, 5, 12),
        languages=["sv", "fi"],
        serves=[tornio_org],
        expertise=[area],
    )
    finnish = ExpertFactory(
        name="Pirjo Väisänen",
        roles=[ExpertRole.CONVENER, ExpertRole.MENTOR],
        convener_trained_on=date(2021, 11, 3),
        serves=[kemi_org],
        expertise=[area],
    )
    supervisor = ExpertFactory(
        name="Matti Keskitalo",
        roles=[ExpertRole.WORK_SUPERVISOR],
        languages=["sv", "fi"],
        serves=[tornio_org, kemi_org],
    )
    return swedish, finnish, supervisor


def _names(client, **params):
    response = client.get(reverse("experts:expert-list"), params)
    assert response.status_code == 200
    return [e.name for e in response.context["page"].object_list]


def test_search_by_role_language_and_area(client_for, kemi_worker, tornio_org, conveners):
    client = client_for(kemi_worker)
    assert _names(client, role="convener") == ["Linnea Forsström", "Pirjo Väisänen"]
    assert _names(client, language="sv") == ["Linnea Forsström", "Matti Keskitalo"]
    assert _names(client, role="convener", language="sv", serves=tornio_org.pk) == [
        "Linnea Forsström"
    ]
    assert _names(client, role="mentor") == ["Pirjo Väisänen"]


def test_search_by_expertise_and_name(client_for, unit_worker, conveners):
    client = client_for(unit_worker)
    area = conveners[0].expertise.get()
    assert _names(client, expertise=area.pk) == ["Linnea Forsström", "Pirjo Väisänen"]
    assert _names(client, q="keski") == ["Matti Keskitalo"]


def test_expertise_is_shown_in_the_readers_language(client_for, unit_worker, conveners):
    client = client_for(unit_worker)
    url = reverse("experts:expert-detail", args=[conveners[0].pk])
    with translation.override("sv"):
        client.defaults["HTTP_ACCEPT_LANGUAGE"] = "sv"
        assert "Släktrådslag" in client.get(url).content.decode()
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "fi"
    assert "Läheisneuvonpito" in client.get(url).content.decode()


def test_unavailable_experts_can_be_left_out(client_for, unit_worker, conveners):
    Expert.objects.filter(name="Pirjo Väisänen").update(available=False)
    assert _names(client_for(unit_worker), role="convener", available="on") == ["Linnea Forsström"]


def test_unit_only_consent_keeps_the_expert_from_municipal_workers(
    client_for, unit_worker, kemi_worker, conveners
):
    Expert.objects.filter(name="Matti Keskitalo").update(consent_scope=Expert.ConsentScope.UNIT)
    assert "Matti Keskitalo" in _names(client_for(unit_worker))
    assert "Matti Keskitalo" not in _names(client_for(kemi_worker))
    url = reverse("experts:expert-detail", args=[conveners[2].pk])
    assert client_for(kemi_worker).get(url).status_code == 404


def test_withdrawn_expert_disappears_from_searches_pages_and_exports(
    client_for, unit_worker, kemi_worker, admin_user, conveners
):
    swedish = conveners[0]
    client = client_for(unit_worker)
    form = client.get(reverse("experts:expert-update", args=[swedish.pk])).context["form"]
    data = {k: v for k, v in form.initial.items() if v not in (None, "")}
    data.update(
        roles=swedish.roles,
        languages=swedish.languages,
        expertise=[a.pk for a in swedish.expertise.all()],
        serves=[o.pk for o in swedish.serves.all()],
        consent_given_on="2024-01-15",
        convener_trained_on="2023-05-12",
        consent_withdrawn_on=date.today().isoformat(),
    )
    response = client.post(reverse("experts:expert-update", args=[swedish.pk]), data)
    assert response.status_code == 302, response.context["form"].errors

    for user in (unit_worker, kemi_worker):
        client = client_for(user)
        assert "Linnea Forsström" not in _names(client)
        assert "Linnea Forsström" not in _names(client, role="convener", language="sv")
        url = reverse("experts:expert-detail", args=[swedish.pk])
        assert client.get(url).status_code == 404
    choices = client_for(unit_worker).get(reverse("experts:consultation-create"))
    assert "Linnea Forsström" not in choices.content.decode()

    exported = ExpertResource().export(Expert.objects.all())
    assert "Linnea Forsström" not in exported.csv
    assert "Pirjo Väisänen" in exported.csv

    # the admin still lists them, marked withdrawn, but its export leaves them out
    admin = client_for(admin_user)
    listing = admin.get(reverse("admin:experts_expert_changelist")).content.decode()
    assert "Linnea Forsström" in listing
    assert "Withdrawn on" in listing
    assert "Family group conference convener" in listing
    response = admin.post(
        reverse("admin:experts_expert_export"),
        {
            "format": "0",
            "resource": "0",
            **{f"expertresource_{f}": "on" for f in ("name", "roles")},
        },
    )
    body = response.content.decode()
    assert "Pirjo Väisänen" in body
    assert "Linnea Forsström" not in body


def test_withdrawal_cannot_come_before_the_consent(unit_worker):
    from django.core.exceptions import ValidationError

    from experts import services

    expert = ExpertFactory.build(consent_given_on=date(2024, 1, 15))
    expert.consent_withdrawn_on = date(2023, 1, 1)
    with pytest.raises(ValidationError) as error:
        services.expert_save(expert=expert, by=unit_worker)
    assert "consent_withdrawn_on" in error.value.error_dict


def test_a_convener_needs_the_convener_training(unit_worker):
    from django.core.exceptions import ValidationError

    from experts import services

    expert = ExpertFactory.build(roles=[ExpertRole.CONVENER])
    with pytest.raises(ValidationError) as error:
        services.expert_save(expert=expert, by=unit_worker)
    assert "convener_trained_on" in error.value.error_dict


def test_htmx_search_answers_with_the_results_only(client_for, kemi_worker, conveners):
    response = client_for(kemi_worker).get(
        reverse("experts:expert-list"), {"language": "sv"}, HTTP_HX_REQUEST="true"
    )
    body = response.content.decode()
    assert response.templates[0].name == "experts/_expert_results.html"
    assert "<html" not in body
    assert "Linnea Forsström" in body
    assert "Pirjo Väisänen" not in body
