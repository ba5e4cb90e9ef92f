import re

import pgtrigger
from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import (
    Case,
    F,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Greatest, Least
from django.utils import timezone
from django.utils.translation import gettext, pgettext
from django.utils.translation import gettext_lazy as _
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

from families.choices import Language
from families.occupancy import (
    FAMILY,
    PROVIDER_UNIT,
    for_each,
    taken_counts,
    taken_expressions,
    taken_total,
)
from fostercare import stored_text
from fostercare.access import RestrictedQuerySet, is_municipal_worker_of_member
from fostercare.joins import join_counts
from fostercare.models import ChoiceLabels, MemberOrganisation, contains_index
from fostercare.validators import validate_business_id


def _languages_field(verbose_name):
    return ArrayField(
        models.CharField(max_length=3, choices=Language.choices),
        verbose_name=verbose_name,
        default=list,
        blank=True,
    )


class CheckType(ChoiceLabels):
    """How long one kind of check stays valid: the unit's renewal rule, edited in the admin."""

    class Code(models.TextChoices):
        HEALTH_CHECK = "health_check", _("Wellbeing and health check")
        CRIMINAL_RECORD = "criminal_record", _("Criminal-record extract")
        HOME_STUDY = "home_study", _("Home study")
        PROVIDER_LICENCE = "provider_licence", _("Provider licence review")

    code = models.CharField(_("check"), max_length=30, choices=Code.choices, unique=True)
    valid_months = models.PositiveSmallIntegerField(
        _("valid for (months)"),
        validators=[MaxValueValidator(240)],
        help_text=_(
            "How long the check stays valid before it is due again, e.g. 24 for a full-time "
            "carer's health check every other year. 0: it does not expire."
        ),
    )
    rule = models.CharField(
        _("basis"),
        max_length=200,
        blank=True,
        help_text=_("e.g. the law or the unit's decision that sets the period"),
    )

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        verbose_name = _("check type")
        verbose_name_plural = _("check types")

    def __str__(self) -> str:
        return self.get_code_display()


class SpecialSkill(models.Model):
    """A kind of special care a family is able to give, e.g. teenagers or disability."""

    name_fi = models.CharField(_("name in Finnish"), max_length=100, unique=True)
    name_sv = models.CharField(_("name in Swedish"), max_length=100, blank=True)
    name_en = models.CharField(_("name in English"), max_length=100, blank=True)

    class Meta:
        ordering = ["name_fi"]
        verbose_name = _("special skill")
        verbose_name_plural = _("special skills")

    def __str__(self) -> str:
        from django.utils.translation import get_language

        return {"sv": self.name_sv, "en": self.name_en}.get(get_language(), "") or self.name_fi


class FamilyQuerySet(RestrictedQuerySet):
    def with_room(self, **context) -> "FamilyQuerySet":
        """The one definition of a family's room, for every list, filter, page and board.

        Annotates ``taken`` (children placed plus children reserved by an accepted
        proposal, as the placing apps count them; ``context`` is passed to them, e.g.
        ``excluding_request``), ``free_places`` (places offered less taken),
        ``legal_room`` (Family Care Act 7 §: the limit for the carers living in the home
        less counted household members and taken; with a recorded 9 § exception, the free
        places) and ``room`` (what the family can take now: the smaller, never below 0).

        Each count is a subquery per family, right for a page of families; a sum over
        thousands takes them joined (``with_room_joined()``), the same figures.
        """
        return self._with_room(lambda name, counts: for_each(FAMILY, counts), **context)

    def with_room_joined(self, **context) -> "FamilyQuerySet":
        """``with_room()``, each count counted for every family at once and joined to the
        families (``fostercare.joins``): for sums over thousands of families (the vacancy
        board), where a subquery per family is most of the time, and for one family's
        page: PostgreSQL carries the family's id into each count (it is their grouping
        column), and each count is written once, not in every figure that names it (a
        family's row in 5.5 ms, not 11.6, at national scale)."""
        queryset = self._chain()
        return queryset._with_room(
            lambda name, counts: join_counts(queryset, name, counts, FAMILY), **context
        )

    def _with_room(self, per_family, **context) -> "FamilyQuerySet":
        # per_family(name, counts) is a family's count from ``counts`` (``counted_per``)
        taken = {name: per_family(name, counts) for name, counts in taken_counts(**context).items()}
        limit = Case(
            When(resident_carers__gte=2, then=Value(settings.FAMILY_CARE_MAX_PERSONS_TWO_CARERS)),
            default=Value(settings.FAMILY_CARE_MAX_PERSONS),
            output_field=IntegerField(),
        )
        return (
            self.annotate(
                **taken,
                taken=taken_total(taken),
                # kept on the family's row by the database (``counted_on_family``)
                resident_carers=F("resident_carer_count"),
                counted_household=F("counted_household_count"),
            )
            # Each expression names ``taken`` once: PostgreSQL runs a subquery as often as
            # it is written, so the room is the smaller limit less taken, not the smaller
            # of two differences (the same value, half the subqueries).
            .annotate(
                legal_limit=Case(
                    When(~Q(capacity_exception_reason=""), then=F("places")),
                    default=limit - F("counted_household"),
                    output_field=IntegerField(),
                )
            )
            .annotate(
                free_places=F("places") - F("taken"),
                legal_room=F("legal_limit") - F("taken"),
                room=Greatest(Least(F("places"), F("legal_limit")) - F("taken"), Value(0)),
            )
        )

    def available(self) -> "FamilyQuerySet":
        """Families that may be given a child now: approved or active, and trained or
        with a recorded Family Care Act 6 § exception whose deadline has not passed."""
        trained = Q(pre_service_training_completed_on__isnull=False) | (
            ~Q(training_exception_reason="") & Q(training_due_on__gte=timezone.localdate())
        )
        return self.filter(trained, status__in=Family.AVAILABLE_STATUSES)

    def with_room_for(self, children: int) -> "FamilyQuerySet":
        """Families whose ``room`` (``with_room()``) takes ``children``. The room never
        exceeds the places offered, so a family offering fewer is left out by its column
        before the room's four lookups are made for it."""
        return self.filter(places__gte=children, room__gte=children)

    def for_children(self, ages: list[int]) -> "FamilyQuerySet":
        """Families whose age range covers every child, who take siblings when there are
        several, and who have ``room`` (``with_room()``) for all of them at once: the
        one definition of "can take these children together"."""
        if not ages:
            return self
        queryset = self.filter(age_min__lte=min(ages), age_max__gte=max(ages)).with_room_for(
            len(ages)
        )
        if len(ages) > 1:
            queryset = queryset.filter(siblings_accepted=True)
        return queryset


# The words a user may type around a family's surname: "Perhe Aho", "Familjen Aho",
# "Aho-perhe", "the Aho family". The register keeps the surname(s) only.
_FAMILY_WORD = re.compile(
    r"^(?:perhe|familjen|familj|family|the)\s+|[\s-]+(?:perhe|familjen|familj|family)$",
    re.IGNORECASE,
)


def family_surname(text: str) -> str:
    """``text`` without the word "family" in any of our languages, spaces collapsed."""
    surname, previous = " ".join(text.split()), None
    while surname != previous:
        previous, surname = surname, _FAMILY_WORD.sub("", surname).strip()
    return surname or " ".join(text.split())


# The persons the Family Care Act's 7 § limit depends on, kept on the family's row by the
# database: (the family's column, the table of the persons, who counts, as SQL over one
# of its rows ``{row}``). ``counted_on_family`` adds the triggers that keep them.
PERSONS_COUNTED = {
    "resident_carer_count": ("families_carer", "{row}.lives_in_home"),
    "counted_household_count": (
        "families_householdmember",
        "{row}.counts_toward_capacity AND {row}.moved_out_on IS NULL",
    ),
}


def persons_counted_sql(family_id: str) -> dict[str, str]:
    """Each column's count of the persons who count (``PERSONS_COUNTED``) of the family
    whose id is ``family_id`` (SQL), counted from their rows."""
    return {
        column: f"(SELECT count(*) FROM {table} r "
        f"WHERE r.family_id = {family_id} AND {who.format(row='r')})"
        for column, (table, who) in PERSONS_COUNTED.items()
    }


def _persons_counted_kept() -> pgtrigger.Trigger:
    """The counts are the persons' triggers' alone (``counted_on_family``, which write them
    from inside a trigger): a family written with its form, the admin or an import keeps
    them, however old the copy it was read into; a new family starts from the rows already
    pointing at it (none, unless a fixture loaded its carers first: the foreign keys are
    checked at commit)."""
    counted = "".join(
        f"NEW.{column} := {sql};" for column, sql in persons_counted_sql("NEW.id").items()
    )
    kept = "".join(f"NEW.{column} := OLD.{column};" for column in PERSONS_COUNTED)
    return pgtrigger.Trigger(
        name="persons_counted_kept",
        when=pgtrigger.Before,
        operation=pgtrigger.Insert | pgtrigger.Update,
        func=f"""
            IF TG_OP = 'INSERT' THEN {counted}
            ELSIF pg_trigger_depth() = 1 THEN {kept}
            END IF;
            RETURN NEW;
        """,
    )


class Family(ChoiceLabels):
    """A family in the register that cares for children on commission."""

    class Kind(models.TextChoices):
        FOSTER = "foster", _("Foster family")
        RECEPTION = "reception", _("Reception (emergency) family")
        SUPPORT = "support", _("Support family")
        KINSHIP = "kinship", _("Kinship family")

    class Status(models.TextChoices):
        INQUIRY = "inquiry", _("Inquiry")
        IN_TRAINING = "in_training", _("In training")
        ASSESSMENT = "assessment", _("Assessment")
        APPROVED = "approved", _("Approved, in reserve")
        ACTIVE = "active", _("Active")
        PAUSED = "paused", _("Paused")
        ENDED = "ended", _("Ended")

    # The statuses in which a family may be proposed for and given a child.
    AVAILABLE_STATUSES = (Status.APPROVED, Status.ACTIVE)

    name = models.CharField(
        _("family name"),
        max_length=150,
        help_text=_("The surname(s), e.g. Virtanen–Korhonen; pages add the word “family”."),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=Status.choices,
        default=Status.INQUIRY,
        editable=False,
        help_text=_("Changed only through the status action, which writes the history."),
    )
    home_municipality = models.ForeignKey(
        MemberOrganisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="families",
        verbose_name=_("home municipality"),
        help_text=_("Leave empty if the family lives outside the member organisations."),
    )
    street_address = models.CharField(_("street address"), max_length=100, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=5, blank=True)
    post_office = models.CharField(_("post office"), max_length=50, blank=True)

    places = models.PositiveSmallIntegerField(
        _("places offered"), default=1, help_text=_("How many children the family can take.")
    )
    age_min = models.PositiveSmallIntegerField(
        _("youngest age accepted"), default=0, validators=[MaxValueValidator(20)]
    )
    age_max = models.PositiveSmallIntegerField(
        _("oldest age accepted"), default=17, validators=[MaxValueValidator(20)]
    )
    siblings_accepted = models.BooleanField(_("siblings accepted"), default=True)
    languages = _languages_field(_("languages"))
    special_skills = models.ManyToManyField(
        SpecialSkill, blank=True, related_name="families", verbose_name=_("special skills")
    )
    capacity_exception_reason = models.TextField(
        _("reason for exceeding the legal capacity"),
        blank=True,
        help_text=_(
            "Family Care Act 9 §: siblings or another special reason. Only when filled in "
            "may the family care for more persons than 7 § allows."
        ),
    )

    pre_service_training_completed_on = models.DateField(
        _("pre-service training completed on"), null=True, blank=True
    )
    training_exception_reason = models.TextField(
        _("reason for completing the training later"),
        blank=True,
        help_text=_(
            "Family Care Act 6 §: for a special reason the pre-service training may be "
            "completed within a year of the placement starting."
        ),
    )
    training_due_on = models.DateField(
        _("training to be completed by"),
        null=True,
        blank=True,
        help_text=_("With the reason above: the date by which the training must be completed."),
    )
    home_study_approved_on = models.DateField(_("home study approved on"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)

    # The persons the Family Care Act's 7 § limit depends on, counted by the database from
    # the carers' and household's rows whatever writes them (``counted_on_family``): the
    # room of every available family is summed at once (the vacancy board, matching), where
    # counting each family's rows was half the query.
    resident_carer_count = models.PositiveSmallIntegerField(
        _("carers living in the home"), default=0, editable=False
    )
    counted_household_count = models.PositiveSmallIntegerField(
        _("household members counted toward the legal capacity"), default=0, editable=False
    )

    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = FamilyQuerySet.as_manager()

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("family")
        verbose_name_plural = _("families")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(age_min__lte=models.F("age_max")),
                name="family_age_range_ordered",
            )
        ]
        # the list's order: its first page read from the index, not 20,000 rows sorted
        indexes = [
            models.Index(fields=["status", "kind"]),
            models.Index(fields=["name", "id"], name="family_name_order"),
            contains_index("name", name="family_name_contains"),
        ]
        triggers = [_persons_counted_kept()]

    # One naming rule, used by every page, PDF, picker, e-mail, the admin and the access
    # log: "Perhe Aho" / "Familjen Aho" / "Aho family" in the reader's language. The
    # register number is not part of the name; it is added where a family is chosen by
    # its name alone (the pickers, ``choice_label``), where two families may share one.
    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return gettext("%(name)s family") % {"name": self.name}

    @property
    def choice_label(self) -> str:
        return pgettext("family in a picker", "%(family)s, no. %(number)s") % {
            "family": self.display_name,
            "number": self.pk,
        }

    def clean(self):
        if self.age_min is not None and self.age_max is not None and self.age_min > self.age_max:
            raise ValidationError(
                {"age_max": _("The oldest age accepted cannot be below the youngest.")}
            )
        if self.training_exception_reason.strip() and not self.training_due_on:
            raise ValidationError(
                {"training_due_on": _("Give the date by which the training must be completed.")}
            )

    @property
    def is_trained(self) -> bool:
        return self.pre_service_training_completed_on is not None


