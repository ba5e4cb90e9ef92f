import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from families.models import Carer, Family
from fostercare.access import RestrictedQuerySet
from fostercare.models import ChoiceLabels, MemberOrganisation
from fostercare.validators import validate_sane_year

PERSONAL_IDENTITY_CODE = re.compile(r"\d{6}[-+A-FU-Y]\d{3}[0-9A-Y]", re.IGNORECASE)


class Audience(models.TextChoices):
    """Who a course is for."""

    FOSTER_PARENTS = "foster_parents", _("Foster parents")
    SUPPORT_FAMILIES = "support_families", _("Support families")
    CHILDREN = "children", _("Children")
    BIRTH_PARENTS = "birth_parents", _("Birth parents")
    KINSHIP_CARERS = "kinship_carers", _("Kinship carers")


@dataclass(frozen=True)
class Progress:
    """How far one participant is against a course type's completion rule."""

    required_group_meetings: int
    make_ups_allowed: int
    required_individual_meetings: int
    assessment_required: bool
    group_meetings: int
    make_ups: int
    individual_meetings: int
    assessed: bool

    @property
    def counted_meetings(self) -> int:
        # make-ups only replace missed meetings, and only as many as the rule allows
        missed = max(self.required_group_meetings - self.group_meetings, 0)
        return self.group_meetings + min(self.make_ups, self.make_ups_allowed, missed)

    @property
    def meetings_met(self) -> bool:
        return self.counted_meetings >= self.required_group_meetings

    @property
    def individual_meetings_met(self) -> bool:
        return self.individual_meetings >= self.required_individual_meetings

    @property
    def ready_for_assessment(self) -> bool:
        return self.meetings_met and self.individual_meetings_met

    @property
    def complete(self) -> bool:
        return self.ready_for_assessment and (self.assessed or not self.assessment_required)


class CourseType(ChoiceLabels):
    """A kind of course and the rule that says when a participant has completed it."""

    class Category(models.TextChoices):
        PRE_SERVICE = "pre_service", _("Pre-service training")
        KINSHIP_PRE_SERVICE = "kinship_pre_service", _("Kinship carers' pre-service training")
        CONTINUING_EDUCATION = "continuing_education", _("Continuing education")
        PEER_GROUP = "peer_group", _("Peer group")
        GROUP_SUPERVISION = "group_supervision", _("Group supervision")
        INDIVIDUAL_SUPERVISION = "individual_supervision", _("Individual supervision")
        INFO_EVENING = "info_evening", _("Info evening")

    code = models.SlugField(_("code"), max_length=40, unique=True)
    category = models.CharField(_("category"), max_length=30, choices=Category.choices)
    name_fi = models.CharField(_("name in Finnish"), max_length=100)
    name_sv = models.CharField(_("name in Swedish"), max_length=100, blank=True)
    name_en = models.CharField(_("name in English"), max_length=100, blank=True)
    required_group_meetings = models.PositiveSmallIntegerField(
        _("group meetings required"),
        default=0,
        help_text=_("How many group meetings a participant must attend to complete the course."),
    )
    make_ups_allowed = models.PositiveSmallIntegerField(
        _("make-up meetings allowed"),
        default=0,
        help_text=_("How many missed group meetings may be replaced by a make-up meeting."),
    )
    required_individual_meetings = models.PositiveSmallIntegerField(
        _("individual meetings required"),
        default=0,
        help_text=_("Meetings of the trainers with the family (PRIDE: at least 3)."),
    )
    assessment_required = models.BooleanField(
        _("readiness assessment required"),
        default=False,
        help_text=_("The course ends with a written joint assessment of the family's readiness."),
    )
    counts_as_continuing_education = models.BooleanField(
        _("counts as continuing education"),
        default=False,
        help_text=_("Attended hours are counted in the carers' continuing-education hours."),
    )

    class Meta:
        ordering = ["category", "name_fi"]
        verbose_name = _("course type")
        verbose_name_plural = _("course types")

    def __str__(self) -> str:
        return {"sv": self.name_sv, "en": self.name_en}.get(get_language(), "") or self.name_fi

    # Work supervision is led by a work supervisor from the expert registers.
    SUPERVISION_CATEGORIES = (Category.GROUP_SUPERVISION, Category.INDIVIDUAL_SUPERVISION)
    # Groups led by an expert; their leaders are linked in ``experts.GroupLeader``.
    LED_CATEGORIES = (*SUPERVISION_CATEGORIES, Category.PEER_GROUP)

    @property
    def is_pre_service(self) -> bool:
        return self.category in (self.Category.PRE_SERVICE, self.Category.KINSHIP_PRE_SERVICE)

    @property
    def is_supervision(self) -> bool:
        return self.category in self.SUPERVISION_CATEGORIES

    @property
    def is_peer_group(self) -> bool:
        return self.category == self.Category.PEER_GROUP

    def clean(self):
        if self.make_ups_allowed > self.required_group_meetings:
            raise ValidationError(
                {"make_ups_allowed": _("More make-ups than required meetings makes no sense.")}
            )

    def progress(
        self, *, group_meetings: int, make_ups: int, individual_meetings: int, assessed: bool
    ) -> Progress:
        return Progress(
            required_group_meetings=self.required_group_meetings,
            make_ups_allowed=self.make_ups_allowed,
            required_individual_meetings=self.required_individual_meetings,
            assessment_required=self.assessment_required,
            group_meetings=group_meetings,
            make_ups=make_ups,
            individual_meetings=individual_meetings,
            assessed=assessed,
        )


