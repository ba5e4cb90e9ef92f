"""The stored reports for the steering group and the members, and the reference daily
costs that the family-care-against-institutional-care comparison multiplies."""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from contracts.models import QUARTER_CHOICES, Contract
from contracts.quarters import quarter_first_day, quarter_last_day, validate_year
from fostercare.access import RestrictedQuerySet
from fostercare.models import ChoiceLabels, MemberOrganisation
from placements.care_days import CARE_TYPES

LANGUAGES = (("fi", _("Finnish")), ("sv", _("Swedish")))


class ReferenceDailyCost(ChoiceLabels):
    """What a care day of one care type costs by reference in one year, entered by finance."""

    year = models.PositiveSmallIntegerField(_("year"), validators=[validate_year])
    care_type = models.CharField(_("care type"), max_length=30, choices=CARE_TYPES)
    daily_cost = models.DecimalField(
        _("daily cost (€)"),
        max_digits=9,
        decimal_places=2,
        validators=[MinValueValidator(0)],
    )
    source = models.CharField(
        _("source"), max_length=200, blank=True, help_text=_("e.g. the county's price list 2026")
    )

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "care_type"]
        verbose_name = _("reference daily cost")
        verbose_name_plural = _("reference daily costs")
        constraints = [
            models.UniqueConstraint(fields=["year", "care_type"], name="reference_cost_once"),
            models.CheckConstraint(
                condition=models.Q(daily_cost__gte=0), name="reference_cost_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.get_care_type_display()}: {self.daily_cost} €"


class ReportQuerySet(RestrictedQuerySet):
    def granted_to(self, user, action):
        """A municipal worker reads their own municipality's annual reports, nothing else."""
        from placements.access import handled_organisations  # below reports: no cycle

        if action != "view":
            return self.none()
        return self.filter(kind=Report.Kind.MEMBER_ANNUAL, member__in=handled_organisations(user))


def _report_path(report: "Report", filename: str) -> str:
    return f"reports/{report.year}/{filename}"


class Report(ChoiceLabels):
    """One report of a contract for a quarter or a year, in one language: its figures
    (the tables, stored as rendered) and its PDF with a checksum. Made again, the same
    row is rendered anew with a higher version, so there is never a duplicate."""

    class Kind(models.TextChoices):
        STEERING = "steering", _("Steering group's quarterly report")
        MEMBER_ANNUAL = "member_annual", _("Annual report of a member")
        FAMILY_CARE_SAVINGS = "family_care_savings", _("Family care against institutional care")

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    kind = models.CharField(_("report"), max_length=30, choices=Kind.choices)
    contract = models.ForeignKey(
        Contract, on_delete=models.PROTECT, related_name="reports", verbose_name=_("contract")
    )
    member = models.ForeignKey(
        MemberOrganisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reports",
        verbose_name=_("member"),
        help_text=_("Only for a member's annual report."),
    )
    year = models.PositiveSmallIntegerField(_("year"), validators=[validate_year])
    quarter = models.PositiveSmallIntegerField(
        _("quarter"),
        choices=QUARTER_CHOICES,
        null=True,
        blank=True,
        help_text=_("Empty: the whole year."),
    )
    language = models.CharField(_("language"), max_length=2, choices=LANGUAGES, default="fi")
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    version = models.PositiveIntegerField(_("version"), default=1)
    tables = models.JSONField(_("tables"), default=list, blank=True)
    pdf = models.FileField(_("PDF"), upload_to=_report_path, blank=True)
    pdf_sha256 = models.CharField(_("PDF checksum (SHA-256)"), max_length=64, blank=True)
    error = models.CharField(_("error"), max_length=300, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("requested by"),
        help_text=_("Empty when the schedule made the report."),
    )
    requested_at = models.DateTimeField(_("requested"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    objects = ReportQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "-quarter", "kind", "pk"]
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        constraints = [
            # one report per kind, contract, member, period and language, whatever the
            # order or number of requests: a second request renders the same row again
            models.UniqueConstraint(
                fields=["kind", "contract", "member", "year", "quarter", "language"],
                name="report_once_per_period",
                nulls_distinct=False,
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.period_label}"

    def clean(self):
        if self.kind == self.Kind.STEERING and not self.quarter:
            raise ValidationError({"quarter": _("The steering group's report is for a quarter.")})
        if self.kind == self.Kind.MEMBER_ANNUAL:
            if not self.member_id:
                raise ValidationError({"member": _("Choose the member of the annual report.")})
            if self.quarter:
                raise ValidationError({"quarter": _("An annual report is for a whole year.")})
            if self.contract_id and not self.contract.members.filter(pk=self.member_id).exists():
                raise ValidationError({"member": _("The member is not a party to the contract.")})
        elif self.member_id:
            raise ValidationError({"member": _("Only a member's annual report names a member.")})

    @property
    def period_label(self) -> str:
        return f"Q{self.quarter}/{self.year}" if self.quarter else str(self.year)

    @property
    def first_day(self):
        return quarter_first_day(self.year, self.quarter or 1)

    @property
    def last_day(self):
        return quarter_last_day(self.year, self.quarter or 4)

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)

    @property
    def is_stalled(self) -> bool:
        """Queued or running for longer than invoicing allows a run: its worker died."""
        stale = timedelta(minutes=settings.INVOICING_RUN_STALE_AFTER)
        return not self.is_finished and timezone.now() - self.requested_at > stale

    @property
    def is_watched(self) -> bool:
        return not (self.is_finished or self.is_stalled)

    @property
    def file_stem(self) -> str:
        member = f"-{self.member.code}" if self.member_id else ""
        period = self.period_label.replace("/", "-")
        return f"{self.kind}-{self.contract_id}{member}-{period}-{self.language}"
