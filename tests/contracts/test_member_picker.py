"""The contract's parties are searched among the ~300 members and shown as checked boxes;
the administering member stays a native select (one of the parties, a name one knows)."""

import pytest
from django.urls import reverse

from contracts.models import Contract
from tests.contracts.test_contract_pages import _contract_data
from tests.fostercare.factories import MemberOrganisationFactory

pytestmark = pytest.mark.django_db
SEARCH = reverse("contracts:contract-member-search")
CREATE = reverse("contracts:contract-create")


def test_the_form_searches_the_parties_and_selects_the_administrator(
    client_for, finance_user, kemi_org
):
    html = client_for(finance_user).get(CREATE).content.decode()
    assert 'role="combobox"' in html and f'hx-get="{SEARCH}"' in html
    assert '<select name="issuer"' in html  # the administering member: a native select


def test_the_search_finds_members_by_finnish_or_swedish_name(client_for, finance_user, kemi_org):
    client = client_for(finance_user)
    html = client.get(SEARCH, {"q": "torne"}).content.decode()  # Torneå
    assert html.count('role="option"') == 1
    assert f'data-value="{finance_user.organisation_id}"' in html
    html = client.get(SEARCH, {"q": "kemi"}).content.decode()
    assert f'data-value="{kemi_org.pk}"' in html


def test_the_search_is_constant_in_queries(client_for, finance_user, django_assert_num_queries):
    client = client_for(finance_user)
    client.get(SEARCH, {"q": "warm"})
    # the session, the user and their permissions (4), 21 members, their count
    for n in (21, 40):
        for i in range(n):
            MemberOrganisationFactory(name_fi=f"Seutukunta {n}-{i}")
        with django_assert_num_queries(6):
            html = client.get(SEARCH, {"q": "seutukunta"}).content.decode()
    assert html.count('role="option"') == 20 and "20 of 61 matches shown" in html


def test_chosen_and_typed_parties_are_saved_and_an_unknown_id_refused(
    client_for, finance_user, kemi_org
):
    tornio = finance_user.organisation
    client = client_for(finance_user)
    data = _contract_data([tornio], tornio) | {"members": [tornio.pk, 999999]}
    assert client.post(CREATE, data).status_code == 400
    assert not Contract.objects.exists()
    data = _contract_data([tornio], tornio) | {"members_text": "kemi"}
    assert client.post(CREATE, data).status_code == 302
    assert set(Contract.objects.get().members.all()) == {kemi_org, tornio}


def test_the_admin_keeps_its_own_parties_widget(client_for, admin_user):
    html = client_for(admin_user).get(reverse("admin:contracts_contract_add")).content.decode()
    assert 'name="members"' in html and "selectfilter" in html
    assert 'role="combobox"' not in html
