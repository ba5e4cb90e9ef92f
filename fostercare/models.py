import pgtrigger
from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.contrib.contenttypes.models import ContentType
from django.contrib.postgres.indexes import GinIndex, OpClass
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models.functions import Upper
from django.utils import timezone
from django.utils.encoding import force_str
from django.utils.hashable import make_hashable
from django.utils.translation import gettext_lazy as _
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

from fostercare.roles import Role
from fostercare.validators import business_id_canonical, validate_business_id


def contains_index(field: str, *, name: str) -> GinIndex:
    """A trigram index for ``icontains`` on ``field`` (Django compares UPPER() of both),
    so a name typed into a search box is found without reading the whole table."""
    return GinIndex(OpClass(Upper(field), name="gin_trgm_ops"), name=name)


# Each choice field's {value: label}, built on first use: the labels stay lazy, so each
# is translated into the reader's language when it is shown.
_choice_labels: dict[models.Field, dict] = {}


class ChoiceLabels(models.Model):
    """``get_FOO_display()`` from a table built once per field. Django's own rebuilds the
    table on every call and hashes each lazy label, translating it: about 50 µs a call,
    8 ms on a list page of 25 requests (type, urgency and status each)."""

    class Meta:
        abstract = True

    def _get_FIELD_display(self, field):
        labels = _choice_labels.get(field)
        if labels is None:
            labels = _choice_labels[field] = dict(make_hashable(field.flatchoices))
        value = getattr(self, field.attname)
        return force_str(labels.get(make_hashable(value), value), strings_only=True)


class MemberOrganisation(ChoiceLabels):
    """A municipality or wellbeing services county that is a member of the unit."""

    class Kind(models.TextChoices):
        MUNICIPALITY = "municipality", _("Municipality")
        WELLBEING_COUNTY = "wellbeing_county", _("Wellbeing services county")

    kind = models.CharField(
        _("kind"), max_length=20, choices=Kind.choices, default=Kind.MUNICIPALITY
    )
    code = models.CharField(
        _("official code"),
        max_length=10,
        unique=True,
        validators=[RegexValidator(r"^\d{2,4}$", _("The official code is 2–4 digits."))],
        help_text=_("Statistics Finland's municipality or county code, e.g. 240 for Kemi."),
    )
    name_fi = models.CharField(_("name in Finnish"), max_length=100)
    name_sv = models.CharField(_("name in Swedish"), max_length=100, blank=True)
    legal_name = models.CharField(
        _("legal name"),
        max_length=140,
        blank=True,
        help_text=_(
            "The name on invoices, e.g. Tornion kaupunki. Empty: the name in the invoicing "
            "language."
        ),
    )
    invoicing_language = models.CharField(
        _("invoicing language"),
        max_length=2,
        choices=[("fi", _("Finnish")), ("sv", _("Swedish"))],
        default="fi",
        help_text=_("The language of the invoices this organisation receives."),
    )
    buyer_reference = models.CharField(
        _("buyer's reference"),
        max_length=70,
        blank=True,
        help_text=_("What the organisation asks its invoices to quote, e.g. a cost centre."),
    )
    business_id = models.CharField(
        _("business ID"), max_length=9, unique=True, validators=[validate_business_id]
    )
    einvoice_address = models.CharField(
        _("e-invoicing address"), max_length=35, blank=True, help_text=_("OVT or IBAN.")
    )
    einvoice_operator = models.CharField(
        _("e-invoicing operator"),
        max_length=35,
        blank=True,
        help_text=_("The operator's identifier, e.g. 003721291126."),
    )
    street_address = models.CharField(_("street address"), max_length=100, blank=True)
    postal_code = models.CharField(
        _("postal code"),
        max_length=5,
        blank=True,
        validators=[RegexValidator(r"^\d{5}$", _("A postal code is five digits."))],
    )
    post_office = models.CharField(_("post office"), max_length=50, blank=True)
    latitude = models.DecimalField(
        _("latitude"), max_digits=8, decimal_places=5, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=8, decimal_places=5, null=True, blank=True
    )

    class Meta:
        ordering = ["name_fi"]
        verbose_name = _("member organisation")
        verbose_name_plural = _("member organisations")
        # Granted per organisation (django-guardian) to the organisation's own group:
        # decides whose placement requests and children a municipal worker sees.
        permissions = [
            ("handle_placements", _("Can handle the organisation's placement requests")),
        ]

    def __str__(self) -> str:
        return self.name  # the reader's language: forms' dropdowns, lists and headings

    def clean(self):
        self.business_id = business_id_canonical(self.business_id)

    @property
    def invoicing_name(self) -> str:
        """The legal name, or the name in the organisation's invoicing language."""
        if self.legal_name:
            return self.legal_name
        if self.invoicing_language == "sv" and self.name_sv:
            return self.name_sv
        return self.name_fi

    @property
    def name(self) -> str:
        from django.utils.translation import get_language

        if get_language() == "sv" and self.name_sv:
            return self.name_sv
        return self.name_fi


