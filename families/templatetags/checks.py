"""The next due date of a check on the family and provider pages, from the validity
periods of ``families.worklist.check_validity`` (read once by the view)."""

from datetime import date

from django import template
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from families.worklist import check_due_on

register = template.Library()


@register.simple_tag
def next_due(check: str, done_on: date | None, validity: dict) -> str:
    """ "due 1.2.2027", "overdue since …", "does not expire" or "not recorded"."""
    due = check_due_on(check, done_on, validity)
    if due is None:
        return _("not recorded")
    if due == date.max:
        return _("does not expire")
    text = date_format(due, "SHORT_DATE_FORMAT")
    if due < timezone.localdate():
        return _("overdue since %(date)s") % {"date": text}
    return _("next due %(date)s") % {"date": text}
