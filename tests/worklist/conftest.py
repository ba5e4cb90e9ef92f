from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from contracts.models import Invoice
from families.models import Family


@pytest.fixture
def today() -> date:
    return timezone.localdate()


@pytest.fixture
def queue(client_for):
    """queue(user) -> {section key: [item keys, most urgent first]} from the front page."""

    def read(user):
        response = client_for(user).get(reverse("home"))
        assert response.status_code == 200
        return {
            view.section.key: [item.key for item in view.items]
            for view in response.context["queue"]
        }

    return read


@pytest.fixture
def items(client_for):
    """items(user) -> {item key: Item} of the user's front page."""

    def read(user):
        response = client_for(user).get(reverse("home"))
        assert response.status_code == 200
        return {item.key: item for view in response.context["queue"] for item in view.items}

    return read


def days_ago(days: int) -> date:
    return timezone.localdate() - timedelta(days=days)


def invoice(contract, period, member, **fields) -> Invoice:
    """An invoice written directly (the invoicing run is tested in tests/contracts)."""
    number = Invoice.objects.filter(issuer=contract.issuer).count() + 1
    values = {
        "issuer": contract.issuer,
        "number": number,
        "contract": contract,
        "period": period,
        "member": member,
        "year": 2025,
        "quarter": 1,
        "invoice_date": date(2025, 4, 1),
        "due_date": date(2025, 4, 22),
        "reference": "12345672",
        "vat_rate": Decimal("0"),
        "vat_note": "ALV 0 %",
        "amount_excluding_vat": Decimal("100.00"),
        "vat_amount": Decimal("0"),
        "total": Decimal("100.00"),
        "status": Invoice.Status.ISSUED,
    }
    values.update(fields)
    return Invoice.objects.create(**values)


AVAILABLE = {
    "status": Family.Status.APPROVED,
    "pre_service_training_completed_on": date(2020, 1, 1),
}


@pytest.fixture
def keys(items):
    """keys(user) -> every item key on the user's front page."""

    def read(user):
        return set(items(user))

    return read