class PopulationFigure(models.Model):
    """A member organisation's population at the end of a year (Statistics Finland)."""

    organisation = models.ForeignKey(
        MemberOrganisation,
        on_delete=models.CASCADE,
        related_name="population_figures",
        verbose_name=_("member organisation"),
    )
    year = models.PositiveSmallIntegerField(_("year"), validators=[MinValueValidator(1900)])
    population = models.PositiveIntegerField(_("population"))
    source = models.CharField(
        _("source"), max_length=200, blank=True, help_text=_("e.g. Statistics Finland")
    )

    class Meta:
        ordering = ["organisation__name_fi", "-year"]
        verbose_name = _("population figure")
        verbose_name_plural = _("population figures")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "year"], name="population_one_per_organisation_year"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation} {self.year}: {self.population}"


# Accounts the system itself writes as (inactive, no password), named in the reader's
# language wherever they appear as an actor: history, access log, timelines.
PUBLIC_FORM_USERNAME = "public-inquiry-form"
SYSTEM_ACCOUNTS = {PUBLIC_FORM_USERNAME: _("Public inquiry form")}


class User(ChoiceLabels, AbstractUser):
    """A person who logs in: a unit worker, municipal worker, finance or administrator."""

    organisation = models.ForeignKey(
        MemberOrganisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        verbose_name=_("member organisation"),
        help_text=_("Required for municipal social workers: the organisation they work for."),
    )
    title = models.CharField(_("title"), max_length=100, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    language = models.CharField(
        _("language"),
        max_length=10,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
        help_text=_(
            "The language of the pages after logging in and of the morning e-mail; "
            "switching the language on any page changes it."
        ),
    )

    class Meta(AbstractUser.Meta):
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        if self.username in SYSTEM_ACCOUNTS:
            # named in the reader's language, not in the language it was created in
            return str(SYSTEM_ACCOUNTS[self.username])
        return self.get_full_name() or self.username

    def has_role(self, role: Role) -> bool:
        # kept per instance for templates and selectors, and between requests like the
        # permissions (fostercare.backends)
        if not hasattr(self, "_role_names"):
            from fostercare.backends import cached_for_user

            self._role_names = cached_for_user(
                self, "roles", lambda: set(self.groups.values_list("name", flat=True))
            )
        return role in self._role_names

    @property
    def is_unit_worker(self) -> bool:
        return self.has_role(Role.UNIT_WORKER)

    @property
    def is_municipal_worker(self) -> bool:
        return self.has_role(Role.MUNICIPAL_WORKER)


class AccessLogEntry(ChoiceLabels):
    """One view or change of a person's data: who, when, from which organisation, why.

    The Client Data Act (703/2023) gives a client the right to know who processed
    their data; entries are written by ``access_log_record`` and never edited: the
    database refuses UPDATE and DELETE (a trigger), except inside the retention task
    (``access_log_delete_older_than``).
    """

    class Action(models.TextChoices):
        VIEW = "view", _("Viewed")
        CREATE = "create", _("Created")
        UPDATE = "update", _("Changed")
        EXPORT = "export", _("Exported")
        DISCLOSE = "disclose", _("Disclosed")

    at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("user"),
    )
    organisation = models.ForeignKey(
        MemberOrganisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organisation"),
    )
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    content_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, verbose_name=_("record type")
    )
    object_id = models.CharField(_("record id"), max_length=64)
    object_repr = models.CharField(_("record"), max_length=200)
    purpose = models.CharField(_("purpose"), max_length=200, blank=True)

    class Meta:
        ordering = ["-at"]
        verbose_name = _("access log entry")
        verbose_name_plural = _("access log")
        # The searches the right to know needs over millions of rows: one record over a
        # period (the person's report), one user's rows, a record id, and a name typed
        # into the admin's search (a trigram index for icontains, which uses UPPER()).
        indexes = [
            models.Index(fields=["content_type", "object_id", "at"]),
            models.Index(fields=["user", "at"], name="accesslog_user_at"),
            models.Index(fields=["object_id"], name="accesslog_object_id"),
            contains_index("object_repr", name="accesslog_object_repr_trgm"),
        ]
        triggers = [
            pgtrigger.Protect(name="append_only", operation=pgtrigger.Update | pgtrigger.Delete)
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.user} {self.action} {self.object_repr}"


