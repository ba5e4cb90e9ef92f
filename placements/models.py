from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase
from stdnum.fi import hetu

from families.models import Family, Provider, ProviderUnit, SpecialSkill, _languages_field
from fostercare import stored_text
from fostercare.models import ChoiceLabels, MemberOrganisation, contains_index
from placements.access import (
    AftercarePlanQuerySet,
    ChildQuerySet,
    PlacementQuerySet,
    PlacementRequestQuerySet,
    ProposalQuerySet,
    RequestEventQuerySet,
    SupportArrangementEventQuerySet,
    SupportArrangementQuerySet,
    SupportStayQuerySet,
)
from placements.reasons import render_all

# Child Welfare Act 38 §: an emergency placement lasts at most 30 days; 38 a § lets the
# official extend it by at most another 30.
EMERGENCY_PLACEMENT_MAX_DAYS = 30
EMERGENCY_EXTENSION_MAX_DAYS = 30


def validate_personal_identity_code(value: str) -> None:
    """A Finnish personal identity code, temporary ones (individual number 900–999, given
    e.g. to unaccompanied asylum-seeking minors) included."""
    if value and not hetu.is_valid(value, allow_temporary=True):
        raise ValidationError(
            _("This is not a valid Finnish personal identity code."), code="invalid_hetu"
        )


def is_temporary_identity_code(code: str) -> bool:
    """A temporary code's individual number is 900–999 (ddmmyyCiiiQ)."""
    return bool(code) and len(code) == 11 and code[7:10].isdigit() and code[7] == "9"


def age_on(born: date, day: date) -> int:
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def birthday(born: date, age: int) -> date:
    try:
        return born.replace(year=born.year + age)
    except ValueError:  # born on 29 February
        return born.replace(year=born.year + age, day=28)


def born_by(day: date, age: int) -> date:
    """The latest date of birth of someone who has turned ``age`` on or before ``day``
    (``birthday`` is monotonic in the date of birth; a 29 February birthday falls on the
    28th)."""
    born = birthday(day, -age)
    while birthday(born + timedelta(days=1), age) <= day:
        born += timedelta(days=1)
    while birthday(born, age) > day:
        born -= timedelta(days=1)
    return born


def aftercare_planning_born(today: date) -> tuple[date, date]:
    """Who is flagged for aftercare planning on ``today``: those born after the first
    date and on or before the second, i.e. within AFTERCARE_PLANNING_MONTHS (of 30 days)
    of turning 18, or older, and not yet AFTERCARE_MAX_AGE (Child Welfare Act 75 §)."""
    soon = today + timedelta(days=settings.AFTERCARE_PLANNING_MONTHS * 30)
    return born_by(today, settings.AFTERCARE_MAX_AGE), born_by(soon, 18)


