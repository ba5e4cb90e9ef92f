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


def _contract(name: str, **fields) -> Contract:
    contract, _ = Contract.objects.update_or_create(name=name, defaults=fields)
    contract.members.set(MemberOrganisation.objects.filter(code__in=SEED_PERCENTAGES))
    return contract


def _period(contract: Contract, **fields) -> ContractPeriod:
    period, _ = ContractPeriod.objects.update_or_create(
        contract=contract, starts_on=date(2025, 1, 1), defaults=fields
    )
    period.full_clean()
    return period


def seed(stdout) -> None:
    tornio = MemberOrganisation.objects.get(code="851")
    specialist = _contract(
        "Lastensuojelun erityispalveluiden seudullinen koordinaatio ja kehittäminen",
        description=(
            "Seudullinen erityissosiaalityöntekijä: työpari ja konsultti Länsi-Pohjan "
            "kunnissa (seed 002, liite 1). Tornio vastaa henkilöstö- ja taloushallinnosta "
            "ja laskuttaa muita sopimuskuntia neljännesvuosittain."
        ),
        issuer=tornio,
        issuer_iban=DEMO_IBAN,
        issuer_bic=DEMO_BIC,
    )
    period = _period(
        specialist,
        ends_on=date(2026, 12, 31),
        annual_cost=Decimal("64000.00"),
        basis=ContractPeriod.Basis.AGREED,
        state_funding_amount=Decimal("16000.00"),
        state_funding_percent=None,
    )
    for code, percentage in SEED_PERCENTAGES.items():
        AgreedShare.objects.update_or_create(
            period=period,
            member=MemberOrganisation.objects.get(code=code),
            defaults={"percentage": percentage},
        )
    foster = _contract(
        "Länsi-Pohjan sijais- ja tukiperhetyö",
        description=(
            "Sijais- ja tukiperhetyön sosiaalityöntekijän palvelut (seed 002, liite 2). "
            "Pelastakaa Lapset ry laskuttaa Torniota neljännesvuosittain; Tornio laskuttaa "
            "muita kuntia asukasluvun mukaan."
        ),
        issuer=tornio,
        issuer_iban=DEMO_IBAN,
        issuer_bic=DEMO_BIC,
        producer_name="Pelastakaa Lapset ry",
    )
    _period(
        foster,
        ends_on=date(2026, 12, 31),
        annual_cost=Decimal("72000.00"),
        basis=ContractPeriod.Basis.POPULATION,
        population_reference_date=date(2024, 12, 31),
        state_funding_amount=None,
        state_funding_percent=None,
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