def counted_on_family(column: str) -> list[pgtrigger.Trigger]:
    """Triggers keeping ``Family.<column>`` the number of the family's persons who count
    (``PERSONS_COUNTED``) on every insert, update, delete and truncate of their table,
    whatever the door (a page, the admin, an import, a bulk write, SQL). They add and
    take away one, never recount: two writers of one family's persons queue on its row
    and each adds to what the other left (a recount would read from before the other's
    commit)."""
    _table, counted = PERSONS_COUNTED[column]
    old, new = counted.format(row="OLD"), counted.format(row="NEW")
    family = f"UPDATE families_family SET {column} = {column}"
    return [
        pgtrigger.Trigger(
            name=f"count_{column}"[:43],
            when=pgtrigger.After,
            operation=pgtrigger.Insert | pgtrigger.Update | pgtrigger.Delete,
            func=f"""
                IF TG_OP = 'UPDATE' THEN
                    IF OLD.family_id = NEW.family_id AND ({old}) = ({new}) THEN
                        RETURN NULL;
                    END IF;
                END IF;
                IF TG_OP <> 'INSERT' THEN
                    IF {old} THEN {family} - 1 WHERE id = OLD.family_id; END IF;
                END IF;
                IF TG_OP <> 'DELETE' THEN
                    IF {new} THEN {family} + 1 WHERE id = NEW.family_id; END IF;
                END IF;
                RETURN NULL;
            """,
        ),
        pgtrigger.Trigger(
            name=f"zero_{column}"[:43],
            level=pgtrigger.Statement,
            when=pgtrigger.After,
            operation=pgtrigger.Truncate,
            func=f"UPDATE families_family SET {column} = 0 WHERE {column} <> 0; RETURN NULL;",
        ),
    ]


