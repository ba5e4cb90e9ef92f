"""Usage figures (care days per member and period) are imported in the admin."""

import tablib

from contracts.admin import UsageFigureResource
from contracts.models import UsageFigure
from tests.contracts.factories import seed_contract


def _dataset(rows):
    return tablib.Dataset(*rows, headers=["period", "member_code", "care_days", "source"])


def test_usage_figures_import_and_update_by_period_and_member(db):
    _, period, _ = seed_contract()
    rows = [(period.pk, "240", 400, "Q1–Q4 2025"), (period.pk, "241", 150, "Q1–Q4 2025")]
    result = UsageFigureResource().import_data(_dataset(rows), dry_run=False)
    assert not result.has_errors() and not result.has_validation_errors()
    assert period.usage_figures.get(member__code="240").care_days == 400
    assert UsageFigure.objects.filter(period=period).count() == 6  # updated, not duplicated


def test_a_bad_row_imports_nothing(db):
    _, period, _ = seed_contract()
    before = list(UsageFigure.objects.values_list("pk", "care_days"))
    rows = [(period.pk, "240", 999, ""), (period.pk, "999", 10, ""), (period.pk, "241", -5, "")]
    result = UsageFigureResource().import_data(_dataset(rows), dry_run=False, use_transactions=True)
    assert result.has_errors() or result.has_validation_errors()
    assert list(UsageFigure.objects.values_list("pk", "care_days")) == before
