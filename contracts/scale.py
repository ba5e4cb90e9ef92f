"""The national-scale data set: a service contract with every member organisation, shared
by population, and its invoices: one quarter issued, the next still drafts. Run through
``manage.py seed_scale``."""

from datetime import date
from decimal import Decimal

from contracts import invoicing, services
from contracts.demo import DEMO_BIC, DEMO_IBAN
from contracts.models import Contract, ContractPeriod, Invoice, InvoicingRun
from fostercare.models import MemberOrganisation, User
from fostercare.scale import Size

ISSUED_QUARTER = (2026, 1)
DRAFT_QUARTER = (2026, 2)


def seed(size: Size, stdout) -> None:
    finance = User.objects.get(username="finance")
    contract = services.contract_save(
        contract=Contract(
            name="Valtakunnallinen perhehoidon yhteistyösopimus",
            description="Kaikkien jäsenkuntien yhteinen sopimus, asukasluvun mukaan.",
            issuer=MemberOrganisation.objects.get(code="851"),
            issuer_iban=DEMO_IBAN,
            issuer_bic=DEMO_BIC,
            contact_name="Fanni Talous",
            contact_email="laskutus@example.fi",
        ),
        members=MemberOrganisation.objects.all(),
        by=None,
    )
    services.contract_period_save(
        period=ContractPeriod(
            contract=contract,
            starts_on=date(2025, 1, 1),
            ends_on=date(2026, 12, 31),
            annual_cost=Decimal("1200000.00"),
            basis=ContractPeriod.Basis.POPULATION,
            population_reference_date=date(2024, 12, 31),
        ),
        by=None,
    )
    for year, quarter in (ISSUED_QUARTER, DRAFT_QUARTER):
        run = InvoicingRun.objects.create(year=year, quarter=quarter)
        invoicing.invoicing_run_execute(run_id=run.pk)
    year, quarter = ISSUED_QUARTER
    # issued without their documents: rendering 300 PDFs belongs to the worker, not here
    drafts = Invoice.objects.filter(year=year, quarter=quarter, status=Invoice.Status.DRAFT)
    for invoice in drafts:
        services.invoice_issue(invoice=invoice, by=finance, queue_documents=False)
    stdout.write(
        f"Contracts: {contract.members.count()} members; {Invoice.objects.count()} invoices, "
        f"those of Q{quarter}/{year} issued."
    )
