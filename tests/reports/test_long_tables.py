"""A report of a contract of 300 members: its bar charts draw the rows with the largest
figures (a chart of 300 groups is unreadable and taller than a page), the table keeps
every row, and a long table may break across pages (keeping it whole made WeasyPrint lay
out the national report's tables again and again)."""

from django.template.loader import render_to_string
from django.utils import translation

from reports.charts import CHART_MAX_ROWS, bar_chart
from reports.rendering import with_charts

TABLE = {
    "key": "care_days",
    "title": "Care days per member",
    "headers": ["Member", "Family care", "Institution"],
    "rows": [[f"Member {n:03}", n, 2 * n] for n in range(300)],
    "total": None,
    "note": "",
    "chart_columns": [1, 2],
}


def test_a_bar_chart_draws_the_rows_with_the_largest_figures():
    svg = str(bar_chart(TABLE, "chart-care_days"))
    assert svg.count("Member ") == CHART_MAX_ROWS == 25
    assert "Member 299" in svg and "Member 275" in svg and "Member 274" not in svg


def test_the_caption_says_the_chart_shows_some_rows_and_the_table_all():
    (table,) = with_charts([TABLE])
    with translation.override("en"):
        html = render_to_string("reports/_table.html", {"table": table, "csv": False})
    assert "The chart shows the 25 of 300 rows with the largest figures" in html
    assert html.count("<tr>") == 301  # the heading row and every member
    assert 'class="report-table long"' in html


def test_a_short_table_is_kept_on_one_page_and_charted_whole():
    short = {**TABLE, "rows": TABLE["rows"][:6]}
    (table,) = with_charts([short])
    with translation.override("en"):
        html = render_to_string("reports/_table.html", {"table": table, "csv": False})
    assert "The chart shows the" not in html
    assert 'class="report-table"' in html
