from django import template
from django.utils.formats import localize
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

register = template.Library()


@register.simple_tag
def vacancy_board_rows(board: dict) -> str:
    """The board's rows (``selectors.vacancy_board``) written in Python: the markup of a
    template loop over them, without a variable node per figure (300 municipalities by
    five figures: about a tenth of the time)."""
    outside = gettext("Outside the member organisations")
    cells: dict[int, str] = {}  # a figure's cell, localised once (thousands separated)

    def cell(figure: int) -> str:
        if figure not in cells:
            cells[figure] = f'<td class="num">{conditional_escape(localize(figure))}</td>'
        return cells[figure]

    return mark_safe(
        "".join(
            f'\n  <tr><th scope="row">{conditional_escape(name or outside)}</th>'
            f"{''.join(map(cell, figures))}{cell(total)}</tr>\n  "
            for name, figures, total in board["rows"]
        )
    )