class Course(models.Model):
    """One run of a course: its sessions, seats and who it is for."""

    course_type = models.ForeignKey(
        CourseType, on_delete=models.PROTECT, related_name="courses", verbose_name=_("course type")
    )
    title = models.CharField(
        _("title"), max_length=150, help_text=_("e.g. PRIDE spring 2027, Kemi")
    )
    audience = ArrayField(
        models.CharField(max_length=20, choices=Audience.choices),
        verbose_name=_("audience"),
        default=list,
        blank=True,
    )
    capacity = models.PositiveSmallIntegerField(
        _("seats"),
        help_text=_("How many persons can take part. Further enrolments are waitlisted."),
    )
    enrolment_opens_on = models.DateField(_("enrolment opens"), null=True, blank=True)
    enrolment_closes_on = models.DateField(_("enrolment closes"), null=True, blank=True)
    organiser = models.ForeignKey(
        MemberOrganisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("held in municipality"),
    )
    description = models.TextField(_("description"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("course")
        verbose_name_plural = _("courses")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(enrolment_opens_on__isnull=True)
                | models.Q(enrolment_closes_on__isnull=True)
                | models.Q(enrolment_opens_on__lte=models.F("enrolment_closes_on")),
                name="course_enrolment_window_ordered",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self):
        if (
            self.enrolment_opens_on
            and self.enrolment_closes_on
            and self.enrolment_opens_on > self.enrolment_closes_on
        ):
            raise ValidationError(
                {"enrolment_closes_on": _("Enrolment cannot close before it opens.")}
            )

    @property
    def audience_labels(self) -> list[str]:
        labels = dict(Audience.choices)
        return [str(labels.get(value, value)) for value in self.audience]

    def enrolment_open_on(self, day) -> bool:
        if self.enrolment_opens_on and day < self.enrolment_opens_on:
            return False
        return not (self.enrolment_closes_on and day > self.enrolment_closes_on)


class Session(ChoiceLabels):
    """One meeting of a course: when, where, what about and who leads it."""

    class Kind(models.TextChoices):
        GROUP = "group", _("Group meeting")
        MAKE_UP = "make_up", _("Make-up meeting")

    course = models.ForeignKey(
        Course, on_delete=models.CASCADE, related_name="sessions", verbose_name=_("course")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.GROUP)
    date = models.DateField(_("date"), validators=[validate_sane_year])
    start_time = models.TimeField(_("starts"))
    end_time = models.TimeField(_("ends"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    online_link = models.URLField(_("online link"), blank=True)
    topic = models.CharField(_("topic"), max_length=200)
    trainers = models.CharField(_("trainers"), max_length=200, blank=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["date", "start_time", "pk"]
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(start_time__lt=models.F("end_time")),
                name="session_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.course} {self.date:%Y-%m-%d}: {self.topic}"

    def clean(self):
        if self.start_time and self.end_time and self.start_time >= self.end_time:
            raise ValidationError({"end_time": _("The session must end after it starts.")})
        if not self.place and not self.online_link:
            raise ValidationError({"place": _("Give a place or an online link.")})

    @property
    def starts_at(self) -> datetime:
        return timezone.make_aware(datetime.combine(self.date, self.start_time))

    @property
    def ends_at(self) -> datetime:
        return timezone.make_aware(datetime.combine(self.date, self.end_time))

    @property
    def has_started(self) -> bool:
        return self.starts_at <= timezone.now()

    @property
    def hours(self) -> Decimal:
        seconds = (self.ends_at - self.starts_at) / timedelta(seconds=1)
        return (Decimal(int(seconds)) / 3600).quantize(Decimal("0.1"))


class Enrolment(ChoiceLabels):
    """A carer's place on a course, or on its waitlist."""

    class Status(models.TextChoices):
        ENROLLED = "enrolled", _("Enrolled")
        WAITLISTED = "waitlisted", _("Waitlisted")
        CANCELLED = "cancelled", _("Cancelled")

    course = models.ForeignKey(
        Course, on_delete=models.CASCADE, related_name="enrolments", verbose_name=_("course")
    )
    carer = models.ForeignKey(
        Carer, on_delete=models.CASCADE, related_name="enrolments", verbose_name=_("carer")
    )
    status = models.CharField(_("status"), max_length=12, choices=Status.choices)
    # the waitlist is served in the order people joined it
    created_at = models.DateTimeField(_("enrolled at"), default=timezone.now)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("enrolled by"),
    )

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["course", "created_at", "pk"]
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        constraints = [
            models.UniqueConstraint(
                fields=["course", "carer"],
                condition=~models.Q(status="cancelled"),
                name="enrolment_one_active_per_carer",
            )
        ]
        indexes = [models.Index(fields=["course", "status", "created_at"])]

    def __str__(self) -> str:
        return f"{self.carer} – {self.course}"

    @property
    def progress(self) -> Progress:
        """Needs the annotations of ``training.selectors.enrolments_with_progress``."""
        return self.course.course_type.progress(
            group_meetings=self.group_meetings,
            make_ups=self.make_ups,
            individual_meetings=self.family_individual_meetings,
            assessed=self.family_assessed,
        )


class GroupParticipant(ChoiceLabels):
    """A peer group's participant who is not a carer on the register: a child, a birth
    parent or another person, known only by a display name or pseudonym."""

    class Role(models.TextChoices):
        CHILD = "child", _("Child")
        FOSTER_PARENT = "foster_parent", _("Foster parent")
        BIRTH_PARENT = "birth_parent", _("Birth parent")
        OTHER = "other", _("Other")

    course = models.ForeignKey(
        Course, on_delete=models.CASCADE, related_name="participants", verbose_name=_("group")
    )
    role = models.CharField(_("taking part as"), max_length=15, choices=Role.choices)
    # Data minimisation: no identity code, no contact details; a child never by full name.
    display_name = models.CharField(
        _("display name"),
        max_length=60,
        help_text=_("A first name or a pseudonym only. Never an identity code."),
    )
    created_at = models.DateTimeField(_("added"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("added by"),
    )

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["course", "display_name", "pk"]
        verbose_name = _("group participant")
        verbose_name_plural = _("group participants")
        constraints = [
            models.UniqueConstraint(
                fields=["course", "display_name"], name="participant_name_unique_in_group"
            )
        ]

    def __str__(self) -> str:
        return f"{self.display_name} ({self.get_role_display()})"

    def clean(self):
        if self.course_id and not self.course.course_type.is_peer_group:
            raise ValidationError(
                {"course": _("Participants other than carers take part in peer groups only.")}
            )
        # a Finnish personal identity code: DDMMYY, century sign, 3 digits, check character
        if self.display_name and PERSONAL_IDENTITY_CODE.search(self.display_name):
            raise ValidationError(
                {"display_name": _("Do not store an identity code; use a first name or pseudonym.")}
            )


class Attendance(models.Model):
    """A participant was present at a session. Absence is the lack of a row. The participant
    is a carer's enrolment or, in a peer group, a group participant: exactly one of them."""

    session = models.ForeignKey(
        Session, on_delete=models.CASCADE, related_name="attendances", verbose_name=_("session")
    )
    enrolment = models.ForeignKey(
        Enrolment,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="attendances",
        verbose_name=_("enrolment"),
    )
    participant = models.ForeignKey(
        GroupParticipant,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="attendances",
        verbose_name=_("group participant"),
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["session", "enrolment", "participant"]
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [
            models.UniqueConstraint(
                fields=["session", "enrolment"], name="attendance_once_per_session"
            ),
            models.UniqueConstraint(
                fields=["session", "participant"], name="attendance_participant_once_per_session"
            ),
            models.CheckConstraint(
                condition=models.Q(enrolment__isnull=False, participant__isnull=True)
                | models.Q(enrolment__isnull=True, participant__isnull=False),
                name="attendance_enrolment_xor_participant",
            ),
        ]

    def __str__(self) -> str:
        who = self.enrolment.carer if self.enrolment_id else self.participant
        return f"{who} @ {self.session}"


class IndividualMeeting(models.Model):
    """A meeting of the trainers with one family during a course (PRIDE: home visits)."""

    course = models.ForeignKey(
        Course,
        on_delete=models.CASCADE,
        related_name="individual_meetings",
        verbose_name=_("course"),
    )
    family = models.ForeignKey(
        Family,
        on_delete=models.CASCADE,
        related_name="individual_meetings",
        verbose_name=_("family"),
    )
    held_on = models.DateField(_("date"))
    workers = models.CharField(_("workers"), max_length=200)
    notes = models.TextField(_("notes"), blank=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["course", "family", "held_on", "pk"]
        verbose_name = _("individual meeting")
        verbose_name_plural = _("individual meetings")

    def __str__(self) -> str:
        return f"{self.family} {self.held_on:%Y-%m-%d}"


class ReadinessAssessment(ChoiceLabels):
    """The written joint assessment of a family's readiness at the end of a course."""

    class Conclusion(models.TextChoices):
        READY = "ready", _("Ready")
        NOT_YET = "not_yet", _("Not yet")
        NOT_SUITABLE = "not_suitable", _("Not suitable")

    course = models.ForeignKey(
        Course, on_delete=models.CASCADE, related_name="assessments", verbose_name=_("course")
    )
    family = models.ForeignKey(
        Family,
        on_delete=models.CASCADE,
        related_name="readiness_assessments",
        verbose_name=_("family"),
    )
    assessed_on = models.DateField(_("date of the assessment"))
    assessors = models.CharField(_("assessors"), max_length=300)
    conclusion = models.CharField(_("conclusion"), max_length=15, choices=Conclusion.choices)
    reasoning = models.TextField(_("reasoning"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["-assessed_on", "-pk"]
        verbose_name = _("readiness assessment")
        verbose_name_plural = _("readiness assessments")
        constraints = [
            models.UniqueConstraint(
                fields=["course", "family"], name="assessment_one_per_family_course"
            )
        ]

    def __str__(self) -> str:
        return f"{self.family} – {self.course}: {self.get_conclusion_display()}"


class Inquiry(ChoiceLabels):
    """A family's first contact through the public form, and its way through recruitment."""

    class Stage(models.TextChoices):
        NEW = "new", _("New")
        CONTACTED = "contacted", _("Contacted")
        INFO_EVENING = "info_evening", _("Info evening")
        IN_TRAINING = "in_training", _("Enrolled in training")
        ASSESSMENT = "assessment", _("Assessment")
        APPROVED = "approved", _("Approved")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    family = models.OneToOneField(
        Family, on_delete=models.CASCADE, related_name="inquiry", verbose_name=_("family")
    )
    stage = models.CharField(
        _("stage"),
        max_length=20,
        choices=Stage.choices,
        default=Stage.NEW,
        editable=False,
        help_text=_("Changed only through the stage action, which writes the history."),
    )
    message = models.TextField(_("message"), blank=True)
    language = models.CharField(_("language of the inquiry"), max_length=5)
    consent_given_at = models.DateTimeField(_("consent given at"))
    created_at = models.DateTimeField(_("received"), default=timezone.now)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("inquiry")
        verbose_name_plural = _("inquiries")
        # the list's order: its first page is read from the index, not sorted
        indexes = [models.Index(F("created_at").desc(), F("id").desc(), name="inquiry_newest")]

    def __str__(self) -> str:
        return f"{self.family} ({self.created_at:%Y-%m-%d})"

    # An approved or withdrawn inquiry is closed: it moves no more and its time stops.
    CLOSED_STAGES = (Stage.APPROVED, Stage.WITHDRAWN)

    @property
    def is_closed(self) -> bool:
        return self.stage in self.CLOSED_STAGES

    @property
    def stage_label(self) -> str:
        """What get_stage_display() gives, without the choices it rebuilds and hashes on
        every call (a list shows one a row)."""
        return _STAGE_LABELS.get(self.stage, self.stage)


_STAGE_LABELS = dict(Inquiry.Stage.choices)


class InquiryStageChange(ChoiceLabels):
    """An inquiry entered a stage. Time in a stage runs until the next change."""

    inquiry = models.ForeignKey(
        Inquiry, on_delete=models.CASCADE, related_name="stage_changes", verbose_name=_("inquiry")
    )
    stage = models.CharField(_("stage"), max_length=20, choices=Inquiry.Stage.choices)
    entered_at = models.DateTimeField(_("time"), default=timezone.now)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("changed by"),
    )
    note = models.TextField(_("note"), blank=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["inquiry", "entered_at", "pk"]
        verbose_name = _("inquiry stage change")
        verbose_name_plural = _("inquiry stage history")
        # each inquiry's history in its order, with the stage: the pipeline reads it from
        # the index alone, unsorted; the list's latest change reads its end
        indexes = [
            models.Index(
                fields=["inquiry", "entered_at", "id"], include=["stage"], name="inquiry_history"
            )
        ]

    def __str__(self) -> str:
        return f"{self.inquiry}: {self.stage}"
