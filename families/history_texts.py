"""What the register writes into a family's status history (fostercare.stored_text)."""

from django.utils.translation import gettext_lazy as _

from fostercare.stored_text import register

ADDED = "families.added"

register(ADDED, _("Added to the register"))
