"""The allocation table as the pages and the invoices show it: a row per member with its
figure, exact share, annual amounts and quarters, and totals that add up."""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from django.core.exceptions import ValidationError

from contracts.allocation import allocated
from contracts.models import RUN_PROBLEMS, ContractPeriod, run_problem_text
from fostercare.models import MemberOrganisation


@dataclass
class AllocationRow:
    member: MemberOrganisation
    basis_value: Decimal | int | None
    share: Fraction = Fraction(0)
    annual_before: Decimal = Decimal("0.00")
    state_funding: Decimal = Decimal("0.00")
    annual_after: Decimal = Decimal("0.00")
    quarters: list[Decimal] = field(default_factory=list)
    is_issuer: bool = False

    @property
    def basis_display(self) -> Decimal | int | None:
        """The basis figure without trailing zeros: 34.6 rather than 34.6000."""
        if isinstance(self.basis_value, Decimal):
            return self.basis_value.normalize()
        return self.basis_value

    @property
    def share_percent(self) -> Decimal:
        return (Decimal(self.share.numerator) * 100 / Decimal(self.share.denominator)).quantize(
            Decimal("0.0001"), ROUND_HALF_UP
        )


@dataclass
class AllocationTable:
    period: ContractPeriod
    basis: str
    rows: list[AllocationRow]
    annual_cost: Decimal
    state_funding: Decimal
    annual_after: Decimal
    basis_total: Decimal | int | None = None
    population_year: int | None = None
    warnings: list[str] = field(default_factory=list)
    # what keeps the shares from being calculated: (code of RUN_PROBLEMS, params)
    problems: list[tuple[str, dict]] = field(default_factory=list)

    @property
    def errors(self) -> list[str]:
        """The problems as sentences in the current language."""
        return [run_problem_text(code, params) for code, params in self.problems]

    def validation_error(self) -> ValidationError:
        return ValidationError(
            [ValidationError(RUN_PROBLEMS[c], code=c, params=p) for c, p in self.problems]
        )

    @property
    def basis_total_display(self) -> Decimal | int | None:
        if isinstance(self.basis_total, Decimal):
            return self.basis_total.normalize()
        return self.basis_total

    @property
    def basis_label(self) -> str:
        return ContractPeriod.Basis(self.basis).label

    @property
    def quarter_totals(self) -> list[Decimal]:
        return [sum((r.quarters[i] for r in self.rows), Decimal("0.00")) for i in range(4)]

    @property
    def annual_before_total(self) -> Decimal:
        return sum((r.annual_before for r in self.rows), Decimal("0.00"))

    @property
    def funding_total(self) -> Decimal:
        return sum((r.state_funding for r in self.rows), Decimal("0.00"))

    @property
    def annual_after_total(self) -> Decimal:
        return sum((r.annual_after for r in self.rows), Decimal("0.00"))

    def row_for(self, member_id: int) -> AllocationRow:
        # indexed once per list of rows: a run or a page asks for every member's row
        index = self.__dict__.get("_row_index")
        if index is None or index[0] is not self.rows:
            index = (self.rows, {r.member.pk: r for r in self.rows})
            self.__dict__["_row_index"] = index
        return index[1][member_id]

    @property
    def weights(self) -> dict[int, Decimal | int]:
        return {r.member.pk: r.basis_value for r in self.rows}

    def split(self, amount: Decimal) -> dict[int, Decimal]:
        """``amount`` split by the members' weights (``allocate``), by member id. Once per
        amount and list of rows: a page or a run asks every member's share of a quarter's
        actual cost, and a split of 300 members is not free."""
        splits = self.__dict__.get("_splits")
        if splits is None or splits[0] is not self.rows:
            splits = (self.rows, {})
            self.__dict__["_splits"] = splits
        if amount not in splits[1]:
            splits[1][amount] = allocated(amount, tuple(self.weights.items()))
        return splits[1][amount]
