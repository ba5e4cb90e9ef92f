"""A year always adds up, whatever the order of its runs.

The invariant: for each contract, member and period-year, the live invoices (issued and
draft invoices, less credit notes) never carry more than the member's share of the year
as the figures stand when the invoicing service writes, and once every quarter of the
year is invoiced they carry exactly that share.
"""

from datetime import date
from decimal import Decimal

import pytest
from django.db.models import Sum
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from contracts import invoicing, selectors, services, shares
from contracts.models import AgreedShare, Invoice, InvoicingRun
from tests.contracts.factories import issue_drafts, seed_contract

pytestmark = pytest.mark.django_db


def _run(year, quarter):
    run = InvoicingRun.objects.create(year=year, quarter=quarter)
    return invoicing.invoicing_run_execute(run_id=run.pk)


def _issue_all(year, quarter, by):
    issue_drafts(year=year, quarter=quarter, by=by)


def _live(member, year):
    """What the member's invoices of the year carry: credited invoices and their credit
    notes cancel out, so summing every row is the same as summing the live invoices."""
    total = Invoice.objects.filter(member=member, year=year).aggregate(
        s=Sum("amount_excluding_vat")
    )
    return total["s"] or Decimal("0.00")


def _year_share(*, period, member_id, year):
    """The member's share of the period-year as the figures stand now."""
    period = selectors.contract_period_for_quarter(contract=period.contract, year=year, quarter=1)
    table = selectors.allocation_table(period)
    return shares.year_share(period=period, table=table, member_id=member_id, year=year)


def test_running_an_earlier_quarter_after_the_last_bills_only_what_is_still_due(finance_user):
    """The finding: Q3 issued, then Q4 (which makes up for Q1 and Q2), then Q2."""
    _contract, period, members = seed_contract()
    keminmaa = members["241"]
    _run(2026, 3)
    _issue_all(2026, 3, finance_user)
    _run(2026, 4)
    _issue_all(2026, 4, finance_user)
    annual = selectors.allocation_table(period).row_for(keminmaa.pk).annual_after
    assert _live(keminmaa, 2026) == annual

    q4 = Invoice.objects.get(member=keminmaa, year=2026, quarter=4)
    lines = [(line.description, line.amount) for line in q4.lines.order_by("position")]
    texts = " | ".join(text for text, _amount in lines)
    assert "Q1–Q2/2026 ei laskutettu aiemmin" in texts, texts
    assert "muuttuivat" not in texts  # no share changed
    assert sum(amount for _text, amount in lines if amount is not None) == q4.amount_excluding_vat

    run = _run(2026, 2)
    assert run.invoices_created == 0
    assert not Invoice.objects.filter(member=keminmaa, year=2026, quarter=2).exists()
    assert _live(keminmaa, 2026) == annual
    assert any(note["member"] == "Keminmaa" for note in run.nothing_due), run.nothing_due


def test_run_page_says_plainly_that_nothing_was_due(finance_user, client_for):
    seed_contract()
    _run(2026, 4)
    run = _run(2026, 2)
    response = client_for(finance_user).get(f"/contracts/runs/{run.pk}/")
    assert "Nothing more is due for Keminmaa" in response.content.decode()


def test_a_share_change_after_invoicing_is_named_as_such(finance_user):
    _contract, period, members = seed_contract()
    for quarter in (1, 2, 3):
        _run(2025, quarter)
        _issue_all(2025, quarter, finance_user)
    AgreedShare.objects.filter(period=period, member=members["241"]).update(percentage="20")
    _run(2025, 4)
    q4 = Invoice.objects.get(member=members["241"], year=2025, quarter=4)
    texts = " | ".join(q4.lines.values_list("description", flat=True))
    assert "osuudet muuttuivat laskutuksen jälkeen" in texts
    assert "ei laskutettu aiemmin" not in texts
    assert _live(members["241"], 2025) == _year_share(
        period=period, member_id=members["241"].pk, year=2025
    )


# --- the property: every order, shares changing, credit notes in between ------------------

step = st.tuples(
    st.sampled_from(["none", "change", "issue", "credit", "issue_credit"]),
    st.decimals(min_value=1, max_value=60, places=1),
)


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(order=st.permutations([1, 2, 3, 4]), steps=st.lists(step, min_size=4, max_size=4))
def test_a_year_adds_up_whatever_the_order(order, steps, finance_user):
    Invoice.objects.filter(kind="credit_note").delete()
    Invoice.objects.all().delete()
    AgreedShare.objects.all().delete()
    from contracts.models import Contract

    Contract.objects.all().delete()
    _contract, period, members = seed_contract()
    invoiced = [m for code, m in members.items() if code != "851"]

    def check_at_most_the_share():
        for member in invoiced:
            annual = _year_share(period=period, member_id=member.pk, year=2025)
            assert _live(member, 2025) <= annual, (member, order, steps)

    for quarter, (action, percentage) in zip(order, steps, strict=True):
        if action == "change":  # the steering group agrees new shares between runs
            AgreedShare.objects.filter(period=period, member=members["241"]).update(
                percentage=percentage
            )
        _run(2025, quarter)
        check_at_most_the_share()
        if action in ("issue", "credit", "issue_credit"):
            _issue_all(2025, quarter, finance_user)
        if action in ("credit", "issue_credit"):
            live = Invoice.objects.filter(
                year=2025, kind="invoice", status="issued", member=members["241"]
            ).first()
            if live is not None:
                services.invoice_credit(invoice=live, by=finance_user)
            check_at_most_the_share()
    # a credited quarter is run again, as the credit note's message tells finance to
    for quarter in order:
        _run(2025, quarter)
        check_at_most_the_share()
    for member in invoiced:
        annual = _year_share(period=period, member_id=member.pk, year=2025)
        assert _live(member, 2025) == annual, (member, order, steps)


# --- a quarter that has not ended ---------------------------------------------------------


def test_a_quarter_not_ended_runs_only_with_a_confirmation(monkeypatch, client_for, finance_user):
    _contract, period, _members = seed_contract()
    monkeypatch.setattr(services.timezone, "localdate", lambda: date(2026, 12, 1))
    client = client_for(finance_user)
    response = client.post("/contracts/runs/", {"year": 2026, "quarter": 4})
    assert response.status_code == 400
    assert "Q4/2026 has not ended yet" in response.content.decode()
    assert not InvoicingRun.objects.exists()
    response = client.post("/contracts/runs/", {"year": 2026, "quarter": 4, "confirm_early": "on"})
    assert response.status_code == 302
    # a period invoiced in advance may run from the quarter's first day
    period.invoicing_timing = period.Timing.ADVANCE
    period.save()
    response = client.post("/contracts/runs/", {"year": 2026, "quarter": 4})
    assert response.status_code == 302
