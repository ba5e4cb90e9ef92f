from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal

import pghistory
from django.conf import settings
from django.contrib.postgres.constraints import ExclusionConstraint
from django.contrib.postgres.fields import ArrayField, DateRangeField, RangeOperators
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from stdnum import bic as stdnum_bic
from stdnum import iban as stdnum_iban

from contracts.allocation import CENT
from contracts.quarters import (
    quarter_first_day,
    quarter_last_day,
    quarter_of,
    validate_year,
    year_in_range,
)
from fostercare.access import RestrictedQuerySet
from fostercare.models import ChoiceLabels, MemberOrganisation
from fostercare.validators import business_id_canonical, validate_business_id

QUARTER_CHOICES = [(1, "Q1"), (2, "Q2"), (3, "Q3"), (4, "Q4")]


# The history of a contract's figures (who changed what, shown on the contract page) is
# written by database triggers, so no door — page, admin, import, shell — can skip it.
def figure_events() -> tuple:
    # fresh trackers for each model: a tracker remembers the model it is bound to
    return (pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())


def validate_iban(value: str) -> None:
    if not stdnum_iban.is_valid(value):
        raise ValidationError(_("Enter a valid IBAN, e.g. FI21 1234 5600 0007 85."), code="invalid")


def validate_finnish_iban(value: str) -> None:
    # The virtual bar code (version 4) carries only Finnish account numbers.
    if not stdnum_iban.compact(value).startswith("FI"):
        raise ValidationError(_("The issuer's account must be a Finnish IBAN."), code="invalid")


def validate_bic(value: str) -> None:
    if not stdnum_bic.is_valid(value):
        raise ValidationError(_("Enter a valid BIC, e.g. NDEAFIHH."), code="invalid")


class DateRange(models.Func):
    function = "DATERANGE"
    output_field = DateRangeField()


