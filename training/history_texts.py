"""What recruitment and training write into a family's status history (fostercare.stored_text)."""

from django.utils.translation import gettext_lazy as _

from fostercare.stored_text import choice, register
from training.models import Inquiry

INQUIRY_STAGE = "training.inquiry_stage"
ENROLLED = "training.enrolled"
READINESS_ASSESSED = "training.readiness_assessed"

register(INQUIRY_STAGE, _("Inquiry: %(stage)s"), stage=choice(Inquiry.Stage))
register(ENROLLED, _("Enrolled in %(course)s"))
register(READINESS_ASSESSED, _("Positive readiness assessment: %(course)s"))