class Child(ChoiceLabels):
    """A child the unit helps to place, with the minimum data the unit needs."""

    class BirthParentContact(models.TextChoices):
        REGULAR = "regular", _("Regular meetings")
        SUPERVISED = "supervised", _("Supervised meetings only")
        RESTRICTED = "restricted", _("Restricted by a decision")
        NONE = "none", _("No contact")

    municipality = models.ForeignKey(
        MemberOrganisation,
        on_delete=models.PROTECT,
        related_name="children",
        verbose_name=_("home municipality"),
        help_text=_("The municipality whose social worker is responsible for the child."),
    )
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    date_of_birth = models.DateField(_("date of birth"))
    personal_identity_code = models.CharField(
        _("personal identity code"),
        max_length=11,
        blank=True,
        validators=[validate_personal_identity_code],
        help_text=_(
            "Optional. A temporary code (individual number 900–999) is accepted and marked "
            "as temporary until the permanent code replaces it. Shown masked; every time it "
            "is shown is logged."
        ),
    )
    languages = _languages_field(_("languages"))
    needs = models.ManyToManyField(
        SpecialSkill,
        blank=True,
        related_name="children",
        verbose_name=_("needs"),
        help_text=_("Special needs that a family's special skills should match."),
    )
    needs_description = models.TextField(_("needs in more detail"), blank=True)
    school_or_daycare = models.CharField(_("school or daycare"), max_length=150, blank=True)
    birth_parent_contact = models.CharField(
        _("contact with birth parents"),
        max_length=20,
        choices=BirthParentContact.choices,
        default=BirthParentContact.REGULAR,
    )
    birth_parent_contact_notes = models.TextField(_("notes on contact"), blank=True)
    siblings = models.ManyToManyField(
        "self", blank=True, symmetrical=True, verbose_name=_("siblings")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = ChildQuerySet.as_manager()

    class Meta:
        ordering = ["last_name", "first_name", "pk"]
        verbose_name = _("child")
        verbose_name_plural = _("children")
        indexes = [
            # the name searches (the access-log report's, the pickers')
            contains_index("first_name", name="child_first_name_contains"),
            contains_index("last_name", name="child_last_name_contains"),
            # the young people near 18 of the front page (aftercare_planning_born): 9 ms
            # to 2 ms nationally
            models.Index(fields=["date_of_birth"], name="child_date_of_birth"),
        ]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}"

    def clean(self):
        code = self.personal_identity_code = hetu.compact(self.personal_identity_code or "")
        if self.date_of_birth and self.date_of_birth > timezone.localdate():
            raise ValidationError({"date_of_birth": _("The date of birth is in the future.")})
        if (
            code
            and self.date_of_birth
            and hetu.is_valid(code, allow_temporary=True)
            and _hetu_birth_date(code) != self.date_of_birth
        ):
            raise ValidationError(
                {"personal_identity_code": _("The identity code does not match the date of birth.")}
            )

    @property
    def age(self) -> int:
        return age_on(self.date_of_birth, timezone.localdate())

    @property
    def identity_code_is_temporary(self) -> bool:
        return is_temporary_identity_code(self.personal_identity_code)

    @property
    def masked_identity_code(self) -> str:
        """010203A123X -> 010203-****: the birth date stays readable, the rest is hidden."""
        code = self.personal_identity_code
        return f"{code[:6]}{code[6]}****" if code else ""


class IdentityCodeChange(models.Model):
    """A child's identity code replaced, e.g. a temporary code by the permanent one; the
    previous code is kept so that the access log can still be reported by it."""

    child = models.ForeignKey(
        Child,
        on_delete=models.CASCADE,
        related_name="identity_code_changes",
        verbose_name=_("child"),
    )
    previous_code = models.CharField(_("previous identity code"), max_length=11, blank=True)
    previous_was_temporary = models.BooleanField(_("previous code was temporary"), default=False)
    changed_at = models.DateTimeField(_("changed"), default=timezone.now)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("changed by"),
    )

    class Meta:
        ordering = ["changed_at", "pk"]
        verbose_name = _("identity code change")
        verbose_name_plural = _("identity code changes")

    def __str__(self) -> str:
        return f"{self.child}: {self.changed_at:%Y-%m-%d}"

    @property
    def masked_previous_code(self) -> str:
        code = self.previous_code
        return f"{code[:6]}{code[6]}****" if code else ""


def _hetu_birth_date(code: str) -> date:
    century = 1800 if code[6] == "+" else 1900 if code[6] in "-YXWVU" else 2000
    return date(century + int(code[4:6]), int(code[2:4]), int(code[0:2]))


class PlacementType(models.TextChoices):
    EMERGENCY = "emergency", _("Emergency placement")
    OPEN_CARE = "open_care", _("Open-care placement")
    SUBSTITUTE_CARE = "substitute_care", _("Substitute care after a care order")
    SHORT_TERM = "short_term", _("Short-term or respite care")
    SUPPORT_FAMILY = "support_family", _("Support family")


class RequestStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    IN_SEARCH = "in_search", _("In search")
    PROPOSED = "proposed", _("Families proposed")
    ACCEPTED = "accepted", _("Accepted by the municipality")
    DECIDED = "decided", _("Decision recorded")
    PLACED = "placed", _("Placed")
    WITHDRAWN = "withdrawn", _("Request withdrawn")
    NO_PLACE = "no_place", _("No suitable place")


class RequestUrgency(models.TextChoices):
    IMMEDIATE = "immediate", _("Immediate (today)")
    URGENT = "urgent", _("Urgent (within a week)")
    NORMAL = "normal", _("Normal")


