from datetime import date
from decimal import Decimal

import factory

from contracts import invoicing, tasks
from contracts.models import AgreedShare, Contract, ContractPeriod, IssuingRun, UsageFigure
from fostercare.models import PopulationFigure
from tests.fostercare.factories import MemberOrganisationFactory

# code, name, business ID, population 2024 (DOMAIN.md), seed 002 percentage
LANSI_POHJA = [
    ("240", "Kemi", "0209602-6", 19404, "34.6"),
    ("241", "Keminmaa", "0192914-5", 7691, "13.2"),
    ("751", "Simo", "0193140-5", 2778, "5.6"),
    ("845", "Tervola", "0193165-9", 2825, "5.6"),
    ("851", "Tornio", "0193193-1", 20959, "33"),
    ("976", "Ylitornio", "0996189-5", 3736, "7.9"),
]
IBAN = "FI2112345600000785"


def lansi_pohja_members() -> dict:
    """The six member municipalities with their 2024 populations, by code."""
    members = {}
    for code, name, business_id, population, _ in LANSI_POHJA:
        org = MemberOrganisationFactory(code=code, name_fi=name, business_id=business_id)
        # what e-invoices need, also on an organisation a fixture made first
        org.einvoice_address = f"0037{business_id.replace('-', '')}"
        org.einvoice_operator = "003721291126"
        org.street_address = "Valtakatu 1"
        org.postal_code = "95400"
        org.post_office = name.upper()
        org.save()
        PopulationFigure.objects.get_or_create(
            organisation=org, year=2024, defaults={"population": population}
        )
        members[code] = org
    return members


class ContractFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contract
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Palvelusopimus {n}")
    issuer = factory.SubFactory(MemberOrganisationFactory)
    issuer_iban = IBAN
    issuer_bic = "NDEAFIHH"

    @factory.post_generation
    def members(self, create, extracted, **kwargs):
        self.members.set(extracted or [self.issuer])


class ContractPeriodFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ContractPeriod

    contract = factory.SubFactory(ContractFactory)
    starts_on = date(2025, 1, 1)
    ends_on = date(2026, 12, 31)
    annual_cost = Decimal("64000.00")
    basis = ContractPeriod.Basis.POPULATION
    population_reference_date = date(2024, 12, 31)


def seed_contract(*, state_funding=Decimal("16000.00"), basis=ContractPeriod.Basis.AGREED):
    """The seed's six-member contract, administered by Tornio, with the printed shares."""
    members = lansi_pohja_members()
    contract = ContractFactory(
        name="Seudullinen erityissosiaalityö",
        issuer=members["851"],
        members=list(members.values()),
    )
    period = ContractPeriodFactory(
        contract=contract, basis=basis, state_funding_amount=state_funding
    )
    for code, *_, percentage in LANSI_POHJA:
        AgreedShare.objects.create(
            period=period, member=members[code], percentage=Decimal(percentage)
        )
    for i, code in enumerate(members):
        UsageFigure.objects.create(period=period, member=members[code], care_days=100 + 37 * i)
    return contract, period, members


def issue_drafts(*, year: int, quarter: int, by) -> IssuingRun:
    """Issue a quarter's drafts here and now, as the worker does once the page has queued
    the run (documents are queued on commit, which a test's transaction never reaches)."""
    run = IssuingRun.objects.create(year=year, quarter=quarter, started_by=by)
    return invoicing.issuing_run_execute(
        run_id=run.pk, queue_documents=tasks.invoice_documents_render.delay
    )
