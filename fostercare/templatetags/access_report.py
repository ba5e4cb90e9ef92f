"""The access-log report's rows written in Python: a person's report over years is
hundreds of rows, and a template loop looked up six variables and a translated label a
row (the same markup, in about a fifth of the time)."""

from django import template
from django.utils import formats, timezone
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.text import capfirst
from django.utils.translation import gettext

from fostercare.models import AccessLogEntry

register = template.Library()


@register.simple_tag
def access_report_rows(entries) -> str:
    if not entries:
        # as {% translate %} writes it: the catalogue's text is not escaped
        nobody = gettext("Nobody processed the person's data in this period.")
        return mark_safe(f'\n    <tr><td colspan="6">{nobody}</td></tr>\n  ')
    actions = {value: str(label) for value, label in AccessLogEntry.Action.choices}
    unit = gettext("the unit")
    names: dict[tuple, str] = {}  # users, organisations and record kinds, named once each

    def name(key: tuple, obj, default: str = "") -> str:
        if key not in names:
            names[key] = conditional_escape(str(obj) if obj else default)
        return names[key]

    rows = []
    for entry in entries:
        at = formats.date_format(timezone.localtime(entry.at), "SHORT_DATETIME_FORMAT")
        kind = name(("type", entry.content_type_id), capfirst(entry.content_type.name))
        rows.append(
            f"\n    <tr>\n      <td>{conditional_escape(at)}</td>"
            f"\n      <td>{name(('user', entry.user_id), entry.user)}</td>"
            f"\n      <td>{name(('org', entry.organisation_id), entry.organisation, unit)}</td>"
            f"\n      <td>{conditional_escape(actions.get(entry.action, entry.action))}</td>"
            f"\n      <td>{kind}: {conditional_escape(entry.object_repr)}</td>"
            f"\n      <td>{conditional_escape(entry.purpose)}</td>\n    </tr>"
        )
    return mark_safe("".join(rows) + "\n  ")
