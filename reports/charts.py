"""Bar and line charts drawn on the server as SVG, from a report table's own rows, so the page and
the PDF show the same picture and the table beside it carries the same data for screen
readers. No script and no style attribute: presentation attributes only (CSP)."""

from decimal import Decimal, InvalidOperation

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

# colour-blind safe (Okabe–Ito), each with at least 3:1 contrast on white
PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#8A6D00")
LABEL_WIDTH, BAR_AREA, BAR_HEIGHT, GAP, LEGEND_ROW = 150, 330, 10, 8, 16
# a bar chart of more rows (a contract of 300 members) draws the rows with the largest
# figures: 300 groups are unreadable and taller than a page; the table keeps every row
CHART_MAX_ROWS = 25


def _number(value) -> float:
    try:
        return float(Decimal(str(value)))
    except (InvalidOperation, ValueError):
        return 0.0


def _format(value) -> str:
    return str(value) if value not in (None, "") else "0"


def charted_rows(table: dict) -> list[list]:
    """The rows a bar chart draws: all, or the ``CHART_MAX_ROWS`` with the largest sum of
    the charted columns, in the table's order."""
    rows = table.get("rows") or []
    if len(rows) <= CHART_MAX_ROWS:
        return rows
    columns = table.get("chart_columns") or []
    largest = sorted(range(len(rows)), key=lambda i: -sum(_number(rows[i][c]) for c in columns))[
        :CHART_MAX_ROWS
    ]
    return [rows[i] for i in sorted(largest)]


def bar_chart(table: dict, chart_id: str) -> SafeString:
    """A grouped horizontal bar chart of ``table["chart_columns"]``, one group per row
    (``charted_rows``)."""
    columns = table.get("chart_columns") or []
    rows = charted_rows(table)
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


# the line chart's plot area; the second series dashed, so colour is not the only cue
PLOT_LEFT, PLOT_WIDTH, PLOT_HEIGHT, AXIS_LABELS = 40, 490, 160, 16
DASHES = ("", "6 3", "2 2", "8 3 2 3", "1 3")


def _nice_top(value: float) -> float:
    """The smallest of 1, 2, 5 × 10ⁿ at least ``value`` (the y axis's top)."""
    step = 1.0
    while step * 10 < value:
        step *= 10
    return next(step * m for m in (1, 2, 5, 10) if step * m >= value)


def _runs(points: list[tuple[float, float] | None]) -> list[list[tuple[float, float]]]:
    """The points in runs without a gap (a missing value breaks the line)."""
    runs: list[list[tuple[float, float]]] = [[]]
    for point in points:
        if point is None:
            runs.append([])
        else:
            runs[-1].append(point)
    return [run for run in runs if run]


def line_chart(table: dict, chart_id: str) -> SafeString:
    """A line of ``table["chart_columns"]`` each over the rows, a row a point in time."""
    columns = table.get("chart_columns") or []
    rows = table.get("rows") or []
    if not columns or not rows:
        return mark_safe("")
    series = [table["headers"][c] for c in columns]
    numeric = [
        [_number(row[c]) if row[c] not in ("–", "", None) else None for c in columns]
        for row in rows
    ]
    biggest = max((v for values in numeric for v in values if v is not None), default=0)
    top = _nice_top(max(biggest, table.get("chart_top") or 0) or 1)
    legend = LEGEND_ROW * len(series)
    plot_top = legend + 8
    height = plot_top + PLOT_HEIGHT + AXIS_LABELS + 4
    width = PLOT_LEFT + PLOT_WIDTH + 20
    step = PLOT_WIDTH / max(len(rows) - 1, 1)
    title_id = f"{chart_id}-title"
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" id="{chart_id}" '
        f'viewBox="0 0 {width} {height}" width="100%" role="img" aria-labelledby="{title_id}">',
        f'<title id="{title_id}">{escape(table["title"])}</title>',
    ]
    for i, name in enumerate(series):
        y = i * LEGEND_ROW + 8
        colour, dash = PALETTE[i % len(PALETTE)], DASHES[i % len(DASHES)]
        parts.append(
            f'<line x1="0" y1="{y}" x2="20" y2="{y}" stroke="{colour}" stroke-width="2"'
            + (f' stroke-dasharray="{dash}"' if dash else "")
            + "/>"
        )
        parts.append(f'<text x="24" y="{y + 4}" font-size="10" fill="#222">{escape(name)}</text>')
    for fraction in (0, 0.5, 1):
        y = plot_top + PLOT_HEIGHT * (1 - fraction)
        value = top * fraction
        parts.append(
            f'<line x1="{PLOT_LEFT}" y1="{y:.1f}" x2="{PLOT_LEFT + PLOT_WIDTH}" y2="{y:.1f}" '
            f'stroke="#bbb" stroke-width="0.5"/>'
        )
        parts.append(
            f'<text x="{PLOT_LEFT - 4}" y="{y + 3:.1f}" font-size="8" text-anchor="end" '
            f'fill="#222">{value:g}</text>'
        )
    axis_y = plot_top + PLOT_HEIGHT + 11
    for r, row in enumerate(rows):
        x = PLOT_LEFT + r * step
        parts.append(
            f'<text x="{x:.1f}" y="{axis_y}" font-size="7" text-anchor="middle" '
            f'fill="#222">{escape(str(row[0]))}</text>'
        )
    for i in range(len(columns)):
        colour, dash = PALETTE[i % len(PALETTE)], DASHES[i % len(DASHES)]
        points = [
            None
            if values[i] is None
            else (PLOT_LEFT + r * step, plot_top + PLOT_HEIGHT * (1 - values[i] / top))
            for r, values in enumerate(numeric)
        ]
        for run in _runs(points):
            parts.append(
                '<polyline fill="none" stroke-width="2" '
                f'stroke="{colour}"'
                + (f' stroke-dasharray="{dash}"' if dash else "")
                + ' points="'
                + " ".join(f"{x:.1f},{y:.1f}" for x, y in run)
                + '"/>'
            )
            parts += [
                f'<circle cx="{x:.1f}" cy="{y:.1f}" r="2.5" fill="{colour}"/>' for x, y in run
            ]
    parts.append("</svg>")
    return mark_safe("".join(parts))


def chart(table: dict, chart_id: str) -> SafeString:
    """The table's chart, of its kind (a bar chart unless the table says otherwise)."""
    draw = line_chart if table.get("chart_kind") == "line" else bar_chart
    return draw(table, chart_id)