# The request list's order, open requests first and the most urgent at the top (the list
# in placements.selectors, and the index that serves its first page)
REQUEST_OPEN_FIRST = models.Case(
    models.When(
        status__in=[RequestStatus.PLACED, RequestStatus.WITHDRAWN, RequestStatus.NO_PLACE],
        then=models.Value(1),
    ),
    default=models.Value(0),
    output_field=models.IntegerField(),
)
REQUEST_URGENCY_ORDER = models.Case(
    models.When(urgency=RequestUrgency.IMMEDIATE, then=models.Value(0)),
    models.When(urgency=RequestUrgency.URGENT, then=models.Value(1)),
    default=models.Value(2),
    output_field=models.IntegerField(),
)


class PlacementRequest(ChoiceLabels):
    """A municipal social worker's request for help in placing one child or siblings."""

    Status = RequestStatus
    Urgency = RequestUrgency

    # Each step of the flow: the statuses it starts from, and where it leads. Who may take
    # which step is ``placements.access.may_take``.
    STEPS = {
        "submit": ({Status.DRAFT}, Status.SUBMITTED),
        "take": ({Status.SUBMITTED}, Status.IN_SEARCH),
        "propose": ({Status.IN_SEARCH, Status.PROPOSED}, Status.PROPOSED),
        "accept": ({Status.PROPOSED}, Status.ACCEPTED),
        "decline": ({Status.PROPOSED}, Status.IN_SEARCH),
        "decide": ({Status.ACCEPTED}, Status.DECIDED),
        "place": ({Status.DECIDED}, Status.PLACED),
        # a support-family request ends in an arrangement of dated stays, not a placement
        "arrange": ({Status.ACCEPTED, Status.DECIDED}, Status.PLACED),
        "withdraw": (
            {Status.DRAFT, Status.SUBMITTED, Status.IN_SEARCH, Status.PROPOSED, Status.ACCEPTED},
            Status.WITHDRAWN,
        ),
        "no_place": ({Status.SUBMITTED, Status.IN_SEARCH, Status.PROPOSED}, Status.NO_PLACE),
    }

    municipality = models.ForeignKey(
        MemberOrganisation,
        on_delete=models.PROTECT,
        related_name="placement_requests",
        verbose_name=_("requesting municipality"),
    )
    children = models.ManyToManyField(
        Child, related_name="placement_requests", verbose_name=_("children")
    )
    placement_type = models.CharField(
        _("placement type"), max_length=20, choices=PlacementType.choices
    )
    urgency = models.CharField(
        _("urgency"), max_length=10, choices=Urgency.choices, default=Urgency.NORMAL
    )
    wished_start_on = models.DateField(_("wished start date"))
    expected_duration = models.CharField(
        _("expected duration"), max_length=100, blank=True, help_text=_("e.g. 30 days, until 18")
    )
    keep_siblings_together = models.BooleanField(
        _("keep the siblings together"),
        default=True,
        help_text=_("Only families that can take every child of the request are matched."),
    )
    wishes = models.TextField(_("wishes"), blank=True, help_text=_("e.g. near the current school"))
    filed_by_unit = models.BooleanField(
        _("filed by the unit"),
        default=False,
        editable=False,
        help_text=_("The unit entered the request on the municipality's behalf."),
    )
    phoned_in_by = models.CharField(
        _("phoned in by"),
        max_length=150,
        blank=True,
        help_text=_("The municipality's social worker who phoned the request in."),
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=Status.choices,
        default=Status.DRAFT,
        editable=False,
        db_index=True,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="placement_requests",
        verbose_name=_("municipal social worker"),
    )
    unit_worker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("unit social worker (pair)"),
        editable=False,
    )
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True, editable=False)
    closing_reason = models.TextField(_("reason"), blank=True, editable=False)
    decision_on = models.DateField(_("decision date"), null=True, blank=True, editable=False)
    decision_maker = models.CharField(
        _("decision maker"), max_length=150, blank=True, editable=False
    )
    decision_reference = models.CharField(
        _("decision reference"), max_length=50, blank=True, editable=False
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = PlacementRequestQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(
                REQUEST_OPEN_FIRST,
                REQUEST_URGENCY_ORDER,
                "wished_start_on",
                "id",
                name="request_list_order",
            )
        ]
        verbose_name = _("placement request")
        verbose_name_plural = _("placement requests")

    def __str__(self) -> str:
        return _("Placement request %(number)s") % {"number": self.pk}

    def clean(self):
        if self.placement_type == PlacementType.EMERGENCY and self.urgency == self.Urgency.NORMAL:
            raise ValidationError({"urgency": _("An emergency placement is immediate or urgent.")})

    @property
    def is_open(self) -> bool:
        return self.status not in (self.Status.PLACED, self.Status.WITHDRAWN, self.Status.NO_PLACE)

    @property
    def age_days(self) -> int:
        """Days since the request was sent to the unit (a draft: since it was made)."""
        return (
            timezone.localdate() - timezone.localdate(self.submitted_at or self.created_at)
        ).days

    @property
    def title(self) -> str:
        """A readable title, e.g. "Emergency placement: Aino K. (7 y) and 1 sibling – Kemi".

        Names the eldest child by first name and initial, never an identity code. Reads
        ``children`` (prefetch it on lists). E-mails use ``str()``, which names no child.
        """
        children = sorted(self.children.all(), key=lambda child: (child.date_of_birth, child.pk))
        if not children:
            return str(self)
        first = children[0]
        named = _("%(first_name)s %(initial)s. (%(age)s y)") % {
            "first_name": first.first_name,
            "initial": first.last_name[:1],
            "age": first.age,
        }
        if len(children) > 1:
            named = ngettext(
                "%(child)s and %(count)s sibling",
                "%(child)s and %(count)s siblings",
                len(children) - 1,
            ) % {"child": named, "count": len(children) - 1}
        return _("%(type)s: %(children)s – %(municipality)s") % {
            "type": self.get_placement_type_display(),
            "children": named,
            "municipality": self.municipality.name,
        }


