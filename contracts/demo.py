"""The two Länsi-Pohja service contracts of seed 002 (appendices 1 and 2) and their
invoices for the third quarter of 2026. Idempotent.

The seed prints no euro amounts (the figures are missing from the source), so the annual
costs and the state funding here are illustrative. The invoices of Q3/2026 are issued and
their PDF and Finvoice documents rendered synchronously, so the demo needs no worker.
"""

from datetime import date
from decimal import Decimal

from contracts import invoicing, services
from contracts.models import AgreedShare, Contract, ContractPeriod, Invoice, InvoicingRun
from fostercare.models import MemberOrganisation, User

# Appendix 1, section 6: "Kemi 34,6 %, Keminmaa 13,2%, Simo 5,6%, Tervola 5,6%, Tornio 33%
# ja Ylitornio 7,9%" - 99.9 % in all, used as weights.
SEED_PERCENTAGES = {
    "240": Decimal("34.6"),
    "241": Decimal("13.2"),
    "751": Decimal("5.6"),
    "845": Decimal("5.6"),
    "851": Decimal("33"),
    "976": Decimal("7.9"),
}
DEMO_IBAN = "FI2112345600000785"  # the banks' published example account, not a real one
DEMO_BIC = "NDEAFIHH"
DEMO_YEAR, DEMO_QUARTER = 2026, 3


def _contract(
    *, name: str, description: str, issuer: MemberOrganisation, producer_name: str = ""
) -> Contract:
    contract = Contract.objects.filter(name=name).first() or Contract(name=name)
    contract.description = description
    contract.issuer = issuer
    contract.issuer_iban = DEMO_IBAN
    contract.issuer_bic = DEMO_BIC
    contract.producer_name = producer_name
    contract.contact_name = "Fanni Talous"
    contract.contact_email = "laskutus@example.fi"
    members = MemberOrganisation.objects.filter(code__in=SEED_PERCENTAGES)
    return services.contract_save(contract=contract, members=members, by=None)


def _period(
    *,
    contract: Contract,
    annual_cost: Decimal,
    basis: str,
    population_reference_date: date | None = None,
    state_funding_amount: Decimal | None = None,
) -> ContractPeriod:
    starts_on = date(2025, 1, 1)
    period = ContractPeriod.objects.filter(contract=contract, starts_on=starts_on).first()
    period = period or ContractPeriod(contract=contract, starts_on=starts_on)
    period.ends_on = date(2026, 12, 31)
    period.annual_cost = annual_cost
    period.basis = basis
    period.population_reference_date = population_reference_date
    period.state_funding_amount = state_funding_amount
    period.state_funding_percent = None
    return services.contract_period_save(period=period, by=None)


def seed(stdout) -> None:
    tornio = MemberOrganisation.objects.get(code="851")
    specialist = _contract(
        name="Lastensuojelun erityispalveluiden seudullinen koordinaatio ja kehittäminen",
        description=(
            "Seudullinen erityissosiaalityöntekijä: työpari ja konsultti Länsi-Pohjan "
            "kunnissa (seed 002, liite 1). Tornio vastaa henkilöstö- ja taloushallinnosta "
            "ja laskuttaa muita sopimuskuntia neljännesvuosittain."
        ),
        issuer=tornio,
    )
    period = _period(
        contract=specialist,
        annual_cost=Decimal("64000.00"),
        basis=ContractPeriod.Basis.AGREED,
        state_funding_amount=Decimal("16000.00"),
    )
    for code, percentage in SEED_PERCENTAGES.items():
        member = MemberOrganisation.objects.get(code=code)
        share = AgreedShare.objects.filter(period=period, member=member).first()
        share = share or AgreedShare(period=period, member=member)
        share.percentage = percentage
        services.agreed_share_save(share=share, by=None)
    foster = _contract(
        name="Länsi-Pohjan sijais- ja tukiperhetyö",
        description=(
            "Sijais- ja tukiperhetyön sosiaalityöntekijän palvelut (seed 002, liite 2). "
            "Pelastakaa Lapset ry laskuttaa Torniota neljännesvuosittain; Tornio laskuttaa "
            "muita kuntia asukasluvun mukaan."
        ),
        issuer=tornio,
        producer_name="Pelastakaa Lapset ry",
    )
    _period(
        contract=foster,
        annual_cost=Decimal("72000.00"),
        basis=ContractPeriod.Basis.POPULATION,
        population_reference_date=date(2024, 12, 31),
    )

    if not InvoicingRun.objects.filter(year=DEMO_YEAR, quarter=DEMO_QUARTER).exists():
        run = InvoicingRun.objects.create(year=DEMO_YEAR, quarter=DEMO_QUARTER)
        invoicing.invoicing_run_execute(run_id=run.pk)
    finance = User.objects.get(username="finance")
    drafts = Invoice.objects.filter(
        year=DEMO_YEAR, quarter=DEMO_QUARTER, status=Invoice.Status.DRAFT
    )
    for invoice in drafts:
        services.invoice_issue(invoice=invoice, by=finance, queue_documents=False)
    for pk in Invoice.objects.filter(year=DEMO_YEAR, quarter=DEMO_QUARTER, pdf="").values_list(
        "pk", flat=True
    ):
        invoicing.invoice_documents_render(invoice_id=pk)
    stdout.write(
        f"Contracts: 2 service contracts, "
        f"{Invoice.objects.filter(year=DEMO_YEAR, quarter=DEMO_QUARTER).count()} invoices "
        f"for Q{DEMO_QUARTER}/{DEMO_YEAR}."
    )