class Carer(models.Model):
    """A family carer (perhehoitaja): one of the adults of a family."""

    family = models.ForeignKey(
        Family, on_delete=models.CASCADE, related_name="carers", verbose_name=_("family")
    )
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    birth_year = models.PositiveSmallIntegerField(
        _("year of birth"), validators=[MinValueValidator(1920), MaxValueValidator(2100)]
    )
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    languages = _languages_field(_("languages"))
    lives_in_home = models.BooleanField(_("lives in the home"), default=True)
    moved_out_on = models.DateField(
        _("moved out on"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("Set by the move-out; the carer stays on record."),
    )

    # Checks are recorded as dates; the documents themselves are never stored.
    criminal_record_seen_on = models.DateField(
        _("criminal record extract seen on"), null=True, blank=True
    )
    criminal_record_seen_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("criminal record extract seen by"),
    )
    health_checked_on = models.DateField(_("health check on"), null=True, blank=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["family", "last_name", "first_name", "pk"]
        verbose_name = _("carer")
        verbose_name_plural = _("carers")
        indexes = [
            # the name searches (the access-log report's, the register's)
            contains_index("first_name", name="carer_first_name_contains"),
            contains_index("last_name", name="carer_last_name_contains"),
        ]
        triggers = counted_on_family("resident_carer_count")

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}"

    def clean(self):
        if self.birth_year and self.birth_year > timezone.localdate().year - 18:
            raise ValidationError({"birth_year": _("A carer must be an adult.")})
        # Who saw the extract is set by families.services.carer_save from the user who
        # enters the date, whatever the door; a name without a date means nothing.
        if self.criminal_record_seen_by_id and not self.criminal_record_seen_on:
            raise ValidationError(
                {
                    "criminal_record_seen_on": _(
                        "Give both the date the extract was seen and who saw it."
                    )
                }
            )


