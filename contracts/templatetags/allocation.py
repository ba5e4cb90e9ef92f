"""``{% allocation_rows table %}``: the allocation table's body rows written in Python.

A contract of 300 members has some 3,000 cells; through the template language (a node,
a lookup and a filter per cell, the reader's formats looked up for each) they were most
of the contract page's time. The cells are what the template wrote: names escaped,
figures as ``{{ }}`` writes them, money as ``|euros`` writes it.

The rows are a pure function of what they write and the reader's language, so the
written rows are kept per process for the next view of the same figures: equal values
write equal cells (money is written to the cent, figures normalised), and any change of
a name, a figure or an amount is another key.
"""

import html
from functools import lru_cache

from django import template
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext

from contracts.tables import AllocationTable
from fostercare.templatetags.money import euros_writer, number_writer

register = template.Library()


@register.simple_tag
def allocation_rows(table: AllocationTable) -> SafeString:
    cells = tuple(
        (
            row.member.name,
            row.is_issuer,
            row.basis_display,
            row.share_percent,
            (row.annual_before, row.state_funding, row.annual_after, *row.quarters),
        )
        for row in table.rows
    )
    return _rows(cells, get_language())


@lru_cache(maxsize=64)
def _rows(cells: tuple, language: str) -> SafeString:
    euros, number = euros_writer(), number_writer()
    issuer_note = '<br><span class="muted">{}</span>'.format(
        html.escape(gettext("administrator: borne internally"))
    )
    rows = []
    for name, is_issuer, basis, share_percent, money in cells:
        rows.append(
            f'<tr><th scope="row">{html.escape(name)}'
            f"{issuer_note if is_issuer else ''}</th>"
            f'<td class="num">{html.escape(number(basis))}</td>'
            f'<td class="num">{html.escape(number(share_percent))}</td>'
            + "".join(f'<td class="num">{euros(amount)}</td>' for amount in money)
            + "</tr>\n"
        )
    return mark_safe("".join(rows))
