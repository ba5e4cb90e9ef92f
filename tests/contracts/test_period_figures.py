"""Finance edits a period's agreed shares and usage figures on the contract page (issue 9)."""

from decimal import Decimal
from html import unescape

import pytest
from django.urls import reverse

from contracts.models import AgreedShare, UsageFigure
from tests.contracts.factories import seed_contract
from tests.fostercare.factories import MemberOrganisationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded():
    return seed_contract()


def _url(name, period):
    return reverse(f"contracts:{name}", args=[period.contract_id, period.pk])


def test_finance_changes_a_members_agreed_share(seeded, client_for, finance_user):
    _contract, period, members = seeded
    data = {"member": members["240"].pk, "percentage": "40.5"}
    response = client_for(finance_user).post(_url("agreed-share-set", period), data, follow=True)
    assert response.status_code == 200
    assert AgreedShare.objects.get(period=period, member=members["240"]).percentage == Decimal(
        "40.5"
    )
    assert "The agreed share was saved." in unescape(response.content.decode())


def test_finance_changes_a_members_usage_figure(seeded, client_for, finance_user):
    _contract, period, members = seeded
    data = {"member": members["751"].pk, "care_days": 365, "source": "Kunnan raportti"}
    response = client_for(finance_user).post(_url("usage-figure-set", period), data)
    assert response.status_code == 302
    figure = UsageFigure.objects.get(period=period, member=members["751"])
    assert (figure.care_days, figure.source) == (365, "Kunnan raportti")


@pytest.mark.parametrize("percentage", ["-1", "100.5", "abc"])
def test_an_agreed_share_out_of_range_changes_nothing(percentage, seeded, client_for, finance_user):
    _contract, period, members = seeded
    before = list(AgreedShare.objects.values_list("member", "percentage"))
    response = client_for(finance_user).post(
        _url("agreed-share-set", period), {"member": members["240"].pk, "percentage": percentage}
    )
    assert response.status_code == 400
    assert list(AgreedShare.objects.values_list("member", "percentage")) == before


def test_a_member_that_is_not_a_party_is_refused(seeded, client_for, finance_user):
    _contract, period, _members = seeded
    outsider = MemberOrganisationFactory()
    client = client_for(finance_user)
    response = client.post(
        _url("usage-figure-set", period), {"member": outsider.pk, "care_days": 10}
    )
    assert response.status_code == 400
    assert not UsageFigure.objects.filter(member=outsider).exists()
    response = client.post(
        _url("agreed-share-set", period), {"member": outsider.pk, "percentage": "1"}
    )
    assert response.status_code == 400
    assert not AgreedShare.objects.filter(member=outsider).exists()


def test_shares_that_no_longer_add_up_are_warned_about_at_once(seeded, client_for, finance_user):
    _contract, period, members = seeded
    client = client_for(finance_user)
    data = {"member": members["240"].pk, "percentage": "40.6"}  # the seed's 99,9 % → 105,9 %
    text = unescape(
        client.post(_url("agreed-share-set", period), data, follow=True).content.decode()
    )
    assert "now add up to 105.9 %, not 100 %" in text
    data = {"member": members["240"].pk, "percentage": "34.7"}  # 100 %
    text = unescape(
        client.post(_url("agreed-share-set", period), data, follow=True).content.decode()
    )
    assert "now add up to" not in text
