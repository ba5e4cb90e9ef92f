"""The selects that list every member organisation read their choices from the shared
cache (fostercare.forms.OrganisationChoiceIterator): the next page shows a change at once,
in the reader's language, and a second page asks the database nothing about them."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from families.filters import FamilyFilter
from families.models import Family
from tests.fostercare.factories import MemberOrganisationFactory


def _municipality_select(client) -> str:
    html = client.get(reverse("families:family-list")).content.decode()
    start = html.index('name="home_municipality"')
    return html[start : html.index("</select>", start)]


def test_a_second_page_reads_the_organisations_from_the_cache(unit_worker, client_for, kemi_org):
    client = client_for(unit_worker)
    assert ">Kemi</option>" in _municipality_select(client)

    with CaptureQueriesContext(connection) as captured:
        assert ">Kemi</option>" in _municipality_select(client)

    assert not [q for q in captured if "fostercare_memberorganisation" in q["sql"]]


def test_an_added_renamed_or_deleted_organisation_shows_on_the_next_page(
    unit_worker, client_for, kemi_org
):
    client = client_for(unit_worker)
    _municipality_select(client)

    added = MemberOrganisationFactory(name_fi="Simo")
    kemi_org.name_fi = "Kemin kaupunki"
    kemi_org.save()
    select = _municipality_select(client)
    assert f'<option value="{added.pk}">Simo</option>' in select
    assert ">Kemin kaupunki</option>" in select and ">Kemi</option>" not in select

    added.delete()
    assert "Simo" not in _municipality_select(client)


def test_the_choices_are_named_in_the_readers_language(db, tornio_org):
    for language, name in (("fi", "Tornio"), ("sv", "Torneå"), ("fi", "Tornio")):
        with translation.override(language):
            choices = list(FamilyFilter(queryset=Family.objects.none()).form["home_municipality"])
            assert [c.choice_label for c in choices if c.data["value"] == tornio_org.pk] == [name]


def test_a_chosen_organisation_stays_chosen_and_filters(unit_worker, client_for, kemi_org):
    client = client_for(unit_worker)
    _municipality_select(client)  # cached

    response = client.get(reverse("families:family-list"), {"home_municipality": kemi_org.pk})

    html = response.content.decode()
    assert f'<option value="{kemi_org.pk}" selected>Kemi</option>' in html
    assert response.context["filter"].form.cleaned_data["home_municipality"] == kemi_org