class HouseholdMember(models.Model):
    """A person already living in the family home, e.g. the carers' own child."""

    family = models.ForeignKey(
        Family,
        on_delete=models.CASCADE,
        related_name="household_members",
        verbose_name=_("family"),
    )
    description = models.CharField(
        _("description"), max_length=100, help_text=_("e.g. own child, grandparent")
    )
    birth_year = models.PositiveSmallIntegerField(
        _("year of birth"), validators=[MinValueValidator(1900), MaxValueValidator(2100)]
    )
    counts_toward_capacity = models.BooleanField(
        _("counts toward the legal capacity"),
        default=True,
        help_text=_(
            "Family Care Act 7 §: the carers' own children under school age and others in "
            "the home who need special care count."
        ),
    )
    moved_out_on = models.DateField(_("moved out on"), null=True, blank=True, editable=False)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["family", "birth_year", "pk"]
        verbose_name = _("household member")
        verbose_name_plural = _("household members")
        indexes = [contains_index("description", name="household_description_contains")]
        triggers = counted_on_family("counted_household_count")

    def __str__(self) -> str:
        return f"{self.description} ({self.birth_year})"


class FamilyStatusChange(ChoiceLabels):
    """One change of a family's status: written by ``family_change_status``, never edited."""

    family = models.ForeignKey(
        Family, on_delete=models.CASCADE, related_name="status_changes", verbose_name=_("family")
    )
    from_status = models.CharField(
        _("from"), max_length=20, choices=Family.Status.choices, blank=True
    )
    to_status = models.CharField(_("to"), max_length=20, choices=Family.Status.choices)
    changed_at = models.DateTimeField(_("time"), default=timezone.now)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("changed by"),
    )
    # A person's own words stay as typed, with the language they were typed in; what the
    # system writes is a code and its parameters, shown in the reader's language.
    reason = models.TextField(_("reason"), blank=True)
    reason_language = models.CharField(_("language of the reason"), max_length=10, blank=True)
    reason_code = models.CharField(_("reason code"), max_length=60, blank=True)
    reason_params = models.JSONField(_("reason parameters"), default=dict, blank=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["-changed_at", "-pk"]
        verbose_name = _("status change")
        verbose_name_plural = _("status history")
        indexes = [
            # the front page's idle families: which became available recently (an
            # index-only scan of these, not the whole history: 21 ms to 7 ms nationally)
            models.Index(
                fields=["changed_at"],
                include=["family"],
                condition=models.Q(to_status__in=Family.AVAILABLE_STATUSES),
                name="status_change_to_available",
            )
        ]

    def __str__(self) -> str:
        return f"{self.family}: {self.from_status} → {self.to_status}"

    @property
    def system_reason(self) -> str:
        """The system's reason in the reader's language ("" when there is none)."""
        return stored_text.render(self.reason_code, self.reason_params) if self.reason_code else ""


class PublicRegisterQuerySet(RestrictedQuerySet):
    """Rows whose public facts municipal workers read: the service contracts say the
    providers are monitored by the unit together with the municipalities."""

    def granted_to(self, user, action):
        if action == "view" and is_municipal_worker_of_member(user):
            return self.all()
        return self.none()


def _sum_per_provider(queryset, field: str) -> Coalesce:
    subquery = queryset.order_by().values("provider").annotate(n=Sum(field)).values("n")
    return Coalesce(Subquery(subquery, output_field=IntegerField()), Value(0))


class ProviderQuerySet(PublicRegisterQuerySet):
    def with_room(self, **context) -> "ProviderQuerySet":
        """A provider's places and free places: the sums of its active units'
        (``ProviderUnit.objects.with_room()``, the one definition)."""
        units = ProviderUnit.objects.with_room(**context).filter(
            provider=OuterRef("pk"), active=True
        )
        return self.annotate(
            unit_places=_sum_per_provider(units, "places"),
            taken=_sum_per_provider(units, "taken"),
            free_places=_sum_per_provider(units, "room"),
        )

    def licensed_on(self, day) -> "ProviderQuerySet":
        """Providers whose licence is valid on ``day``."""
        return self.filter(licence_valid_from__lte=day).filter(
            Q(licence_valid_until__isnull=True) | Q(licence_valid_until__gte=day)
        )


class Provider(ChoiceLabels):
    """A professional family home or child-welfare institution in the region."""

    class Kind(models.TextChoices):
        PROFESSIONAL_FAMILY_HOME = "professional_family_home", _("Professional family home")
        INSTITUTION = "institution", _("Child-welfare institution")

    name = models.CharField(_("name"), max_length=150)
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    business_id = models.CharField(
        _("business ID"), max_length=9, blank=True, validators=[validate_business_id]
    )
    municipality = models.ForeignKey(
        MemberOrganisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="providers",
        verbose_name=_("municipality"),
    )
    street_address = models.CharField(_("street address"), max_length=100, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=5, blank=True)
    post_office = models.CharField(_("post office"), max_length=50, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    places = models.PositiveSmallIntegerField(_("places"))
    licence_number = models.CharField(_("licence number"), max_length=50, blank=True)
    licence_granted_by = models.CharField(
        _("licence granted by"),
        max_length=100,
        blank=True,
        help_text=_("e.g. Regional State Administrative Agency or Valvira"),
    )
    licence_granted_on = models.DateField(_("licence granted on"), null=True, blank=True)
    licence_valid_from = models.DateField(
        _("licence valid from"),
        null=True,
        blank=True,
        help_text=_("Children are placed only while the licence is valid."),
    )
    licence_valid_until = models.DateField(
        _("licence valid until"), null=True, blank=True, help_text=_("Empty: until further notice.")
    )
    active = models.BooleanField(_("active"), default=True)
    notes = models.TextField(_("notes"), blank=True)

    objects = ProviderQuerySet.as_manager()

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("provider")
        verbose_name_plural = _("providers")

    def __str__(self) -> str:
        return self.name

    def licence_valid_on(self, day) -> bool:
        return bool(
            self.licence_valid_from
            and self.licence_valid_from <= day
            and (self.licence_valid_until is None or day <= self.licence_valid_until)
        )

    def clean(self):
        if (
            self.licence_valid_from
            and self.licence_valid_until
            and self.licence_valid_until < self.licence_valid_from
        ):
            raise ValidationError(
                {"licence_valid_until": _("The licence cannot end before it begins.")}
            )
        limit = settings.PROFESSIONAL_FAMILY_HOME_MAX_PERSONS
        if (
            self.kind == self.Kind.PROFESSIONAL_FAMILY_HOME
            and self.places is not None
            and self.places > limit
        ):
            raise ValidationError(
                {
                    "places": _(
                        "A professional family home may care for at most %(limit)s persons."
                    )
                    % {"limit": limit}
                }
            )


class ProviderUnitQuerySet(PublicRegisterQuerySet):
    def with_room(self, **context) -> "ProviderUnitQuerySet":
        """The one definition of a provider unit's room: ``taken`` (children placed and
        reserved, as the placing apps count them), ``free_places`` (places less taken)
        and ``room`` (never below 0)."""
        taken = taken_expressions(of=PROVIDER_UNIT, **context)
        return (
            self.annotate(**taken, taken=taken_total(taken))
            .annotate(free_places=F("places") - F("taken"))
            .annotate(room=Greatest(F("free_places"), Value(0)))
        )


class ProviderUnit(models.Model):
    """A unit or ward of a provider, with its places and the ages it takes."""

    provider = models.ForeignKey(
        Provider, on_delete=models.CASCADE, related_name="units", verbose_name=_("provider")
    )
    name = models.CharField(_("unit or ward"), max_length=100)
    places = models.PositiveSmallIntegerField(_("places"))
    age_min = models.PositiveSmallIntegerField(
        _("youngest age accepted"), default=0, validators=[MaxValueValidator(20)]
    )
    age_max = models.PositiveSmallIntegerField(
        _("oldest age accepted"), default=17, validators=[MaxValueValidator(20)]
    )
    active = models.BooleanField(_("active"), default=True)

    objects = ProviderUnitQuerySet.as_manager()

    class Meta:
        ordering = ["provider", "name", "pk"]
        verbose_name = _("provider unit")
        verbose_name_plural = _("provider units")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(age_min__lte=models.F("age_max")),
                name="provider_unit_age_range_ordered",
            )
        ]

    def __str__(self) -> str:
        return f"{self.provider.name}, {self.name}"

    def clean(self):
        if self.age_min is not None and self.age_max is not None and self.age_min > self.age_max:
            raise ValidationError(
                {"age_max": _("The oldest age accepted cannot be below the youngest.")}
            )