class PlacementRequestUserObjectPermission(UserObjectPermissionBase):
    """A request shared with one user outside its municipality (django-guardian, direct FK)."""

    content_object = models.ForeignKey(PlacementRequest, on_delete=models.CASCADE)


class PlacementRequestGroupObjectPermission(GroupObjectPermissionBase):
    """A request shared with a group (django-guardian, direct FK)."""

    content_object = models.ForeignKey(PlacementRequest, on_delete=models.CASCADE)


class RequestEvent(ChoiceLabels):
    """One step on a request's timeline; written by the step's service, never edited."""

    request = models.ForeignKey(
        PlacementRequest,
        on_delete=models.CASCADE,
        related_name="events",
        verbose_name=_("placement request"),
    )
    at = models.DateTimeField(_("time"), default=timezone.now)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("by"),
    )
    from_status = models.CharField(
        _("from"), max_length=20, choices=PlacementRequest.Status.choices, blank=True
    )
    to_status = models.CharField(_("to"), max_length=20, choices=PlacementRequest.Status.choices)
    # A person's own words stay as typed, with the language they were typed in; what the
    # system writes is a code and its parameters, shown in the reader's language.
    note = models.TextField(_("note"), blank=True)
    note_language = models.CharField(_("language of the note"), max_length=10, blank=True)
    note_code = models.CharField(_("note code"), max_length=60, blank=True)
    note_params = models.JSONField(_("note parameters"), default=dict, blank=True)

    objects = RequestEventQuerySet.as_manager()

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("request event")
        verbose_name_plural = _("request timeline")

    def __str__(self) -> str:
        return f"{self.request_id}: {self.from_status} → {self.to_status}"

    @property
    def system_note(self) -> str:
        """The system's note in the reader's language ("" when there is none)."""
        return stored_text.render(self.note_code, self.note_params) if self.note_code else ""


