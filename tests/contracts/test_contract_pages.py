"""Finance creates and edits contracts and their periods on the pages, through the
services, and sees who changed what on the contract page."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from contracts.models import Contract, ContractPeriod
from tests.contracts.factories import IBAN, seed_contract

pytestmark = pytest.mark.django_db


def _contract_data(members, issuer, **overrides):
    data = {
        "name": "Perheneuvonnan ostopalvelu",
        "members": [m.pk for m in members],
        "issuer": issuer.pk,
        "issuer_iban": IBAN,
        "issuer_bic": "NDEAFIHH",
        "producer_name": "Pelastakaa Lapset ry",
        "producer_business_id": "02096026",
        "remark_period_days": "14",
        "active": "on",
    }
    return {**data, **overrides}


def _period_data(**overrides):
    data = {
        "starts_on": "2027-01-01",
        "ends_on": "2027-12-31",
        "annual_cost": "40000.00",
        "basis": "agreed",
        "invoicing_timing": "advance",
        "state_funding_percent": "25",
        "payment_term_days": "21",
        "vat_rate": "0",
        "vat_note": "ALV 0 %",
    }
    return {**data, **overrides}


def test_finance_creates_a_contract_with_its_parties(client_for, finance_user, kemi_org):
    tornio = finance_user.organisation
    response = client_for(finance_user).post(
        reverse("contracts:contract-create"), _contract_data([kemi_org, tornio], tornio)
    )
    contract = Contract.objects.get(name="Perheneuvonnan ostopalvelu")
    assert response.status_code == 302
    assert response.url == reverse("contracts:period-create", args=[contract.pk])
    assert set(contract.members.all()) == {kemi_org, tornio}
    assert contract.issuer == tornio
    assert contract.producer_business_id == "0209602-6"  # stored canonical


def test_an_administrator_outside_the_parties_is_refused_and_nothing_is_saved(
    client_for, finance_user, kemi_org
):
    tornio = finance_user.organisation
    response = client_for(finance_user).post(
        reverse("contracts:contract-create"), _contract_data([kemi_org], tornio)
    )
    assert response.status_code == 400
    assert "The administering member must be one of the parties." in response.content.decode()
    assert not Contract.objects.exists()


def _history(client, contract) -> str:
    """The contract page's history section as it loads into the page (htmx), checked to
    be the same as its own page's (the section's link without JavaScript)."""
    page = client.get(reverse("contracts:contract-detail", args=[contract.pk])).content.decode()
    url = reverse("contracts:contract-history", args=[contract.pk])
    assert f'hx-get="{url}" hx-trigger="revealed"' in page and f'<a href="{url}">' in page
    section = client.get(url, HTTP_HX_REQUEST="true").content.decode()
    whole = client.get(url).content.decode()
    assert "<h1>History of changes: " in whole and section.strip() in whole
    assert "<html" not in section
    return section


def test_finance_edits_a_contract_and_the_history_says_who_changed_what(client_for, finance_user):
    contract, _period, members = seed_contract()
    client = client_for(finance_user)
    data = _contract_data(
        [m for code, m in members.items() if code != "976"], members["851"], name="Uusi nimi"
    )
    response = client.post(reverse("contracts:contract-edit", args=[contract.pk]), data)
    assert response.status_code == 302
    contract.refresh_from_db()
    assert contract.name == "Uusi nimi"
    assert contract.members.count() == 5

    history = _history(client, contract)
    assert f"{finance_user.get_full_name()}: Service contract – changed" in history
    assert "the system: Service contract – added" in history  # the factory: no request
    assert "Seudullinen erityissosiaalityö → Uusi nimi" in history
    assert "party removed" in history and "Ylitornio" in history


def test_finance_adds_a_period_with_its_basis_and_state_funding(client_for, finance_user):
    contract, _period, _members = seed_contract()
    response = client_for(finance_user).post(
        reverse("contracts:period-create", args=[contract.pk]), _period_data()
    )
    period = ContractPeriod.objects.get(contract=contract, starts_on=date(2027, 1, 1))
    assert response.status_code == 302
    assert period.basis == "agreed"
    assert period.invoicing_timing == "advance"
    assert period.state_funding_percent == Decimal("25")


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"starts_on": "2026-07-01"}, "overlaps another period"),
        ({"starts_on": "2027-02-01"}, "A period starts on the first day of a quarter."),
        ({"ends_on": "12027-12-31"}, "Enter a valid date."),
        ({"ends_on": "2999-12-31"}, "Enter a date between the years 2000 and 2100."),
        ({"state_funding_amount": "1000"}, "not both"),
        ({"basis": "population"}, "The population basis needs a reference date."),
        ({"annual_cost": "-1"}, "greater than or equal to 0"),
    ],
)
def test_a_bad_period_is_refused_with_its_reason_and_nothing_changes(
    client_for, finance_user, overrides, message
):
    contract, _period, _members = seed_contract()
    before = list(ContractPeriod.objects.values_list("pk", "starts_on", "ends_on", "basis"))
    response = client_for(finance_user).post(
        reverse("contracts:period-create", args=[contract.pk]), _period_data(**overrides)
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert list(ContractPeriod.objects.values_list("pk", "starts_on", "ends_on", "basis")) == (
        before
    )


def test_finance_edits_a_period(client_for, finance_user):
    contract, period, _members = seed_contract()
    data = _period_data(starts_on="2025-01-01", ends_on="2026-12-31", annual_cost="66000.00")
    response = client_for(finance_user).post(
        reverse("contracts:period-edit", args=[contract.pk, period.pk]), data
    )
    assert response.status_code == 302
    period.refresh_from_db()
    assert period.annual_cost == Decimal("66000.00")


def test_a_period_of_another_contract_is_404(client_for, finance_user):
    contract, period, _members = seed_contract()
    other = Contract.objects.create(
        name="Toinen", issuer=contract.issuer, issuer_iban=IBAN, issuer_bic="NDEAFIHH"
    )
    url = reverse("contracts:period-edit", args=[other.pk, period.pk])
    assert client_for(finance_user).get(url).status_code == 404


def test_the_history_records_the_admin_and_writes_that_bypass_the_orm(client_for, admin_user):
    contract, period, members = seed_contract()
    client = client_for(admin_user)
    response = client.post(
        reverse("admin:contracts_usagefigure_change", args=[period.usage_figures.first().pk]),
        {"period": period.pk, "member": members["240"].pk, "care_days": 999, "source": "x"},
    )
    assert response.status_code == 302
    # a bulk update sends no signal; the trigger records it all the same
    from contracts.models import AgreedShare

    AgreedShare.objects.filter(period=period, member=members["751"]).update(percentage="6.5")

    history = _history(client, contract)
    assert f"{admin_user.get_full_name() or admin_user.username}: Usage figure: Kemi" in history
    assert "999" in history
    assert "Agreed share: Simo – changed" in history and "5.6 → 6.5" in history


def test_a_removed_partys_share_no_longer_counts(client_for, finance_user):
    contract, _period, members = seed_contract()
    data = _contract_data(
        [m for code, m in members.items() if code != "976"],
        members["851"],
        name=contract.name,
    )
    client_for(finance_user).post(reverse("contracts:contract-edit", args=[contract.pk]), data)
    response = client_for(finance_user).get(
        reverse("contracts:contract-detail", args=[contract.pk])
    )
    table = response.context["table"]
    assert [row.member.code for row in table.rows if row.member.code == "976"] == []
    # the seed's 99,9 % less Ylitornio's 7,9 %
    assert "add up to 92 %" in response.content.decode()
