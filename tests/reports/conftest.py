"""The known small data set of the steering group's report: the seed's six-member
contract (agreed shares, 64,000 €/year, 16,000 € state funding) and, in Q1/2026
(90 days), placements, families, an inquiry, consultations, invoices and reference
costs whose every figure the tests work out by hand."""

from datetime import date, datetime

import pytest
from django.utils import timezone

from contracts import invoicing, services
from contracts.models import Invoice, InvoicingRun, QuarterActualCost
from families.models import Family, FamilyStatusChange, Provider
from placements.models import Placement, PlacementType
from reports.models import ReferenceDailyCost
from tests.contracts.factories import seed_contract
from tests.experts.factories import ConsultationFactory
from tests.families.factories import FamilyFactory, ProviderFactory
from tests.placements.factories import ChildFactory, PlacementFactory, PlacementRequestFactory
from training.models import Inquiry


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Rendered reports go to a temporary folder, not the shared media folder."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def _at(day: date):
    return timezone.make_aware(datetime(day.year, day.month, day.day, 12))


def _request(member, submitted_on: date, child):
    return PlacementRequestFactory(
        municipality=member, submitted_at=_at(submitted_on), children=[child]
    )


@pytest.fixture
def steering_data(db, finance_user):
    contract, period, members = seed_contract()
    kemi, tornio = members["240"], members["851"]

    # families: Kemi a foster (approved), a reception (active) and a support family
    # (inquiry, new in the quarter); Tornio a foster family trained and approved in it
    foster = FamilyFactory(home_municipality=kemi, kind=Family.Kind.FOSTER, places=2)
    reception = FamilyFactory(
        home_municipality=kemi, kind=Family.Kind.RECEPTION, status=Family.Status.ACTIVE, places=1
    )
    support = FamilyFactory(
        home_municipality=kemi, kind=Family.Kind.SUPPORT, status=Family.Status.INQUIRY
    )
    Inquiry.objects.create(
        family=support,
        language="fi",
        consent_given_at=_at(date(2026, 2, 10)),
        created_at=_at(date(2026, 2, 10)),
    )
    tornio_family = FamilyFactory(
        home_municipality=tornio, places=2, pre_service_training_completed_on=date(2026, 1, 20)
    )
    FamilyStatusChange.objects.create(
        family=tornio_family,
        from_status=Family.Status.ASSESSMENT,
        to_status=Family.Status.APPROVED,
        changed_at=_at(date(2026, 2, 1)),
    )
    home = ProviderFactory(kind=Provider.Kind.PROFESSIONAL_FAMILY_HOME, places=5)
    institution = ProviderFactory(kind=Provider.Kind.INSTITUTION, places=5)

    # placements; care days in Q1/2026 in the comments
    PlacementFactory(  # 90, Kemi, family care, started before the quarter
        child=ChildFactory(municipality=kemi), family=foster, started_on=date(2025, 12, 1)
    )
    child = ChildFactory(municipality=kemi)
    PlacementFactory(  # 20, Kemi, family care, emergency of 20 days; asked 3 days before
        child=child,
        family=reception,
        placement_type=PlacementType.EMERGENCY,
        started_on=date(2026, 2, 1),
        ended_on=date(2026, 2, 20),
        end_reason=Placement.EndReason.EMERGENCY_ENDED,
        request=_request(kemi, date(2026, 1, 29), child),
    )
    PlacementFactory(  # 45, Kemi, family care, emergency still going (over 30 days)
        child=ChildFactory(municipality=kemi),
        family=foster,
        placement_type=PlacementType.EMERGENCY,
        started_on=date(2026, 2, 15),
    )
    child = ChildFactory(municipality=tornio)
    PlacementFactory(  # 31, Tornio, institution; asked 10 days before
        child=child,
        family=None,
        provider=institution,
        started_on=date(2026, 3, 1),
        request=_request(tornio, date(2026, 2, 19), child),
    )
    child = ChildFactory(municipality=tornio)
    PlacementFactory(  # 10, Tornio, professional family home; asked 5 days before
        child=child,
        family=None,
        provider=home,
        started_on=date(2026, 1, 10),
        ended_on=date(2026, 1, 19),
        end_reason=Placement.EndReason.MOVED,
        request=_request(tornio, date(2026, 1, 5), child),
    )

    ConsultationFactory(municipality=kemi, held_on=date(2026, 1, 15), duration_minutes=30)
    ConsultationFactory(municipality=kemi, held_on=date(2026, 3, 31), duration_minutes=45)
    ConsultationFactory(municipality=kemi, held_on=date(2025, 12, 31), duration_minutes=60)
    ConsultationFactory(municipality=tornio, held_on=date(2026, 2, 2), duration_minutes=60)

    invoicing.invoicing_run_execute(run_id=InvoicingRun.objects.create(year=2026, quarter=1).pk)
    kemi_invoice = Invoice.objects.get(member=kemi, year=2026, quarter=1)
    services.invoice_issue(invoice=kemi_invoice, by=finance_user, queue_documents=False)
    services.invoice_change_status(
        invoice=kemi_invoice, to_status=Invoice.Status.PAID, by=finance_user
    )
    QuarterActualCost.objects.create(period=period, year=2026, quarter=1, amount=15000)

    for care_type, cost in [
        ("family_care", "42.00"),
        ("professional_family_home", "150.00"),
        ("institution", "300.00"),
    ]:
        ReferenceDailyCost.objects.create(year=2026, care_type=care_type, daily_cost=cost)
    return {
        "contract": contract,
        "period": period,
        "members": members,
        "kemi_invoice": kemi_invoice,
    }
