"""Charts drawn on the server as SVG: no JavaScript, no CDN, readable offline and in a screen reader.

Each function turns [(label, value)] into a Chart: the geometry (computed here, in viewBox units)
and the same figures as text rows. templates/invitations/_chart.html draws both: the SVG with
role="img", <title> and <desc>, and a visually hidden table for assistive technology.
"""

import math
from dataclasses import dataclass, field

WIDTH = 420  # viewBox units; the SVG scales to its card, so text stays legible on a phone
MAX_X_LABELS = 5  # category labels under a vertical chart: room for "23 Nov" each at a phone's width


@dataclass
class Mark:
    """One drawn value: a bar (x, y, w, h) or a point (x, y), with its labels."""

    label: str
    value: float | None
    text: str
    x: float = 0
    y: float = 0
    w: float = 0
    h: float = 0
    label_x: float = 0
    label_y: float = 0
    show_label: bool = True


@dataclass
class Chart:
    kind: str  # "columns", "line" or "hbars"
    slug: str  # unique on the page: the ids of <title>/<desc> derive from it
    title: str
    desc: str
    label_header: str
    value_header: str
    marks: list
    height: int
    width: int = WIDTH
    ticks: list = field(default_factory=list)  # [(y, text)] gridlines
    segments: list = field(default_factory=list)  # line charts: "x,y x,y ..." runs between gaps
    baseline: float = 0
    left: int = 0  # where the plot starts: tick labels sit to its left

    @property
    def rows(self):
        return [(mark.label, mark.text) for mark in self.marks]

    @property
    def is_empty(self):
        return not any(mark.value for mark in self.marks)


# The plot area of vertical charts: room for tick labels left, category labels below, and half
# the newest category's label right (it is centred on the last point).
LEFT, RIGHT, TOP, BOTTOM, PLOT_HEIGHT = 46, 24, 22, 30, 150


def _nice_max(value):
    """A round axis maximum at or above `value` (1, 2, 5 times a power of ten)."""
    if value <= 0:
        return 1
    power = 10 ** math.floor(math.log10(value))
    return next(step * power for step in (1, 2, 5, 10) if step * power >= value)


def _shows_label(i, count):
    """Label every n-th category, counted back from the newest, so the latest week is always named."""
    every = max(1, math.ceil(count / MAX_X_LABELS))
    return (count - 1 - i) % every == 0


def column_chart(slug, title, desc, points, *, label_header, value_header, fmt=str):
    """Vertical bars: counts over time (invitations by month)."""
    top = _nice_max(max((v for _, v in points), default=0))
    slot = (WIDTH - LEFT - RIGHT) / max(len(points), 1)
    baseline = TOP + PLOT_HEIGHT
    marks = []
    for i, (label, value) in enumerate(points):
        h = PLOT_HEIGHT * value / top
        x = LEFT + i * slot + slot * 0.15
        marks.append(Mark(
            label, value, fmt(value), x=round(x, 1), y=round(baseline - h, 1), w=round(slot * 0.7, 1), h=round(h, 1),
            label_x=round(x + slot * 0.35, 1), label_y=baseline + 18, show_label=_shows_label(i, len(points)),
        ))
    ticks = [(round(baseline - PLOT_HEIGHT * f, 1), fmt(round(top * f))) for f in (0, 0.5, 1)]
    return Chart("columns", slug, title, desc, label_header, value_header, marks,
                 height=TOP + PLOT_HEIGHT + BOTTOM, ticks=ticks, baseline=baseline, left=LEFT)


def line_chart(slug, title, desc, points, *, label_header, value_header):
    """A rate (0..1) over time: reply rate by week. A week with nothing to count is a gap."""
    slot = (WIDTH - LEFT - RIGHT) / max(len(points), 1)
    baseline = TOP + PLOT_HEIGHT
    marks, segments, run = [], [], []
    for i, (label, value) in enumerate(points):
        x = round(LEFT + i * slot + slot / 2, 1)
        y = round(baseline - PLOT_HEIGHT * value, 1) if value is not None else baseline
        text = f"{value:.0%}" if value is not None else "nothing to count"
        marks.append(Mark(label, value, text, x=x, y=y, label_x=x, label_y=baseline + 18, show_label=_shows_label(i, len(points))))
        if value is None:
            if run:
                segments.append(" ".join(run))
            run = []
        else:
            run.append(f"{x},{y}")
    if run:
        segments.append(" ".join(run))
    ticks = [(round(baseline - PLOT_HEIGHT * f, 1), f"{f:.0%}") for f in (0, 0.5, 1)]
    return Chart("line", slug, title, desc, label_header, value_header, marks,
                 height=TOP + PLOT_HEIGHT + BOTTOM, ticks=ticks, segments=segments, baseline=baseline, left=LEFT)


ROW = 42  # horizontal bars: a label line above each bar


def hbar_chart(slug, title, desc, points, *, label_header, value_header, fmt=str):
    """Horizontal bars with the label above each bar, so long labels never get cut off."""
    top = max((v for _, v in points), default=0) or 1
    room = WIDTH - 56  # leave space for the value after the longest bar
    marks = []
    for i, (label, value) in enumerate(points):
        y = 4 + i * ROW
        w = max(room * value / top, 2 if value else 0)
        marks.append(Mark(
            label, value, fmt(value), x=0, y=y + 22, w=round(w, 1), h=14, label_x=0, label_y=y + 16,
        ))
    return Chart("hbars", slug, title, desc, label_header, value_header, marks, height=max(len(points), 1) * ROW + 8)
