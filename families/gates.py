"""What a family must have before it is approved, proposed, accepted or placed with.

The gates are data: which apply to which kind of family. ``family_gaps`` names every gate
still open, in words a social worker can act on; the status service, the readiness
assessment and the placement steps all refuse with these words. ``open_gates`` is the same
test as a database condition, for matching the whole register in one query.
"""

from django.contrib.postgres.aggregates import BoolAnd
from django.db.models import BooleanField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.db.models.lookups import Exact
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from families.models import Carer, Family

GATE_TRAINING = "training"
GATE_HOME_STUDY = "home_study"
GATE_CRIMINAL_RECORD = "criminal_record"

K = Family.Kind
# Support families (Child Welfare Act 36 §) are an open-care measure, not family care
# under the Family Care Act: no home study, but training and the extract all the same
# (Act 504/2002 covers everyone who works with children).
GATES_BY_KIND: dict[str, tuple[str, ...]] = {
    K.FOSTER: (GATE_TRAINING, GATE_HOME_STUDY, GATE_CRIMINAL_RECORD),
    K.RECEPTION: (GATE_TRAINING, GATE_HOME_STUDY, GATE_CRIMINAL_RECORD),
    K.KINSHIP: (GATE_TRAINING, GATE_HOME_STUDY, GATE_CRIMINAL_RECORD),
    K.SUPPORT: (GATE_TRAINING, GATE_CRIMINAL_RECORD),
}


def family_gaps(family: Family, *, on=None) -> list[str]:
    """The open gates of ``family`` on date ``on`` (today), each as a sentence; [] if none.

    Reads the family's carers (one query unless prefetched).
    """
    on = on or timezone.localdate()
    gates = GATES_BY_KIND[family.kind]
    gaps = []
    if GATE_TRAINING in gates and not family.pre_service_training_completed_on:
        if not family.training_exception_reason.strip():
            gaps.append(
                _(
                    "Pre-service training is not completed (or a Family Care Act 6 § "
                    "exception recorded with its reason and deadline)."
                )
            )
        elif family.training_due_on and family.training_due_on < on:
            gaps.append(
                _("The deadline for the pre-service training, %(date)s, has passed.")
                % {"date": date_format(family.training_due_on, "SHORT_DATE_FORMAT")}
            )
    if GATE_HOME_STUDY in gates and not family.home_study_approved_on:
        gaps.append(_("The home study is not approved."))
    if GATE_CRIMINAL_RECORD in gates:
        residents = [c for c in family.carers.all() if c.lives_in_home]
        if not residents:
            gaps.append(_("No carer living in the home is recorded."))
        for carer in residents:
            if not carer.criminal_record_seen_on:
                gaps.append(
                    _("No criminal-record extract has been seen for %(carer)s.") % {"carer": carer}
                )
    return gaps


def _kinds_with(gate: str) -> list[str]:
    return [kind for kind, gates in GATES_BY_KIND.items() if gate in gates]


def open_gates(*, on=None) -> Q:
    """Families with at least one gate open on date ``on`` (today): the condition under
    which ``family_gaps`` returns a sentence, as a filter over ``Family``."""
    on = on or timezone.localdate()
    no_exception = Q(training_exception_reason__regex=r"^\s*$")
    training = Q(
        Q(kind__in=_kinds_with(GATE_TRAINING)),
        Q(pre_service_training_completed_on__isnull=True),
        no_exception | Q(training_due_on__lt=on),
    )
    home_study = Q(kind__in=_kinds_with(GATE_HOME_STUDY), home_study_approved_on__isnull=True)
    # one subquery: NULL without a carer living in the home, else whether all were seen
    every_resident_seen = (
        Carer.objects.filter(family=OuterRef("pk"), lives_in_home=True)
        .order_by()
        .values("family")
        .annotate(seen=BoolAnd(Q(criminal_record_seen_on__isnull=False)))
        .values("seen")
    )
    all_seen = Coalesce(Subquery(every_resident_seen, output_field=BooleanField()), Value(False))
    criminal_record = Q(kind__in=_kinds_with(GATE_CRIMINAL_RECORD)) & Q(Exact(all_seen, False))
    return training | home_study | criminal_record
