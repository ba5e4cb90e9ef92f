from decimal import Decimal

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from experts.access import ConsultationQuerySet, ExpertQuerySet
from families.choices import Language
from fostercare.access import RestrictedQuerySet
from fostercare.models import ChoiceLabels, MemberOrganisation
from placements.models import Child, PlacementRequest
from training.models import Course, CourseType


class ExpertiseArea(models.Model):
    """An area of expertise the unit tags experts with, e.g. substance abuse or trauma."""

    name_fi = models.CharField(_("name in Finnish"), max_length=100, unique=True)
    name_sv = models.CharField(_("name in Swedish"), max_length=100, blank=True)
    name_en = models.CharField(_("name in English"), max_length=100, blank=True)

    class Meta:
        ordering = ["name_fi"]
        verbose_name = _("area of expertise")
        verbose_name_plural = _("areas of expertise")

    def __str__(self) -> str:
        return {"sv": self.name_sv, "en": self.name_en}.get(get_language(), "") or self.name_fi


class ExpertRole(models.TextChoices):
    """The registers of the service contract, appendix 1, section 4 (a person may be in several)."""

    EXPERT_CIRCLE = "expert_circle", _("Expert circle")
    CONVENER = "convener", _("Family group conference convener")
    WORK_SUPERVISOR = "work_supervisor", _("Work supervisor")
    MENTOR = "mentor", _("Mentor")
    TRAINER = "trainer", _("Trainer")


class Expert(ChoiceLabels):
    """A person or an organisation in the unit's expert registers, listed by their consent."""

    class Kind(models.TextChoices):
        PERSON = "person", _("Person")
        ORGANISATION = "organisation", _("Organisation")

    class ConsentScope(models.TextChoices):
        UNIT = "unit", _("The unit only")
        MEMBERS = "members", _("The unit and the member organisations' workers")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.PERSON)
    name = models.CharField(
        _("name"), max_length=150, help_text=_("A person's full name or an organisation's name.")
    )
    contact_person = models.CharField(
        _("contact person"), max_length=150, blank=True, help_text=_("For an organisation.")
    )
    title = models.CharField(
        _("title or profession"), max_length=150, blank=True, help_text=_("e.g. psychologist")
    )
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    roles = ArrayField(
        models.CharField(max_length=20, choices=ExpertRole.choices),
        verbose_name=_("roles"),
        default=list,
        help_text=_("The registers the expert is listed in."),
    )
    expertise = models.ManyToManyField(
        ExpertiseArea, blank=True, related_name="experts", verbose_name=_("areas of expertise")
    )
    languages = ArrayField(
        models.CharField(max_length=3, choices=Language.choices),
        verbose_name=_("working languages"),
        default=list,
        blank=True,
    )
    serves = models.ManyToManyField(
        MemberOrganisation,
        blank=True,
        related_name="experts",
        verbose_name=_("member organisations served"),
    )
    area = models.CharField(
        _("area"), max_length=150, blank=True, help_text=_("e.g. the whole of Lapland")
    )
    available = models.BooleanField(_("available for new assignments"), default=True)
    availability = models.CharField(
        _("availability"), max_length=200, blank=True, help_text=_("e.g. evenings, from March")
    )
    hourly_fee = models.DecimalField(
        _("fee per hour (€)"),
        max_digits=8,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
        help_text=_("Where the expert charges for the work, VAT included."),
    )
    fee_notes = models.CharField(_("fee details"), max_length=200, blank=True)
    convener_trained_on = models.DateField(
        _("convener training completed on"), null=True, blank=True
    )
    supervisor_qualified_on = models.DateField(
        _("work supervisor training completed on"), null=True, blank=True
    )
    qualifications = models.TextField(_("other training and qualifications"), blank=True)

    # The conveners signed a written consent to be available as regional conveners; the
    # registers list nobody without one, and a withdrawal hides the person everywhere.
    consent_given_on = models.DateField(_("consent to be listed given on"))
    consent_scope = models.CharField(
        _("consent covers listing for"),
        max_length=20,
        choices=ConsentScope.choices,
        default=ConsentScope.MEMBERS,
    )
    consent_withdrawn_on = models.DateField(
        _("consent withdrawn on"),
        null=True,
        blank=True,
        help_text=_(
            "From this date the expert is left out of every search, list and export; "
            "only the administration shows them, marked withdrawn."
        ),
    )
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = ExpertQuerySet.as_manager()

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("expert")
        verbose_name_plural = _("experts")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(consent_withdrawn_on__isnull=True)
                | models.Q(consent_withdrawn_on__gte=models.F("consent_given_on")),
                name="expert_consent_withdrawn_after_given",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self):
        errors = {}
        if not self.roles:
            errors["roles"] = _("Choose at least one register.")
        if ExpertRole.CONVENER in (self.roles or []) and not self.convener_trained_on:
            errors["convener_trained_on"] = _(
                "A family group conference convener is listed only after the convener training."
            )
        today = timezone.localdate()
        if self.consent_given_on and self.consent_given_on > today:
            errors["consent_given_on"] = _("The consent date is in the future.")
        if self.consent_withdrawn_on:
            if self.consent_withdrawn_on > today:
                errors["consent_withdrawn_on"] = _("The withdrawal date is in the future.")
            elif self.consent_given_on and self.consent_withdrawn_on < self.consent_given_on:
                errors["consent_withdrawn_on"] = _(
                    "The consent cannot be withdrawn before it was given."
                )
        if errors:
            raise ValidationError(errors)

    def role_labels(self) -> list[str]:
        labels = dict(ExpertRole.choices)
        return [str(labels.get(role, role)) for role in self.roles]

    @property
    def is_withdrawn(self) -> bool:
        return self.consent_withdrawn_on is not None