@pghistory.track(*figure_events(), exclude=["created_at"])
class Contract(models.Model):
    """A service contract (palvelusopimus) whose cost the member organisations share."""

    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    members = models.ManyToManyField(
        MemberOrganisation,
        related_name="contracts",
        verbose_name=_("parties"),
        help_text=_("The member organisations that share the cost, the administrator included."),
    )
    issuer = models.ForeignKey(
        MemberOrganisation,
        on_delete=models.PROTECT,
        related_name="administered_contracts",
        verbose_name=_("administering member"),
        help_text=_("Administers the contract and invoices the other members every quarter."),
    )
    issuer_iban = models.CharField(
        _("issuer's IBAN"), max_length=34, validators=[validate_iban, validate_finnish_iban]
    )
    issuer_bic = models.CharField(_("issuer's BIC"), max_length=11, validators=[validate_bic])
    producer_name = models.CharField(
        _("producer"),
        max_length=200,
        blank=True,
        help_text=_("e.g. a non-profit that employs the worker and invoices the administrator."),
    )
    producer_business_id = models.CharField(
        _("producer's business ID"), max_length=9, blank=True, validators=[validate_business_id]
    )
    contact_name = models.CharField(
        _("contact person for invoice queries"),
        max_length=70,
        blank=True,
        help_text=_("Printed on the invoices with the phone and e-mail below."),
    )
    contact_phone = models.CharField(_("contact phone"), max_length=35, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), max_length=70, blank=True)
    remark_period_days = models.PositiveSmallIntegerField(
        _("remark period (days)"),
        default=14,
        validators=[MaxValueValidator(365)],
        help_text=_("How long after receiving an invoice a member may remark on it."),
    )
    active = models.BooleanField(
        _("active"), default=True, help_text=_("Only active contracts are invoiced.")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("service contract")
        verbose_name_plural = _("service contracts")

    def __str__(self) -> str:
        return self.name

    def clean(self):
        self.producer_business_id = business_id_canonical(self.producer_business_id)
        self.issuer_iban = stdnum_iban.compact(self.issuer_iban or "")
        self.issuer_bic = stdnum_bic.compact(self.issuer_bic or "")

    def validate_parties(self, members) -> None:
        """The administering member is one of the parties. (The parties are a
        many-to-many relation, saved after the contract, so clean() cannot see them.)"""
        if self.issuer_id and self.issuer_id not in {member.pk for member in members}:
            raise ValidationError(
                {"members": _("The administering member must be one of the parties.")},
                code="issuer_not_party",
            )

    @property
    def issuer_iban_formatted(self) -> str:
        return stdnum_iban.format(self.issuer_iban)


# The parties: a row of the many-to-many table added or removed.
pghistory.track(
    pghistory.InsertEvent("party.add"),
    pghistory.DeleteEvent("party.remove"),
    obj_field=None,
    model_name="ContractPartyEvent",
    app_label="contracts",
)(Contract.members.through)


@pghistory.track(*figure_events())
class ContractPeriod(ChoiceLabels):
    """A stretch of a contract with one annual cost, allocation basis and state funding."""

    class Basis(models.TextChoices):
        POPULATION = "population", _("Population on a reference date")
        AGREED = "agreed", _("Agreed percentages")
        USAGE = "usage", _("Usage (care days)")

    class Timing(models.TextChoices):
        ARREARS = "arrears", _("In arrears, after the quarter has ended")
        ADVANCE = "advance", _("In advance, from the quarter's first day")

    contract = models.ForeignKey(
        Contract, on_delete=models.CASCADE, related_name="periods", verbose_name=_("contract")
    )
    starts_on = models.DateField(_("starts on"), help_text=_("The first day of a quarter."))
    ends_on = models.DateField(_("ends on"), help_text=_("The last day of a quarter."))
    annual_cost = models.DecimalField(
        _("annual cost (€)"),
        max_digits=12,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0"))],
    )
    basis = models.CharField(_("allocation basis"), max_length=20, choices=Basis.choices)
    population_reference_date = models.DateField(
        _("population reference date"),
        null=True,
        blank=True,
        help_text=_(
            "For the population basis: the latest year-end population figure on or before "
            "this date is used (31 Dec 2024 and 15 Mar 2025 both use the 2024 figures)."
        ),
    )
    state_funding_amount = models.DecimalField(
        _("state funding per year (€)"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )
    state_funding_percent = models.DecimalField(
        _("state funding (percentage of the cost)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
    )
    invoicing_timing = models.CharField(
        _("invoicing"),
        max_length=10,
        choices=Timing.choices,
        default=Timing.ARREARS,
        help_text=_(
            "When a quarter is invoiced. Running it earlier needs an explicit confirmation."
        ),
    )
    payment_term_days = models.PositiveSmallIntegerField(
        _("payment term (days)"), default=21, validators=[MaxValueValidator(365)]
    )
    vat_rate = models.DecimalField(
        _("VAT rate (%)"),
        max_digits=4,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("50"))],
        help_text=_("Cost sharing between public bodies is normally outside the scope of VAT."),
    )
    vat_note = models.CharField(
        _("VAT note"),
        max_length=200,
        default="Arvonlisäverolain soveltamisalan ulkopuolella (ALV 0 %)",
        help_text=_("Printed on the invoice to explain the VAT treatment."),
    )

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["contract", "starts_on"]
        verbose_name = _("contract period")
        verbose_name_plural = _("contract periods")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(starts_on__lt=models.F("ends_on")),
                name="contract_period_dates_ordered",
            ),
            models.CheckConstraint(
                condition=~models.Q(
                    state_funding_amount__isnull=False, state_funding_percent__isnull=False
                ),
                name="contract_period_funding_amount_or_percent",
            ),
            # Periods of one contract never overlap, so each quarter has one basis.
            ExclusionConstraint(
                name="contract_period_no_overlap",
                expressions=[
                    ("contract", RangeOperators.EQUAL),
                    (
                        DateRange("starts_on", "ends_on", models.Value("[]")),
                        RangeOperators.OVERLAPS,
                    ),
                ],
            ),
        ]

    def __str__(self) -> str:
        return f"{self.contract}: {self.starts_on:%d.%m.%Y}–{self.ends_on:%d.%m.%Y}"

    def clean(self):
        errors = {}
        if self.starts_on and self.starts_on != quarter_first_day(*quarter_of(self.starts_on)):
            errors["starts_on"] = _("A period starts on the first day of a quarter.")
        if self.ends_on and self.ends_on != quarter_last_day(*quarter_of(self.ends_on)):
            errors["ends_on"] = _("A period ends on the last day of a quarter.")
        if self.starts_on and self.ends_on and self.starts_on >= self.ends_on:
            errors["ends_on"] = _("The period must end after it starts.")
        if self.state_funding_amount is not None and self.state_funding_percent is not None:
            errors["state_funding_percent"] = _(
                "Give the state funding either as an amount or as a percentage, not both."
            )
        if (
            self.state_funding_amount is not None
            and self.annual_cost is not None
            and self.state_funding_amount > self.annual_cost
        ):
            errors["state_funding_amount"] = _("State funding cannot exceed the annual cost.")
        if self.basis == self.Basis.POPULATION and not self.population_reference_date:
            errors["population_reference_date"] = _("The population basis needs a reference date.")
        if self.contract_id and self.starts_on and self.ends_on and not errors:
            overlapping = ContractPeriod.objects.filter(
                contract_id=self.contract_id,
                starts_on__lte=self.ends_on,
                ends_on__gte=self.starts_on,
            ).exclude(pk=self.pk)
            if overlapping.exists():
                errors["starts_on"] = _(
                    "The period overlaps another period of this contract. A change of basis "
                    "is a new period that starts after the previous one ends."
                )
        if errors:
            raise ValidationError(errors)

    def covers(self, year: int, quarter: int) -> bool:
        return self.starts_on <= quarter_first_day(year, quarter) <= self.ends_on

    def may_invoice_on(self, day, year: int, quarter: int) -> bool:
        """Whether ``day`` is late enough to invoice the quarter without a confirmation."""
        if self.invoicing_timing == self.Timing.ADVANCE:
            return day >= quarter_first_day(year, quarter)
        return day > quarter_last_day(year, quarter)

    def state_funding_for(self, cost: Decimal, *, annual: bool = True) -> Decimal:
        """State funding for a year's (or, with a percentage, any) cost, in cents."""
        if self.state_funding_percent is not None:
            return (cost * self.state_funding_percent / 100).quantize(CENT, ROUND_HALF_UP)
        if self.state_funding_amount is not None:
            return min(self.state_funding_amount, cost) if annual else self.state_funding_amount
        return Decimal("0.00")