class Proposal(models.Model):
    """A family or a provider's unit the unit proposes for a request; the municipality
    accepts one."""

    request = models.ForeignKey(
        PlacementRequest,
        on_delete=models.CASCADE,
        related_name="proposals",
        verbose_name=_("placement request"),
    )
    family = models.ForeignKey(
        Family,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="proposals",
        verbose_name=_("family"),
    )
    provider_unit = models.ForeignKey(
        ProviderUnit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="proposals",
        verbose_name=_("provider unit"),
    )
    rank = models.PositiveSmallIntegerField(_("rank"), default=1)
    reason_codes = models.JSONField(
        _("reasons"),
        default=list,
        blank=True,
        help_text=_("Why matching ranked the family, as codes shown in the reader's language."),
    )
    accepted = models.BooleanField(_("accepted"), default=False)
    declined = models.BooleanField(
        _("declined"),
        default=False,
        help_text=_("The municipality found none of the families fit."),
    )
    proposed_at = models.DateTimeField(_("proposed"), default=timezone.now)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("proposed by"),
    )

    objects = ProposalQuerySet.as_manager()

    class Meta:
        ordering = ["request", "rank", "pk"]
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")
        constraints = [
            models.UniqueConstraint(fields=["request", "family"], name="proposal_family_once"),
            models.UniqueConstraint(
                fields=["request", "provider_unit"], name="proposal_provider_unit_once"
            ),
            models.CheckConstraint(
                condition=models.Q(family__isnull=False, provider_unit__isnull=True)
                | models.Q(family__isnull=True, provider_unit__isnull=False),
                name="proposal_family_or_provider_unit",
            ),
            models.UniqueConstraint(
                fields=["request"],
                condition=models.Q(accepted=True),
                name="proposal_one_accepted_per_request",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.request}: {self.place}"

    @property
    def place(self):
        """The family or the provider's unit proposed."""
        return self.family or self.provider_unit

    @property
    def reasons(self) -> str:
        """The reasons in the active language, as one line."""
        return "; ".join(render_all(self.reason_codes))


class Placement(ChoiceLabels):
    """One child's stay in a family or with a provider, and the decision behind it."""

    class EndReason(models.TextChoices):
        RETURNED_HOME = "returned_home", _("Returned home")
        MOVED = "moved", _("Moved to another place")
        CARE_ENDED = "care_ended", _("Care ended at 18")
        EMERGENCY_ENDED = "emergency_ended", _("Emergency placement ended")
        OTHER = "other", _("Other")

    child = models.ForeignKey(
        Child, on_delete=models.PROTECT, related_name="placements", verbose_name=_("child")
    )
    request = models.ForeignKey(
        PlacementRequest,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="placements",
        verbose_name=_("placement request"),
    )
    family = models.ForeignKey(
        Family,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="placements",
        verbose_name=_("family"),
    )
    provider = models.ForeignKey(
        Provider,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="placements",
        verbose_name=_("provider"),
    )
    provider_unit = models.ForeignKey(
        ProviderUnit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="placements",
        verbose_name=_("provider unit"),
    )
    placement_type = models.CharField(
        _("placement type"), max_length=20, choices=PlacementType.choices
    )
    started_on = models.DateField(_("start date"))
    ended_on = models.DateField(_("end date"), null=True, blank=True)
    end_reason = models.CharField(
        _("end reason"), max_length=20, choices=EndReason.choices, blank=True
    )
    decision_on = models.DateField(_("decision date"), null=True, blank=True)
    decision_maker = models.CharField(_("decision maker"), max_length=150, blank=True)
    decision_reference = models.CharField(_("decision reference"), max_length=50, blank=True)
    extension_days = models.PositiveSmallIntegerField(
        _("extension (days)"),
        default=0,
        editable=False,
        help_text=_("Child Welfare Act 38 a §: an emergency placement extended up to 30 days."),
    )
    extension_decided_on = models.DateField(
        _("extension decided on"), null=True, blank=True, editable=False
    )

    objects = PlacementQuerySet.as_manager()

    class Meta:
        ordering = ["-started_on", "-pk"]
        verbose_name = _("placement")
        verbose_name_plural = _("placements")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(family__isnull=False, provider__isnull=True)
                | models.Q(family__isnull=True, provider__isnull=False),
                name="placement_family_or_provider",
            ),
            models.CheckConstraint(
                condition=models.Q(provider_unit__isnull=True) | models.Q(provider__isnull=False),
                name="placement_unit_with_provider",
            ),
            models.CheckConstraint(
                condition=models.Q(ended_on__isnull=True)
                | models.Q(ended_on__gte=models.F("started_on")),
                name="placement_ends_after_start",
            ),
            models.UniqueConstraint(
                fields=["child"],
                condition=models.Q(ended_on__isnull=True),
                name="placement_one_active_per_child",
            ),
            models.CheckConstraint(
                condition=models.Q(extension_days__lte=EMERGENCY_EXTENSION_MAX_DAYS),
                name="placement_extension_at_most_30_days",
            ),
        ]
        indexes = [
            # the room of a family or unit (placements.room) counts its children placed
            # now: an index-only scan of these per family at national scale
            models.Index(
                fields=["family"],
                condition=models.Q(ended_on__isnull=True),
                name="placement_active_family",
            ),
            models.Index(
                fields=["provider_unit"],
                condition=models.Q(ended_on__isnull=True),
                name="placement_active_unit",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.child} – {self.family or self.provider}"

    def clean(self):
        if bool(self.family_id) == bool(self.provider_id):
            raise ValidationError(_("A placement is with either a family or a provider."))
        if self.provider_unit_id and self.provider_unit.provider_id != self.provider_id:
            raise ValidationError({"provider_unit": _("The unit is not the provider's.")})
        if self.ended_on and self.started_on and self.ended_on < self.started_on:
            raise ValidationError({"ended_on": _("A placement cannot end before it starts.")})
        if self.ended_on and not self.end_reason:
            raise ValidationError({"end_reason": _("Give the reason the placement ended.")})

    @property
    def place(self):
        return self.family or self.provider_unit or self.provider

    @property
    def emergency_max_days(self) -> int:
        """The 30 days of 38 §, and the extension of 38 a § once decided."""
        return EMERGENCY_PLACEMENT_MAX_DAYS + self.extension_days

    @property
    def emergency_ends_on(self) -> date | None:
        if self.placement_type != PlacementType.EMERGENCY:
            return None
        return self.started_on + timedelta(days=self.emergency_max_days)

    @property
    def emergency_days_left(self) -> int | None:
        """Days left of the 30 (Child Welfare Act 38 §, with a 38 a § extension);
        negative once overrun."""
        if self.emergency_ends_on is None or self.ended_on:
            return None
        return (self.emergency_ends_on - timezone.localdate()).days

    @property
    def aftercare_until(self) -> date:
        return birthday(self.child.date_of_birth, settings.AFTERCARE_MAX_AGE)

    @property
    def needs_aftercare_planning(self) -> bool:
        """Flag young people within AFTERCARE_PLANNING_MONTHS of turning 18 (or older)."""
        if self.ended_on:
            return False
        after, until = aftercare_planning_born(timezone.localdate())
        return after < self.child.date_of_birth <= until


class SupportArrangement(ChoiceLabels):
    """An agreement that a support family takes a child on given dates: an open-care
    support measure (Child Welfare Act 36 §), not a placement; its stays hold the dates."""

    class Pattern(models.TextChoices):
        MONTHLY_WEEKEND = "monthly_weekend", _("One weekend a month")
        GIVEN_DAYS = "given_days", _("Given days")

    child = models.ForeignKey(
        Child,
        on_delete=models.PROTECT,
        related_name="support_arrangements",
        verbose_name=_("child"),
    )
    family = models.ForeignKey(
        Family,
        on_delete=models.PROTECT,
        related_name="support_arrangements",
        verbose_name=_("support family"),
    )
    municipality = models.ForeignKey(
        MemberOrganisation,
        on_delete=models.PROTECT,
        related_name="support_arrangements",
        verbose_name=_("municipality"),
        help_text=_("The child's municipality, a party to the agreement."),
    )
    request = models.ForeignKey(
        PlacementRequest,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="support_arrangements",
        verbose_name=_("placement request"),
    )
    pattern = models.CharField(_("pattern"), max_length=20, choices=Pattern.choices)
    weekend_of_month = models.PositiveSmallIntegerField(
        _("weekend of the month"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(4)],
        help_text=_("1–4: the weekend that begins on the month's first, second… Friday."),
    )
    starts_on = models.DateField(_("agreement starts"))
    ends_on = models.DateField(_("agreement ends"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = SupportArrangementQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_on", "-pk"]
        verbose_name = _("support-family arrangement")
        verbose_name_plural = _("support-family arrangements")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                name="support_arrangement_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.child} – {self.family}"

    @property
    def care_days(self) -> int:
        """Days of the stays not cancelled (stays prefetched; ``placements.care_days``)."""
        return sum(stay.days for stay in self.stays.all() if not stay.cancelled)

    def clean(self):
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("The agreement cannot end before it starts.")})
        if self.child_id and self.family_id and self.child.municipality_id != self.municipality_id:
            raise ValidationError(_("The arrangement is with the child's own municipality."))
        if self.pattern == self.Pattern.MONTHLY_WEEKEND and not self.weekend_of_month:
            raise ValidationError({"weekend_of_month": _("Choose the weekend of the month.")})


class SupportStay(models.Model):
    """One dated stay of a support-family arrangement, from its first day to its last."""

    arrangement = models.ForeignKey(
        SupportArrangement,
        on_delete=models.CASCADE,
        related_name="stays",
        verbose_name=_("arrangement"),
    )
    starts_on = models.DateField(_("first day"))
    ends_on = models.DateField(_("last day"))
    cancelled = models.BooleanField(_("cancelled"), default=False)
    cancel_reason = models.TextField(_("reason for cancelling"), blank=True)

    objects = SupportStayQuerySet.as_manager()

    class Meta:
        ordering = ["starts_on", "pk"]
        verbose_name = _("support-family stay")
        verbose_name_plural = _("support-family stays")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                name="support_stay_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.arrangement}: {self.starts_on}–{self.ends_on}"

    def clean(self):
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("A stay cannot end before it starts.")})

    @property
    def days(self) -> int:
        return (self.ends_on - self.starts_on).days + 1


