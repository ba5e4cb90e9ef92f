"""Bar charts drawn on the server as SVG, from a report table's own rows, so the page and
the PDF show the same picture and the table beside it carries the same data for screen
readers. No script and no style attribute: presentation attributes only (CSP)."""

from decimal import Decimal, InvalidOperation

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

# colour-blind safe (Okabe–Ito), each with at least 3:1 contrast on white
PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#8A6D00")
LABEL_WIDTH, BAR_AREA, BAR_HEIGHT, GAP, LEGEND_ROW = 150, 330, 10, 8, 16


def _number(value) -> float:
    try:
        return float(Decimal(str(value)))
    except (InvalidOperation, ValueError):
        return 0.0


def _format(value) -> str:
    return str(value) if value not in (None, "") else "0"


def bar_chart(table: dict, chart_id: str) -> SafeString:
    """A grouped horizontal bar chart of ``table["chart_columns"]``, one group per row."""
    columns = table.get("chart_columns") or []
    rows = table.get("rows") or []
    if not columns or not rows:
        return mark_safe("")
    series = [table["headers"][c] for c in columns]
    biggest = max((_number(row[c]) for row in rows for c in columns), default=0) or 1
    group = len(columns) * BAR_HEIGHT + GAP
    legend = LEGEND_ROW * len(series)
    height = legend + len(rows) * group + GAP
    width = LABEL_WIDTH + BAR_AREA + 70
    title_id = f"{chart_id}-title"
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" id="{chart_id}" '
        f'viewBox="0 0 {width} {height}" width="100%" role="img" aria-labelledby="{title_id}">',
        f'<title id="{title_id}">{escape(table["title"])}</title>',
    ]
    for i, name in enumerate(series):
        y = i * LEGEND_ROW
        colour = PALETTE[i % len(PALETTE)]
        parts.append(f'<rect x="0" y="{y + 3}" width="10" height="10" fill="{colour}"/>')
        parts.append(f'<text x="14" y="{y + 12}" font-size="10" fill="#222">{escape(name)}</text>')
    for r, row in enumerate(rows):
        top = legend + r * group
        parts.append(
            f'<text x="{LABEL_WIDTH - 6}" y="{top + len(columns) * BAR_HEIGHT / 2 + 4}" '
            f'font-size="10" text-anchor="end" fill="#222">{escape(str(row[0])[:28])}</text>'
        )
        for i, c in enumerate(columns):
            value = _number(row[c])
            length = max(value / biggest * BAR_AREA, 0)
            y = top + i * BAR_HEIGHT
            colour = PALETTE[i % len(PALETTE)]
            parts.append(
                f'<rect x="{LABEL_WIDTH}" y="{y}" width="{length:.1f}" '
                f'height="{BAR_HEIGHT - 1}" fill="{colour}"/>'
            )
            parts.append(
                f'<text x="{LABEL_WIDTH + length + 3:.1f}" y="{y + BAR_HEIGHT - 2}" '
                f'font-size="8" fill="#222">{escape(_format(row[c]))}</text>'
            )
    parts.append("</svg>")
    return mark_safe("".join(parts))