class MemberOrganisationUserObjectPermission(UserObjectPermissionBase):
    """A permission one user holds on one member organisation (django-guardian, direct FK)."""

    content_object = models.ForeignKey(MemberOrganisation, on_delete=models.CASCADE)


class MemberOrganisationGroupObjectPermission(GroupObjectPermissionBase):
    """A permission a group holds on one member organisation (django-guardian, direct FK)."""

    content_object = models.ForeignKey(MemberOrganisation, on_delete=models.CASCADE)


class ReminderSent(models.Model):
    """A work-queue item a user has been reminded of once, at one threshold."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("user"),
    )
    # e.g. "placements.request:12" (fostercare.worklist.Item.key): ids, never names
    item_key = models.CharField(_("item"), max_length=200)
    threshold = models.CharField(_("threshold"), max_length=50)
    sent_on = models.DateField(_("sent on"))

    class Meta:
        ordering = ["-sent_on", "user", "item_key"]
        verbose_name = _("reminder sent")
        verbose_name_plural = _("reminders sent")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "item_key", "threshold"], name="reminder_once_per_threshold"
            )
        ]

    def __str__(self) -> str:
        return f"{self.sent_on} {self.user_id} {self.item_key} {self.threshold}"


class ImportJobQuerySet(models.QuerySet):
    def visible_to(self, user, action="view") -> "ImportJobQuerySet":
        """A user sees the imports they started; an administrator sees all of them."""
        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_superuser:
            return self.all()
        return self.filter(user=user)


class ImportJob(ChoiceLabels):
    """An admin import of a large file, run by a Celery worker: the file while it waits,
    then the progress, the counts and each row's error (fostercare.imports)."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Imported")
        FAILED = "failed", _("Not imported")

    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("user"),
    )
    content_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, verbose_name=_("record type")
    )
    # dotted paths, checked against the admin's own resources and formats when queued
    resource = models.CharField(_("import format"), max_length=200)
    file_format = models.CharField(_("file format"), max_length=200)
    file = models.FileField(_("file"), upload_to="imports/", blank=True)
    file_name = models.CharField(_("file name"), max_length=255)
    # the uploader's language, in which the worker writes the row errors
    language = models.CharField(_("language"), max_length=10, default="fi")
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    total_rows = models.PositiveIntegerField(_("rows"), default=0)
    counts = models.JSONField(_("counts"), default=dict, blank=True)
    # [{"row": 5, "column": "population", "message": "..."}], row 0 for the whole file
    errors = models.JSONField(_("errors"), default=list, blank=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    objects = ImportJobQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("import")
        verbose_name_plural = _("imports")

    def __str__(self) -> str:
        return f"{self.file_name} ({self.created_at:%Y-%m-%d %H:%M})"

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)


class AccessibilityFeedback(ChoiceLabels):
    """Feedback on the service's accessibility, sent through the accessibility statement's
    form (Act 306/2019 section 15): the unit answers within 14 days."""

    class Topic(models.TextChoices):
        SHORTCOMING = "shortcoming", _("An accessibility shortcoming")
        CONTENT_REQUEST = "content_request", _("A request for inaccessible content")
        OTHER = "other", _("Other feedback on accessibility")

    topic = models.CharField(_("topic"), max_length=20, choices=Topic.choices)
    page = models.CharField(_("page or service"), max_length=300, blank=True)
    message = models.TextField(_("feedback"), max_length=4000)
    name = models.CharField(_("name"), max_length=150, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    language = models.CharField(_("language"), max_length=10)
    received_at = models.DateTimeField(_("received"), default=timezone.now)

    class Meta:
        ordering = ["-received_at", "-pk"]
        verbose_name = _("accessibility feedback")
        verbose_name_plural = _("accessibility feedback")

    def __str__(self) -> str:
        return f"{self.get_topic_display()} ({self.received_at:%Y-%m-%d})"