@pghistory.track(*figure_events())
class AgreedShare(models.Model):
    """A member's agreed percentage of a period's cost (agreed-percentages basis)."""

    period = models.ForeignKey(
        ContractPeriod,
        on_delete=models.CASCADE,
        related_name="agreed_shares",
        verbose_name=_("contract period"),
    )
    member = models.ForeignKey(
        MemberOrganisation,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("member organisation"),
    )
    percentage = models.DecimalField(
        _("percentage"),
        max_digits=7,
        decimal_places=4,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
    )

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["period", "member__name_fi"]
        verbose_name = _("agreed share")
        verbose_name_plural = _("agreed shares")
        constraints = [
            models.UniqueConstraint(fields=["period", "member"], name="agreed_share_one_per_member")
        ]

    def __str__(self) -> str:
        return f"{self.member}: {self.percentage} %"


@pghistory.track(*figure_events())
class UsageFigure(models.Model):
    """A member's use of the service in a period, e.g. care days of its placements.

    Entered, imported, or set from the care days of placements (admin action on the
    period: usage_figures_from_placements).
    """

    period = models.ForeignKey(
        ContractPeriod,
        on_delete=models.CASCADE,
        related_name="usage_figures",
        verbose_name=_("contract period"),
    )
    member = models.ForeignKey(
        MemberOrganisation,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("member organisation"),
    )
    care_days = models.PositiveIntegerField(_("care days"))
    source = models.CharField(_("source"), max_length=200, blank=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["period", "member__name_fi"]
        verbose_name = _("usage figure")
        verbose_name_plural = _("usage figures")
        constraints = [
            models.UniqueConstraint(fields=["period", "member"], name="usage_figure_one_per_member")
        ]

    def __str__(self) -> str:
        return f"{self.member}: {self.care_days}"


@pghistory.track(*figure_events())
class QuarterActualCost(ChoiceLabels):
    """The actual cost of one quarter (e.g. the producer's invoice), allocated instead of
    a quarter of the annual cost."""

    period = models.ForeignKey(
        ContractPeriod,
        on_delete=models.CASCADE,
        related_name="actual_costs",
        verbose_name=_("contract period"),
    )
    year = models.PositiveSmallIntegerField(_("year"), validators=[validate_year])
    quarter = models.PositiveSmallIntegerField(_("quarter"), choices=QUARTER_CHOICES)
    amount = models.DecimalField(
        _("actual cost (€)"),
        max_digits=12,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0"))],
    )
    note = models.CharField(_("note"), max_length=200, blank=True)
    correction_reason = models.CharField(
        _("reason for the latest correction"), max_length=200, blank=True
    )
    corrected_at = models.DateTimeField(_("corrected"), null=True, blank=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["period", "year", "quarter"]
        verbose_name = _("actual quarterly cost")
        verbose_name_plural = _("actual quarterly costs")
        constraints = [
            models.UniqueConstraint(
                fields=["period", "year", "quarter"], name="actual_cost_one_per_quarter"
            )
        ]

    def __str__(self) -> str:
        return f"Q{self.quarter}/{self.year}: {self.amount}"

    def clean(self):
        if (
            self.period_id
            and self.year
            and year_in_range(self.year)
            and self.quarter
            and not self.period.covers(self.year, self.quarter)
        ):
            raise ValidationError(_("The quarter is not within the contract period."))


PRODUCER_INVOICE_PDF_MAX_BYTES = 10 * 1024 * 1024  # a scanned invoice of a few pages


def validate_pdf(upload) -> None:
    """A stored attachment must be a PDF of at most 10 MB: checked from its first bytes,
    since the content type a browser sends is only what it claims."""
    if upload.size > PRODUCER_INVOICE_PDF_MAX_BYTES:
        raise ValidationError(
            _("The PDF may be at most %(mb)s MB."),
            code="pdf_too_large",
            params={"mb": PRODUCER_INVOICE_PDF_MAX_BYTES // (1024 * 1024)},
        )
    if getattr(upload, "_committed", False):
        return  # stored earlier, checked then
    # on a model's FieldFile, the upload with its claimed type is .file
    claimed = getattr(upload, "content_type", None) or getattr(
        getattr(upload, "file", None), "content_type", None
    )
    position = upload.tell() if hasattr(upload, "tell") else 0
    upload.seek(0)
    head = upload.read(5)
    upload.seek(position)
    if head != b"%PDF-" or (claimed and claimed != "application/pdf"):
        raise ValidationError(_("The attachment must be a PDF file."), code="not_pdf")


class ProducerInvoice(ChoiceLabels):
    """The producer's invoice of one quarter to the administering member (the purchase
    side): it becomes the quarter's actual cost."""

    period = models.ForeignKey(
        ContractPeriod,
        on_delete=models.PROTECT,
        related_name="producer_invoices",
        verbose_name=_("contract period"),
    )
    year = models.PositiveSmallIntegerField(_("year"), validators=[validate_year])
    quarter = models.PositiveSmallIntegerField(_("quarter"), choices=QUARTER_CHOICES)
    number = models.CharField(_("invoice number"), max_length=40)
    invoice_date = models.DateField(_("invoice date"))
    amount = models.DecimalField(
        _("amount (€)"),
        max_digits=12,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0"))],
    )
    pdf = models.FileField(
        _("PDF"),
        upload_to="producer-invoices/%Y/",
        blank=True,
        validators=[validate_pdf],
    )
    actual_cost = models.ForeignKey(
        QuarterActualCost,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("actual cost"),
        help_text=_("The quarter's actual cost that this invoice set."),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["period", "year", "quarter"]
        verbose_name = _("producer's invoice")
        verbose_name_plural = _("producer's invoices")
        constraints = [
            # periods do not overlap, so this is one per contract and quarter
            models.UniqueConstraint(
                fields=["period", "year", "quarter"],
                name="producer_invoice_one_per_quarter",
                violation_error_message=_(
                    "The producer's invoice of this quarter has already been recorded."
                ),
            ),
            models.CheckConstraint(
                condition=models.Q(amount__gte=0), name="producer_invoice_amount_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} (Q{self.quarter}/{self.year})"

    def clean(self):
        if (
            self.period_id
            and year_in_range(self.year)
            and self.quarter
            and not self.period.covers(self.year, self.quarter)
        ):
            raise ValidationError(_("The quarter is not within the contract period."))


class InvoiceNumberCounter(models.Model):
    """The last invoice number an issuer used; locked while the next number is taken."""

    issuer = models.OneToOneField(
        MemberOrganisation,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("issuer"),
    )
    last_number = models.PositiveIntegerField(_("last number"), default=0)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("invoice number counter")
        verbose_name_plural = _("invoice number counters")

    def __str__(self) -> str:
        return f"{self.issuer}: {self.last_number}"


def _document_path(invoice: "Invoice", filename: str) -> str:
    return f"invoices/{invoice.issuer_id}/{invoice.year}-Q{invoice.quarter}/{filename}"


class Invoice(ChoiceLabels):
    """A quarterly invoice (or credit note) from the administering member to another member."""

    class Kind(models.TextChoices):
        INVOICE = "invoice", _("Invoice")
        CREDIT_NOTE = "credit_note", _("Credit note")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        ISSUED = "issued", _("Issued")
        SENT = "sent", _("Sent")
        PAID = "paid", _("Paid")
        CREDITED = "credited", _("Credited")

    issuer = models.ForeignKey(
        MemberOrganisation,
        on_delete=models.PROTECT,
        related_name="issued_invoices",
        verbose_name=_("issuer"),
    )
    number = models.PositiveIntegerField(_("invoice number"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.INVOICE)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    contract = models.ForeignKey(
        Contract, on_delete=models.PROTECT, related_name="invoices", verbose_name=_("contract")
    )
    period = models.ForeignKey(
        ContractPeriod,
        on_delete=models.PROTECT,
        related_name="invoices",
        verbose_name=_("contract period"),
    )
    member = models.ForeignKey(
        MemberOrganisation,
        on_delete=models.PROTECT,
        related_name="received_invoices",
        verbose_name=_("invoiced member"),
    )
    year = models.PositiveSmallIntegerField(_("year"))
    quarter = models.PositiveSmallIntegerField(_("quarter"), choices=QUARTER_CHOICES)
    invoice_date = models.DateField(_("invoice date"))
    due_date = models.DateField(_("due date"))
    reference = models.CharField(_("reference number"), max_length=20)
    vat_rate = models.DecimalField(_("VAT rate (%)"), max_digits=4, decimal_places=2)
    vat_note = models.CharField(_("VAT note"), max_length=200)
    amount_excluding_vat = models.DecimalField(
        _("amount excluding VAT (€)"), max_digits=12, decimal_places=2
    )
    vat_amount = models.DecimalField(_("VAT (€)"), max_digits=12, decimal_places=2)
    total = models.DecimalField(_("total (€)"), max_digits=12, decimal_places=2)
    covered_quarters = ArrayField(
        models.PositiveSmallIntegerField(),
        verbose_name=_("quarters billed"),
        default=list,
        blank=True,
        help_text=_(
            "The quarters of the year whose share this invoice bills: its own, and in the "
            "year's last quarter the earlier ones not invoiced before. Empty for a credit "
            "note or an invoice that only adjusts for changed shares."
        ),
    )
    credited_invoice = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="credit_note",
        verbose_name=_("credited invoice"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    issued_at = models.DateTimeField(_("issued"), null=True, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("issued by"),
    )
    pdf = models.FileField(_("PDF"), upload_to=_document_path, blank=True)
    pdf_sha256 = models.CharField(_("PDF checksum (SHA-256)"), max_length=64, blank=True)
    finvoice = models.FileField(_("Finvoice XML"), upload_to=_document_path, blank=True)
    finvoice_sha256 = models.CharField(_("Finvoice checksum (SHA-256)"), max_length=64, blank=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "-quarter", "issuer", "number"]
        verbose_name = _("invoice")
        verbose_name_plural = _("invoices")
        constraints = [
            models.UniqueConstraint(fields=["issuer", "number"], name="invoice_number_per_issuer"),
            # One live invoice per member and quarter: the quarterly run cannot create a
            # second one even when two runs race; a credited invoice frees the slot.
            models.UniqueConstraint(
                fields=["contract", "member", "year", "quarter"],
                condition=models.Q(kind="invoice") & ~models.Q(status="credited"),
                name="invoice_one_live_per_member_quarter",
            ),
            models.CheckConstraint(
                condition=models.Q(due_date__gte=models.F("invoice_date")),
                name="invoice_due_after_invoice_date",
            ),
        ]
        indexes = [models.Index(fields=["year", "quarter", "status"])]

    def __str__(self) -> str:
        kind = self.get_kind_display()
        return f"{kind} {self.number} ({self.member}, Q{self.quarter}/{self.year})"

    @property
    def is_editable(self) -> bool:
        return self.status == self.Status.DRAFT

    # Issued but Celery has not yet stored both documents (one rule for a page and a count).
    DOCUMENTS_PENDING = ~models.Q(status=Status.DRAFT) & (models.Q(pdf="") | models.Q(finvoice=""))

    @property
    def documents_pending(self) -> bool:
        return self.status != self.Status.DRAFT and not (self.pdf and self.finvoice)

    @property
    def payment_term_days(self) -> int:
        return (self.due_date - self.invoice_date).days

    @property
    def next_statuses(self) -> set[str]:
        """Where an issued invoice may move: sent, then paid (credit notes stay issued)."""
        if self.kind != self.Kind.INVOICE:
            return set()
        return {
            self.Status.ISSUED: {self.Status.SENT, self.Status.PAID},
            self.Status.SENT: {self.Status.PAID},
        }.get(self.status, set())

    @property
    def is_credit(self) -> bool:
        """A credit note, or an invoice whose amount is negative because the member's
        share of the year fell below what its other invoices carry: nothing to pay, no
        payment slip, and a credit note (INV02) in every document."""
        return self.kind == self.Kind.CREDIT_NOTE or self.total < 0

    @property
    def kind_label(self) -> str:
        return self.Kind.CREDIT_NOTE.label if self.is_credit else self.get_kind_display()

    @property
    def may_credit(self) -> bool:
        return self.kind == self.Kind.INVOICE and self.status in (
            self.Status.ISSUED,
            self.Status.SENT,
            self.Status.PAID,
        )

    @property
    def reference_grouped(self) -> str:
        """The reference in groups of five from the right, as printed on Finnish invoices."""
        digits = self.reference
        groups = []
        while digits:
            groups.insert(0, digits[-5:])
            digits = digits[:-5]
        return " ".join(groups)


class InvoiceLine(models.Model):
    """One line of an invoice; lines without an amount explain the calculation."""

    invoice = models.ForeignKey(
        Invoice, on_delete=models.CASCADE, related_name="lines", verbose_name=_("invoice")
    )
    position = models.PositiveSmallIntegerField(_("position"))
    description = models.CharField(_("description"), max_length=300)
    amount = models.DecimalField(
        _("amount (€)"), max_digits=12, decimal_places=2, null=True, blank=True
    )

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["invoice", "position"]
        verbose_name = _("invoice line")
        verbose_name_plural = _("invoice lines")
        constraints = [
            models.UniqueConstraint(fields=["invoice", "position"], name="invoice_line_position")
        ]

    def __str__(self) -> str:
        return self.description


# What can stop a contract in an invoicing run. A run stores the code and its parameters,
# not a sentence, so each reader sees the problem in their own language.
RUN_PROBLEMS = {
    "no_population": _("There is no population figure of %(year)s for %(member)s."),
    "no_agreed_share": _("No agreed percentage has been entered for %(member)s."),
    "no_usage": _("No usage figure has been entered for %(member)s."),
    "shares_invalid": _(
        "The shares cannot be calculated: the basis figures may not be negative or all zero."
    ),
    "unexpected": _(
        "An unexpected error stopped the run. It has been logged for the administrators; "
        "run the quarter again once it is fixed."
    ),
}


def run_problem_text(code: str, params: dict | None = None) -> str:
    """A stored problem in the current language (an unknown code is shown as it is)."""
    if code not in RUN_PROBLEMS:
        return str((params or {}).get("text", code))
    return str(RUN_PROBLEMS[code]) % (params or {})


class QuarterRun(ChoiceLabels):
    """What the background runs over a quarter share: their status, and whether their
    worker has stopped making progress."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    year = models.PositiveSmallIntegerField(_("year"), validators=[validate_year])
    quarter = models.PositiveSmallIntegerField(_("quarter"), choices=QUARTER_CHOICES)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"Q{self.quarter}/{self.year} ({self.get_status_display()})"

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)

    @staticmethod
    def stale_after() -> timedelta:
        return timedelta(minutes=settings.INVOICING_RUN_STALE_AFTER)

    @property
    def is_stalled(self) -> bool:
        """Queued or running, but without progress for longer than the setting allows:
        its worker died. Worked out on read, not stored, so a run that a redelivered task
        picks up again shows as running again without anything to reset."""
        if self.is_finished:
            return False
        last = self.progress_at or self.created_at
        return last is not None and timezone.now() - last > self.stale_after()

    @property
    def is_watched(self) -> bool:
        """Whether the page keeps asking for the run's progress."""
        return not (self.is_finished or self.is_stalled)

    @property
    def status_label(self) -> str:
        return _("Stalled") if self.is_stalled else self.get_status_display()

    @property
    def status_key(self) -> str:
        return "stalled" if self.is_stalled else self.status

    @property
    def stale_minutes(self) -> int:
        return int(self.stale_after().total_seconds() // 60)


class InvoicingRun(QuarterRun):
    """One quarterly invoicing run: which quarter, who started it, how far it got."""

    contracts_total = models.PositiveIntegerField(_("contracts"), default=0)
    contracts_done = models.PositiveIntegerField(_("contracts done"), default=0)
    invoices_created = models.PositiveIntegerField(_("invoices created"), default=0)
    problems = models.JSONField(
        _("problems"),
        default=list,
        blank=True,
        help_text=_("What stopped a contract: a list of {contract, code, params}."),
    )
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("started by"),
        help_text=_("Empty when the schedule started the run."),
    )
    nothing_due = models.JSONField(
        _("nothing due"),
        default=list,
        blank=True,
        help_text=_(
            "Members not invoiced because their share of the year was already invoiced: "
            "a list of {contract, member}."
        ),
    )
    progress_at = models.DateTimeField(
        _("last progress"),
        null=True,
        blank=True,
        help_text=_("When the worker last started or finished a contract of the run."),
    )

    class Meta(QuarterRun.Meta):
        verbose_name = _("invoicing run")
        verbose_name_plural = _("invoicing runs")

    @property
    def problem_messages(self) -> list[str]:
        """Each stored problem as a sentence in the current language."""
        messages = []
        for problem in self.problems:
            text = run_problem_text(problem.get("code", ""), problem.get("params"))
            contract = problem.get("contract")
            messages.append(f"{contract}: {text}" if contract else text)
        return messages

    @property
    def nothing_due_messages(self) -> list[str]:
        return [
            _(
                "Nothing more is due for %(member)s under “%(contract)s”: its share of the "
                "year has already been invoiced."
            )
            % note
            for note in self.nothing_due
        ]

    @property
    def progress_percent(self) -> int:
        if not self.contracts_total:
            return 100 if self.is_finished else 0
        return round(100 * self.contracts_done / self.contracts_total)


class IssuingRun(QuarterRun):
    """Issuing every draft of a quarter in the background: who asked, how far it got,
    and which drafts were refused and why."""

    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("started by"),
    )
    language = models.CharField(
        _("language"),
        max_length=10,
        default="fi",
        help_text=_("The language of the person who started it: the refusals are written in it."),
    )
    drafts_total = models.PositiveIntegerField(_("drafts"), default=0)
    drafts_done = models.PositiveIntegerField(_("drafts done"), default=0)
    issued = models.PositiveIntegerField(_("issued"), default=0)
    skipped = models.PositiveIntegerField(
        _("skipped"),
        default=0,
        help_text=_("Drafts that someone else issued or credited before their turn came."),
    )
    refused = models.JSONField(
        _("refused"),
        default=list,
        blank=True,
        help_text=_("Drafts left as drafts: a list of {number, text}."),
    )
    progress_at = models.DateTimeField(
        _("last progress"),
        null=True,
        blank=True,
        help_text=_("When the worker last started or finished a batch of drafts."),
    )

    UNFINISHED = [QuarterRun.Status.QUEUED, QuarterRun.Status.RUNNING]

    class Meta(QuarterRun.Meta):
        verbose_name = _("issuing of drafts")
        verbose_name_plural = _("issuings of drafts")
        constraints = [
            # a second click while the quarter's drafts are being issued shows that run
            models.UniqueConstraint(
                fields=["year", "quarter"],
                condition=models.Q(status__in=["queued", "running"]),  # UNFINISHED
                name="issuing_one_unfinished_per_quarter",
            ),
        ]

    @property
    def refused_messages(self) -> list[str]:
        return [
            f"{entry['number']}: {entry['text']}" if entry.get("number") else entry["text"]
            for entry in self.refused
        ]

    @property
    def progress_percent(self) -> int:
        if not self.drafts_total:
            return 100 if self.is_finished else 0
        return round(100 * self.drafts_done / self.drafts_total)
