"""charts: geometry a person can read, and the same figures as text."""

import datetime as dt

from invitations.insights import charts
from invitations.templatetags.dashboard import duration


def test_columns_scale_to_a_round_maximum_and_thin_out_labels_keeping_the_newest():
    points = [(f"W{i}", i) for i in range(14)]
    chart = charts.column_chart("c", "Title", "Desc", points, label_header="Week", value_header="n")

    assert [text for _, text in chart.ticks] == ["0", "10", "20"]  # 13 rounds up to 20
    tallest = chart.marks[-1]
    assert tallest.y == round(chart.baseline - charts.PLOT_HEIGHT * 13 / 20, 1)
    assert [m.label for m in chart.marks if m.show_label] == ["W1", "W4", "W7", "W10", "W13"]
    assert chart.rows[3] == ("W3", "3")


def test_a_line_breaks_where_there_was_nothing_to_count():
    chart = charts.line_chart("r", "Rate", "Desc", [("a", 1.0), ("b", None), ("c", 0.5), ("d", 0.25)],
                              label_header="Week", value_header="Rate")

    assert len(chart.segments) == 2 and chart.segments[0].count(",") == 1
    assert chart.rows == [("a", "100%"), ("b", "nothing to count"), ("c", "50%"), ("d", "25%")]


def test_horizontal_bars_keep_labels_whole_and_an_empty_chart_says_so():
    chart = charts.hbar_chart("h", "Why", "Desc", [("Client asked to work off the platform", 4), ("Rate", 1)],
                              label_header="Reason", value_header="n")

    assert chart.marks[0].label == "Client asked to work off the platform"
    assert chart.marks[0].w == charts.WIDTH - 56 and chart.marks[1].w == round((charts.WIDTH - 56) / 4, 1)
    assert charts.hbar_chart("e", "E", "D", [], label_header="x", value_header="y").is_empty


def test_durations_read_like_a_person_would_say_them():
    assert duration(dt.timedelta(minutes=40)) == "40 min"
    assert duration(dt.timedelta(hours=3, minutes=20)) == "3 h 20 min"
    assert duration(dt.timedelta(days=1)) == "1 day"
    assert duration(dt.timedelta(days=2, hours=4)) == "2 days 4 h"
    assert duration(None) == "—"