class SupervisionVisit(models.Model):
    """A supervision visit to a provider, its findings and their follow-up."""

    provider = models.ForeignKey(
        Provider,
        on_delete=models.CASCADE,
        related_name="supervision_visits",
        verbose_name=_("provider"),
    )
    visited_on = models.DateField(_("visit date"))
    visitors = models.CharField(
        _("visitors"), max_length=300, help_text=_("Names and organisations of the visitors.")
    )
    findings = models.TextField(_("findings"))
    follow_up_due_on = models.DateField(_("follow-up due"), null=True, blank=True)
    follow_up_done_on = models.DateField(_("follow-up done"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )

    # municipal workers read the dates and the follow-up, never the findings (the pages)
    objects = PublicRegisterQuerySet.as_manager()

    class Meta:
        ordering = ["-visited_on", "-pk"]
        verbose_name = _("supervision visit")
        verbose_name_plural = _("supervision visits")

    def __str__(self) -> str:
        return f"{self.provider} {self.visited_on}"

    def clean(self):
        if self.follow_up_done_on and not self.follow_up_due_on:
            raise ValidationError(
                {"follow_up_due_on": _("Set the due date before marking the follow-up done.")}
            )
        if self.follow_up_due_on and self.visited_on and self.follow_up_due_on < self.visited_on:
            raise ValidationError(
                {"follow_up_due_on": _("The follow-up cannot be due before the visit.")}
            )

    @property
    def follow_up_overdue(self) -> bool:
        return bool(
            self.follow_up_due_on
            and not self.follow_up_done_on
            and self.follow_up_due_on < timezone.localdate()
        )

    @staticmethod
    def overdue_on(day) -> Q:
        """``follow_up_overdue`` in SQL, on ``day``: due before it and not done."""
        return Q(follow_up_due_on__lt=day, follow_up_done_on__isnull=True)


class OccupancySnapshot(ChoiceLabels):
    """The places and the places taken of one kind of family or provider on one day: the
    register's history of occupancy, for the reports' occupancy over time.

    Recorded each day from ``with_room()`` (``families.services.occupancy_record``); days
    before recording began can be derived from placements' dates
    (``occupancy_backfill``, ``derived``): those count the children placed on the day in
    today's places, without reservations, which a past day's register no longer shows.
    """

    class Register(models.TextChoices):
        FAMILY = FAMILY, _("Families")
        PROVIDER_UNIT = PROVIDER_UNIT, _("Providers' units")

    day = models.DateField(_("day"))
    register = models.CharField(_("register"), max_length=20, choices=Register.choices)
    # a family's kind (Family.Kind) or a provider's (Provider.Kind)
    kind = models.CharField(_("kind"), max_length=30)
    places = models.PositiveIntegerField(_("places"))
    taken = models.PositiveIntegerField(_("places taken"))
    derived = models.BooleanField(
        _("derived from placements' dates"),
        default=False,
        help_text=_("Back-filled: children placed on the day in today's places."),
    )

    class Meta:
        ordering = ["-day", "register", "kind"]
        verbose_name = _("occupancy on a day")
        verbose_name_plural = _("occupancy history")
        constraints = [
            models.UniqueConstraint(
                fields=["day", "register", "kind"], name="occupancy_snapshot_once_a_day"
            )
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.kind}: {self.taken}/{self.places}"


class FamilyUserObjectPermission(UserObjectPermissionBase):
    """A permission one user holds on one family (django-guardian, direct FK)."""

    content_object = models.ForeignKey(Family, on_delete=models.CASCADE)


class FamilyGroupObjectPermission(GroupObjectPermissionBase):
    """A permission a group holds on one family, e.g. a municipality's group on a family
    proposed to its request (django-guardian, direct FK)."""

    content_object = models.ForeignKey(Family, on_delete=models.CASCADE)
