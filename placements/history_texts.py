"""What the placement process writes into a request's timeline and a family's status history
(fostercare.stored_text)."""

from django.utils.translation import gettext_lazy as _

from fostercare.stored_text import as_date, register

PROPOSED = "placements.proposed"
DECIDED = "placements.decided"
SHARED = "placements.shared"
UNSHARED = "placements.unshared"
PLACED_BY_REQUEST = "placements.placed_by_request"

register(PROPOSED, _("Proposed: %(families)s"))
register(DECIDED, _("Decided on %(on)s by %(maker)s, %(reference)s"), on=as_date)
register(SHARED, _("Shared with %(user)s"))
register(UNSHARED, _("No longer shared with %(user)s"))
register(PLACED_BY_REQUEST, _("Placement request %(number)s"))