class SupportArrangementEvent(models.Model):
    """One change of an arrangement or its stays; written by the services, never edited."""

    arrangement = models.ForeignKey(
        SupportArrangement,
        on_delete=models.CASCADE,
        related_name="events",
        verbose_name=_("arrangement"),
    )
    at = models.DateTimeField(_("time"), default=timezone.now)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("by")
    )
    note = models.TextField(_("note"))

    objects = SupportArrangementEventQuerySet.as_manager()

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("arrangement event")
        verbose_name_plural = _("arrangement history")

    def __str__(self) -> str:
        return f"{self.arrangement_id}: {self.note}"


class PlacementChange(ChoiceLabels):
    """One correction of a placement (its dates, its ending, a 38 a § extension), with
    the values before and after and the reason; written by the services, never edited."""

    class Kind(models.TextChoices):
        DATES = "dates", _("Dates corrected")
        ENDED = "ended", _("Placement ended")
        EXTENDED = "extended", _("Emergency placement extended (38 a §)")

    placement = models.ForeignKey(
        Placement, on_delete=models.CASCADE, related_name="changes", verbose_name=_("placement")
    )
    kind = models.CharField(_("change"), max_length=20, choices=Kind.choices)
    at = models.DateTimeField(_("time"), default=timezone.now)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("by")
    )
    before = models.JSONField(_("before"), default=dict, blank=True)
    after = models.JSONField(_("after"), default=dict, blank=True)
    reason = models.TextField(_("reason"), blank=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("placement change")
        verbose_name_plural = _("placement changes")

    def __str__(self) -> str:
        return f"{self.placement_id}: {self.kind}"

    FIELD_LABELS = {
        "started_on": _("start date"),
        "ended_on": _("end date"),
        "end_reason": _("end reason"),
        "extension_days": _("extension (days)"),
        "extension_decided_on": _("extension decided on"),
    }

    def fields_changed(self) -> list[tuple[str, str, str]]:
        """(field, before, after) for each field the change touched, readable."""
        return [
            (
                str(self.FIELD_LABELS.get(key, key)),
                _shown(key, self.before.get(key)),
                _shown(key, value),
            )
            for key, value in self.after.items()
            if self.before.get(key) != value
        ]


def _shown(key: str, value) -> str:
    if value in (None, ""):
        return "–"
    if key.endswith("_on"):
        return formats.date_format(date.fromisoformat(value), "SHORT_DATE_FORMAT")
    if key == "end_reason":
        return str(Placement.EndReason(value).label)
    return str(value)


class AftercarePlan(models.Model):
    """The aftercare plan (Child Welfare Act 75 §) agreed with the young person's
    municipality, reviewed by a date the unit's work queue watches."""

    child = models.ForeignKey(
        Child, on_delete=models.CASCADE, related_name="aftercare_plans", verbose_name=_("child")
    )
    agreed_on = models.DateField(_("agreed on"))
    agreed_with = models.CharField(
        _("agreed with"),
        max_length=150,
        help_text=_("The municipality's social worker the plan was agreed with."),
    )
    review_on = models.DateField(_("review date"))
    plan = models.TextField(_("plan"), blank=True, help_text=_("What was agreed, in short."))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = AftercarePlanQuerySet.as_manager()

    class Meta:
        ordering = ["review_on", "pk"]
        verbose_name = _("aftercare plan")
        verbose_name_plural = _("aftercare plans")

    def __str__(self) -> str:
        return f"{self.child}: {self.review_on:%Y-%m-%d}"

    def clean(self):
        if self.agreed_on and self.review_on and self.review_on < self.agreed_on:
            raise ValidationError({"review_on": _("The review comes after the agreement.")})
