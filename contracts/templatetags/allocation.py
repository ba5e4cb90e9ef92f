"""``{% allocation_rows table %}``: the allocation table's body rows written in Python.

A contract of 300 members has some 3,000 cells; through the template language (a node,
a lookup and a filter per cell, the reader's formats looked up for each) they were most
of the contract page's time. The cells are what the template wrote: names escaped,
figures as ``{{ }}`` writes them, money as ``|euros`` writes it.
"""

import html

from django import template
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from contracts.tables import AllocationTable
from fostercare.templatetags.money import euros_writer, number_writer

register = template.Library()


@register.simple_tag
def allocation_rows(table: AllocationTable) -> SafeString:
    euros, number = euros_writer(), number_writer()
    issuer_note = '<br><span class="muted">{}</span>'.format(
        html.escape(gettext("administrator: borne internally"))
    )
    rows = []
    for row in table.rows:
        money = (row.annual_before, row.state_funding, row.annual_after, *row.quarters)
        rows.append(
            f'<tr><th scope="row">{html.escape(row.member.name)}'
            f"{issuer_note if row.is_issuer else ''}</th>"
            f'<td class="num">{html.escape(number(row.basis_display))}</td>'
            f'<td class="num">{html.escape(number(row.share_percent))}</td>'
            + "".join(f'<td class="num">{euros(amount)}</td>' for amount in money)
            + "</tr>\n"
        )
    return mark_safe("".join(rows))