class Consultation(ChoiceLabels):
    """A piece of the unit's work for a member municipality: guidance, a joint meeting or
    visit as the municipal worker's pair, a group consultation or supervision arranged."""

    class Kind(models.TextChoices):
        PHONE_GUIDANCE = "phone_guidance", _("Phone guidance")
        CLIENT_MEETING = "client_meeting", _("Joint client meeting")
        HOME_VISIT = "home_visit", _("Joint home visit")
        GROUP_CONSULTATION = "group_consultation", _("Group consultation")
        SUPERVISION = "supervision", _("Work supervision arranged")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    held_on = models.DateField(_("date"))
    duration_minutes = models.PositiveSmallIntegerField(
        _("duration (minutes)"), validators=[MinValueValidator(1), MaxValueValidator(24 * 60)]
    )
    municipality = models.ForeignKey(
        MemberOrganisation,
        on_delete=models.PROTECT,
        related_name="consultations",
        verbose_name=_("member organisation served"),
    )
    municipal_worker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="consultations_received",
        verbose_name=_("municipal social worker served"),
    )
    placement_request = models.ForeignKey(
        PlacementRequest,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="consultations",
        verbose_name=_("placement request"),
    )
    child = models.ForeignKey(
        Child,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="consultations",
        verbose_name=_("child"),
    )
    experts = models.ManyToManyField(
        Expert, blank=True, related_name="consultations", verbose_name=_("experts involved")
    )
    note = models.TextField(_("note"), max_length=1000, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
        editable=False,
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = ConsultationQuerySet.as_manager()

    class Meta:
        ordering = ["-held_on", "-pk"]
        verbose_name = _("consultation")
        verbose_name_plural = _("consultations")
        indexes = [models.Index(fields=["municipality", "held_on"])]

    def __str__(self) -> str:
        return _("%(kind)s %(date)s") % {
            "kind": self.get_kind_display(),
            "date": date_format(self.held_on, "SHORT_DATE_FORMAT") if self.held_on else "",
        }

    def clean(self):
        errors = {}
        if self.held_on and self.held_on > timezone.localdate():
            errors["held_on"] = _("A consultation is logged after it took place.")
        org = self.municipality_id
        worker = self.municipal_worker
        if org and worker and worker.organisation_id != org:
            errors["municipal_worker"] = _("The worker is not from this member organisation.")
        if org and self.placement_request and self.placement_request.municipality_id != org:
            errors["placement_request"] = _("The request is not from this member organisation.")
        if org and self.child and self.child.municipality_id != org:
            errors["child"] = _("The child is not from this member organisation.")
        if errors:
            raise ValidationError(errors)

    @property
    def concerns_a_client(self) -> bool:
        return bool(self.placement_request_id or self.child_id)


class GroupLeader(models.Model):
    """An expert leads a work supervision (group or individual) or a peer group. The link
    lives here because experts sit above training: training knows nothing of experts."""

    course = models.ForeignKey(
        Course, on_delete=models.CASCADE, related_name="leaders", verbose_name=_("group")
    )
    expert = models.ForeignKey(
        Expert, on_delete=models.PROTECT, related_name="groups_led", verbose_name=_("expert")
    )
    assigned_at = models.DateTimeField(_("assigned"), auto_now_add=True)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("assigned by"),
        editable=False,
    )

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["course", "expert__name", "pk"]
        verbose_name = _("group leader")
        verbose_name_plural = _("group leaders")
        constraints = [
            models.UniqueConstraint(fields=["course", "expert"], name="group_leader_once")
        ]

    def __str__(self) -> str:
        return f"{self.expert} – {self.course}"

    def clean(self):
        if not self.course_id or not self.expert_id:
            return
        errors = {}
        course_type = self.course.course_type
        if course_type.category not in CourseType.LED_CATEGORIES:
            errors["course"] = _("Only work supervision and peer groups have a leader here.")
        elif course_type.is_supervision and ExpertRole.WORK_SUPERVISOR not in self.expert.roles:
            errors["expert"] = _(
                "Work supervision is led by an expert in the work supervisors' register."
            )
        # a supervisor is listed, and so chosen, only with a current consent
        if self.expert.is_withdrawn or self.expert.consent_given_on > timezone.localdate():
            errors["expert"] = _("The expert has no current consent to be listed.")
        if errors:
            raise ValidationError(errors)
